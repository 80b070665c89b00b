"""MkDocs hook: send readers fewer bytes without changing what they see.

The page-weight budget (350 kB for a first visit to any page, images apart; nox -s
bench measures it) is met by removing what a page does not use:

- The search index (the whole book's text) is fetched when the reader first opens
  search, not on every page load. Material already behaves so for pages opened
  from disk (file://); the bundle is patched to do it always (`lazy_search_index`).
- Code spans that Pygments emits but the theme colours like plain code text (names
  and whitespace) are dropped, keeping their text (`DEFAULT_COLOUR_SPANS`).
- Indentation between tags is dropped outside <pre>, <textarea>, <script>, <style>.
- Material's stylesheets lose the rules of features this book does not use
  (`UNUSED_FEATURES`: content tabs, footnotes, right-to-left layouts, the other
  palette colours...); the build fails if a page starts using one of them. Then
  the theme's custom properties that nothing reads any more (icons of removed
  features, mostly) are dropped too.
- Lab pages (mkdocs-jupyter) lose the 575 kB of JupyterLab CSS inlined into each of
  them: their code cells are rewritten into the markup of the book's own code blocks
  (same colours, Material's copy button) and docs/assets/notebook.css lays out the
  rest. Figures become PNG files next to the page instead of base64 text inside it.

Every rewrite checks that it found what it expects and fails the build, naming the
file, when a new version of Material or mkdocs-jupyter changes the markup.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from pathlib import Path

import tinycss2
from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

# Pygments classes the theme draws in the code block's own colour (Material:
# `.highlight .n {color: var(--md-code-hl-name-color)}`, which is --md-code-fg-color;
# `.w` has no rule). The spans are a third of a code-heavy page's HTML.
DEFAULT_COLOUR_SPANS = re.compile(r'<span class="(?:n|w)">([^<]*)</span>')
# Content whose whitespace matters, or that is not HTML: left byte for byte.
VERBATIM = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2>)", re.S | re.I)
INDENTATION = re.compile(r"[ \t\r]*\n\s*")

# Material's bundle starts the search index download at once unless the page was
# opened from disk; with the condition false it waits for the search toggle.
EAGER_INDEX = re.compile(r'(?<=[\w$])\(location\.protocol!=="file:"\)(?=,[\w$]+\("search"\))')
LAZY_INDEX = re.compile(r'(?<=[\w$])\(!1 *\)(?=,[\w$]+\("search"\))')  # after the rewrite
# search.highlight (marking the searched words on the page a result leads to)
# combines the index with the address, which subscribes to the index on every page.
# Rewritten: only an address with ?h=... (a click on a search result) waits for it.
# `switch_map` and `map` are the bundle's minified names, read from the code itself.
EAGER_HIGHLIGHT = re.compile(
    r"(?P<head>\{index\$:t,location\$:r\}\)\{return )[\w$]+\(\[t,"
    r'(?P<wanted>r\.pipe\([\w$]+\([\w$]+\(\)\),[\w$]+\(o=>!!o\.searchParams\.get\("h"\)\)\))'
    r"\]\)(?P<tail>\.pipe\((?P<map>[\w$]+)\(\(\[o,n\]\)=>)"
)
SWITCH_MAP = re.compile(r'[\w$]+\("search"\)\)\.pipe\([\w$]+\(o=>o\),(?P<name>[\w$]+)\(\(\)=>t\)\)')

# Features whose styles are removed from Material's CSS, each as the pattern of the
# class names (or attribute) its selectors use. Together about 60 kB of every page.
_ADMONITIONS_IN_USE = ("abstract", "success", "warning")  # !!! / ??? types in docs/
UNUSED_FEATURES = {
    "content tabs (pymdownx.tabbed)": r"tabbed",
    "navigation tabs": r"md-tabs",
    "code annotations": r"md-annotation",
    "version selector": r"md-version",
    "blog": r"md-post|md-author|md-profile",
    "tags": r"md-tag",
    "cookie consent": r"md-consent",
    "feedback widget": r"md-feedback",
    "announcement bar": r"md-banner",
    "social links": r"md-social",
    "page status": r"md-status",
    "page revision dates": r"md-source-file",
    "task lists (pymdownx.tasklist)": r"task-list",
    "footnotes": r"footnote",
    "keys (pymdownx.keys)": r"keys|key-",
    "critic markup": r"critic",
    "maths (pymdownx.arithmatex)": r"arithmatex",
    "Mermaid diagrams": r"mermaid",
    "grids and cards": r"grid|cards?",
    "emoji": r"emojione|twemoji|gemoji",
    "progress bars": r"progress",
    "language and version selectors": r"md-select",
    "line numbers in code blocks": r"highlighttable|linenos|linenodiv",
    "admonition types not used here": "|".join(
        t
        for t in (
            "info",
            "todo",
            "tip",
            "hint",
            "important",
            "check",
            "done",
            "question",
            "help",
            "faq",
            "caution",
            "attention",
            "failure",
            "fail",
            "missing",
            "danger",
            "error",
            "bug",
            "example",
            "quote",
            "cite",
            "summary",
            "tldr",
        )  # fmt: skip
        if t not in _ADMONITIONS_IN_USE
    ),
}
_CLASS_NAMES = "|".join(f"(?:{p})" for p in UNUSED_FEATURES.values())
UNUSED_SELECTOR = re.compile(
    rf"\.(?:{_CLASS_NAMES})(?![\w-])|\.(?:{_CLASS_NAMES})-"
    r"|\[dir=rtl\]"  # right-to-left languages: this book is English
    r"|\[data-md-color-primary=(?!deep-orange\])|\[data-md-color-accent=(?!indigo\])"
)
# Custom properties: a declaration of one of the theme's, and a use of any.
THEME_PROPERTY = re.compile(r"--md-[\w-]+")
PROPERTY_USE = re.compile(r"var\(\s*(--[\w-]+)")
FUNCTIONAL_PSEUDO = re.compile(r":[\w-]+\([^()]*\)")
# A class name a feature's markup uses: "tabbed-set", "footnote-ref", "note"...
FEATURE_CLASS = {
    feature: re.compile(rf"(?:{pattern})(?:-[\w-]*)?")
    for feature, pattern in UNUSED_FEATURES.items()
}
CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')

NOTEBOOK_CSS = "assets/notebook.css"
# What mkdocs-jupyter puts before each notebook: its copy-button script (Material's
# button replaces it), the JupyterLab and Pygments CSS, and MathJax and Mermaid
# loaders (the labs use neither, and both would fetch from third-party hosts).
JUPYTER_HEADER = re.compile(
    r"<script>\s*\(function \(global, factory\).*?(?=<div class=\"jupyter-wrapper\">)", re.S
)
# mkdocs-jupyter's copy button copies the cell from a second, hidden copy of its text.
COPY_TEXT = re.compile(r'<div class="clipboard-copy-txt" id="cell-\d+">[^<]*</div>\s*')
COPY_WIDGET = re.compile(
    r'<div class="zeroclipboard-container">\s*<clipboard-copy.*?</clipboard-copy>\s*</div>\s*',
    re.S,
)
NOTEBOOK_CODE = re.compile(
    r'<div class="highlight-ipynb hl-(?P<lang>[\w-]+)"><pre>(?P<code>.*?)</pre></div>', re.S
)
# The markup of the book's own code blocks (pymdownx.highlight), which Material
# styles and gives a copy button.
BOOK_CODE_BLOCK = (
    r'<div class="language-\g<lang> highlight"><pre><span></span><code>\g<code></code></pre></div>'
)
DATA_IMAGE = re.compile(
    r'src="data:image/(?P<type>png|jpeg|gif);base64,(?P<data>[A-Za-z0-9+/=\s]+)"'
)


# The Material release the bundle and stylesheet rewrites above were written against:
# its minified JavaScript and CSS are what the patterns match. Another release may
# rename what they look for, so the build stops at once instead of deep in a page.
MATERIAL_VERSION = "9.8.2"


def check_material_version(installed: str) -> None:
    if installed != MATERIAL_VERSION:
        raise PluginError(
            f"lean_pages: these rewrites were written for mkdocs-material {MATERIAL_VERSION}, "
            f"but {installed} is installed. Re-check them against the new bundle (see "
            "'Upgrade the theme' in docs/contributing.md), then set MATERIAL_VERSION in "
            "book/site/lean_pages.py"
        )


def on_config(config):
    from importlib.metadata import version

    check_material_version(version("mkdocs-material"))
    colours = {(p.get("primary"), p.get("accent")) for p in config["theme"]["palette"]}
    if colours != {("deep orange", "indigo")}:
        raise PluginError(
            f"lean_pages: mkdocs.yml's palette uses {sorted(colours)}; only deep orange and "
            "indigo are kept in the CSS: update UNUSED_SELECTOR in book/site/lean_pages.py"
        )
    return config


def on_post_page(output: str, page, config) -> str:
    if 'class="jupyter-wrapper"' in output:
        output = notebook_markup(output, page, config)
    refuse_unused_features(output, page.file.src_uri)
    output = DEFAULT_COLOUR_SPANS.sub(r"\1", output)
    return collapse_indentation(output)


def on_post_build(config) -> None:
    site = Path(config["site_dir"])
    lazy_search_index(site)
    theme = {
        sheet: without_unused_rules(sheet.read_text(encoding="utf-8"))
        for name in ("main", "palette")
        for sheet in (site / "assets" / "stylesheets").glob(f"{name}.*.min.css")
    }
    # Everything else that may read a custom property: the other stylesheets, the
    # scripts (Material's bundle sets and reads some) and the pages themselves.
    others = [
        path.read_text(encoding="utf-8", errors="replace")
        for pattern in ("*.css", "*.js", "*.html")
        for path in site.rglob(pattern)
        if path not in theme
    ]
    for sheet, css in without_unused_properties(theme, others).items():
        sheet.write_text(css, encoding="utf-8")


def refuse_unused_features(html: str, where: str) -> None:
    """Fail the build when a page uses a feature whose styles are removed."""
    if 'dir="rtl"' in html:
        raise PluginError(f"lean_pages: {where} is right-to-left, whose styles are removed")
    for attribute in CLASS_ATTRIBUTE.findall(html):
        for name in attribute.split():
            for feature, pattern in FEATURE_CLASS.items():
                if pattern.fullmatch(name):
                    raise PluginError(
                        f"lean_pages: {where} uses class {name!r} ({feature}), whose styles "
                        "are removed from the theme's CSS: take it out of UNUSED_FEATURES in "
                        "book/site/lean_pages.py"
                    )


def without_unused_rules(css: str) -> str:
    """The stylesheet without the selectors of UNUSED_FEATURES (and rules left empty)."""
    return _rewrite_rules(css, _with_used_selectors)


def without_unused_properties(sheets: dict, others: list[str]) -> dict:
    """The sheets without declarations of theme custom properties (--md-*) that no
    sheet, script or page reads; repeated until none is left, as one removal can
    leave another property unread."""
    while True:
        used = {name for text in others for name in THEME_PROPERTY.findall(text)}
        used |= {name for css in sheets.values() for name in PROPERTY_USE.findall(css)}
        keep_read = functools.partial(_with_read_properties, used=used)
        pruned = {sheet: _rewrite_rules(css, keep_read) for sheet, css in sheets.items()}
        if pruned == sheets:
            return sheets
        sheets = pruned


def _rewrite_rules(css: str, rewrite) -> str:
    """Apply rewrite(rule) -> rule or None (dropped) to every style rule, inside
    @media and @supports too; an at-rule left empty goes as well."""

    def walk(rules: list) -> list:
        kept = []
        for rule in rules:
            if rule.type == "qualified-rule":
                rule = rewrite(rule)
            elif rule.type == "at-rule" and rule.at_keyword in ("media", "supports"):
                if rule.content:
                    inner = walk(tinycss2.parse_rule_list(rule.content, True, True))
                    text = "".join(r.serialize() for r in inner)
                    rule.content = tinycss2.parse_component_value_list(text) if inner else None
                    rule = rule if inner else None
            if rule is not None:
                kept.append(rule)
        return kept

    rules = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
    return "".join(rule.serialize() for rule in walk(rules))


def _with_used_selectors(rule):
    selectors = _split_selectors(rule.prelude)
    used = [s for s in selectors if not _unused(tinycss2.serialize(s))]
    if not used:
        return None
    if len(used) < len(selectors):
        comma = [tinycss2.ast.LiteralToken(0, 0, ",")]
        rule.prelude = [token for s in used for token in [*comma, *s]][1:]
    return rule


def _with_read_properties(rule, used: set[str]):
    items = tinycss2.parse_blocks_contents(rule.content, True, True)
    if any(item.type != "declaration" for item in items):
        return rule  # nested rules or unparsable text: left alone
    live = [d for d in items if not (d.name.startswith("--md-") and d.name not in used)]
    if not live:
        return None
    if len(live) < len(items):
        rule.content = tinycss2.parse_component_value_list(";".join(d.serialize() for d in live))
    return rule


def _split_selectors(prelude: list) -> list[list]:
    """A selector list split at its top-level commas (those inside :is() stay)."""
    selectors: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return selectors


def _unused(selector: str) -> bool:
    # Inside :not(), :is(), :where() or :has() a class may select the opposite, or be
    # one alternative of several: such selectors are kept.
    return bool(UNUSED_SELECTOR.search(FUNCTIONAL_PSEUDO.sub("", selector)))


def collapse_indentation(html: str) -> str:
    """Replace each run of whitespace that holds a line break by one line break,
    outside verbatim elements. HTML renders any such run as one space, so nothing
    a reader sees changes."""
    parts = VERBATIM.split(html)
    # split() yields text, (whole element, tag name), text, ...
    out = []
    for index, part in enumerate(parts):
        kind = index % 3
        if kind == 0:
            out.append(INDENTATION.sub("\n", part))
        elif kind == 1:
            out.append(part)
    return "".join(out)


def lazy_search_index(site: Path) -> None:
    bundles = sorted((site / "assets" / "javascripts").glob("bundle.*.min.js"))
    if len(bundles) != 1:
        raise PluginError(f"lean_pages: expected one Material bundle, found {bundles}")
    bundle = bundles[0]
    text = bundle.read_text(encoding="utf-8")
    if LAZY_INDEX.search(text) and not EAGER_INDEX.search(text):
        return  # rewritten by an earlier build into the same directory
    eager, highlight, switch_map = (
        EAGER_INDEX.findall(text),
        list(EAGER_HIGHLIGHT.finditer(text)),
        SWITCH_MAP.search(text),
    )
    if len(eager) != 1 or len(highlight) != 1 or switch_map is None:
        raise PluginError(
            f"lean_pages: {bundle} does not hold the code the search-index rewrite expects "
            f"(eager download: {len(eager)}, highlight: {len(highlight)}, switchMap: "
            f"{switch_map is not None}); has Material been upgraded? Update EAGER_INDEX, "
            "EAGER_HIGHLIGHT and SWITCH_MAP in book/site/lean_pages.py"
        )
    # Same length, so the bundle's source map still lines up on this part.
    text = EAGER_INDEX.sub("(!1".ljust(len(eager[0]) - 1) + ")", text)
    m = highlight[0]
    lazy = (
        f"{m['head']}{m['wanted']}.pipe({switch_map['name']}(n=>t.pipe({m['map']}(o=>[o,n]))))"
        f"{m['tail']}"
    )
    text = text[: m.start()] + lazy + text[m.end() :]
    bundle.write_text(text, encoding="utf-8")


def notebook_markup(html: str, page, config) -> str:
    """Rewrite a lab page so it needs no JupyterLab CSS (see the module docstring)."""
    where = page.file.src_uri
    html, headers = JUPYTER_HEADER.subn("", html)
    if headers != 1:
        raise PluginError(
            f"lean_pages: {where}: expected mkdocs-jupyter's header (scripts and JupyterLab "
            f"CSS) once before the notebook, found it {headers} times"
        )
    html = COPY_WIDGET.sub("", html)
    html = COPY_TEXT.sub("", html)
    html, cells = NOTEBOOK_CODE.subn(BOOK_CODE_BLOCK, html)
    if cells == 0:
        raise PluginError(f"lean_pages: {where}: no notebook code cell found to rewrite")
    # Heading anchors ("¶") look and behave like the theme's: shown on hover or focus.
    html = html.replace('class="anchor-link"', 'class="headerlink"')
    html = html.replace(
        "</head>",
        f'<link rel="stylesheet" href="{get_relative_url(NOTEBOOK_CSS, page.url)}">\n</head>',
        1,
    )
    return figures_as_files(html, page, config)


def figures_as_files(html: str, page, config) -> str:
    """Write each inline (base64) figure next to the page and link it instead."""
    page_dir = Path(config["site_dir"], page.file.dest_uri).parent

    def to_file(match: re.Match) -> str:
        data = base64.b64decode(match["data"])
        ext = "jpg" if match["type"] == "jpeg" else match["type"]
        name = f"figure-{hashlib.sha256(data).hexdigest()[:12]}.{ext}"
        page_dir.mkdir(parents=True, exist_ok=True)
        (page_dir / name).write_bytes(data)
        return f'src="{name}"'

    return DATA_IMAGE.sub(to_file, html)
