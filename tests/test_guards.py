"""Guards that keep the suite from passing while checking nothing."""

from __future__ import annotations

import re

import pytest

from book import first_use, quoted_numbers, safe_files, syntax
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
def test_nothing_on_the_page_passes_for_what_it_is_not(page):
    """A hand-written include, a line that looks like a program line, a fence title that
    looks like a program's, Python in a block that never runs: each names page and line."""
    problems = syntax.lookalike_problems(safe_files.read_text(page), str(page.relative_to(REPO)))
    assert not problems, "\n".join(problems)


def test_the_book_holds_only_regular_files():
    """No link and nothing but regular files under docs/, snippets/, verification/,
    overrides/ (and mkdocs.yml): the harness and the build read only those."""
    problems = safe_files.tree_problems()
    assert not problems, "\n".join(problems)


def test_no_program_or_output_holds_an_include():
    """pymdownx.snippets expands an include line inside an included file: a program or
    output holding one would put the file it names on the page."""
    problems = []
    for snippet in find_snippets():
        for path in [snippet.path, *snippet.output_paths()]:
            rel = path.relative_to(REPO)
            text = safe_files.read_text(path)
            problems += [f"{rel}:{i.line}: includes {i.target!r}" for i in syntax.includes(text)]
    assert not problems, "\n".join(problems)


LOOKALIKES = """# A page

```text
import torch
torch.save(model, "model.pt")
```

```pycon
>>> import torch
```

```python title="snippеts/tensors/creating.py"
print("not the program")
```

```python
--8<-- "./snippets/tensors/creating.py"
```

--8<-- "snippets//tensors/creating.py"

--8<-- 'README.md'

<<< ./snippets/tensors/creating.py

<<<snippets/tensors/creating.py

<<< snippets/tеnsors/creating.py
"""


def test_each_lookalike_is_caught_with_page_and_line():
    """As a pull request could try: Python in blocks that never run, a title with a
    Cyrillic letter, includes written as ./snippets/, snippets// or of another file, and
    program lines that are not quite program lines. Each fails, naming page and line."""
    page = "docs/lookalikes.md"
    problems = syntax.lookalike_problems(LOOKALIKES, page)
    where = [p.split(": ", 1)[0] for p in problems]
    assert where == [f"{page}:{line}" for line in (24, 26, 28, 17, 20, 22, 3, 8, 12, 12)], (
        "\n".join(problems)
    )
    by_line = dict(zip(where, problems, strict=False))
    assert "must name a program as snippets/<chapter>/<name>.py" in by_line[f"{page}:24"]
    assert "looks like a program line but is not one" in by_line[f"{page}:26"]
    assert "U+0435 CYRILLIC SMALL LETTER IE" in by_line[f"{page}:28"]
    assert (
        "a program is shown with one line, '<<< snippets/tensors/creating.py'"
        in (by_line[f"{page}:17"])
    )
    assert "raw include of 'snippets//tensors/creating.py'" in by_line[f"{page}:20"]
    assert "hand-written include of 'README.md'; pages include no files" in by_line[f"{page}:22"]
    assert "a ```text block holds Python (line 4: 'import torch')" in by_line[f"{page}:3"]
    assert "a ```pycon block holds Python (line 9: '>>> import torch')" in by_line[f"{page}:8"]
    cyrillic = [p for p in problems if p.startswith(f"{page}:12")]
    assert "is not ASCII (it holds 'е', U+0435 CYRILLIC SMALL LETTER IE)" in cyrillic[0]
    assert "a hand-written block titled 'snippеts/tensors/creating.py'" in cyrillic[1]


def test_every_python_fence_form_that_never_runs_is_caught():
    """In the fixture with every Python fence form, the console session (never run) holds
    Python, and a block is titled with a file name, as only the build's blocks are."""
    page = REPO / "tests" / "fixtures" / "pages" / "fences.md"
    problems = syntax.lookalike_problems(safe_files.read_text(page), "fences.md")
    assert [p.split(": ", 1)[0] for p in problems] == ["fences.md:21", "fences.md:26"], problems


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
    text = safe_files.read_text(page)
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


def test_a_stale_number_in_scientific_notation_is_caught():
    """Small and large results are printed as 4.3e+09; a page quoting another run's
    2.2e+12 fails, and a rounding of the printed mantissa (4.3e+09 for 4.34e+09) passes."""
    page = REPO / "docs" / "recurrent-networks.md"
    planted = (
        "<<< snippets/recurrent-networks/vanishing_gradients.py\n\n"
        "It explodes, to 4.3e+09 at 99 steps back.\n"
        "It explodes, to 2.2e+12 at 99 steps back.\n"
        "Hidden in code, to `2.2e+12`.\n"
    )
    assert quoted_numbers.page_problems(page, planted) == [
        f"docs/recurrent-networks.md:{line}: 2.2e+12 is quoted in the prose but printed by none "
        "of the page's programs; quote the output as it is now (or write a formula as inline code)"
        for line in (4, 5)
    ]
    assert "4.3e+09" in quoted_numbers.known_numbers(["4.34e+09"])


def test_a_number_only_the_gpu_printed_is_quoted_as_the_gpus():
    """weight_decay_seeds prints 11.82 on the CPU and 11.69 on the GPU: 11.69 passes in
    a paragraph that names the GPU and fails, named, in one that reads as the CPU's."""
    page = REPO / "docs" / "regularisation.md"
    planted = (
        "<<< snippets/regularisation/weight_decay_seeds.py\n\n"
        "The norm stays between 11.82 and 12.89.\n\n"
        "On the GPU it stays between 11.69 and 12.89.\n\n"
        "The norm stays between 11.69 and 12.89.\n"
    )
    assert quoted_numbers.page_problems(page, planted) == [
        "docs/regularisation.md:7: 11.69 is printed only by a GPU (a .cuda.out), and its "
        "paragraph does not say so: quote the CPU output, or name the GPU"
    ]


STALE_LAB = """# %% [markdown]
# With a learning rate of 0.05 the loss falls to 0.0079.
# Last year it fell to 0.0080.

# %%
# figure: The loss per step. It ends at 0.0079; a stale description
#   still says 0.0081.
learning_rate = 0.05
print("final loss 0.0079")
"""


def test_a_stale_number_in_a_lab_is_caught_in_prose_and_figure_descriptions(tmp_path):
    """A lab's prose and its figure descriptions (the alt text) quote what its code
    holds or its cells printed; a number written only in the lab's own prose or
    descriptions is no source for itself."""
    lab = tmp_path / "demo.py"
    lab.write_text(STALE_LAB)
    (tmp_path / "demo.outputs").mkdir()
    (tmp_path / "demo.outputs" / "cell-02.out").write_text("final loss 0.0079\n")
    assert quoted_numbers.lab_problems(lab, outputs_dir(lab)) == [
        f"{lab}:{line}: {number} is quoted in the prose but printed by none of the page's "
        "programs; quote the output as it is now (or write a formula as inline code)"
        for line, number in ((3, "0.0080"), (7, "0.0081"))
    ]


GPU_LAB = """# %% [markdown]
# The loss falls to 0.0079.
#
# On the GPU it falls to 0.0081.
#
# It falls to 0.0081.

# %%
print("final loss 0.0079")
"""


def test_a_lab_quotes_a_number_only_the_gpu_printed_as_the_gpus(tmp_path):
    """A lab cell's GPU text (cell-NN.cuda.out) is a source only for a paragraph that
    names the GPU, as on a chapter page."""
    lab = tmp_path / "demo.py"
    lab.write_text(GPU_LAB)
    (tmp_path / "demo.outputs").mkdir()
    (tmp_path / "demo.outputs" / "cell-02.out").write_text("final loss 0.0079\n")
    (tmp_path / "demo.outputs" / "cell-02.cuda.out").write_text("final loss 0.0081\n")
    assert quoted_numbers.lab_problems(lab, outputs_dir(lab)) == [
        f"{lab}:6: 0.0081 is printed only by a GPU (a .cuda.out), and its paragraph does "
        "not say so: quote the CPU output, or name the GPU"
    ]


def test_no_program_calls_an_api_before_its_chapter_teaches_it():
    table = first_use.read_table(safe_files.read_text(first_use.TABLE_PAGE))
    assert sum(map(len, table.values())) > 30, "the first-use table is missing or nearly empty"
    found = first_use.forward_references(table, first_use.chapter_order())
    assert not found, "\n".join(r.message() for r in found)


def test_a_forward_reference_is_caught_with_program_and_line(tmp_path):
    """A Tensors program that calls optimizer.zero_grad() (taught in Optimizers),
    .backward() on a call's result (taught in Autograd) and optimizer.step() inside an
    f-string fails; what Tensors teaches and names in comments or strings do not."""
    (tmp_path / "tensors").mkdir()
    (tmp_path / "tensors" / "early.py").write_text(
        "import torch\n"
        "x = torch.ones(3).unsqueeze(0)  # fine: taught here; .zero_grad() in a comment\n"
        "optimizer.zero_grad()\n"
        "(x * 2).sum().backward()\n"
        'print("x.backward() in a string")\n'
        'print(f"{x.sum().item():.1f} {optimizer.step()}")\n'
    )
    table = first_use.read_table(safe_files.read_text(first_use.TABLE_PAGE))
    found = first_use.forward_references(table, first_use.chapter_order(), snippets=tmp_path)
    assert [r.message().split(": ", 1)[1] for r in found] == [
        "calls optimizer.zero_grad (.zero_grad) before docs/optimizers.md teaches it",
        "calls (...).backward (.backward) before docs/autograd.md teaches it",
        "calls optimizer.step (.step) before docs/optimizers.md teaches it",
    ]
    # Line 6's call sits inside an f-string, which Python 3.11 reads as one token: the
    # check must find it on every Python of the matrix alike.
    assert [r.line for r in found] == [3, 4, 6]


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
