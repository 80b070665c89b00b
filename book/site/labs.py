"""Labs on the site show the outputs the harness recorded; the build executes nothing.

A lab is a jupytext percent-format file, docs/labs/<name>.py. The tests run it in
the sandbox and `nox -s outputs` records what each cell printed and drew in
docs/labs/<name>.outputs/ (book.notebooks). For the page, this hook hands
mkdocs-jupyter (which runs first, with ``execute: false``) a notebook made of the
lab's cells and those recorded outputs:

- printed text as the cell's stdout;
- each figure as an image file next to the page, with the alt text its cell gives
  in a ``# figure:`` line, and its width and height (no layout shift), in a
  ``<figure>`` whose visible caption is the description's first sentence.

The ``# figure:`` lines are for the tests and the alt text, not for the reader's
copy of the code: the page shows the cell without them.

An exercise's solution is a run of cells tagged ``solution`` (code and prose, run
and recorded like every other cell). On the page they become one collapsed
"Solution" block, as the chapters show theirs: the reader tries first.

A cell that draws a figure the lab does not describe, or a lab whose outputs were
never recorded, stops the build with the file and what to run.

A lab's markdown cells reach the page as HTML, so they are held to a chapter page's
rules (book.site.program_blocks): no mark or mark's words written by hand, no script,
style, frame, event handler or script URL. A cell that breaks one stops the build with
the lab's file and line. The lab page's own HTML carries nbconvert's scripts and
styles, so it is the cells that are checked, as written and as the notebook renderer
makes them HTML; the finished page, like every page, must hold exactly the marks the
build put there (none: a lab shows no program line).
"""

from __future__ import annotations

import html
import os
import re
import struct
import tempfile
from pathlib import Path

from .. import safe_files, syntax
from ..notebooks import outputs_dir
from . import program_blocks

OUTPUT_NAME = "cell-{number:02d}"
# The visible caption is a description's first sentence: up to a full stop (or ? or !)
# that ends the text or is followed by a space ("0.01" and "8x8" do not end it).
FIRST_SENTENCE = re.compile(r"^(?P<sentence>.+?[.?!])(?:\s|$)")
CAPTION_MAX = 100  # characters; the rest of the description is in the alt text


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's header."""
    return struct.unpack(">II", data[16:24])


def without_figure_lines(source: str) -> str:
    """A cell's code as the page shows it: without its `# figure:` descriptions.

    They are the lines book.syntax.parse_directives reads as figures: in the cell's
    leading comment block, a `# figure:` line and the `#   ...` lines that go on
    with it. Every other line, other directives included, stays."""
    lines = source.splitlines()
    kept, in_figure = [], False
    for number, line in enumerate(lines):
        if not line.startswith("#"):
            kept += lines[number:]
            break
        m = syntax.DIRECTIVE.match(line)
        if m and m["key"] == "figure":
            in_figure = True
        elif not (in_figure and syntax.CONTINUATION.match(line)):
            in_figure = False
            kept.append(line)
    while kept and not kept[0].strip():
        kept.pop(0)
    return "\n".join(kept)


def caption(description: str, where: str) -> str:
    """The visible caption of a figure: the first sentence of its description."""
    m = FIRST_SENTENCE.match(description)
    sentence = m["sentence"] if m else description
    if len(sentence) > CAPTION_MAX:
        raise syntax.SyntaxProblem(
            f"{where}: the first sentence of a '# figure:' description is the figure's "
            f"visible caption; keep it under {CAPTION_MAX} characters (it has "
            f"{len(sentence)}) and give the details in the sentences after it"
        )
    return sentence


def _uncommented(line: str) -> str:
    """A line of a percent-format file as jupytext puts it in a markdown cell."""
    if line.startswith("# "):
        return line[2:]
    return line[1:] if line.startswith("#") else line


def source_lines(text: str, cells: list) -> list[list[int | None]]:
    """For each cell, the line of the lab's file (1-based) holding each of its source
    lines (as written, or commented out in a markdown cell), None where none is found.
    Cells are in the file in order, so each line is looked for after the one before."""
    lines = [(line, _uncommented(line)) for line in text.split("\n")]
    at, found = 0, []
    for cell in cells:
        numbers = []
        for wanted in cell.source.split("\n"):
            number = next((n for n in range(at, len(lines)) if wanted in lines[n]), None)
            if number is not None:
                at = number + 1
            numbers.append(None if number is None else number + 1)
        found.append(numbers)
    return found


def rendered_problems(source: str) -> list[str]:
    """What a markdown cell's HTML, as the notebook renderer makes it for the page, holds
    that no page may: it sees what the source's lines hide (a mark's words split over two
    lines or spelled with character references, a Markdown link to a script URL)."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return [why for _, why in program_blocks.html_problems(markdown2html_mistune(source))]


def cell_problems(text: str, nb, page: str) -> list[str]:
    """'page:line: why' for each markdown (or raw) cell of a lab that breaks a page's
    rules (book.site.program_blocks), text being the lab's file as read."""
    problems = []
    located = source_lines(text, nb.cells)
    for number, (cell, lines) in enumerate(zip(nb.cells, located, strict=True), start=1):
        if cell.cell_type == "code":
            continue
        found = program_blocks.hand_written(cell.source) + program_blocks.own_elements(cell.source)
        if not found:
            found = [(1, why) for why in rendered_problems(cell.source)]
        for line, why in sorted(set(found)):
            at = lines[line - 1] if line <= len(lines) else None
            at = at or next((n for n in lines if n), None)
            problems.append(f"{page}:{at}: {why}" if at else f"{page}, cell {number}: {why}")
    return problems


def read_lab(lab: Path, root: Path = safe_files.REPO):
    """A lab as jupytext reads it, from a regular file inside the repository."""
    import jupytext

    return jupytext.reads(safe_files.read_text(lab, root=root), fmt="py:percent")


def notebook_with_outputs(lab: Path, root: Path = safe_files.REPO):
    """The lab's cells with their recorded outputs, as an nbformat notebook.

    The lab, its outputs folder and every recorded file are read as regular files
    inside root, through no link (book.safe_files)."""
    import nbformat

    folder = outputs_dir(lab)
    try:
        safe_files.check_dir(folder, root=root)
    except FileNotFoundError:
        raise syntax.SyntaxProblem(
            f"{lab}: no recorded outputs ({folder.name}/); record them with: "
            f"python3 -m nox -s outputs -- docs/labs/{lab.name}"
        ) from None
    nb = read_lab(lab, root)
    problems = cell_problems(safe_files.read_text(lab, root=root), nb, f"docs/labs/{lab.name}")
    if problems:
        raise syntax.SyntaxProblem("\n".join(problems))
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        stem = OUTPUT_NAME.format(number=number)
        cell.outputs, cell.execution_count = [], None
        printed = folder / f"{stem}.out"
        if os.path.lexists(printed):
            text = safe_files.read_text(printed, root=root)
            cell.outputs.append(nbformat.v4.new_output("stream", name="stdout", text=text))
        figures = sorted(folder.glob(f"{stem}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        alts = syntax.parse_directives(cell.source, f"{lab.name}, cell {number}, line").figures
        if len(alts) != len(figures):
            raise syntax.SyntaxProblem(
                f"docs/labs/{lab.name}, cell {number}: {len(figures)} recorded figure(s), "
                f"{len(alts)} '# figure:' description(s)"
            )
        for figure, alt in zip(figures, alts, strict=True):
            width, height = png_size(safe_files.read_bytes(figure, root=root))
            src = f"../{folder.name}/{figure.name}"  # the page is labs/<name>/index.html
            title = caption(alt, f"docs/labs/{lab.name}, cell {number}")
            tag = (
                f'<figure><img src="{html.escape(src)}" '
                f'alt="{html.escape(alt)}" width="{width}" height="{height}" loading="lazy">'
                f"<figcaption>{html.escape(title)}</figcaption></figure>"
            )
            cell.outputs.append(nbformat.v4.new_output("display_data", data={"text/html": tag}))
        if alts:
            cell.source = without_figure_lines(cell.source)
    nb.cells = collapse_solutions(nb.cells, lab)
    return nb


def collapse_solutions(cells: list, lab: Path) -> list:
    """Each run of cells tagged `solution` becomes one collapsed block of HTML."""
    import nbformat

    result, run = [], []

    def flush() -> None:
        if run:
            body = "\n".join(_solution_html(cell, lab) for cell in run)
            block = f'<details class="success">\n<summary>Solution</summary>\n{body}\n</details>'
            result.append(nbformat.v4.new_markdown_cell(block))
            run.clear()

    for cell in cells:
        if "solution" in cell.metadata.get("tags", []):
            run.append(cell)
        else:
            flush()
            result.append(cell)
    flush()
    return result


def _solution_html(cell, lab: Path) -> str:
    import markdown
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    if cell.cell_type == "markdown":
        return markdown.markdown(cell.source)
    code = highlight(cell.source, PythonLexer(), HtmlFormatter(nowrap=True))
    parts = [f'<div class="highlight"><pre><span></span><code>{code}</code></pre></div>']
    for output in cell.outputs:
        if output.output_type == "stream":
            parts.append(f"<pre><code>{html.escape(output.text)}</code></pre>")
        elif output.output_type == "display_data" and "text/html" in output.data:
            # A figure: the <figure> notebook_with_outputs built from a recorded image and
            # its escaped description, the only HTML a lab's outputs can hold.
            parts.append(output.data["text/html"])
        else:
            raise syntax.SyntaxProblem(
                f"docs/labs/{lab.name}: a solution cell shows an output of type "
                f"{output.output_type!r}, which the page cannot show"
            )
    return "\n".join(parts)


# The folders this build's lab notebooks were written to, removed when the build ends.
_TEMPORARY: list[Path] = []


def on_post_build(config) -> None:
    """Remove the folders the lab notebooks of this build were written to."""
    import shutil

    while _TEMPORARY:
        shutil.rmtree(_TEMPORARY.pop(), ignore_errors=True)


def on_files(files, config):
    """Point each lab page at a notebook with its recorded outputs (built in a temp dir)."""
    import nbformat
    from mkdocs.exceptions import PluginError

    build_dir = Path(tempfile.mkdtemp(prefix="book-labs-")) / "labs"
    build_dir.mkdir()
    _TEMPORARY.append(build_dir.parent)
    docs = Path(config["docs_dir"])
    root = Path(config["config_file_path"]).resolve().parent
    for file in files:
        if not (file.src_uri.startswith("labs/") and file.src_uri.endswith(".py")):
            continue
        lab = docs / file.src_uri
        try:
            nb = notebook_with_outputs(lab, root)
        except (syntax.SyntaxProblem, OSError) as problem:
            raise PluginError(str(problem)) from problem
        target = build_dir / f"{lab.stem}.ipynb"
        target.write_text(nbformat.writes(nb))
        file.abs_src_path = str(target)
    return files
