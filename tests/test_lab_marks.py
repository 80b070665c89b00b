"""A lab's markdown cells are held to a chapter page's rules: they draw no mark.

A lab's page is HTML that nbconvert makes from the notebook, with scripts and styles
of its own, so the rules are checked on the cells as the lab writes them: no script,
style, frame, event handler or script URL, no element with a mark's class, no mark's
words. Each attack is tried on a lab built in a temporary folder, first as the build
reads it (book.site.labs), then once through a real site build.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from book import records, syntax
from book.catalog import REPO

pytest.importorskip("nbconvert", reason="no docs toolchain here (the CPU leg builds the site)")

from book.site import labs  # noqa: E402  (needs the docs toolchain)
from book.site.program_blocks import Marks  # noqa: E402

FAKE_MARK = '<span class="verified">Verified on CUDA (NVIDIA H200, torch 2.11.0, 2026-12-01)</span>'
# The attack: a script in a markdown cell that inserts a real mark once the page is read.
SCRIPT = (
    "<script>document.querySelectorAll('.highlight').forEach(e => e.insertAdjacentHTML("
    f"'afterend', {json.dumps(FAKE_MARK)}))</script>"
)


def lab_text(*prose: str, kind: str = "markdown") -> str:
    """A lab: a markdown cell (line 1: its marker, line 2: its title, then prose from
    line 3), and a code cell that prints."""
    cell = "\n".join(f"# {line}".rstrip() for line in ("# A lab", *prose))
    return f"# %% [{kind}]\n{cell}\n\n# %%\nprint('hi')\n"


def write_lab(root: Path, text: str) -> Path:
    """docs/labs/demo.py under root, with its recorded output."""
    lab = root / "docs" / "labs" / "demo.py"
    (lab.parent / "demo.outputs").mkdir(parents=True, exist_ok=True)
    lab.write_text(text)
    (lab.parent / "demo.outputs" / "cell-02.out").write_text("hi\n")
    return lab


@pytest.mark.parametrize(
    ("prose", "where"),
    [
        pytest.param([SCRIPT], "docs/labs/demo.py:3: '<script>'", id="script"),
        pytest.param(["<img src=x onerror=\"this.outerHTML = 'Verified'\">"],
                     "docs/labs/demo.py:3: '<img", id="event-handler"),
        pytest.param(['<p style="margin-top:-3em">Checked</p>'],
                     "docs/labs/demo.py:3: a style ('style=')", id="style-attribute"),
        pytest.param(["<style>p::after { content: 'Checked' }</style>"],
                     "docs/labs/demo.py:3: a style ('<style')", id="style"),
        pytest.param(["Prose.", "", '<iframe src="x.html"></iframe>'],
                     "docs/labs/demo.py:5: '<iframe", id="iframe"),
        pytest.param(["[Checked](javascript:alert(1))"],
                     "docs/labs/demo.py:3: a URL that runs a script", id="script-url"),
        pytest.param([FAKE_MARK], "docs/labs/demo.py:3: a verification mark is written by hand",
                     id="mark"),
        pytest.param(['<span class="&#118;erified">x</span>'],
                     "docs/labs/demo.py:3: '<span class=\"&#118;erified\">': an element with a "
                     "verification mark's class", id="mark-character-reference"),
        pytest.param(["Prose.", "✔ Verified on CUDA (NVIDIA H200)"],
                     "docs/labs/demo.py:4: the words of a verification mark", id="words"),
        # Hidden from the lines: found in the cell's HTML, and named at the cell's first line.
        pytest.param(["Prose. ✔ Verified", "on CUDA (NVIDIA H200)"],
                     "docs/labs/demo.py:2: 'Verified\\non': the words of a verification mark",
                     id="words-over-two-lines"),
        pytest.param([SCRIPT], "docs/labs/demo.py:3: '<script>'", id="raw-cell"),
    ],
)  # fmt: skip
def test_a_markdown_cell_that_could_draw_a_mark_stops_the_lab(tmp_path, prose, where, request):
    kind = "raw" if request.node.callspec.id == "raw-cell" else "markdown"
    lab = write_lab(tmp_path, lab_text(*prose, kind=kind))
    with pytest.raises(syntax.SyntaxProblem) as caught:
        labs.notebook_with_outputs(lab, root=tmp_path)
    assert where in str(caught.value), caught.value


def test_a_lab_with_code_and_words_in_code_blocks_is_shown(tmp_path):
    """The control: a mark's words and a script inside a code block, and prose that says
    "verified on torch", are no mark; the lab is shown with its output."""
    prose = ["Every program is verified on torch 2.13.", "", "```html", SCRIPT, "```"]
    lab = write_lab(tmp_path, lab_text(*prose))
    nb = labs.notebook_with_outputs(lab, root=tmp_path)
    assert nb.cells[1].outputs[0]["text"] == "hi\n"


def test_a_lab_page_holds_exactly_the_marks_the_build_put_there():
    """A lab shows no program line, so the build puts no mark on its page: its HTML may
    carry nbconvert's own scripts, but no element with a mark's class, at any stage."""
    marks, page = Marks(), "docs/labs/demo.py"
    html = "<script>var nbconvert = 1;</script><p>A lab</p>"
    marks.check(marks.fill(html, page), page)
    with pytest.raises(syntax.SyntaxProblem, match="where the build put 0"):
        marks.check(html + FAKE_MARK, page)
    with pytest.raises(syntax.SyntaxProblem, match="HTML line 1: .*mark's class"):
        Marks().fill(html + FAKE_MARK, page)


# -- Through a real build ---------------------------------------------------------------


def marks_in(html: str) -> list[str]:
    """The start tag of every element of html with a mark's class."""
    found = []

    class Finder(HTMLParser):
        def handle_starttag(self, tag, attrs):
            classes = " ".join(v or "" for k, v in attrs if k == "class").lower().split()
            if {"verification", "verified", "unverified"} & set(classes):
                found.append(self.get_starttag_text())

    Finder(convert_charrefs=True).feed(html)
    return found


def build_lab_site(tmp_path: Path, text: str) -> tuple[int, str, str | None]:
    """mkdocs build --strict of a site of one lab, with the book's lab and program-block
    hooks: (exit code, output, the lab page's HTML or None)."""
    pytest.importorskip("mkdocs_jupyter")
    write_lab(tmp_path, text)
    (tmp_path / "docs" / "index.md").write_text("# A book\n")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: A lab\ntheme: {name: mkdocs}\n"
        "exclude_docs: |\n  labs/*.outputs/*.out\n"
        "plugins:\n  - mkdocs-jupyter:\n"
        '      include: ["labs/*.py", "labs/*.ipynb"]\n      execute: false\n      cache: false\n'
        f"hooks:\n  - {REPO / 'overrides' / 'hooks' / 'program_blocks.py'}\n"
        f"  - {REPO / 'overrides' / 'hooks' / 'labs.py'}\n"
    )
    out = tmp_path / "built"
    env = os.environ | {"NO_MKDOCS_2_WARNING": "1", records.RECORDS_ENV: str(tmp_path / "none")}
    done = subprocess.run(
        [sys.executable, "-P", "-m", "mkdocs", "build", "--strict", "-f", str(config),
         "--site-dir", str(out)],
        capture_output=True, text=True, env=env, cwd=tmp_path,
    )  # fmt: skip
    page = out / "labs" / "demo" / "index.html"
    return done.returncode, done.stdout + done.stderr, page.read_text() if page.exists() else None


def test_a_script_in_a_labs_markdown_cell_stops_the_build(tmp_path):
    code, output, page = build_lab_site(tmp_path, lab_text("Prose.", SCRIPT))
    assert code != 0, f"the build published a lab that draws marks: {page}"
    assert "docs/labs/demo.py:4: '<script>'" in output, output


def test_a_lab_without_marks_builds(tmp_path):
    """The control: the same lab without the script builds, and its page has no mark."""
    code, output, page = build_lab_site(tmp_path, lab_text("Prose."))
    assert code == 0, output
    assert "hi" in page and marks_in(page) == []
