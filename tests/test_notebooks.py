"""Every lab and every chapter notebook runs top to bottom, as "Run all" would run it.

The cells run in one forked child of the snippet fork server (no Jupyter kernel),
on the leg the suite runs on: hidden GPU on the CPU leg, visible GPU on the CUDA leg.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from book.catalog import REPO, picks_a_device
from book.notebooks import (
    cell_outputs,
    cells_off_on_cuda,
    chapter_notebook,
    chapter_output_problems,
    chapter_slugs,
    cpu_output_files,
    figure_problems,
    find_labs,
    generator,
    lab_output_problems,
    lab_text_problems_on_cuda,
    lab_texts,
    load_chapter,
    load_lab,
    notebook_problems,
    output_files,
    outputs_dir,
    run_notebook,
    write_lab_cuda_outputs,
    write_lab_outputs,
)
from book.records import shown_output_path
from book.syntax import parse_directives, program_lines
from book.upstream import CRASHES_OF, known_crash

LABS = find_labs()
CHAPTERS = chapter_slugs()


def test_there_are_labs_and_chapter_notebooks():
    assert len(LABS) >= 3, f"expected at least 3 labs in docs/labs/, found {len(LABS)}"
    assert CHAPTERS, "no chapter page found for any snippets/<slug>/ folder"


@pytest.mark.parametrize("lab", LABS, ids=lambda p: p.name)
def test_lab_runs_top_to_bottom_and_shows_its_recorded_outputs(
    lab, runner, leg, release, request, record_notebook
):
    """A lab runs in the sandbox like a program; what each cell prints and draws is
    recorded in docs/labs/<name>.outputs/ (nox -s outputs writes it), compared byte for
    byte on the CPU leg, and what the site shows: the build executes nothing. On the
    CUDA leg the printed text is compared within the CUDA tolerance, or with the cell's
    own GPU text (cell-NN.cuda.out, which --update-outputs writes there) where the GPU's
    numbers fall outside it; the figures are not compared (a GPU sums in another order,
    so pixels of a curve may move)."""
    notebook = load_lab(lab)
    assert notebook.cells, f"{notebook.name} has no code cell"
    result = run_notebook(runner, notebook)
    outputs = cell_outputs(notebook, result)
    problems = notebook_problems(notebook, result) + figure_problems(notebook, outputs)
    updating = request.config.getoption("--update-outputs")
    if not problems and updating and leg == "cpu" and release is None:
        again = cell_outputs(notebook, run_notebook(request.getfixturevalue("rerunner"), notebook))
        if output_files(again) != output_files(outputs):
            problems.append(
                f"{notebook.name} printed or drew something else in a second run "
                "(another hash seed, fresh random state); nothing was recorded"
            )
        else:
            write_lab_outputs(lab, outputs)
            return
    elif not problems and leg == "cpu":
        problems = lab_output_problems(lab, notebook, outputs)
    elif not problems and updating and cells_off_on_cuda(lab, outputs):
        # The GPU prints some cells differently: record its own text for those cells
        # (cell-NN.cuda.out), as a program's .cuda.out, when a second run agrees.
        again = cell_outputs(notebook, run_notebook(request.getfixturevalue("rerunner"), notebook))
        problems = write_lab_cuda_outputs(lab, outputs, again)
    elif not problems:
        problems = lab_text_problems_on_cuda(lab, notebook, outputs)
    compared = cpu_output_files(outputs_dir(lab)) if leg == "cpu" else lab_texts(lab)
    record_notebook(lab, [lab], compared, passed=not problems)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("slug", CHAPTERS)
def test_chapter_notebook_runs_top_to_bottom(slug, runner, leg, release, record_notebook):
    notebook = load_chapter(slug)
    result = run_notebook(runner, notebook)
    problems = notebook_problems(notebook, result)
    if not problems and leg == "cpu":  # each cell prints its program's recorded output
        problems = chapter_output_problems(notebook, cell_outputs(notebook, result), release)
    if leg == "cuda" and not problems:
        # A launched program uses the GPU in its own processes, which report nothing here.
        if any(picks_a_device(c.source) for c in notebook.cells if not c.outside):
            if result.cuda_max_allocated == 0:
                problems.append(
                    f"{notebook.name} picks its device with torch.accelerator but allocated "
                    "no GPU memory on the CUDA leg"
                )
    programs = [REPO / c.program for c in notebook.cells if c.program]
    shown = [shown_output_path(p, leg, release) for p in programs]
    record_notebook(REPO / "docs" / f"{slug}.md", [REPO / "docs" / f"{slug}.md", *programs],
                    shown, passed=not problems)  # fmt: skip
    prone = sorted({c.program for c in notebook.cells if c.program in CRASHES_OF})
    crash = known_crash(prone, result.stderr)
    names = [Path(program).name for program in prone]
    # Only when every problem names one of those programs (the cell that launched it, and
    # torchrun's report "<name> FAILED"), and every cell that ran before it printed its
    # recorded output: "Run all" stops at the abort, so later cells are not checked here.
    if problems and crash and all(any(n in e for n in names) for e in problems):
        ran = [o for o in cell_outputs(notebook, result) if o.cell.program not in CRASHES_OF]
        earlier = chapter_output_problems(notebook, ran, release) if leg == "cpu" else []
        if not earlier:
            pytest.xfail(f"{notebook.name}: {crash.reason}")
        problems += earlier
    assert not problems, "\n".join(problems)


def launches(program: str) -> bool:
    """Whether the program is started by torch's launcher (`# launch:`)."""
    return parse_directives((REPO / program).read_text(), program).launch is not None


@pytest.mark.parametrize("slug", CHAPTERS)
def test_chapter_notebook_holds_every_program_of_its_page(slug):
    """One code cell per whole program the page includes, in page order, each in full."""
    nb = chapter_notebook(slug)
    page = REPO / "docs" / f"{slug}.md"
    shown = [p.path for p in program_lines(page.read_text(), page.name) if p.whole]
    cells = [c for c in nb.cells if c.cell_type == "code"]
    code = [c for c in cells if "program" in c.metadata.get("book", {})]
    assert [c.metadata["book"]["program"] for c in code] == shown
    # A launched program is saved by its cell (%%writefile) and started by the next one.
    book = [c.metadata.get("book", {}) for c in cells]
    launched = [meta["launches"] for meta in book if "launches" in meta]
    for cell, meta, after in zip(cells, book, [*book[1:], {}], strict=True):
        program = meta.get("program")
        if program is not None and launches(program):
            assert after.get("launches") == program
            assert cell.source.startswith(f"%%writefile {Path(program).name}\n")
    assert sorted(launched) == sorted(p for p in shown if launches(p))
    for cell in code:
        program = cell.metadata["book"]["program"]
        text = (REPO / program).read_text()
        saved = cell.source.startswith("%%writefile")
        body = cell.source.split("\n", 1)[1] if saved else cell.source
        assert all(line in text for line in body.splitlines()), program
        tagged = "raises-exception" in cell.metadata.get("tags", [])
        assert tagged == (generator().expected_error(text) is not None), program
    assert not any("--8<--" in c.source for c in nb.cells), "an include line was left as text"
