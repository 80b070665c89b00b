"""Notebooks as the tests run them: the labs and the chapter notebooks the site offers.

A notebook is executed the way "Run all" in Jupyter executes it: its code cells in
order, in one shared ``__main__`` namespace, stopping at the first cell that raises,
except that a cell tagged ``raises-exception`` may raise (and here must raise
exactly the exception its program declares). No Jupyter kernel is started: the
cells run in one forked child of the snippet fork server, which has imported torch
already (see forkserver._run_cells).

- Labs are jupytext percent-format files, docs/labs/<name>.py; a failing cell is
  named by its line in that file.
- Chapter notebooks are built by overrides/hooks/notebooks.py, the same code that
  writes notebooks/<slug>.ipynb into the site, from docs/<slug>.md and its snippets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import DEFAULT_TIMEOUT, DOCS, REPO, error_matches, parse_directives
from .compare import mask_varying, unified, without_library_lines
from .judge import offline_hint, sandbox_problems
from .run.runner import RunResult, SnippetRunner
from .site import chapter_notebooks
from .syntax import PERCENT_MARKER

LABS = DOCS / "labs"
LAB_TIMEOUT = 60.0  # for a whole lab; each is meant to run in a few seconds


def generator():
    """The site's chapter-notebook generator (what the MkDocs hook runs)."""
    return chapter_notebooks


@dataclass
class Cell:
    """One code cell, ready for the fork server."""

    number: int  # position among all the notebook's cells, from 1 (markdown included)
    source: str  # as the notebook holds it
    filename: str  # the name tracebacks give it
    offset: int = 0  # lines of the file before the cell's first line (labs)
    expected_error: str | None = None  # from a '# expected-error: X' header
    tagged_raises: bool = False  # the Jupyter tag 'raises-exception'
    program: str | None = None  # the snippet the cell was made from
    timeout: float = DEFAULT_TIMEOUT
    problems: list[str] = field(default_factory=list)  # in its header directives
    figures: list[str] = field(default_factory=list)  # alt text of the figures it draws
    varies: str | None = None  # the unit of measured numbers it prints, if any
    # A launched program's two cells: one saves it (%%writefile), one starts it (!torchrun).
    # Neither runs the program in the notebook's own process.
    outside: bool = False

    @property
    def first_line(self) -> str:
        return next((ln.strip() for ln in self.source.splitlines() if ln.strip()), "")

    def request(self) -> dict:
        return {
            "source": "\n" * self.offset + self.source,
            "filename": self.filename,
            "expect_error": self.expected_error if self.tagged_raises else None,
            "timeout": self.timeout,
        }


@dataclass
class Notebook:
    """A notebook's code cells and how to name it in a report."""

    name: str  # e.g. docs/labs/classifier.py or notebooks/tensors.ipynb
    path: Path  # the file the notebook is read or generated from
    cells: list[Cell]
    timeout: float
    source_note: str = ""  # e.g. " (generated from docs/tensors.md)"

    def where(self, cell: Cell, line: int | None = None) -> str:
        """'<notebook>, cell N (first line: ...)', with the failing line when known."""
        text = (
            f"{self.name}{self.source_note}, cell {cell.number} (first line: {cell.first_line!r})"
        )
        if line is not None and cell.offset:
            text += f", at {self.name}:{line}"
        elif line is not None:
            text += f", line {line} of the cell"
        if cell.program:
            text += f", from {cell.program}"
        return text


# The two IPython cells a chapter notebook starts a launched program with (see
# site.chapter_notebooks._program_blocks), and nothing else of IPython's syntax: every
# other cell is plain Python. The harness runs them as the Python they stand for.
WRITEFILE_CELL = re.compile(r"%%writefile (?P<name>[-_a-z0-9]+\.py)\n(?P<body>.*)\Z", re.S)
LAUNCH_CELL = re.compile(
    r"!torchrun (?P<arguments>--standalone --nproc-per-node [1-4]) (?P<name>[-_a-z0-9]+\.py)\Z"
)


def _as_python(source: str, saved: dict[str, str]) -> tuple[str, str | None]:
    """(the Python a cell runs as, the program text it launches): `%%writefile` saves
    its body as IPython does, `!torchrun` runs the saved file with torch's launcher and
    shows what the processes printed; any other cell is itself."""
    written = WRITEFILE_CELL.match(source)
    if written:
        name, body = written["name"], written["body"]
        verb = "Overwriting" if name in saved else "Writing"
        saved[name] = body
        code = (
            f"print({verb!r} + ' ' + {name!r})\n"
            f"with open({name!r}, 'w', encoding='utf-8') as _book_file:\n"
            f"    _book_file.write({body + chr(10)!r})\n"
        )
        return code, None
    launched = LAUNCH_CELL.match(source)
    if launched and launched["name"] in saved:
        argv = ["-m", "torch.distributed.run", *launched["arguments"].split(), launched["name"]]
        code = (
            "import subprocess as _book_subprocess, sys as _book_sys\n"
            f"_book_done = _book_subprocess.run([_book_sys.executable, *{argv!r}],"
            " capture_output=True, text=True)\n"
            "print(_book_done.stdout, end='')\n"
            "print(_book_done.stderr, end='', file=_book_sys.stderr)\n"
            "_book_done.check_returncode()\n"
        )
        return code, saved[launched["name"]]
    return source, None


def from_notebook(nb, name: str, path: Path, note: str = "") -> Notebook:
    """The code cells of an nbformat notebook (as read from a .ipynb or generated)."""
    cells, saved = [], {}
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        source, launched = _as_python(cell.source, saved)
        # A launch cell runs under its program's header (its time limit, what varies).
        directives = parse_directives(
            cell.source if launched is None else launched, f"{name}, cell {number}, line"
        )
        book = cell.metadata.get("book", {})
        # A saved program prints nothing of its own: its launch cell prints its output.
        if launched is not None:
            program = book.get("launches")
        elif WRITEFILE_CELL.match(cell.source):
            program = None
        else:
            program = book.get("program")
        cells.append(
            Cell(
                number=number,
                source=source,
                filename=f"<{name} cell {number}>",
                expected_error=directives.expected_error,
                tagged_raises="raises-exception" in cell.metadata.get("tags", []),
                program=program,
                outside=source != cell.source,
                timeout=directives.timeout,
                problems=directives.problems,
                figures=directives.figures,
                varies=directives.varies,
            )
        )
    return Notebook(name, path, cells, sum(c.timeout for c in cells) or DEFAULT_TIMEOUT, note)


def _rel(path: Path) -> str:
    path = Path(path).resolve()
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


def load_ipynb(path: Path) -> Notebook:
    import nbformat

    return from_notebook(nbformat.read(path, as_version=4), _rel(path), Path(path).resolve())


def find_labs() -> list[Path]:
    return sorted(LABS.glob("*.py"))


def load_lab(path: Path) -> Notebook:
    """A lab read with jupytext; each code cell keeps its line numbers in the .py file."""
    import jupytext

    path = Path(path).resolve()
    nb = jupytext.read(path)
    notebook = from_notebook(nb, _rel(path), path)
    lines = path.read_text().splitlines()
    markers = [i for i, line in enumerate(lines) if PERCENT_MARKER.match(line)]
    if len(markers) == len(nb.cells):  # then cell k starts on the line after marker k
        for cell in notebook.cells:
            start = markers[cell.number - 1] + 1
            body = cell.source.splitlines()
            if lines[start : start + len(body)] == body:
                cell.offset, cell.filename = start, str(path)
    notebook.timeout = LAB_TIMEOUT
    return notebook


def chapter_slugs() -> list[str]:
    return generator().chapter_slugs(REPO, DOCS)


def chapter_notebook(slug: str):
    """The nbformat notebook the site offers for docs/<slug>.md."""
    from .site_config import load_config

    return generator().chapter_notebook(slug, REPO, load_config().get("site_url"), DOCS)


def load_chapter(slug: str) -> Notebook:
    return from_notebook(
        chapter_notebook(slug),
        f"notebooks/{slug}.ipynb",
        DOCS / f"{slug}.md",
        note=f" (generated from docs/{slug}.md)",
    )


def run_request(notebook: Notebook) -> tuple:
    """(path, timeout, cells): what SnippetRunner.run and run_ahead take for a notebook."""
    return notebook.path, notebook.timeout, [c.request() for c in notebook.cells]


def run_notebook(runner: SnippetRunner, notebook: Notebook) -> RunResult:
    path, timeout, cells = run_request(notebook)
    return runner.run(path, timeout=timeout, cells=cells)


def _tail(text: str, lines: int = 25) -> str:
    return "\n".join("    " + t for t in text.rstrip().splitlines()[-lines:])


def _hung_cell(notebook: Notebook, result: RunResult) -> str:
    """Which cell (and line) the faulthandler dump shows running when time ran out."""
    for line in result.stderr.splitlines():  # the most recent call comes first
        for cell in notebook.cells:
            marker = f'File "{cell.filename}", line '
            if marker not in line:
                continue
            number = int(line.split(marker, 1)[1].split()[0])
            body = range(cell.offset + 1, cell.offset + len(cell.source.splitlines()) + 1)
            if not cell.offset or number in body:
                return notebook.where(cell, number)
    return notebook.name


def cell_of(notebook: Notebook, frames: list[tuple[str, int]]) -> tuple[Cell, int] | None:
    """The cell (and its line) of the innermost frame that is a cell's code."""
    for file, line in reversed(frames):
        for cell in notebook.cells:
            if file != cell.filename:
                continue
            if not cell.offset or cell.offset < line <= cell.offset + len(cell.source.splitlines()):
                return cell, line
    return None


def notebook_problems(notebook: Notebook, result: RunResult) -> list[str]:
    """Everything wrong with one top-to-bottom run of a notebook.

    Judged as a reader sees the run: the tracebacks printed in stderr (each names the
    cell it came from), and the exit status. The run's report of its cells only adds
    problems (a cell that never ran), it never clears one."""
    problems = [problem for cell in notebook.cells for problem in cell.problems]
    for cell in notebook.cells:
        if cell.tagged_raises != bool(cell.expected_error):
            problems.append(
                f"{notebook.where(cell)}: the tag raises-exception and a "
                "'# expected-error: X' header go together; this cell has only one of them"
            )
    problems += sandbox_problems(notebook.name, result)
    if result.timed_out:
        problems.append(
            f"{_hung_cell(notebook, result)} did not finish: the notebook was stopped after "
            f"{notebook.timeout:g} s\n{_tail(result.stderr)}"
        )
        return problems
    raised: dict[int, list] = {}
    for tb in result.tracebacks:
        found = cell_of(notebook, tb.frames)
        if found is None:
            problems.append(
                f"{notebook.name} raised {tb.text} outside any cell\n{_tail(result.stderr)}"
            )
            continue
        cell, line = found
        raised.setdefault(cell.number, []).append((tb, line))
    unexpected = False
    for cell in notebook.cells:
        errors = raised.get(cell.number, [])
        declared = cell.expected_error if cell.tagged_raises else None
        for tb, line in errors:
            where = notebook.where(cell, line)
            if declared and error_matches(tb.qualified_type, declared) and len(errors) == 1:
                continue
            unexpected = True
            if declared and len(errors) == 1:
                problems.append(
                    f"{where} raised {tb.qualified_type}, but the cell declares "
                    f"'# expected-error: {declared}'\n{_tail(result.stderr)}"
                )
            else:
                problems.append(
                    f"{where} raised {tb.text}{offline_hint(tb.text)}\n{_tail(result.stderr)}"
                )
        if unexpected:
            break  # the cells after it never ran, as "Run all" stops there
        if declared and not errors:
            problems.append(
                f"{notebook.where(cell)} declares '# expected-error: {declared}' but raised nothing"
            )
    if unexpected:
        return problems
    if result.signal is not None or result.exit_code != 0:
        ended = (
            f"was ended by signal {result.signal}"
            if result.signal is not None
            else f"exited with code {result.exit_code}"
        )
        problems.append(f"{notebook.name} {ended}\n{_tail(result.stderr)}")
    elif len(result.cells) < len(notebook.cells):
        stopped = notebook.cells[len(result.cells) - 1] if result.cells else None
        after = f" after {notebook.where(stopped)}" if stopped else ""
        problems.append(
            f"{notebook.name} stopped{after} (sys.exit?): "
            f"{len(notebook.cells) - len(result.cells)} code cells never ran"
        )
    elif not _spans_cover_stdout(result):
        problems.append(
            f"{notebook.name}: what the cells printed cannot be told apart: the spans the "
            "run reports do not follow one another over the whole of its stdout (does a "
            "cell write to file descriptor 1 directly, or change the harness's counters?)"
        )
    return problems


def _spans_cover_stdout(result: RunResult) -> bool:
    """Whether the cells' reported spans of stdout follow one another from its first
    byte to its last. The spans come from the program's own process: a span that skips
    or repeats text could hide a printed line from the comparison with the recorded
    outputs, so anything but an exact tiling is refused."""
    position = 0
    for outcome in result.cells:
        start, end = outcome.get("stdout_start"), outcome.get("stdout_end")
        if not all(isinstance(x, int) and not isinstance(x, bool) for x in (start, end)):
            return False
        if start != position or end < start:
            return False
        position = end
    return position == len(result.stdout.encode())


# -- what cells print and draw -----------------------------------------------------------


@dataclass
class CellOutput:
    """What one code cell printed and drew."""

    cell: Cell
    stdout: str
    figures: list[bytes]


def cell_outputs(notebook: Notebook, result: RunResult) -> list[CellOutput]:
    """Per executed code cell: its slice of the notebook's stdout and its figures."""
    import base64

    printed = result.stdout.encode()
    found = []
    for number, outcome in enumerate(result.cells):
        # The report comes from the program's own process: read it as untrusted data.
        start, end = outcome.get("stdout_start"), outcome.get("stdout_end")
        figures = outcome.get("figures", [])
        if (
            outcome.get("index") != number
            or number >= len(notebook.cells)
            or not all(isinstance(x, int) for x in (start, end))
            or not 0 <= start <= end <= len(printed)
            or not isinstance(figures, list)
            or not all(isinstance(f, str) for f in figures)
        ):
            break
        try:
            pictures = [base64.b64decode(f, validate=True) for f in figures]
        except ValueError:
            break
        cell = notebook.cells[number]
        text = without_library_lines(printed[start:end].decode(errors="replace"))
        found.append(CellOutput(cell, text, pictures))
    return found


def outputs_dir(lab: Path) -> Path:
    """Where a lab's recorded outputs live: docs/labs/<name>.outputs/."""
    return lab.with_suffix(".outputs")


def output_files(outputs: list[CellOutput]) -> dict[str, bytes]:
    """The recorded form: cell-NN.out for printed text, cell-NN-K.png for figures
    (NN: the cell's number among all cells of the lab, prose included)."""
    files = {}
    for out in outputs:
        if out.stdout:
            files[f"cell-{out.cell.number:02d}.out"] = out.stdout.encode()
        for k, png in enumerate(out.figures, start=1):
            files[f"cell-{out.cell.number:02d}-{k}.png"] = png
    return files


def write_lab_outputs(lab: Path, outputs: list[CellOutput]) -> None:
    """Replace the recorded outputs of a lab with what this run produced (a CPU run: the
    GPU's own texts, cell-NN.cuda.out, are the CUDA leg's to write and stay)."""
    folder = outputs_dir(lab)
    for old in cpu_output_files(folder):
        old.unlink()
    folder.mkdir(exist_ok=True)
    for name, data in output_files(outputs).items():
        (folder / name).write_bytes(data)


def cpu_output_files(folder: Path) -> list[Path]:
    """A lab's recorded CPU outputs: every file of its outputs folder but the GPU's texts."""
    if not folder.exists():
        return []
    return [p for p in sorted(folder.iterdir()) if not p.name.endswith(CUDA_SUFFIX)]


CUDA_SUFFIX = ".cuda.out"


def lab_texts(lab: Path) -> list[Path]:
    """What the CUDA leg compares a lab with: its recorded texts, the GPU's own included."""
    folder = outputs_dir(lab)
    return sorted(folder.glob("*.out")) if folder.exists() else []


def cuda_output_path(lab: Path, cell: Cell) -> Path:
    """Where a cell's text as a GPU printed it is kept, when it differs from the CPU's
    beyond the CUDA tolerance: docs/labs/<name>.outputs/cell-NN.cuda.out."""
    return outputs_dir(lab) / f"cell-{cell.number:02d}{CUDA_SUFFIX}"


def figure_problems(notebook: Notebook, outputs: list[CellOutput]) -> list[str]:
    """Every figure a cell draws is described by a `# figure:` line of that cell."""
    problems = []
    for out in outputs:
        drawn, described = len(out.figures), len(out.cell.figures)
        if drawn != described:
            problems.append(
                f"{notebook.where(out.cell)} draws {drawn} figure(s) and describes "
                f"{described}: give each figure, in order, a '# figure: <what it shows>' line "
                "at the top of the cell (its alt text on the page)"
            )
    return problems


def lab_output_problems(lab: Path, notebook: Notebook, outputs: list[CellOutput]) -> list[str]:
    """Compare a CPU run's outputs with the recorded ones, file by file, byte for byte."""
    rewrite = f"python3 -m nox -s outputs -- {_rel(lab)}"
    folder = outputs_dir(lab)
    recorded = {p.name: p.read_bytes() for p in cpu_output_files(folder)}
    produced = output_files(outputs)
    problems = []
    for name in sorted(recorded.keys() | produced.keys()):
        rel = f"{_rel(folder)}/{name}"
        if name not in produced:
            problems.append(f"{rel}: recorded, but this run did not produce it")
        elif name not in recorded:
            problems.append(f"{rel}: produced by this run but not recorded")
        elif recorded[name] != produced[name]:
            if name.endswith(".out"):
                diff = unified(recorded[name].decode(), produced[name].decode(), rel)
                problems.append(f"{rel}: the cell printed something else\n{diff}")
            else:
                problems.append(f"{rel}: the cell drew a different figure")
    if problems:
        problems.append(f"If the new outputs are right, record them with: {rewrite}")
    return problems


def without_error_line(recorded: str, declared: str) -> str:
    """A program's recorded output without the error it ends with: from the last line
    that names the declared class as a traceback prints it ("torch.OutOfMemoryError: ..."
    for torch.OutOfMemoryError, "RuntimeError: ..." for a built-in)."""
    import re

    name = re.escape(declared.rsplit(".", 1)[-1])
    starts = [m.start() for m in re.finditer(rf"(?m)^(?:[\w.]+\.)?{name}(?::|$)", recorded)]
    return recorded[: starts[-1]] if starts else recorded


def chapter_output_problems(
    notebook: Notebook, outputs: list[CellOutput], release: str | None = None
) -> list[str]:
    """Each code cell of a chapter notebook prints what its program's .out records (on
    another torch release, its own `.torch-<release>.out` where one is recorded)."""
    from . import safe_files

    problems = []
    for out in outputs:
        if not out.cell.program:
            continue
        program = REPO / out.cell.program
        own = program.with_suffix(f".torch-{release}.out") if release else None
        recorded = safe_files.read_text(
            own if own and own.exists() else program.with_suffix(".out")
        )
        if out.cell.expected_error:  # the .out ends with the error line the page shows
            recorded = without_error_line(recorded, out.cell.expected_error)
        if mask_varying(out.stdout, out.cell.varies) != mask_varying(recorded, out.cell.varies):
            problems.append(
                f"{notebook.where(out.cell)} printed something other than "
                f"{out.cell.program.removesuffix('.py')}.out\n"
                + unified(recorded, out.stdout, out.cell.program.removesuffix(".py") + ".out")
            )
    return problems


def lab_text_problems_on_cuda(lab: Path, notebook: Notebook, outputs: list[CellOutput]) -> list:
    """On the CUDA leg: each cell prints its own recorded GPU text (cell-NN.cuda.out)
    where it has one, else the CPU's, device marks removed and numbers close."""
    from .compare import normalise_device, numbers_close

    folder = outputs_dir(lab)
    problems = []
    for out in outputs:
        own = cuda_output_path(lab, out.cell)
        if own.exists():
            recorded = own.read_text()
            if mask_varying(out.stdout, out.cell.varies) != mask_varying(recorded, out.cell.varies):
                problems.append(
                    f"{notebook.where(out.cell)}: on CUDA the output differs from "
                    f"{_rel(own)}\n" + unified(recorded, out.stdout, _rel(own))
                )
            continue
        recorded = folder / f"cell-{out.cell.number:02d}.out"
        expected = recorded.read_text() if recorded.exists() else ""
        reason = numbers_close(normalise_device(expected), normalise_device(out.stdout))
        if reason is not None:
            problems.append(f"{notebook.where(out.cell)}: on CUDA the output differs ({reason})")
    return problems


def cells_off_on_cuda(lab: Path, outputs: list[CellOutput]) -> list[CellOutput]:
    """The cells whose GPU text is outside the tolerance of the CPU's and has no
    cell-NN.cuda.out yet, or differs from the one it has."""
    from .compare import normalise_device, numbers_close

    found = []
    for out in outputs:
        own = cuda_output_path(lab, out.cell)
        if own.exists():
            if mask_varying(own.read_text(), out.cell.varies) != mask_varying(
                out.stdout, out.cell.varies
            ):
                found.append(out)
            continue
        cpu = outputs_dir(lab) / f"cell-{out.cell.number:02d}.out"
        expected = cpu.read_text() if cpu.exists() else ""
        if numbers_close(normalise_device(expected), normalise_device(out.stdout)) is not None:
            found.append(out)
    return found


def write_lab_cuda_outputs(lab: Path, first: list[CellOutput], second: list[CellOutput]) -> list:
    """Record cell-NN.cuda.out for the cells off on CUDA, when two runs printed the same
    for each of them; else record nothing and say which cell moved."""
    again = {out.cell.number: out.stdout for out in second}
    off = cells_off_on_cuda(lab, first)
    moved = [out for out in off if again.get(out.cell.number) != out.stdout]
    if moved:
        return [
            f"{_rel(lab)}, cell {out.cell.number}: printed something else in a second run on "
            "the GPU; nothing was recorded"
            for out in moved
        ]
    for out in off:
        cuda_output_path(lab, out.cell).write_text(out.stdout)
    return []
