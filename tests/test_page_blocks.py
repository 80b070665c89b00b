"""Every code block of README.md and of the pages under docs/: run in the sandbox, or refused.

A Python block (```python, and every other form the site highlights as Python) runs in
the same sandbox as the programs, as a one-cell notebook, and must finish cleanly. A
block that a plugin would execute on this machine (```bash, ```sh), or that shows
output nothing checks (a console session, a hand-written traceback), is refused with
its page and line, and so is any pytest marker comment: nothing from a page is run or
evaluated in the test process. Commands are shown in ```shell blocks, which nothing runs.

pytest-codeblocks is a second finder here: its parser executes nothing. Its plugin,
which would exec() blocks in this process, is never loaded (pyproject.toml's
``-p no:codeblocks``, and conftest.refuse_page_executors for any other way in).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import run_pytest
from pytest_codeblocks.main import extract_from_buffer

from book import safe_files, syntax
from book.catalog import REPO, pages
from book.notebooks import Cell, Notebook, notebook_problems
from book.run.runner import RunResult

PAGES = pages()
FIXTURE_PAGE = REPO / "tests" / "fixtures" / "pages" / "fences.md"
# What pytest-codeblocks' plugin executes: a fence whose whole info string is one of these.
CODEBLOCKS_RUNS = ("python", "sh", "bash")


def rel(page: Path) -> str:
    return str(page.relative_to(REPO)) if page.is_relative_to(REPO) else str(page)


def blocks_of(page: Path, root: Path = REPO) -> list[syntax.PageBlock]:
    return syntax.page_blocks(safe_files.read_text(page, root=root), rel(page))


BLOCKS = {rel(page): blocks_of(page) for page in PAGES}
PYTHON = [block for found in BLOCKS.values() for block in found if block.kind == "python"]


def refusals(page: Path, root: Path = REPO) -> list[str]:
    """page:line and why, for each block the tests refuse and each marker comment."""
    text = safe_files.read_text(page, root=root)
    refused = syntax.page_blocks(text, rel(page))
    found = [f"{b.where()}: {b.why}" for b in refused if b.kind == "refused"]
    return found + syntax.marker_problems(text, rel(page))


def block_notebook(block: syntax.PageBlock) -> Notebook:
    """The block as a one-cell notebook; its lines keep their numbers in the page."""
    directives = syntax.parse_directives(block.code, f"{block.where()}, block line")
    cell = Cell(
        number=1,
        source=block.code,
        filename=f"<{block.where()}>",
        offset=block.line,
        expected_error=directives.expected_error,
        tagged_raises=directives.expected_error is not None,
        timeout=directives.timeout,
        problems=directives.problems,
    )
    # A path of its own: the runner tells runs apart by path, and the page's own path
    # names its chapter notebook.
    path = REPO / f"{block.page}.line-{block.line}.py"
    note = f" (the Python block at line {block.line})"
    return Notebook(block.page, path, [cell], directives.timeout, note)


def run_block(runner, block: syntax.PageBlock) -> tuple[RunResult, list[str]]:
    """Run a page's Python block in the sandbox; (its result, what is wrong with it)."""
    notebook = block_notebook(block)
    cells = [cell.request() for cell in notebook.cells]
    result = runner.run(notebook.path, timeout=notebook.timeout, cells=cells)
    return result, notebook_problems(notebook, result)


@pytest.mark.parametrize("block", PYTHON, ids=lambda b: b.where())
def test_python_block_runs_in_the_sandbox(block, runner):
    result, problems = run_block(runner, block)
    if not problems and result.stdout.strip():
        problems.append(printed_but_not_shown(block))
    assert not problems, "\n".join(problems)


def printed_but_not_shown(block: syntax.PageBlock) -> str:
    """What a page's Python block that prints is told: its output is on no page and
    compared by no test, which is what a program with `<<<` gives."""
    slug = Path(block.page).stem
    return (
        f"{block.where()}: this python block prints, but its output is shown nowhere and "
        "compared by no test. Make it a program and name it on the page, which shows its "
        f"verified output under it: snippets/{slug}/<name>.py, then a line "
        f"'<<< snippets/{slug}/<name>.py' where the block is (see Contributing, 'Show it "
        "on the page'). A python block is for code that prints nothing."
    )


@pytest.mark.parametrize("page", PAGES, ids=rel)
def test_no_block_of_the_page_is_refused(page):
    problems = refusals(page)
    assert not problems, "\n".join(problems)


def test_the_pytest_codeblocks_plugin_is_not_loaded(request):
    assert not request.config.pluginmanager.has_plugin("codeblocks")


# -- the finders --------------------------------------------------------------------------


def codeblocks_finds(page: Path) -> set[tuple[int, str]]:
    """(line, info string) of each block pytest-codeblocks' parser finds (it runs nothing)."""
    text = safe_files.read_text(page)
    try:
        return {(b.lineno, b.syntax) for b in extract_from_buffer(io.StringIO(text))}
    except RuntimeError as error:
        pytest.fail(f"{rel(page)}: pytest-codeblocks cannot read it: {error}", pytrace=False)


def test_both_finders_see_the_same_blocks():
    """pytest-codeblocks' parser and the book's lexer find the same ``` blocks on every
    page, so a block that one of them misses cannot go unrun unnoticed."""
    assert len(PAGES) > 20 and REPO / "README.md" in PAGES and REPO / "docs/index.md" in PAGES
    differ = []
    for page in PAGES:
        ours = {(b.line, b.fence.info) for b in BLOCKS[rel(page)] if b.fence.marker[0] == "`"}
        theirs = codeblocks_finds(page)
        if ours != theirs:
            differ.append(f"{rel(page)}: the book finds {sorted(ours)}, pytest-codeblocks {theirs}")
    assert not differ, "\n".join(differ)
    assert sum(map(len, BLOCKS.values())) > 20, "hardly any code block found on the pages"


def test_the_readme_commands_are_shown_and_never_run():
    """The README's two commands (serve and test) are found, in ```shell blocks: shown,
    run by nothing here, and not a form pytest-codeblocks' plugin would execute."""
    readme = REPO / "README.md"
    shell = [b for b in BLOCKS["README.md"] if b.fence.language == "shell"]
    commands = ["\n".join(b.fence.body) for b in shell]
    for command in ("nox -s serve", "nox -s tests"):
        assert any(command in text for text in commands), f"README.md: no block runs {command}"
    assert all(b.kind == "display" for b in shell)
    theirs = dict(codeblocks_finds(readme))
    assert [theirs[b.line] for b in shell] == ["shell"] * len(shell)
    assert "shell" not in CODEBLOCKS_RUNS
    assert not [b for b in PYTHON if b.page == "README.md"]


def test_every_python_fence_form_is_run_and_every_other_executable_form_refused():
    """Each form the site highlights as Python is run; a console session and a marker
    comment are refused with page and line; text is shown as it is."""
    found = {b.line: b.kind for b in blocks_of(FIXTURE_PAGE)}
    assert found == {
        5: "python", 9: "python", 13: "python", 17: "python", 21: "refused",
        26: "python", 31: "python", 35: "display",
    }  # fmt: skip
    page = "tests/fixtures/pages/fences.md"
    assert refusals(FIXTURE_PAGE) == [
        f"{page}:21: {syntax.CONSOLE_WHY}",
        f"{page}:30: '<!--pytest.mark.skip-->' is a pytest marker; pages take none: nothing "
        "on a page is evaluated, and every Python block runs, in the sandbox",
    ]


# -- self-tests: blocks from a page of the test's own ----------------------------------------

ATTACK = """# A page

```python
open({host!r}, "w").write("ran on the host")
```

```bash
touch {shell!r}
```

<!-- pytest.mark.skipif(open({marker!r}, "w") is None, reason="evaluated") -->
```python
print("marked")
```

```console
$ rm -rf ~
```
"""


def attack_page(tmp_path: Path) -> tuple[Path, list[Path]]:
    """A page whose blocks and marker, run or evaluated on this machine, leave files."""
    left = [tmp_path / "host-python", tmp_path / "host-shell", tmp_path / "host-marker"]
    page = tmp_path / "attack.md"
    page.write_text(ATTACK.format(host=str(left[0]), shell=str(left[1]), marker=str(left[2])))
    return page, left


def test_a_page_block_never_runs_in_the_test_process(tmp_path):
    """As a pull request could try: pytest-codeblocks' plugin, asked for by option,
    by -p or by PYTEST_PLUGINS, would exec() the Python block here, run the shell block
    with a shell and evaluate the marker. Each way stops before collecting, and none of
    the files they would leave exists."""
    page, left = attack_page(tmp_path)
    guards = str(REPO / "tests" / "test_guards.py") + "::test_snippets_are_collected"
    # With a file of the repository among the arguments, pytest reads its settings from
    # the repository's pyproject.toml, as it does for any page under docs/.
    tries = [
        (["--codeblocks", str(page), guards], {}),
        (["-p", "codeblocks", "--codeblocks", str(page), guards], {}),
        (["--codeblocks", str(page), guards], {"PYTEST_PLUGINS": "pytest_codeblocks.plugin"}),
    ]
    for args, env in tries:
        done = run_pytest(args, tmp_path / "artifacts", env=env)
        output = done.stdout + done.stderr
        assert done.returncode == 4, output[-3000:]  # a usage error: nothing collected
        assert "unrecognized arguments: --codeblocks" in output or (
            "the pytest-codeblocks plugin is loaded" in output
        ), output[-3000:]
        assert [p for p in left if p.exists()] == [], output[-3000:]


def test_a_python_block_runs_in_the_sandbox_and_fails_with_page_and_line(tmp_path, runner):
    """The page's Python block runs in the sandbox: the host file it writes is not
    written (the sandbox's /tmp is its own), and the failure names page and line."""
    page, left = attack_page(tmp_path)
    python = [b for b in blocks_of(page, root=tmp_path) if b.kind == "python"]
    assert [b.line for b in python] == [3, 12]
    _, [problem] = run_block(runner, python[0])
    assert problem.startswith(f"{page} (the Python block at line 3), cell 1 "), problem
    assert f"at {page}:4 raised FileNotFoundError" in problem, problem
    result, problems = run_block(runner, python[1])
    assert problems == [] and result.stdout == "marked\n"
    assert not left[0].exists()
    # It printed: output nothing shows or compares, which the test points to `<<<` for.
    told = printed_but_not_shown(python[1])
    assert told.startswith(f"{page}") and "'<<< snippets/" in told, told


def test_shell_blocks_and_markers_are_refused_with_page_and_line(tmp_path):
    page, _ = attack_page(tmp_path)
    found = refusals(page, root=tmp_path)
    assert [f.split(": ", 1)[0] for f in found] == [f"{page}:7", f"{page}:16", f"{page}:11"]
    assert "a ```bash block is what pytest-codeblocks and tools like it execute" in found[0]
    assert "a terminal session: the output it shows is checked by nothing" in found[1]
    assert "pytest.mark.skipif(" in found[2] and "is a pytest marker" in found[2]
