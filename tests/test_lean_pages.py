"""The page-lightening hook changes bytes, never what a reader sees or can do."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from book.catalog import REPO
from book.site import lean_pages as hook

CONFIG = {"theme": {"palette": [{"primary": "deep orange", "accent": "indigo"}] * 2}}


def test_indentation_goes_but_verbatim_elements_stay_byte_for_byte():
    html = (
        "<div>\n    <p>a\n      b</p>\n</div>\n"
        "<pre><code>def f():\n    return 1\n\n</code></pre>\n"
        "<script>if (a)\n    b()</script>\n<textarea>  x\n  y</textarea>"
    )
    out = hook.collapse_indentation(html)
    assert "<div>\n<p>a\nb</p>\n</div>\n" in out
    for kept in ("<pre><code>def f():\n    return 1\n\n</code></pre>",
                 "<script>if (a)\n    b()</script>", "<textarea>  x\n  y</textarea>"):  # fmt: skip
        assert kept in out


def test_only_spans_drawn_in_the_code_colour_are_dropped():
    code = (
        '<span class="n">x</span><span class="w"> </span>'
        '<span class="o">=</span><span class="mi">1</span>'
    )
    assert hook.DEFAULT_COLOUR_SPANS.sub(r"\1", code) == (
        'x <span class="o">=</span><span class="mi">1</span>'
    )


@pytest.mark.parametrize(
    ("css", "kept"),
    [
        (".md-typeset .tabbed-set{a:b}.md-nav{c:d}", ".md-nav{c:d}"),
        (".footnote,.md-nav{x:y}", ".md-nav{x:y}"),
        (".md-nav:not(.tabbed-set){x:y}", ".md-nav:not(.tabbed-set){x:y}"),
        (".md-typeset :is(.tabbed-set,.md-nav){x:y}", ".md-typeset :is(.tabbed-set,.md-nav){x:y}"),
        ("@media screen{.tabbed-set{a:b}}.md-grid{c:d}", ".md-grid{c:d}"),
        ("@media screen{.tabbed-set{a:b}.md-grid{c:d}}", "@media screen{.md-grid{c:d}}"),
        ("[dir=rtl] .md-nav{a:b}.md-nav{c:d}", ".md-nav{c:d}"),
        (
            "[data-md-color-primary=red]{a:b}[data-md-color-primary=deep-orange]{c:d}",
            "[data-md-color-primary=deep-orange]{c:d}",
        ),  # fmt: skip
        (
            ".md-typeset .tip>.admonition-title{a:b}.md-typeset .abstract>summary{c:d}",
            ".md-typeset .abstract>summary{c:d}",
        ),  # fmt: skip
    ],
)
def test_unused_theme_rules_are_removed_and_nothing_else(css, kept):
    assert hook.without_unused_rules(css) == kept


class Page:
    class file:
        src_uri = "chapter.md"


def test_a_page_that_uses_a_removed_feature_fails_the_build_by_name():
    with pytest.raises(PluginError, match=r"chapter\.md uses class 'tabbed-set' \(content tabs"):
        hook.refuse_unused_features('<div class="tabbed-set">', "chapter.md")
    hook.refuse_unused_features('<div class="md-grid md-typeset">', "chapter.md")


def test_a_palette_colour_whose_styles_are_removed_fails_the_build():
    hook.on_config(CONFIG)
    red = {"theme": {"palette": [{"primary": "red", "accent": "indigo"}]}}
    with pytest.raises(PluginError, match=r"palette uses \[\('red', 'indigo'\)\]"):
        hook.on_config(red)


def test_the_search_index_waits_for_search_in_materials_own_bundle(tmp_path):
    import material

    source = Path(material.__file__).parent / "templates" / "assets" / "javascripts"
    [bundle] = source.glob("bundle.*.min.js")
    target = tmp_path / "assets" / "javascripts"
    target.mkdir(parents=True)
    shutil.copy(bundle, target)
    hook.lazy_search_index(tmp_path)
    patched = (target / bundle.name).read_text()
    assert 'location.protocol!=="file:"' not in patched
    assert len(patched) > len(bundle.read_text()) - 40  # a rewrite, not a truncation
    hook.lazy_search_index(tmp_path)  # a second build into the same directory is fine
    assert (target / bundle.name).read_text() == patched


def test_an_unknown_bundle_fails_the_build_and_says_what_to_update(tmp_path):
    target = tmp_path / "assets" / "javascripts"
    target.mkdir(parents=True)
    (target / "bundle.0000.min.js").write_text("console.log('not Material')")
    with pytest.raises(PluginError, match="EAGER_INDEX"):
        hook.lazy_search_index(tmp_path)


def test_theme_properties_nobody_reads_are_dropped_with_those_they_alone_read():
    sheets = {
        "main": ":root{--md-a:var(--md-b);--md-b:red;--md-c:blue;--md-kept:1px;--own:2px}"
        ".x{color:var(--md-c)}",
        "palette": "[data-md-color-scheme=slate]{--md-c:green;--md-b:pink}",
    }
    pruned = hook.without_unused_properties(sheets, others=["el.style.setProperty('--md-kept')"])
    assert pruned == {
        # --md-a is read by nothing, so --md-b (read only by it) goes next; --own is
        # not the theme's and stays; --md-kept is named by a script.
        "main": ":root{--md-c:blue;--md-kept:1px;--own:2px}.x{color:var(--md-c)}",
        "palette": "[data-md-color-scheme=slate]{--md-c:green}",
    }


def test_another_material_version_stops_the_build_with_one_message():
    hook.check_material_version(hook.MATERIAL_VERSION)  # the pinned one passes
    with pytest.raises(PluginError) as stopped:
        hook.check_material_version("9.9.0")
    message = str(stopped.value)
    assert "written for mkdocs-material 9.8.2, but 9.9.0 is installed" in message
    assert "'Upgrade the theme' in docs/contributing.md" in message


def test_the_pin_and_the_rewrites_agree():
    """pyproject.toml's pin is the version the rewrites were written for."""
    import tomllib

    pins = tomllib.loads((REPO / "pyproject.toml").read_text())["dependency-groups"]["docs"]
    assert f"mkdocs-material=={hook.MATERIAL_VERSION}" in pins
