"""The notebook runner catches what it promises to catch, and the generator builds what it should.

The fixtures live in tests/fixtures/bad_notebooks/, outside docs/, so they never
reach the site.
"""

from __future__ import annotations

from pathlib import Path

from book.notebooks import (
    cell_outputs,
    figure_problems,
    generator,
    load_ipynb,
    load_lab,
    notebook_problems,
    run_notebook,
)

FIXTURES = Path(__file__).parent / "fixtures" / "bad_notebooks"


def run_fixture(runner, name: str):
    load = load_lab if name.endswith(".py") else load_ipynb
    notebook = load(FIXTURES / name)
    result = run_notebook(runner, notebook)
    return notebook, result, notebook_problems(notebook, result)


def test_raising_cell_names_notebook_cell_and_first_line(runner):
    _, result, problems = run_fixture(runner, "raises.ipynb")
    [problem] = problems
    assert problem.startswith(
        "tests/fixtures/bad_notebooks/raises.ipynb, cell 3 "
        "(first line: 'weights = torch.ones(3, 2)'), line 3 of the cell raised RuntimeError"
    ), problem
    assert "mat1 and mat2 shapes cannot be multiplied" in problem
    assert result.stdout == "before the mistake\n"  # cells before it ran, none after it
    assert len(result.cells) == 2


def test_raising_lab_cell_names_the_line_of_the_lab_file(runner):
    _, _, [problem] = run_fixture(runner, "raising_lab.py")
    assert problem.startswith(
        "tests/fixtures/bad_notebooks/raising_lab.py, cell 3 (first line: "
        "'weights = torch.ones(3, 2)'), at tests/fixtures/bad_notebooks/raising_lab.py:13 "
        "raised RuntimeError"
    ), problem


def test_declared_error_passes_and_the_next_cell_shares_the_namespace(runner):
    _, result, problems = run_fixture(runner, "declared_error.ipynb")
    assert problems == []
    assert result.stdout == "after the declared error, count = 1\n"
    # Read from stderr, as a reader sees it under the cell: one traceback, from cell 2.
    [raised] = result.tracebacks
    assert raised.qualified_type == "builtins.ZeroDivisionError"
    assert raised.frames[-1] == ("<tests/fixtures/bad_notebooks/declared_error.ipynb cell 2>", 2)
    assert len(result.cells) == 3


def test_a_raises_exception_cell_must_raise_the_declared_exception(runner):
    _, _, [problem] = run_fixture(runner, "wrong_error.ipynb")
    assert problem.startswith("tests/fixtures/bad_notebooks/wrong_error.ipynb, cell 2 ")
    assert (
        "raised builtins.RuntimeError, but the cell declares '# expected-error: TypeError'"
        in problem
    )


def test_a_hanging_cell_is_stopped_by_its_own_time_limit(runner):
    _, result, [problem] = run_fixture(runner, "hanging_lab.py")
    assert problem.startswith(
        "tests/fixtures/bad_notebooks/hanging_lab.py, cell 3 (first line: '# timeout: 1'), "
        "at tests/fixtures/bad_notebooks/hanging_lab.py:11 raised "
        "CellTimeout: the cell ran longer than its 1 s"
    ), problem
    assert result.stdout == "first cell\n"


def test_a_figure_without_a_description_fails(runner):
    notebook, result, problems = run_fixture(runner, "undescribed_figure.py")
    assert problems == []
    [problem] = figure_problems(notebook, cell_outputs(notebook, result))
    assert (
        "cell 2 (first line: 'import matplotlib.pyplot as plt') draws 1 figure(s) and " in problem
    )
    assert "describes 0: give each figure, in order, a '# figure: <what it shows>' line" in problem


def test_a_raises_exception_cell_that_raises_nothing_fails(runner):
    _, _, [problem] = run_fixture(runner, "no_error.ipynb")
    assert problem == (
        "tests/fixtures/bad_notebooks/no_error.ipynb, cell 1 (first line: "
        "'# expected-error: ValueError') declares '# expected-error: ValueError' "
        "but raised nothing"
    )


PAGE = """---
description: front matter is dropped
---

# A chapter

!!! abstract "What you will learn"

    - One thing.

See [Tensors](tensors.md#creating-tensors) and [the home page](index.md).

<<< snippets/demo/program.py

<<< snippets/demo/program.py#part

## Exercise

??? success "Solution"

    <<< snippets/demo/mistake.py

    Why it works.
"""


def test_a_page_becomes_markdown_and_code_cells(tmp_path):
    (tmp_path / "snippets" / "demo").mkdir(parents=True)
    (tmp_path / "snippets" / "demo" / "program.py").write_text(
        "import torch\n\n# --8<-- [start:part]\nx = torch.ones(2)\n# --8<-- [end:part]\nprint(x)\n"
    )
    (tmp_path / "snippets" / "demo" / "mistake.py").write_text(
        "# expected-error: RuntimeError\nimport torch\n\ntorch.ones(2) + torch.ones(3)\n"
    )
    nb = generator().build_notebook(PAGE, root=tmp_path, site_url="https://example.org/book/")
    kinds = [(c.cell_type, c.source.split("\n", 1)[0]) for c in nb.cells]
    assert kinds == [
        ("markdown", "# A chapter"),
        ("markdown", "> **What you will learn**"),
        ("markdown", "See [Tensors](https://example.org/book/tensors/#creating-tensors) and "
                     "[the home page](https://example.org/book/)."),
        ("code", "import torch"),
        ("markdown", "*From `snippets/demo/program.py` (section `part`):*"),
        ("markdown", "## Exercise"),
        ("markdown", "**Solution** (the code cell below is collapsed: try it yourself first, "
                     "then expand it)"),
        ("code", "# expected-error: RuntimeError"),
        ("markdown", "<details><summary>More on the solution</summary>"),
    ]  # fmt: skip
    program, solution = (c for c in nb.cells if c.cell_type == "code")
    assert program.source == "import torch\n\nx = torch.ones(2)\nprint(x)"  # markers dropped
    assert "raises-exception" not in program.metadata.get("tags", [])
    assert solution.metadata["tags"] == ["raises-exception"]
    assert solution.metadata["jupyter"] == {"source_hidden": True}
    assert "```python\nx = torch.ones(2)\n```" in nb.cells[4].source
    assert all("--8<--" not in c.source and "description:" not in c.source for c in nb.cells)


def test_colab_link_is_derived_from_the_repository_url():
    colab = generator().colab_url
    assert colab("https://github.com/owner/repo", "tensors") == (
        "https://colab.research.google.com/github/owner/repo/blob/gh-pages/notebooks/tensors.ipynb"
    )
    assert colab("https://github.com/owner/repo.git/", "x").endswith(
        "/owner/repo/blob/gh-pages/notebooks/x.ipynb"
    )
    assert colab("https://gitlab.com/owner/repo", "x") is None
