"""A record is data from a pull request: it shows a mark only where it can be checked.

Each attack on the marks is tried here as a contributor would try it, against records
and pages built in a temporary folder (never the book's own verification/): a CUDA
entry added by hand, a record folder for a torch the project never declared, a record
field holding a fence and HTML, a mark written by hand in a page, a look-alike styled
to lie over a real one. Then what the recording run writes (the commit it ran at), the
one-off that named the commits of the existing entries, and the summary a pull request
gets of the marks it changes, which no attribute in .gitattributes can hide a record
from. (A lab's markdown cells: tests/test_lab_marks.py.)
"""

from __future__ import annotations

import base64 as b64
import datetime as dt
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from book import notebook_records, records
from book.catalog import DOCS, REPO
from book.records import Environment, content_hash, entry_for
from book.site.program_blocks import status_html

PROGRAM = "snippets/tensors/creating.py"
MEASURING = "snippets/gpu/timing.py"  # a `# varies:` program: its GPU output is shown
CPU = Environment("cpu", "2.13.0+cpu", "CPU")
GPU = Environment("cuda", "2.11.0+cu130", "NVIDIA H200")
TODAY = dt.date.today().isoformat()
FAKE_MARK = (
    '<span class="verified" data-leg="cuda">Verified on CUDA (NVIDIA H200, torch 2.11.0, '
    "2099-12-31)</span>"
)
MARK_CLASSES = ("verification", "verified", "unverified")
# A look-alike of a program's marks, laid over the real "Not yet verified" line under it.
LOOK_ALIKE = (
    '<p style="display:block;font-size:0.7rem;margin-top:-3.1em;position:relative;'
    'background-color:var(--md-default-bg-color);line-height:160%">✔ Verified on CPU '
    "(torch 2.13.0, 2026-12-01)<br>✔ Verified on CUDA (NVIDIA H200, torch 2.11.0, "
    "2026-12-01)</p>"
)


# -- Helpers ---------------------------------------------------------------------------


def base64(text: str) -> str:
    return b64.b64encode(text.encode()).decode()


def git(repo: Path, *args: str) -> str:
    """git in repo, as a test's own committer; its output."""
    done = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=Book", "-c", "user.email=book@example.invalid",
         "-c", "commit.gpgsign=false", *args],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout.strip()


def committed(rel: str) -> str | None:
    """A commit of this repository at which rel had its content of now (read with git
    here, not with book.records), or None where there is none."""
    want = content_hash(REPO / rel)
    try:
        commits = git(REPO, "rev-list", "HEAD", "--", rel).split()
    except (OSError, subprocess.CalledProcessError):
        return None
    for commit in commits:
        shown = subprocess.run(
            ["git", "-C", str(REPO), "cat-file", "blob", f"{commit}:{rel}"], capture_output=True
        )
        if hashlib.sha256(shown.stdout).hexdigest() == want:
            return commit
    return None


def entry(env: Environment, rel: str = PROGRAM, **fields) -> dict:
    """An entry proving rel as its files are now, in env: what a hand would write."""
    program = REPO / rel
    shown = records.shown_output_path(program, env.leg, records.release_of(env.torch))
    return entry_for(program, shown, passed=True) | {"date": TODAY} | fields


def write_record(root: Path, env: Environment, programs: dict, folder: str | None = None):
    """One record file, as a contributor would add it by hand."""
    rel = next(iter(programs))
    path = root / (folder or env.folder) / f"{records.chapter_of(rel)}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"leg": env.leg, "torch": env.torch, "device": env.device}
    if env.python is not None:
        record["python"] = env.python
    record["programs"] = programs
    path.write_text(json.dumps(record, indent=1) + "\n")
    return path


def marks_in(html: str) -> list[str]:
    """The start tag of every element of html with a mark's class."""
    from html.parser import HTMLParser

    found = []

    class Finder(HTMLParser):
        def handle_starttag(self, tag, attrs):
            classes = " ".join(v or "" for k, v in attrs if k == "class").lower().split()
            if set(classes) & set(MARK_CLASSES):
                found.append(self.get_starttag_text())

    Finder(convert_charrefs=True).feed(html)
    return found


def build_site(tmp_path: Path, page: str, records_root: Path | None = None):
    """mkdocs build --strict of a one-page site with the book's program-block hook and
    Markdown extensions: (exit code, output, the page's HTML or None)."""
    # The site is built and checked on the CPU leg; a GPU host carries no docs toolchain.
    pytest.importorskip("mkdocs", reason="no docs toolchain here (the CPU leg builds the site)")
    docs = tmp_path / "site-docs"
    docs.mkdir()
    (docs / "index.md").write_text(page)
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: A page\n"
        f"docs_dir: {docs}\n"
        "theme: {name: mkdocs}\n"
        f"hooks: [{REPO / 'overrides' / 'hooks' / 'program_blocks.py'}]\n"
        "markdown_extensions:\n"
        "  - admonition\n  - attr_list\n  - md_in_html\n"
        "  - pymdownx.highlight\n  - pymdownx.superfences\n"
        f"  - pymdownx.snippets: {{base_path: [{REPO}], check_paths: true}}\n"
    )
    out = tmp_path / "built"
    env = os.environ | {"NO_MKDOCS_2_WARNING": "1"}
    env[records.RECORDS_ENV] = str(records_root or tmp_path / "no-records")
    done = subprocess.run(
        [sys.executable, "-P", "-m", "mkdocs", "build", "--strict", "-f", str(config),
         "--site-dir", str(out)],
        capture_output=True, text=True, env=env, cwd=tmp_path,
    )  # fmt: skip
    html = out / "index.html"
    return done.returncode, done.stdout + done.stderr, html.read_text() if html.exists() else None


@pytest.fixture
def book_repo(tmp_path, monkeypatch):
    """A book of one program in a git repository of its own, with the declarations of
    this repository's pyproject.toml; book.records reads it as the repository."""
    repo = tmp_path / "book"
    chapter = repo / "snippets" / "demo"
    chapter.mkdir(parents=True)
    (repo / "pyproject.toml").write_bytes((REPO / "pyproject.toml").read_bytes())
    (chapter / "shows.py").write_text("print(1 + 1)\n")
    (chapter / "shows.out").write_text("2\n")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "one program")
    monkeypatch.setattr(records, "REPO", repo)
    return repo


SHOWS = "snippets/demo/shows.py"


def demo_entry(repo: Path, **fields) -> dict:
    program = repo / SHOWS
    return entry_for(program, program.with_suffix(".out"), passed=True) | fields


# -- Hand-made records -----------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"date": "2099-12-31"}, id="future-date-no-commit"),
        pytest.param({}, id="no-commit"),
        pytest.param({"date": "2099-12-31", "commit": "from-history"}, id="future-date"),
        pytest.param({"commit": "f" * 40}, id="unknown-commit"),
    ],
)
def test_a_cuda_entry_added_by_hand_shows_no_mark(tmp_path, fields):
    """The hashes match the files (anyone can compute them); what no hand can add is a
    commit whose program is the recorded one, with a date a run could have."""
    if fields.get("commit") == "from-history":
        fields["commit"] = committed(PROGRAM)
        if fields["commit"] is None:
            pytest.skip(f"{PROGRAM} as it is now is in no commit")
    root = tmp_path / "verification"
    write_record(root, GPU, {PROGRAM: entry(GPU, **fields)})
    line = status_html(PROGRAM, records.load_all(root))
    assert "Verified on CUDA" not in line, line
    assert "Not yet verified on CUDA for this version" in line
    [problem] = records.problems(root)
    assert problem.startswith(f"cuda-torch-2.11.0-cu130/tensors.json: {PROGRAM}: "), problem


def test_a_cuda_entry_shows_its_mark_with_the_commit_it_was_recorded_at(tmp_path):
    """The control for the test above: the same entry, naming a commit whose program is
    the recorded one and dated today, shows its mark."""
    commit = committed(PROGRAM)
    if commit is None:
        pytest.skip(f"{PROGRAM} as it is now is in no commit")
    root = tmp_path / "verification"
    write_record(root, GPU, {PROGRAM: entry(GPU, commit=commit)})
    assert f"Verified on CUDA (NVIDIA H200, torch 2.11.0, {TODAY})" in status_html(
        PROGRAM, records.load_all(root)
    )
    assert records.problems(root) == []


@pytest.mark.parametrize(
    ("env", "why"),
    [
        pytest.param(
            Environment("cpu", "1.0.0+cpu", "CPU"),
            "torch 1.0.0 is not in the CPU matrix",
            id="cpu-torch-1.0.0",
        ),
        pytest.param(
            Environment("cuda", "2.11.0+cu130", "NVIDIA H100"),
            "'NVIDIA H100' with torch '2.11.0+cu130' is not a declared GPU environment",
            id="undeclared-gpu",
        ),
        pytest.param(
            Environment("cpu", "2.13.0+cpu", "NVIDIA H200"),
            "a CPU-leg record names device 'CPU'",
            id="cpu-leg-naming-a-gpu",
        ),
        pytest.param(Environment("rocm", "2.13.0+rocm6", "AMD"), "unknown leg 'rocm'", id="leg"),
        pytest.param(
            Environment("cpu", "2.13.0+cpu", "CPU", "3.12"),
            "Python 3.12 with torch 2.13.0 is not a declared Python cell",
            id="undeclared-python-cell",
        ),
    ],
)
def test_a_record_of_an_undeclared_environment_shows_no_mark(tmp_path, env, why):
    """A hand-made verification/cpu-torch-1.0.0-cpu/ (or any environment pyproject.toml
    does not declare) shows no mark, and the tests name the file and why."""
    root = tmp_path / "verification"
    fields = {"commit": committed(PROGRAM)} if env.leg == "cuda" else {}
    path = write_record(root, env, {PROGRAM: entry(env, **fields)})
    line = status_html(PROGRAM, records.load_all(root))
    assert 'class="verified"' not in line, line
    [problem] = records.problems(root)
    assert problem.startswith(f"{path.relative_to(root).as_posix()}: {why}"), problem


def test_a_record_outside_its_environments_folder_shows_no_mark(tmp_path):
    """A record of a declared environment put in another environment's folder (here the
    hand-made cpu-torch-1.0.0-cpu/) is refused as a whole: folders name what they hold."""
    root = tmp_path / "verification"
    write_record(root, CPU, {PROGRAM: entry(CPU)}, folder="cpu-torch-1.0.0-cpu")
    assert "Verified on CPU" not in status_html(PROGRAM, records.load_all(root))
    assert records.problems(root) == [
        "cpu-torch-1.0.0-cpu/tensors.json: its environment belongs in cpu-torch-2.13.0-cpu/"
    ]


def test_an_entry_in_another_chapters_file_is_named(tmp_path):
    root = tmp_path / "verification"
    path = root / CPU.folder / "gpu.json"
    path.parent.mkdir(parents=True)
    record = {"leg": "cpu", "torch": CPU.torch, "device": "CPU", "programs": {PROGRAM: entry(CPU)}}
    path.write_text(json.dumps(record))
    assert records.problems(root) == [
        f"cpu-torch-2.13.0-cpu/gpu.json: {PROGRAM}: belongs in tensors.json"
    ]


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"date": "yesterday"}, "'date' must be a date written YYYY-MM-DD"),
        ({"result": "verified"}, "'result' must be one of"),
        ({"program": "<b>"}, "'program' must be a sha256 hash"),
        ({"measured": ["a"]}, "'measured' must be text"),
        ({"commit": "HEAD"}, "'commit' must be a full commit id"),
    ],
)
def test_a_malformed_entry_shows_no_mark(tmp_path, fields, why):
    root = tmp_path / "verification"
    write_record(root, CPU, {PROGRAM: entry(CPU) | fields})
    assert "Verified on CPU" not in status_html(PROGRAM, records.load_all(root))
    [problem] = records.problems(root)
    assert why in problem, problem


def test_a_record_that_is_not_json_or_is_a_link_is_named(tmp_path):
    root = tmp_path / "verification"
    (root / CPU.folder).mkdir(parents=True)
    (root / CPU.folder / "tensors.json").write_text("[" * 100_000)
    outside = tmp_path / "elsewhere.json"
    outside.write_text(json.dumps({"leg": "cpu", "torch": CPU.torch, "device": "CPU",
                                   "programs": {PROGRAM: entry(CPU)}}))  # fmt: skip
    (root / CPU.folder / "gpu.json").symlink_to(outside)
    assert records.load_all(root) == []
    assert records.problems(root) == [
        "cpu-torch-2.13.0-cpu/gpu.json: not a regular file (a link is never followed)",
        "cpu-torch-2.13.0-cpu/tensors.json: not a JSON record (RecursionError)",
    ]


@pytest.mark.parametrize("linked", ["shows.py", "shows.out"])
def test_a_program_or_output_that_is_a_link_proves_nothing(book_repo, tmp_path, linked):
    """The files a mark is about are read as regular files in the repository, never
    through a link, even where the hashes would match."""
    root = tmp_path / "verification"
    write_record(root, CPU, {SHOWS: demo_entry(book_repo, date=TODAY)})
    assert "Verified on CPU" in status_html(SHOWS, records.load_all(root))
    target = book_repo / "snippets" / "demo" / linked
    elsewhere = tmp_path / linked
    target.rename(elsewhere)
    target.symlink_to(elsewhere)
    assert "Verified on CPU" not in status_html(SHOWS, records.load_all(root))


def test_every_committed_record_can_show_its_mark():
    """verification/ as committed: each record of a declared environment, in its folder,
    and each CUDA entry naming the commit whose program it recorded."""
    shallow = git(REPO, "rev-parse", "--is-shallow-repository")
    if shallow == "true":
        pytest.skip("a shallow clone lacks the commits records name (fetch the history)")
    assert records.problems(records.RECORDS) == []
    cuda = [e for env, p in records.load_all(records.RECORDS) if env.leg == "cuda" for e in p]
    assert cuda, "no CUDA record: the check checked nothing"


# -- Record fields in the page ---------------------------------------------------------


def test_a_measured_output_cannot_close_its_block_or_write_html(tmp_path):
    """A `measured` field holding a fence, a mark and an include line is shown as the text
    it is: the page holds the marks the build made and nothing else."""
    commit = committed(MEASURING)
    if commit is None:
        pytest.skip(f"{MEASURING} as it is now is in no commit")
    attack = f'```\n\n{FAKE_MARK}\n\n```\n--8<-- "mkdocs.yml"\n<script>alert(1)</script>\n'
    root = tmp_path / "verification"
    write_record(root, GPU, {MEASURING: entry(GPU, MEASURING, commit=commit, measured=attack)})
    code, output, html = build_site(tmp_path, f"# A page\n\n<<< {MEASURING}\n", root)
    assert code == 0, output
    assert len(marks_in(html)) == 3, marks_in(html)  # one status line: the line, two legs
    assert "Verified on CUDA (NVIDIA H200, torch 2.11.0, 2099-12-31)" in html  # as text...
    assert "&lt;span class=&quot;verified&quot;" in html  # ...escaped
    assert "<script>alert" not in html and "site_name" not in html
    assert f"Verified on CUDA (NVIDIA H200, torch 2.11.0, {TODAY})" in html


def declare_gpu(book_repo, torch: str, device: str, message: str) -> None:
    """Commit a GPU environment declared in the fixture repository's pyproject.toml."""
    pyproject = book_repo / "pyproject.toml"
    entry = (
        f'\n[[tool.book.gpu-environments]]\nleg = "cuda"\ntorch = {torch!r}\ndevice = {device!r}\n'
    )
    pyproject.write_text(pyproject.read_text() + entry)
    git(book_repo, "commit", "-q", "-am", message)


def test_every_field_in_the_status_line_is_escaped(book_repo):
    """Even a declared environment's text is escaped: HTML in it is shown, not obeyed."""
    declare_gpu(
        book_repo, "2.11.0<img src=x onerror=alert(1)>", 'GPU <b class="verified">',
        "an odd GPU, declared",
    )  # fmt: skip
    odd = Environment("cuda", "2.11.0<img src=x onerror=alert(1)>", 'GPU <b class="verified">')
    proof = demo_entry(book_repo, date=TODAY, commit=git(book_repo, "rev-parse", "HEAD"))
    line = status_html(SHOWS, [(odd, {SHOWS: proof})])
    assert "GPU &lt;b class=&quot;verified&quot;&gt;" in line, line
    assert "<img" not in line and "<b " not in line, line
    assert len(marks_in(line)) == 3


# -- Marks written by hand -------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "where"),
    [
        pytest.param(FAKE_MARK, "docs/index.md:3:", id="span"),
        pytest.param("<div class=unverified>Not yet</div>", "docs/index.md:3:", id="unquoted"),
        pytest.param("[Verified on CUDA](#){ .verified }", "docs/index.md:3:", id="attr-list"),
        # The Markdown shows no class name: the HTML the page became has one.
        pytest.param('<span class="&#118;erified">Verified</span>', "docs/index.md: HTML",
                     id="character-reference"),
        # A mark drawn when the page is read: no script or handler of a page's own runs.
        pytest.param(f"<script>document.write(atob('{base64(FAKE_MARK)}'))</script>",
                     "docs/index.md: HTML line 2: '<script>'", id="script"),
        pytest.param(f"<img src=x onerror=\"this.outerHTML = atob('{base64(FAKE_MARK)}')\">",
                     "docs/index.md: HTML line 2: '<img", id="event-handler"),
        pytest.param("<style>p::after { content: 'Checked' }</style>",
                     "docs/index.md:3: a style ('<style')", id="style"),
        # A look-alike: no mark's class, a mark's words, and a style to put them in place.
        pytest.param('<p style="margin-top:-3.1em">Checked</p>',
                     "docs/index.md:3: a style ('style=')", id="style-attribute"),
        pytest.param('[Checked](#){ style="margin-top:-3.1em" }',
                     "docs/index.md:3: a style ('style=')", id="attr-list-style"),
        pytest.param("✔ Verified on CUDA (NVIDIA H200, torch 2.11.0, 2026-12-01)",
                     "docs/index.md:3: the words of a verification mark", id="words"),
        pytest.param("Not yet verified on CUDA", "docs/index.md:3: the words of a verification "
                     "mark", id="words-unverified"),
        # The words hidden from the lines of the Markdown: found in the page's HTML.
        pytest.param("✔ Verified&#32;\non CUDA", "docs/index.md: HTML line 2: 'Verified \\non'",
                     id="words-over-two-lines"),
        pytest.param("✔ Veri\u200bfied on CUDA", "docs/index.md: HTML line 2: 'Verified on'",
                     id="words-with-an-invisible-character"),
        pytest.param("[Checked](javascript:alert(1))", "docs/index.md:3: a URL that runs a script",
                     id="script-url"),
        pytest.param('[Checked](#){ onclick="alert(1)" }', "docs/index.md: HTML line 2: '<a",
                     id="attr-list-event-handler"),
        pytest.param('<svg><animate attributeName="class" to="verified"/></svg>',
                     "docs/index.md: HTML line 2: '<svg>'", id="svg-animation"),
    ],
)  # fmt: skip
def test_a_mark_written_by_hand_in_a_page_stops_the_build(tmp_path, written, where):
    code, output, _ = build_site(tmp_path, f"# A page\n\n{written}\n")
    assert code != 0, "the build published a mark it did not write"
    assert where in output, output


def test_a_look_alike_laid_over_a_programs_mark_stops_the_build(tmp_path):
    """Right under a program line, a paragraph styled to cover the real "Not yet verified"
    line with "Verified on" lines of its own: refused with the page and line."""
    code, output, html = build_site(tmp_path, f"# A page\n\n<<< {PROGRAM}\n{LOOK_ALIKE}\n")
    assert code != 0, f"the build published a look-alike mark: {html}"
    assert "docs/index.md:4: a style ('style=')" in output, output
    assert "docs/index.md:4: the words of a verification mark, written by hand ('Verified on')" in (
        output
    )


def test_a_page_without_marks_builds(tmp_path):
    """The control: the one-page site builds, so the failures above are the marks'; the
    words of a mark inside a code block, or in a sentence, are no mark."""
    page = (
        "# A page\n\nVerified, as a word. Every program is verified on torch 2.13.\n\n"
        '```text\nVerified on CUDA, <p style="x">, javascript:\n```\n'
    )
    code, output, html = build_site(tmp_path, page)
    assert code == 0, output
    assert marks_in(html) == []


def test_no_page_of_the_book_writes_a_mark_by_hand():
    """Every page, as the build's first step reads it (page:line)."""
    from book.site.program_blocks import hand_written_marks

    pages, found = sorted(DOCS.rglob("*.md")), []
    assert pages, "no page found: the check checked nothing"
    for page in pages:
        found += hand_written_marks(page.read_text(), page.relative_to(REPO).as_posix())
    assert found == []


def test_no_lab_of_the_book_writes_a_mark_by_hand():
    """Every lab's markdown cells, as the build reads them (lab:line)."""
    pytest.importorskip("nbconvert", reason="no docs toolchain here (the CPU leg builds the site)")
    from book.site import labs

    found = []
    lab_files = sorted((DOCS / "labs").glob("*.py"))
    assert lab_files, "no lab found: the check checked nothing"
    for lab in lab_files:
        name = lab.relative_to(REPO).as_posix()
        found += labs.cell_problems(lab.read_text(), labs.read_lab(lab), name)
    assert found == []


def test_a_finished_page_holds_exactly_the_marks_the_build_put_in():
    """After the page is HTML, nothing (a later hook, the theme, a notebook's markup)
    may add a mark, and every placeholder is used exactly once."""
    from book import syntax
    from book.site.program_blocks import Marks

    marks = Marks()
    word = marks.hold("docs/p.md", '<span class="verification"></span>')
    assert marks.secret in word  # a page cannot write it: the secret is drawn per build
    filled = marks.fill(f"<p>{word}</p>", "docs/p.md")
    marks.check(filled, "docs/p.md")
    with pytest.raises(syntax.SyntaxProblem, match="holds 2 elements .* where the build put 1"):
        marks.check(filled + '<span class="verified">x</span>', "docs/p.md")
    twice = Marks()
    word = twice.hold("docs/p.md", "<span></span>")
    with pytest.raises(syntax.SyntaxProblem, match="lost or repeated"):
        twice.fill(f"<p>{word}</p><p>{word}</p>", "docs/p.md")


# -- What a run records ----------------------------------------------------------------


def test_a_cuda_run_records_the_commit_it_ran_at_and_only_that(book_repo, tmp_path):
    root = tmp_path / "verification"
    head = git(book_repo, "rev-parse", "HEAD")
    records.write(GPU, {SHOWS: demo_entry(book_repo)}, TODAY, root=root)
    path = root / GPU.folder / "demo.json"
    assert json.loads(path.read_text())["programs"][SHOWS]["commit"] == head
    assert "Verified on CUDA" in status_html(SHOWS, records.load_all(root))

    # A run of an edit that is not committed names no commit, and shows no mark.
    (book_repo / SHOWS).write_text("print(2 + 2)\n")
    (book_repo / "snippets/demo/shows.out").write_text("4\n")
    records.write(GPU, {SHOWS: demo_entry(book_repo)}, TODAY, root=root)
    assert json.loads(path.read_text())["programs"][SHOWS]["commit"] is None
    assert "Verified on CUDA" not in status_html(SHOWS, records.load_all(root))

    # Committed, the same program run again is recorded at that commit.
    git(book_repo, "commit", "-q", "-am", "four")
    records.write(GPU, {SHOWS: demo_entry(book_repo)}, TODAY, root=root)
    assert json.loads(path.read_text())["programs"][SHOWS]["commit"] == git(
        book_repo, "rev-parse", "HEAD"
    )
    assert "Verified on CUDA" in status_html(SHOWS, records.load_all(root))
    assert records.write(GPU, {SHOWS: demo_entry(book_repo)}, TODAY, root=root) == []


def test_a_cuda_run_in_a_tree_without_history_names_no_commit_until_one_is_found(
    book_repo, tmp_path
):
    """A copy of the tree without .git cannot say which commit ran: the entry names none,
    fails the record checks, and tools/record_commits.py names it from the history."""
    root = tmp_path / "verification"
    (book_repo / ".git").rename(tmp_path / "history")
    records.write(GPU, {SHOWS: demo_entry(book_repo)}, TODAY, root=root)
    path = root / GPU.folder / "demo.json"
    assert "commit" not in json.loads(path.read_text())["programs"][SHOWS]
    assert "Verified on CUDA" not in status_html(SHOWS, records.load_all(root))
    [problem] = records.problems(root)
    assert "names no commit" in problem and "tools/record_commits.py" in problem
    (tmp_path / "history").rename(book_repo / ".git")
    assert records.add_commits(root) == [path]
    assert "Verified on CUDA" in status_html(SHOWS, records.load_all(root))


def test_a_run_of_an_uncommitted_edit_is_named_its_commit_once_there_is_one(book_repo, tmp_path):
    root = tmp_path / "verification"
    (book_repo / SHOWS).write_text("print(2 + 2)\n")
    (book_repo / "snippets/demo/shows.out").write_text("4\n")
    [path] = records.write(GPU, {SHOWS: demo_entry(book_repo)}, TODAY, root=root)
    assert records.add_commits(root) == []  # not in the history yet: still null
    git(book_repo, "commit", "-q", "-am", "four")
    assert records.add_commits(root) == [path]
    named = json.loads(path.read_text())["programs"][SHOWS]["commit"]
    assert named == git(book_repo, "rev-parse", "HEAD")
    assert "Verified on CUDA" in status_html(SHOWS, records.load_all(root))


def test_a_recording_run_replaces_a_hand_made_entry(book_repo, tmp_path):
    """An entry that proves the same hashes but fails its checks (here: dated after
    today) is not kept by the next run: the run's own entry replaces it."""
    root = tmp_path / "verification"
    forged = demo_entry(book_repo, date="2099-12-31", commit=git(book_repo, "rev-parse", "HEAD"))
    write_record(root, GPU, {SHOWS: forged})
    records.write(GPU, {SHOWS: demo_entry(book_repo)}, TODAY, root=root)
    kept = json.loads((root / GPU.folder / "demo.json").read_text())["programs"][SHOWS]
    assert kept["date"] == TODAY


def test_a_cpu_run_records_no_commit(book_repo, tmp_path):
    """CI runs the CPU leg on every change; its entries stay as they were written."""
    root = tmp_path / "verification"
    records.write(CPU, {SHOWS: demo_entry(book_repo)}, TODAY, root=root)
    written = json.loads((root / CPU.folder / "demo.json").read_text())["programs"][SHOWS]
    assert list(written) == ["program", "output", "result", "date"]


def test_a_commit_proves_only_the_content_it_holds(book_repo, tmp_path):
    first = git(book_repo, "rev-parse", "HEAD")
    (book_repo / SHOWS).write_text("print(3)\n")
    (book_repo / "snippets/demo/shows.out").write_text("3\n")
    git(book_repo, "commit", "-q", "-am", "three")
    # The same content on a branch HEAD never merged.
    git(book_repo, "checkout", "-q", "-b", "side", first)
    (book_repo / SHOWS).write_text("print(3)\n")
    git(book_repo, "commit", "-q", "-am", "three, elsewhere")
    side = git(book_repo, "rev-parse", "HEAD")
    git(book_repo, "checkout", "-q", "-")
    root = tmp_path / "verification"
    for commit, why in [
        (first, f"its program hash is not the content of {SHOWS} at commit {first}"),
        (side, f"commit {side} is not in the history of HEAD"),
    ]:
        write_record(root, GPU, {SHOWS: demo_entry(book_repo, date=TODAY, commit=commit)})
        assert "Verified on CUDA" not in status_html(SHOWS, records.load_all(root))
        assert records.problems(root) == [f"cuda-torch-2.11.0-cu130/demo.json: {SHOWS}: {why}"]


def test_contents_at_a_commit_are_read_in_step_whatever_was_asked_before(book_repo):
    """One git process answers every question (records._Blobs): a question with a
    newline in it, a folder, a missing file or commit get no contents and leave the
    answers that follow in step."""
    commit = git(book_repo, "rev-parse", "HEAD")
    blobs = records._Blobs()
    try:
        asked = [
            blobs.contents(book_repo, commit, f"{SHOWS}\n{commit}:snippets/demo/shows.out"),
            blobs.contents(book_repo, commit, "snippets/demo"),
            blobs.contents(book_repo, commit, "snippets/demo/none.py"),
            blobs.contents(book_repo, "0" * 40, SHOWS),
            blobs.contents(book_repo, commit, SHOWS),
        ]
    finally:
        blobs.close()
    assert asked == [None, None, None, None, b"print(1 + 1)\n"]
    assert not records.valid_rel(f"{SHOWS}\n"), "a program path ends at its name"


def test_the_migration_names_the_first_commit_that_held_each_recorded_program(book_repo, tmp_path):
    first = git(book_repo, "rev-parse", "HEAD")
    old = demo_entry(book_repo, date=TODAY)
    (book_repo / SHOWS).write_text("print(3)\n")
    git(book_repo, "commit", "-q", "-am", "three")
    git(book_repo, "commit", "-q", "--allow-empty", "-m", "later")
    now = demo_entry(book_repo, date=TODAY)
    never = now | {"program": "0" * 64}
    root = tmp_path / "verification"
    other = "snippets/demo/other.py"
    path = write_record(root, GPU, {SHOWS: old, other: never})
    assert records.add_commits(root) == [path]
    migrated = json.loads(path.read_text())["programs"]
    assert migrated[SHOWS]["commit"] == first
    assert migrated[other]["commit"] is None  # never in the history: no mark
    assert records.add_commits(root) == []  # once
    write_record(root, GPU, {SHOWS: now})
    records.add_commits(root)
    second = json.loads(path.read_text())["programs"][SHOWS]["commit"]
    assert second == git(book_repo, "rev-parse", "HEAD~1")  # "three", not "later"


# -- The pull request's summary --------------------------------------------------------


FOREIGN_COMMITS = "Check before merging: records naming a commit the base branch lacks"
CUDA_MARK = "` CUDA (NVIDIA H200, torch 2.11.0+cu130) `"


def marks_diff():
    spec = importlib.util.spec_from_file_location("marks_diff", REPO / "tools" / "marks_diff.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_pull_request_is_told_which_marks_it_adds_and_removes(book_repo, tmp_path):
    tool = marks_diff()
    base = git(book_repo, "rev-parse", "HEAD")
    root = book_repo / "verification"
    write_record(root, CPU, {SHOWS: demo_entry(book_repo, date=TODAY)})
    write_record(root, GPU, {SHOWS: demo_entry(book_repo, date=TODAY, commit=base)})
    write_record(root, Environment("cpu", "1.0.0+cpu", "CPU"), {SHOWS: demo_entry(book_repo)})
    git(book_repo, "add", "-A")
    git(book_repo, "commit", "-q", "-m", "records by hand")
    summary = tool.report(base, "HEAD", history=book_repo)
    assert f"` {SHOWS} `: adds ` CPU (torch 2.13.0+cpu) `" in summary
    assert f"` {SHOWS} `: adds ` CUDA (NVIDIA H200, torch 2.11.0+cu130) `" in summary
    assert "cpu-torch-1.0.0-cpu/demo.json: torch 1.0.0 is not in the CPU matrix" in summary
    assert "1.0.0" not in summary.split("### Records that show no mark")[0]  # no mark's
    assert "Check before merging" not in summary  # runs at a commit of the base branch

    added = git(book_repo, "rev-parse", "HEAD")
    (book_repo / SHOWS).write_text("print(5)\n")
    git(book_repo, "commit", "-q", "-am", "an edit no run verified")
    summary = tool.report(added, "HEAD", history=book_repo)
    assert f"` {SHOWS} `: removes ` CPU (torch 2.13.0+cpu) `" in summary
    assert f"` {SHOWS} `: removes ` CUDA (NVIDIA H200, torch 2.11.0+cu130) `" in summary
    assert "No mark is added or removed." in tool.report("HEAD", "HEAD", history=book_repo)


def test_a_cuda_mark_recorded_at_a_commit_of_the_change_itself_is_pointed_out(book_repo):
    """GPU runs record at commits of the main branch; an entry added by a pull request
    that names one of the pull request's own commits is listed for the reviewer."""
    tool = marks_diff()
    base = git(book_repo, "rev-parse", "HEAD")
    (book_repo / SHOWS).write_text("print(7)\n")
    (book_repo / "snippets/demo/shows.out").write_text("7\n")
    git(book_repo, "commit", "-q", "-am", "a new program")
    own = git(book_repo, "rev-parse", "HEAD")
    write_record(book_repo / "verification", GPU, {SHOWS: demo_entry(book_repo, date=TODAY,
                                                                    commit=own)})  # fmt: skip
    git(book_repo, "add", "-A")
    git(book_repo, "commit", "-q", "-m", "and its CUDA record, by hand")
    summary = tool.report(base, "HEAD", history=book_repo)
    assert f"### {FOREIGN_COMMITS}" in summary
    assert f"` {SHOWS} ` names commit ` {own} `, and shows {CUDA_MARK}" in summary
    assert FOREIGN_COMMITS not in tool.report(own, "HEAD", history=book_repo)


def test_a_record_left_out_of_git_archive_is_read_and_pointed_out(book_repo):
    """A pull request adds a CUDA entry naming its own commit, and a .gitattributes line
    that leaves the record out of `git archive`. The site, built from a checkout, shows
    the mark; so does the summary, read from git's objects, and it names the commit and
    the attributes first."""
    tool = marks_diff()
    base = git(book_repo, "rev-parse", "HEAD")
    (book_repo / SHOWS).write_text("print(7)\n")
    (book_repo / "snippets/demo/shows.out").write_text("7\n")
    git(book_repo, "commit", "-q", "-am", "a new program")
    own = git(book_repo, "rev-parse", "HEAD")
    record = write_record(book_repo / "verification", GPU,
                          {SHOWS: demo_entry(book_repo, date=TODAY, commit=own)})  # fmt: skip
    rel = record.relative_to(book_repo).as_posix()
    (book_repo / ".gitattributes").write_text(f"{rel} export-ignore\n")
    git(book_repo, "add", "-A")
    git(book_repo, "commit", "-q", "-m", "its CUDA record, left out of archives")
    assert records.proofs(SHOWS, "cuda", records.load_all(book_repo / "verification"))
    summary = tool.report(base, "HEAD", history=book_repo)
    assert f"- ` {SHOWS} `: adds {CUDA_MARK}" in summary, summary
    first = summary.split("### Marks added and removed")[0]
    assert f"` {rel} `: ` {SHOWS} ` names commit ` {own} `, and shows {CUDA_MARK}" in first
    assert "### Check before merging: `.gitattributes` changed" in first
    assert "- adds ` .gitattributes `" in first


def test_a_mark_that_stays_but_rests_on_an_entry_of_the_change_is_pointed_out(book_repo):
    """The program changes and its CUDA entry is rewritten to name the change's own
    commit: the page shows the same mark as before, so no mark is added, but the entry
    behind it was never run from the main branch."""
    tool = marks_diff()
    root = book_repo / "verification"
    first = git(book_repo, "rev-parse", "HEAD")
    write_record(root, GPU, {SHOWS: demo_entry(book_repo, date=TODAY, commit=first)})
    git(book_repo, "add", "-A")
    git(book_repo, "commit", "-q", "-m", "a CUDA run, recorded")
    base = git(book_repo, "rev-parse", "HEAD")
    (book_repo / SHOWS).write_text("print(8)\n")
    (book_repo / "snippets/demo/shows.out").write_text("8\n")
    git(book_repo, "commit", "-q", "-am", "the program changed")
    own = git(book_repo, "rev-parse", "HEAD")
    write_record(root, GPU, {SHOWS: demo_entry(book_repo, date=TODAY, commit=own)})
    git(book_repo, "commit", "-q", "-am", "and its record, by hand")
    summary = tool.report(base, "HEAD", history=book_repo)
    assert "No mark is added or removed." in summary
    assert f"` {SHOWS} ` names commit ` {own} `, and shows {CUDA_MARK}" in summary, summary
    assert FOREIGN_COMMITS not in tool.report(first, base, history=book_repo)  # the control


def test_a_pull_request_that_declares_an_environment_says_so(book_repo):
    tool = marks_diff()
    base = git(book_repo, "rev-parse", "HEAD")
    declare_gpu(book_repo, "9.9.9+cu999", "Any GPU", "a GPU nobody reviewed")
    summary = tool.report(base, "HEAD", history=book_repo)
    assert "- declares ` CUDA: Any GPU, torch 9.9.9+cu999 `" in summary


# -- Notebooks and labs ------------------------------------------------------------------


def test_a_notebook_entry_binds_every_source_and_refuses_a_forged_hash(tmp_path, monkeypatch):
    """A chapter notebook's entry names its page and programs; written at HEAD on the CUDA
    leg it names HEAD, and a source hash that HEAD does not hold is refused."""
    monkeypatch.setenv(records.RECORDS_ENV, str(tmp_path))
    page = REPO / "docs" / "tensors.md"
    programs = sorted((REPO / "snippets" / "tensors").glob("*.py"))
    entry = notebook_records.entry_for([page, *programs], [programs[0].with_suffix(".out")], True)
    assert set(entry["sources"]) == {"docs/tensors.md", *(
        p.relative_to(REPO).as_posix() for p in programs)}  # fmt: skip
    env = records.Environment("cuda", "2.11.0+cu130", "NVIDIA H200")
    path = notebook_records.write(env, {"docs/tensors.md": entry}, "2026-12-04")
    written = json.loads(path.read_text())["notebooks"]["docs/tensors.md"]
    head = records.head_commit(REPO)
    clean = all(notebook_records._source_at(head, rel) == h for rel, h in entry["sources"].items())
    assert written["commit"] == (head if clean else None)
    assert notebook_records.write(env, {"docs/tensors.md": entry}, "2026-12-05") is None
    forged = written | {
        "commit": head,
        "sources": written["sources"] | {"docs/tensors.md": "0" * 64},
    }
    why = notebook_records.entry_problem(env, "docs/tensors.md", forged, "2026-12-04")
    assert why == f"docs/tensors.md at commit {head} does not have its recorded hash"
    assert "after today" in notebook_records.entry_problem(
        env, "docs/tensors.md", written, "2026-01-01"
    )
    outside = written | {"sources": {"docs/tensors.md": "0" * 64, "../etc/passwd": "0" * 64}}
    assert "'sources' must map" in notebook_records.entry_problem(
        env, "docs/tensors.md", outside, "2026-12-04"
    )


def test_a_notebook_entry_without_a_commit_is_named_the_first_commit_holding_its_sources(
    tmp_path, monkeypatch
):
    """A GPU run in a tree whose git HEAD was older names no commit; tools/record_commits.py
    names the first commit at which the page and every program had the recorded hashes,
    and none where a source never had its hash."""
    if git(REPO, "rev-parse", "--is-shallow-repository") == "true":
        pytest.skip("a shallow clone lacks the commits records name (fetch the history)")
    monkeypatch.setenv(records.RECORDS_ENV, str(tmp_path))
    env = records.Environment("cuda", "2.11.0+cu130", "NVIDIA H200")
    first = git(REPO, "rev-list", "--reverse", "HEAD", "--", "docs/tensors.md").split()[0]
    shown = subprocess.run(
        ["git", "-C", str(REPO), "cat-file", "blob", f"{first}:docs/tensors.md"],
        capture_output=True, check=True,
    )  # fmt: skip
    sources = {"docs/tensors.md": hashlib.sha256(shown.stdout).hexdigest()}
    entry = {"sources": sources, "outputs": "1" * 64, "result": "passed", "commit": None}
    forged = entry | {"sources": {"docs/tensors.md": "0" * 64}}
    folder = tmp_path / env.folder
    folder.mkdir()
    path = folder / notebook_records.FILE
    notebooks = {"docs/tensors.md": entry | {"date": "2026-12-04"},
                 "docs/autograd.md": forged | {"date": "2026-12-04"}}  # fmt: skip
    path.write_text(json.dumps({"leg": "cuda", "torch": env.torch, "device": env.device,
                                "notebooks": notebooks}, indent=1) + "\n")  # fmt: skip
    assert notebook_records.add_commits(tmp_path) == [path]
    named = json.loads(path.read_text())["notebooks"]
    assert named["docs/tensors.md"]["commit"] == first
    assert named["docs/autograd.md"]["commit"] is None  # no commit held it: no mark
    assert notebook_records.add_commits(tmp_path) == []  # once


def test_every_committed_notebook_record_stands():
    """verification/*/notebooks.json as committed: declared environments, well formed,
    each CUDA entry at a commit that held every source it names."""
    if git(REPO, "rev-parse", "--is-shallow-repository") == "true":
        pytest.skip("a shallow clone lacks the commits records name (fetch the history)")
    assert notebook_records.problems() == []


def test_a_python_cell_is_its_own_environment_and_names_its_python_in_the_mark(tmp_path):
    """torch 2.15 on Python 3.13 (pyproject.toml python-cells) is recorded in its own
    folder, and a mark that rests on it names both Pythons that ran the program."""
    root = tmp_path / "verification"
    cell = Environment("cpu", "2.15.0+cu132", "CPU", "3.13")
    assert cell.folder == "cpu-torch-2.15.0-cu132-py3.13"
    base = Environment("cpu", "2.15.0+cu132", "CPU")
    write_record(root, base, {PROGRAM: entry(base)})
    write_record(root, cell, {PROGRAM: entry(cell)})
    assert records.problems(root) == []
    line = status_html(PROGRAM, records.load_all(root))
    assert "torch 2.15.0; Python 3.11, 3.13," in line, line
