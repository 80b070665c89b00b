"""The site builds with --strict and loads nothing from third-party hosts."""

from __future__ import annotations

import re
from html import escape, unescape
from urllib.parse import urlparse

import pytest

from book.notebooks import chapter_slugs, cpu_output_files, find_labs, outputs_dir
from book.site_config import load_config

THIRD_PARTY = re.compile(
    r"""<(?:script|img|iframe)[^>]+src=["']https?://|<link[^>]+rel=["'](?:stylesheet|preload|preconnect)["'][^>]+href=["']https?://|@import\s+url\(["']?https?://""",
    re.I,
)


# A cell's stderr output as nbconvert renders it (the same string also appears in CSS).
STDERR_OUTPUT = re.compile(r'<div[^>]+data-mime-type="application/vnd\.jupyter\.stderr"')


def test_no_third_party_requests(built_site):
    offenders = []
    for page in sorted(built_site.rglob("*.html")) + sorted(built_site.rglob("*.css")):
        for m in THIRD_PARTY.finditer(page.read_text(errors="replace")):
            offenders.append(f"{page.relative_to(built_site)}: {m.group(0)[:120]}")
    assert not offenders, "assets loaded from other hosts:\n" + "\n".join(offenders)


def test_every_chapter_shows_its_programs(built_site):
    """The include lines were replaced by the programs, not left as text."""
    leftovers = [
        str(p.relative_to(built_site))
        for p in built_site.rglob("*.html")
        if "--8&lt;--" in p.read_text() and "contributing" not in str(p)
    ]
    assert not leftovers, f"pages with unexpanded includes: {leftovers}"


def test_every_chapter_offers_its_notebook(built_site):
    """A link to notebooks/<slug>.ipynb (a valid notebook in the site) and one to Colab."""
    import nbformat

    repo = urlparse(load_config()["repo_url"]).path.strip("/")
    problems = []
    for slug in chapter_slugs():
        page = (built_site / slug / "index.html").read_text()
        if f'href="../notebooks/{slug}.ipynb"' not in page:
            problems.append(f"{slug}: no link to ../notebooks/{slug}.ipynb")
        colab = (
            f"https://colab.research.google.com/github/{repo}/blob/gh-pages/notebooks/{slug}.ipynb"
        )
        if f'href="{colab}"' not in page:
            problems.append(f"{slug}: no Open in Colab link to {colab}")
        notebook = built_site / "notebooks" / f"{slug}.ipynb"
        if not notebook.exists():
            problems.append(f"{slug}: notebooks/{slug}.ipynb is missing from the site")
        else:
            nbformat.validate(nbformat.read(notebook, as_version=4))
    assert not problems, "\n".join(problems)


def test_labs_show_their_recorded_outputs(built_site):
    """Each lab page shows what the harness recorded for it, and only that: every printed
    text, every figure (the recorded file itself, described by its cell's alt text),
    and no stderr."""
    for lab in find_labs():
        page_dir = built_site / "labs" / lab.stem
        page = (page_dir / "index.html").read_text()
        recorded = outputs_dir(lab)
        images = re.findall(r'<img alt="([^"]*)"[^>]*src="\.\./([^"]+)"', page)
        pngs = sorted(recorded.glob("*.png"))
        assert len(images) == len(pngs) > 0, f"labs/{lab.name}: {len(images)} figures shown"
        for alt, src in images:
            served = built_site / "labs" / src
            assert served.is_file(), f"labs/{lab.name}: {src} is not in the site"
            assert served.read_bytes() == (recorded / served.name).read_bytes(), src
            assert len(unescape(alt).split()) >= 8, f"labs/{lab.name}: {src} has no real alt text"
        # Each figure's caption is the first sentence of its description; the description
        # itself is the alt text, and is no longer shown as comment lines in the code.
        captions = re.findall(r"<figcaption>([^<]*)</figcaption>", page)
        assert len(captions) == len(images), f"labs/{lab.name}: {len(captions)} captions"
        for (alt, src), caption in zip(images, captions, strict=True):
            assert unescape(alt).startswith(unescape(caption)), f"labs/{lab.name}: {src}"
        assert "# figure:" not in page, f"labs/{lab.name}: a '# figure:' line is on the page"
        for printed in [p for p in cpu_output_files(recorded) if p.suffix == ".out"]:
            assert escape(printed.read_text(), quote=False) in page, (
                f"labs/{lab.name}: {printed.name} is not shown on the page"
            )
            assert not (built_site / "labs" / recorded.name / printed.name).exists()
        assert not STDERR_OUTPUT.search(page), (
            f"labs/{lab.name}: a cell wrote to stderr (a warning?) when the site was built"
        )


def test_a_lab_figure_is_captioned_by_its_first_sentence_and_its_lines_leave_the_code():
    from book.site.labs import caption, without_figure_lines
    from book.syntax import SyntaxProblem

    cell = (
        "# figure: The loss per step. It falls from 2.3 to 0.1,\n"
        "#   then stays flat.\n"
        "# a comment the reader keeps\n"
        "plt.plot(losses)\n"
        "# figure: not a directive here"
    )
    assert without_figure_lines(cell) == (
        "# a comment the reader keeps\nplt.plot(losses)\n# figure: not a directive here"
    )
    assert caption("The loss per step. It falls from 2.3 to 0.1.", "lab") == "The loss per step."
    assert caption("Loss for lr = 0.01 and 0.3", "lab") == "Loss for lr = 0.01 and 0.3"
    with pytest.raises(SyntaxProblem, match="lab: the first sentence of a '# figure:'"):
        caption("A very long first sentence " * 5 + ". Then more.", "lab")
