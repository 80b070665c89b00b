"""Guards that keep the suite from passing while checking nothing."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_codeblocks.main import extract_from_file

from book import first_use, quoted_numbers, syntax
from book.catalog import DOCS, REPO, SNIPPETS, find_snippets, page_programs, pages
from book.notebooks import find_labs, outputs_dir
from book.site_config import nav_pages

PAGES = pages()


def test_snippets_are_collected():
    assert len(find_snippets()) > 0, (
        "no program found under snippets/: the suite would check nothing"
    )


def test_every_snippet_is_shown_on_a_page():
    orphans = [s.rel for s in find_snippets() if not s.chapters]
    assert not orphans, f"programs included by no page under docs/: {orphans}"


def test_every_output_file_has_its_program():
    lonely = []
    for out in sorted(SNIPPETS.rglob("*.out")):
        stem = re.sub(r"\.(cuda|torch-\d+\.\d+)$", "", out.name.removesuffix(".out"))
        program = out.with_name(stem + ".py")
        if not program.exists():
            lonely.append(str(out.relative_to(REPO)))
    assert not lonely, f"output files without a program (delete them): {lonely}"


def test_every_program_line_names_a_program():
    missing = [f"{p.where()}: {p.path}" for p in page_programs() if not (REPO / p.path).exists()]
    assert not missing, "program lines naming files that do not exist:\n" + "\n".join(missing)


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(REPO)) for p in PAGES])
def test_programs_are_shown_only_by_program_lines(page):
    """A hand-written include of a program or output would let a title name another file."""
    problems = syntax.raw_program_includes(page.read_text(), str(page.relative_to(REPO)))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(REPO)) for p in PAGES])
def test_python_fences_are_run(page):
    """Every block the renderer highlights as Python is run by pytest-codeblocks: programs
    are named by program lines, so a Python fence in a page is an inline example, and an
    example that is skipped (or not collected) is one nobody checked."""
    problems = python_fence_problems(page)
    assert not problems, "\n".join(problems)


def python_fence_problems(page: Path) -> list[str]:
    text = page.read_text()
    rel = page.relative_to(REPO) if page.is_relative_to(REPO) else page
    run = {b.lineno for b in extract_from_file(page) if b.syntax == "python" and not b.marks}
    marks = syntax.codeblocks_marks(text)
    problems = []
    for fence in syntax.fences(text):
        if not fence.is_python:
            continue
        if fence.line in marks:
            problems.append(
                f"{rel}:{fence.line}: Python block ({fence.info!r}) is marked "
                f"{marks[fence.line]}, so it never runs; make it a program "
                "under snippets/ shown with '<<< path', or let it run"
            )
        elif fence.line not in run:
            problems.append(
                f"{rel}:{fence.line}: Python block ({fence.info!r}) is not run by "
                "pytest-codeblocks (only ```python blocks are); write it as ```python, or "
                "make it a program under snippets/ shown with '<<< path'"
            )
    return problems


def test_every_page_is_in_the_nav():
    in_nav = set(nav_pages())
    on_disk = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")}
    # Labs are pages too: jupytext .py notebooks rendered by mkdocs-jupyter.
    on_disk |= {str(p.relative_to(DOCS)) for p in (DOCS / "labs").glob("*.py")}
    assert on_disk - in_nav == set(), (
        f"pages missing from mkdocs.yml nav: {sorted(on_disk - in_nav)}"
    )
    assert in_nav - on_disk == set(), f"nav entries without a page: {sorted(in_nav - on_disk)}"


def chapter_pages():
    return [DOCS / f"{d.name}.md" for d in sorted(SNIPPETS.iterdir()) if d.is_dir()]


@pytest.mark.parametrize("page", chapter_pages(), ids=lambda p: p.stem)
def test_chapter_has_the_standard_parts(page):
    """Every chapter has goals, 3+ programs, a verified mistake and a hidden solution."""
    assert page.exists(), f"snippets/{page.stem}/ has no page docs/{page.name}"
    text = page.read_text()
    rel = page.relative_to(REPO)
    assert '!!! abstract "What you will learn"' in text, f"{rel}: no learning goals"
    shown = syntax.program_lines(text, str(rel))
    programs = {p.path for p in shown if p.whole}
    assert len(programs) >= 3, f"{rel}: {len(programs)} programs, at least 3 expected"
    assert re.search(r"^## Common mistake", text, re.M), f"{rel}: no 'Common mistake' section"
    assert re.search(r"^## Exercise", text, re.M), f"{rel}: no exercise"
    solution = re.search(r'^\?\?\? success "Solution"\n\n(    .*\n|\n)+', text, re.M)
    shown = solution.group(0) if solution else ""
    assert "<<< " in shown and "exercise_solution.py" in shown, (
        f"{rel}: the exercise solution must be included inside a collapsed "
        '??? success "Solution" block'
    )
    for program in programs:
        assert (REPO / program).with_suffix(".out").is_file(), f"{rel}: {program} has no output"


def test_every_python_fence_form_is_known():
    """Each form the renderer highlights as Python is found; only the plain ```python block
    that pytest-codeblocks runs passes, and a skipped block counts as not run."""
    page = REPO / "tests" / "fixtures" / "pages" / "fences.md"
    problems = python_fence_problems(page)
    flagged = sorted(int(p.split(":")[1]) for p in problems)
    assert flagged == [9, 13, 17, 21, 26, 31], problems
    assert "is marked pytest.mark.skip, so it never runs" in problems[-1]
    assert all(p.startswith("tests/fixtures/pages/fences.md:") for p in problems)


def test_a_plain_python_block_does_not_break_the_program_tests():
    """pytest-codeblocks items have no `originalname`; collected beside the program tests
    (as docs/ is in the test command) they once made every program test error."""
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--codeblocks",
         "tests/fixtures/pages/fences.md", "tests/test_snippets.py", "-k", "creating or fences"],
        cwd=REPO, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:]
    assert "2 passed, 1 skipped" in done.stdout, done.stdout[-3000:]


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(REPO)) for p in PAGES])
def test_numbers_quoted_in_prose_come_from_the_outputs(page):
    problems = quoted_numbers.page_problems(page)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lab", find_labs(), ids=lambda p: p.name)
def test_numbers_quoted_in_labs_come_from_their_outputs(lab):
    problems = quoted_numbers.lab_problems(lab, outputs_dir(lab))
    assert not problems, "\n".join(problems)


def test_a_stale_number_in_prose_is_caught_with_page_and_line():
    """The training-loop page quotes 0.0079, the final loss its program prints. A page
    still quoting last version's 0.0080 fails, naming the page and line; roundings of
    printed numbers (0.70 for 0.7005) and formulas in inline code pass."""
    page = REPO / "docs" / "training-loop.md"
    planted = (
        "<<< snippets/training-loop/mistake_no_zero_grad.py\n\n"
        "The correct run falls to 0.0079; the broken one swings (0.70, 1.73, 2.22).\n"
        "Its loss is `0.3 ** 2 = 0.09`, as in torch 2.13.\n"
        "Last year it fell to 0.0080.\n"
        "Hidden in code, it fell to `0.0081`.\n"
    )
    assert quoted_numbers.page_problems(page, planted) == [
        f"docs/training-loop.md:{line}: {number} is quoted in the prose but printed by none of "
        "the page's programs; quote the output as it is now (or write a formula as inline code)"
        for line, number in ((5, "0.0080"), (6, "0.0081"))
    ]


def test_no_program_calls_an_api_before_its_chapter_teaches_it():
    table = first_use.read_table(first_use.TABLE_PAGE.read_text())
    assert sum(map(len, table.values())) > 30, "the first-use table is missing or nearly empty"
    found = first_use.forward_references(table, first_use.chapter_order())
    assert not found, "\n".join(r.message() for r in found)


def test_a_forward_reference_is_caught_with_program_and_line(tmp_path):
    """A Tensors program that calls optimizer.zero_grad() (taught in Optimizers) and
    .backward() on a call's result (taught in Autograd) fails; what Tensors teaches
    and names in comments or strings do not."""
    (tmp_path / "tensors").mkdir()
    (tmp_path / "tensors" / "early.py").write_text(
        "import torch\n"
        "x = torch.ones(3).unsqueeze(0)  # fine: taught here; .zero_grad() in a comment\n"
        "optimizer.zero_grad()\n"
        "(x * 2).sum().backward()\n"
        'print("x.backward() in a string")\n'
    )
    table = first_use.read_table(first_use.TABLE_PAGE.read_text())
    found = first_use.forward_references(table, first_use.chapter_order(), snippets=tmp_path)
    assert [r.message().split(": ", 1)[1] for r in found] == [
        "calls optimizer.zero_grad (.zero_grad) before docs/optimizers.md teaches it",
        "calls (...).backward (.backward) before docs/autograd.md teaches it",
    ]
    assert [r.line for r in found] == [3, 4]


@pytest.mark.parametrize("lab", find_labs(), ids=lambda p: p.name)
def test_every_lab_has_an_exercise_with_a_verified_solution(lab):
    """An '## Exercise' prose cell and at least one code cell tagged solution (which
    the tests run and record like every other cell; the page shows it collapsed)."""
    import jupytext

    nb = jupytext.read(lab)
    assert any(
        c.cell_type == "markdown" and re.search(r"^## Exercise", c.source, re.M) for c in nb.cells
    ), f"{lab.relative_to(REPO)}: no '## Exercise' section"
    solutions = [
        c for c in nb.cells if c.cell_type == "code" and "solution" in c.metadata.get("tags", [])
    ]
    assert solutions, f"{lab.relative_to(REPO)}: no code cell tagged solution"
