"""Guards that keep the suite from passing while checking nothing."""

from __future__ import annotations

import re

import pytest
from pytest_codeblocks.main import extract_from_file

from harness.catalog import DOCS, INCLUDE, REPO, SNIPPETS, find_snippets, page_includes
from harness.site_config import nav_pages

PAGES = sorted(DOCS.rglob("*.md")) + [REPO / "README.md"]
FENCE = re.compile(r"^(?P<indent>\s*)(?P<ticks>`{3,})(?P<info>.*)$")


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
        program = out.with_name(out.name.removesuffix(".out").removesuffix(".cuda") + ".py")
        if not program.exists():
            lonely.append(str(out.relative_to(REPO)))
    assert not lonely, f"output files without a program (delete them): {lonely}"


def test_every_include_resolves():
    missing = [
        f"{i.where()}: {i.target}" for i in page_includes() if not (REPO / i.target).exists()
    ]
    assert not missing, "includes of files that do not exist:\n" + "\n".join(missing)


def python_fences(page):
    """(line, info, body) for every Python fence of a page."""
    lines = page.read_text().splitlines()
    fences, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if m and m["info"].strip():
            ticks, start, body = m["ticks"], i + 1, []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(ticks):
                body.append(lines[i])
                i += 1
            info = m["info"].strip()
            if info.split()[0].lower() in {"python", "py", "python3", "pycon"}:
                fences.append((start, info, body))
        i += 1
    return fences


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(REPO)) for p in PAGES])
def test_python_fences_are_includes_or_run(page):
    """A Python block is either a snippet include or run by pytest-codeblocks, never neither."""
    collected = {
        b.lineno: b for b in extract_from_file(page) if b.syntax == "python" and not b.marks
    }
    problems = []
    for line, info, body in python_fences(page):
        code = [b for b in body if b.strip()]
        if code and all(INCLUDE.match(b) for b in code):
            if "title=" not in info:
                problems.append(f"{page.relative_to(REPO)}:{line}: include fence needs a title=")
            continue
        if line not in collected:
            problems.append(
                f"{page.relative_to(REPO)}:{line}: Python block ({info!r}) is neither a snippet "
                "include nor run by pytest-codeblocks; move it into snippets/ or make it "
                "a plain ```python block without skip markers"
            )
    assert not problems, "\n".join(problems)


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
    programs = {i.target for i in page_includes() if i.page == page and i.target.endswith(".py")}
    assert len(programs) >= 3, f"{rel}: {len(programs)} programs, at least 3 expected"
    assert re.search(r"^## Common mistake", text, re.M), f"{rel}: no 'Common mistake' section"
    assert re.search(r"^## Exercise", text, re.M), f"{rel}: no exercise"
    solution = re.search(r'^\?\?\? success "Solution"\n\n(    .*\n|\n)+', text, re.M)
    assert solution and "exercise_solution.py" in solution.group(0), (
        f"{rel}: the exercise solution must be included inside a collapsed "
        '??? success "Solution" block'
    )
    for program in programs:
        out = (REPO / program).with_suffix(".out")
        assert f'--8<-- "{out.relative_to(REPO)}"' in text, (
            f"{rel}: {program}'s output is not shown"
        )
