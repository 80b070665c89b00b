"""Files are read and written only as regular files inside the repository, never through a link.

Each attack builds a small book of its own in tmp_path (the repository holds no link,
ever): a link planted where the harness, the notebook builder or the site build reads
or writes fails with its path and why, and the file it points to is neither read nor
written.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from book import safe_files
from book.catalog import REPO, load_snippet
from book.safe_files import UnsafeFile
from book.site import chapter_notebooks, labs, tree_guard
from book.site_config import load_config

SECRET = "the host's secret\n"


@pytest.fixture
def book(tmp_path) -> Path:
    """A book of the test's own: a chapter with one program and its output."""
    root = tmp_path / "book"
    (root / "snippets" / "demo").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "snippets" / "demo" / "program.py").write_text("print('hello')\n")
    (root / "snippets" / "demo" / "program.out").write_text("hello\n")
    (root / "docs" / "demo.md").write_text("# Demo\n\n<<< snippets/demo/program.py\n")
    return root


@pytest.fixture
def secret(tmp_path) -> Path:
    """A file outside the book, as a host file the sandbox hides."""
    host = tmp_path / "host"
    host.mkdir()
    (host / "secret.txt").write_text(SECRET)
    return host / "secret.txt"


def plant(link: Path, target: Path) -> Path:
    """Replace link (a file of the book) with a symbolic link to target."""
    if link.exists() or link.is_symlink():
        link.unlink()
    link.symlink_to(target)
    return link


# -- the harness ----------------------------------------------------------------------------


def test_update_outputs_does_not_write_through_a_linked_output(book, secret):
    """`--update-outputs` writes a program's output beside it: a .out that links to a
    host file is refused, and the host file is left as it was."""
    out = plant(book / "snippets" / "demo" / "program.out", secret)
    snippet = load_snippet(book / "snippets" / "demo" / "program.py")
    with pytest.raises(UnsafeFile, match=r"program\.out: a symbolic link \(to .*secret\.txt\)"):
        snippet.write_output(snippet.out_path, "hello\n")
    assert secret.read_text() == SECRET and out.is_symlink()
    [problem] = snippet.output_problems()
    assert problem.startswith("program.out: a symbolic link") and SECRET not in problem


def test_a_linked_program_or_output_is_not_read(book, secret):
    """A program or an output that links to a hidden file is refused before anything reads
    it, so its contents appear in no message."""
    program = plant(book / "snippets" / "demo" / "program.py", secret)
    with pytest.raises(UnsafeFile) as refused:
        load_snippet(program)
    assert "program.py: a symbolic link" in str(refused.value)
    assert SECRET.strip() not in str(refused.value)
    with pytest.raises(UnsafeFile, match=r"snippets/demo/program\.py: a symbolic link"):
        safe_files.read_text(program, root=book)


def test_a_linked_folder_on_the_way_is_refused(book, tmp_path):
    """A link anywhere on the path (snippets/demo -> elsewhere) is refused as well."""
    elsewhere = tmp_path / "elsewhere"
    (book / "snippets" / "demo").rename(elsewhere)
    plant(book / "snippets" / "demo", elsewhere)
    with pytest.raises(UnsafeFile, match=r"^snippets/demo: a symbolic link"):
        safe_files.read_text("snippets/demo/program.py", root=book)
    with pytest.raises(UnsafeFile, match=r"^snippets/demo: a symbolic link"):
        safe_files.write_text("snippets/demo/program.out", "x\n", root=book)
    assert (elsewhere / "program.out").read_text() == "hello\n"


def test_what_is_not_a_regular_file_or_lies_outside_is_refused(book, secret):
    fifo = book / "snippets" / "demo" / "program.torch-2.10.out"
    os.mkfifo(fifo)  # a reader would hang on it
    with pytest.raises(UnsafeFile, match="a named pipe, not a regular file"):
        safe_files.read_text(fifo, root=book)
    with pytest.raises(UnsafeFile, match="a directory, not a regular file"):
        safe_files.read_text(book / "snippets", root=book)
    with pytest.raises(UnsafeFile, match="outside"):
        safe_files.read_text(secret, root=book)
    with pytest.raises(UnsafeFile, match="climbs with '..'"):
        safe_files.read_text("snippets/../../host/secret.txt", root=book)
    with pytest.raises(FileNotFoundError, match="snippets/demo/missing.py"):
        safe_files.read_text("snippets/demo/missing.py", root=book)


def test_a_write_replaces_the_file_whole_and_keeps_its_mode(book):
    out = book / "snippets" / "demo" / "program.out"
    out.chmod(0o640)
    safe_files.write_text(out, "new output\n", root=book)
    assert out.read_text() == "new output\n" and (out.stat().st_mode & 0o777) == 0o640
    assert sorted(p.name for p in out.parent.iterdir()) == ["program.out", "program.py"]
    safe_files.write_text("snippets/demo/fresh.out", "made\n", root=book)
    assert (out.parent / "fresh.out").read_text() == "made\n"
    safe_files.remove("snippets/demo/fresh.out", root=book)
    safe_files.remove("snippets/demo/fresh.out", root=book)  # already gone: nothing to do
    assert not (out.parent / "fresh.out").exists()


def test_the_tree_guard_lists_every_link_and_odd_file(book, secret, tmp_path):
    plant(book / "docs" / "leak.md", secret)
    os.mkfifo(book / "snippets" / "demo" / "pipe.out")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "hidden.py").write_text(SECRET)
    plant(book / "snippets" / "linked", outside)
    (book / "notes").mkdir()
    plant(book / "notes" / "ignored.txt", secret)  # outside the tree the book reads
    assert safe_files.tree_problems(book) == [
        f"docs/leak.md: a symbolic link (to {secret}); {safe_files.WHY}",
        f"snippets/demo/pipe.out: a named pipe, not a regular file; {safe_files.WHY}",
        f"snippets/linked: a symbolic link (to {outside}); {safe_files.WHY}",
    ]


# -- the notebook builder and the labs --------------------------------------------------------


def test_the_chapter_notebook_reads_no_linked_page_or_program(book, secret):
    nb = chapter_notebooks.chapter_notebook("demo", book)
    assert [c.source for c in nb.cells if c.cell_type == "code"] == ["print('hello')"]
    plant(book / "snippets" / "demo" / "program.py", secret)
    with pytest.raises(UnsafeFile, match=r"snippets/demo/program\.py: a symbolic link"):
        chapter_notebooks.chapter_notebook("demo", book)
    plant(book / "docs" / "demo.md", secret)
    with pytest.raises(UnsafeFile, match=r"docs/demo\.md: a symbolic link"):
        chapter_notebooks.chapter_notebook("demo", book)


LAB = """# %% [markdown]
# # A lab

# %%
print("hi")
"""


def test_a_lab_page_reads_no_linked_lab_or_output(book, secret, tmp_path):
    # Rendering a lab page's cells needs nbconvert, which a GPU host does not carry.
    pytest.importorskip("nbconvert", reason="no docs toolchain here (the CPU leg builds the site)")
    lab = book / "docs" / "labs" / "demo.py"
    (lab.parent / "demo.outputs").mkdir(parents=True)
    lab.write_text(LAB)
    (lab.parent / "demo.outputs" / "cell-02.out").write_text("hi\n")
    nb = labs.notebook_with_outputs(lab, root=book)
    assert nb.cells[1].outputs[0]["text"] == "hi\n"
    plant(lab.parent / "demo.outputs" / "cell-02.out", secret)
    with pytest.raises(UnsafeFile, match=r"cell-02\.out: a symbolic link"):
        labs.notebook_with_outputs(lab, root=book)
    (tmp_path / "outputs").mkdir()
    (lab.parent / "demo.outputs" / "cell-02.out").unlink()
    (lab.parent / "demo.outputs").rmdir()
    plant(lab.parent / "demo.outputs", tmp_path / "outputs")
    with pytest.raises(UnsafeFile, match=r"demo\.outputs: a symbolic link"):
        labs.notebook_with_outputs(lab, root=book)
    (lab.parent / "demo.outputs").unlink()
    (lab.parent / "demo.outputs").mkdir()
    plant(lab, secret)
    with pytest.raises(UnsafeFile, match=r"labs/demo\.py: a symbolic link"):
        labs.notebook_with_outputs(lab, root=book)


# -- the site build ---------------------------------------------------------------------------


def test_every_include_names_a_program_or_output_reached_through_no_link(book, secret):
    page = "docs/demo.md"
    good = '```python\n--8<-- "snippets/demo/program.py"\n```\n'
    assert tree_guard.include_problems(good, page, book) == []
    plant(book / "snippets" / "demo" / "program.out", secret)
    linked = '```text\n--8<-- "snippets/demo/program.out"\n```\n'
    [problem] = tree_guard.include_problems(linked, page, book)
    assert problem.startswith(
        "docs/demo.md: the include of 'snippets/demo/program.out': "
        "snippets/demo/program.out: a symbolic link"
    ), problem
    for target in ("./snippets/demo/program.py", "docs/leak.md", "snippets/demo/../x.py"):
        [problem] = tree_guard.include_problems(f'--8<-- "{target}"\n', page, book)
        assert problem == f"{page}: the include of {target!r} names no program or output " + (
            "(snippets/<chapter>/...)"
        )


def test_an_output_that_prints_an_include_publishes_nothing(book):
    """pymdownx.snippets expands includes inside an included file: a program that prints
    an include line would put the file it names on the page."""
    (book / "snippets" / "demo" / "program.out").write_text('--8<-- ".git/config"\n')
    [problem] = tree_guard.include_problems('--8<-- "snippets/demo/program.out"\n', "p.md", book)
    assert problem.startswith(
        "snippets/demo/program.out:1: a line pymdownx.snippets reads as an include of '.git/config'"
    )


SITE = """\
site_name: A book
strict: true
theme:
  name: mkdocs
markdown_extensions:
  - pymdownx.snippets:
      base_path: [!relative $config_dir]
      check_paths: true
"""


def build(book: Path, guarded: bool) -> subprocess.CompletedProcess:
    # The site is built and checked on the CPU leg; a GPU host carries no docs toolchain.
    pytest.importorskip("mkdocs", reason="no docs toolchain here (the CPU leg builds the site)")
    config = SITE
    if guarded:  # the book's own hook, as mkdocs.yml lists it
        config += f"hooks:\n  - {REPO / 'overrides' / 'hooks' / 'tree_guard.py'}\n"
    (book / "mkdocs.yml").write_text(config)
    return subprocess.run(
        [sys.executable, "-P", "-m", "mkdocs", "build", "-q", "-d", str(book / "site")],
        cwd=book, capture_output=True, text=True, env=os.environ | {"NO_MKDOCS_2_WARNING": "1"},
    )  # fmt: skip


def test_the_build_publishes_no_linked_file(book, secret):
    """Without the guard, an include of a link (outside docs/, where MkDocs does not look)
    puts the host file on the page, and a linked page is published; with the book's hook
    each stops the build with its path, and so does a look-alike block."""
    (book / "docs" / "demo.md").write_text('# Demo\n\n```text\n--8<-- "notes/leak.txt"\n```\n')
    (book / "notes").mkdir()
    plant(book / "notes" / "leak.txt", secret)
    done = build(book, guarded=False)
    assert done.returncode == 0, done.stderr
    assert SECRET.strip() in (book / "site" / "demo" / "index.html").read_text()
    done = build(book, guarded=True)
    assert done.returncode != 0
    assert "docs/demo.md: the include of 'notes/leak.txt' names no program or output" in (
        done.stderr
    )
    (book / "docs" / "demo.md").write_text("# Demo\n\n```text\nimport torch\n```\n")
    done = build(book, guarded=True)
    assert done.returncode != 0
    assert "docs/demo.md:3: a ```text block holds Python (line 4: 'import torch')" in done.stderr
    (book / "docs" / "demo.md").write_text("# Demo\n")
    plant(book / "docs" / "leak.md", secret)
    done = build(book, guarded=True)
    assert done.returncode != 0
    assert f"docs/leak.md: a symbolic link (to {secret})" in done.stderr, done.stderr


def test_the_site_build_runs_the_guard_and_reads_linked_records_as_links(monkeypatch, tmp_path):
    """mkdocs.yml lists the hook, and the records a build reads from elsewhere
    (BOOK_RECORDS, as the tests and nox -s serve set it) are checked too."""
    assert "overrides/hooks/tree_guard.py" in load_config()["hooks"]
    records = tmp_path / "records" / "verification"
    (records / "cpu-torch-2.13.0-cpu").mkdir(parents=True)
    plant(records / "cpu-torch-2.13.0-cpu" / "demo.json", tmp_path / "anything.json")
    monkeypatch.setenv("BOOK_RECORDS", str(records))
    [problem] = tree_guard.tree_problems(REPO)
    assert problem.startswith("verification/cpu-torch-2.13.0-cpu/demo.json: a symbolic link")
