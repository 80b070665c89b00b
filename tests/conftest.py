"""Options and shared fixtures for the book's test suite."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from book import notebook_records
from book import records as record
from book.catalog import REPO, find_snippets
from book.run.runner import SnippetRunner, default_jobs
from book.run.sandbox import SandboxUnavailable
from book.run.sandbox import supported as sandbox_supported
from book.syntax import DEFAULT_TIMEOUT, PROGRAM_BUDGET, parse_directives
from site_build import ON_BUILD_START, SiteBuild

UNSANDBOXED = (
    "{why}: programs ran WITHOUT isolation (network, files, processes); "
    "no verification record is written"
)


@pytest.fixture(scope="session")
def sandboxed(request):
    """Skip, saying why, where programs run without the kernel sandbox: the tests that
    use it check the sandbox itself."""
    why = unsandboxed(request.config)
    if why:
        pytest.skip(f"{why}: these tests check the sandbox itself")


def write_program(tmp_path: Path, source: str, name: str = "program.py") -> Path:
    """A program written from an indented source text, as a test's fixture."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(source).lstrip("\n"))
    return path


def run_program(runner, tmp_path: Path, source: str, name: str = "program.py"):
    """Run a program written from source through the runner; (result, its problems)."""
    from book.catalog import load_snippet
    from book.judge import behaviour_problems

    path = write_program(tmp_path, source, name)
    snippet = load_snippet(path)
    result = runner.run(path, timeout=snippet.timeout)
    return result, behaviour_problems(snippet, result)


def unsandboxed(config) -> str | None:
    """Why programs run without the kernel sandbox in this run, or None when they do not."""
    if config.getoption("--no-sandbox"):
        return "--no-sandbox"
    if not sandbox_supported():
        return f"no kernel sandbox on {sys.platform} (Linux only)"
    return None


# Where a run leaves its record and timings. A pytest run inside a test (the self-tests
# run some) names a folder of its own, so test-artifacts/ holds the outer run's only.
ARTIFACTS_ENV = "BOOK_ARTIFACTS"
ARTIFACTS = Path(os.environ.get(ARTIFACTS_ENV) or REPO / "test-artifacts")
RUN_RECORDS = ARTIFACTS / "verification"  # nox -s serve builds with BOOK_RECORDS set to it
# This run's record entries and timings, by program.
RESULTS = pytest.StashKey[dict]()
TIMINGS = pytest.StashKey[dict]()
NOTEBOOK_RESULTS = pytest.StashKey[dict]()
SITE_FAILURE = pytest.StashKey[str]()  # the test that reported a failed build
# Snippet tests still to finish; the site build starts when none are left.
PENDING_PROGRAMS = pytest.StashKey[set]()
SITE = pytest.StashKey[SiteBuild]()


def pytest_addoption(parser):
    group = parser.getgroup("book")
    group.addoption(
        "--leg",
        choices=("cpu", "cuda"),
        default="cpu",
        help="cpu: hide any GPU and compare output byte for byte; cuda: show the GPU",
    )
    group.addoption(
        "--require-cuda",
        action="store_true",
        help="on the cuda leg, fail (instead of skip) when no GPU is available",
    )
    group.addoption(
        "--update-outputs",
        action="store_true",
        help="rewrite golden .out files from what the programs print",
    )
    group.addoption(
        "--record",
        action="store_true",
        help="write this run's results into verification/ (nox -s docs, the GPU leg)",
    )
    group.addoption(
        "--no-sandbox",
        action="store_true",
        help="run programs without the bubblewrap sandbox (no isolation; nothing is recorded)",
    )
    group.addoption(
        "--chapter",
        metavar="SLUG",
        help="check one chapter (docs/SLUG.md) or lab (labs/NAME) as the full run does: "
        "its programs, notebook, prose checks, the built page in the browser (nox -s chapter)",
    )
    group.addoption(
        "--harness-jobs",
        type=int,
        default=None,
        help="programs run side by side, each in its own process (default: one per core on "
        "the cpu leg, as many as memory allows; two on the cuda leg)",
    )
    group.addoption(
        "--program-threads",
        type=int,
        default=1,
        help="CPU threads of each program's torch (default 1; the CPU matrix runs with 3, "
        "so a program whose printed numbers depend on the count fails there)",
    )


def pytest_configure(config):
    refuse_page_executors(config)


def refuse_page_executors(config) -> None:
    """Stop a run in which pytest-codeblocks is active, however it was loaded.

    Its plugin exec()s a page's Python blocks in this process, runs its shell blocks
    with a shell and evaluates its marker comments: page text would run on this
    machine. pyproject.toml disables it (-p no:codeblocks); this catches `-p codeblocks`
    or PYTEST_PLUGINS. Page blocks run in the sandbox instead (test_page_blocks.py)."""
    for name, plugin in config.pluginmanager.list_name_plugin():
        if plugin is None:  # blocked (-p no:codeblocks): registered as None
            continue
        if name == "codeblocks" or getattr(plugin, "__name__", "").startswith("pytest_codeblocks"):
            raise pytest.UsageError(
                f"the pytest-codeblocks plugin is loaded ({name}): it would execute code from "
                "the pages in this process, outside the sandbox. The book's page blocks run "
                "in the sandbox (tests/test_page_blocks.py); drop '-p codeblocks' and "
                "'--codeblocks'."
            )


def run_pytest(args: list[str], artifacts: Path, **kwargs) -> subprocess.CompletedProcess:
    """A pytest run inside a test, from the repository root: its record and timings go
    to artifacts, never to the outer run's test-artifacts/."""
    env = os.environ | {ARTIFACTS_ENV: str(artifacts)} | kwargs.pop("env", {})
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=REPO, capture_output=True, text=True, env=env, **kwargs,
    )  # fmt: skip


def pytest_generate_tests(metafunc):
    if "snippet" in metafunc.fixturenames:
        snippets = find_snippets()
        metafunc.parametrize(
            "snippet", snippets, ids=[s.rel.removeprefix("snippets/") for s in snippets]
        )


def _is_snippet_test(item) -> bool:
    return getattr(item, "originalname", None) == "test_snippet"


def _reads_site(item) -> bool:
    return "built_site" in getattr(item, "fixturenames", ())


# The test files that check one chapter: its programs, its notebook, the prose checks,
# its page's code blocks, and the built site (offline and in the browser, its page only).
CHAPTER_FILES = (
    "test_snippets.py", "test_notebooks.py", "test_guards.py", "test_page_blocks.py",
    "test_site.py", "test_built_html.py", "test_pages.py", "test_shared_lines.py",
)  # fmt: skip


BROWSER_FILES = ("test_built_html.py", "test_pages.py")
# Files whose unparametrized tests check the harness itself, not a chapter: the full run
# has them; one chapter's check runs only its page's blocks from them.
SELF_TEST_FILES = ("test_page_blocks.py", "test_shared_lines.py")


def chapter_keys(chapter: str) -> tuple[str, ...]:
    """What a parametrized test's id holds when the test is about this chapter or lab."""
    if chapter.startswith("labs/"):
        name = chapter.removeprefix("labs/")
        return (f"[{name}.py]",)  # the whole id: training-loop/classifier.py is no lab
    return (f"{chapter}/", f"{chapter}.md", f"[{chapter}]")


def only_chapter(config, items) -> None:
    """Keep the tests of --chapter; say which chapters exist when it names none."""
    chapter = config.getoption("--chapter")
    if not chapter:
        return
    from book.notebooks import chapter_slugs, find_labs

    known = [*chapter_slugs(), *(f"labs/{lab.stem}" for lab in find_labs())]
    if chapter not in known:
        raise pytest.UsageError(f"--chapter {chapter}: no such chapter or lab; one of: {known}")
    keys = chapter_keys(chapter)
    kept, dropped = [], []
    for item in items:
        name = Path(item.path).name
        # The browser's tests are parametrized by palette, not page: the tour itself
        # visits only the chapter's page (the pages fixture), so all of them are kept.
        mine = name in CHAPTER_FILES and (
            name in BROWSER_FILES
            or (not hasattr(item, "callspec") and name not in SELF_TEST_FILES)
            or (hasattr(item, "callspec") and any(k in f"[{item.callspec.id}]" for k in keys))
        )
        (kept if mine else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    items[:] = kept


def pytest_collection_modifyitems(session, config, items):
    only_chapter(config, items)
    items.sort(key=run_order)


# Test files that mostly wait on processes of their own (sandboxes starting, programs
# sleeping or tripping a limit): measured at half of two cores busy, alone.
WAITING_FILES = (
    "test_sandbox.py",
    "test_side_doors.py",
    "test_record_trust.py",
    "test_safe_files.py",
    "test_page_blocks.py",
)


def run_order(item) -> int:
    """The programs first (the site shows their marks, so it is built from their
    results); then the tests that mostly wait, beside the chapter notebooks (queued
    behind the programs) and the site build, which use the cores meanwhile; then
    everything else; the notebooks' own tests, which by then mostly find their
    results ready; the tests that read the built site last."""
    if _is_snippet_test(item):
        return 0
    if _reads_site(item):
        return 4
    name = Path(item.path).name
    if name in WAITING_FILES:
        return 1
    return 3 if name == "test_notebooks.py" else 2


def pytest_collection_finish(session):
    config = session.config
    if config.option.collectonly:
        return
    config.stash[PENDING_PROGRAMS] = {i.nodeid for i in session.items if _is_snippet_test(i)}
    reads_site = any(_reads_site(item) for item in session.items)
    # One chapter's check (nox -s chapter) builds the site at once, beside its programs,
    # with the marks of the committed records: a few seconds sooner, where the full run
    # waits to show this run's marks.
    if reads_site and (config.getoption("--chapter") or not config.stash[PENDING_PROGRAMS]):
        _start_site_build(config)


def pytest_runtest_teardown(item, nextitem):
    config = item.config
    pending = config.stash.get(PENDING_PROGRAMS, set())
    if item.nodeid in pending:
        pending.discard(item.nodeid)
        if not pending and config.stash.get(SITE, None) is None:
            _start_site_build(config)


def _start_site_build(config) -> None:
    """Build the site in the background, with the marks of this run's record when
    programs ran (the committed records merged with this run's results)."""
    pdf = not config.getoption("--chapter")  # one chapter's check reads no PDF
    build = config.stash[SITE] = SiteBuild(records=_write_run_record(config), pdf=pdf)
    for start in config.stash.get(ON_BUILD_START, []):
        start(config, build)


def _write_run_record(config) -> Path | None:
    """test-artifacts/verification: the committed records merged with this run's results."""
    results = config.stash.get(RESULTS, {})
    notebooks = config.stash.get(NOTEBOOK_RESULTS, {})
    if not (results or notebooks) or unsandboxed(config):
        return None
    run_records = RUN_RECORDS
    shutil.rmtree(run_records, ignore_errors=True)
    if record.RECORDS.exists():
        # A link among the records is copied as a link (never its target); the guards
        # and the site build refuse it.
        shutil.copytree(record.RECORDS, run_records, symlinks=True)
    env = record.this_environment(config.getoption("--leg"))
    record.write(env, results, dt.date.today().isoformat(), root=run_records)
    return run_records


@pytest.fixture(scope="session")
def built_site(request) -> Path:
    """The site built with mkdocs build --strict, marks from this run's record."""
    config = request.config
    if config.stash.get(SITE, None) is None:
        _start_site_build(config)
    build = config.stash[SITE]
    code, output = build.wait()
    if code != 0:
        first = config.stash.setdefault(SITE_FAILURE, request.node.nodeid)
        if first != request.node.nodeid:  # one cause, said once: the first test has it all
            pytest.fail(f"the site did not build: see the first failure, {first}", pytrace=False)
        pytest.fail(f"mkdocs build --strict failed:\n{build_errors(output)}", pytrace=False)
    return build.target


def build_errors(output: str) -> str:
    """The build's own error lines first (each once), then the end of its log."""
    seen = []
    for line in output.splitlines():
        if line.startswith(("ERROR", "Aborted")) and line not in seen:
            seen.append(line)
    tail = output[-3000:]
    return "\n".join(seen) + ("\n\nthe end of the build's log:\n" + tail if tail else "")


@pytest.fixture(scope="session")
def site_records(built_site, request) -> Path:
    """The records the built site's marks were derived from."""
    return request.config.stash[SITE].records or record.RECORDS


def pytest_unconfigure(config):
    build = config.stash.get(SITE, None)
    if build is not None:
        build.close()


@pytest.fixture(scope="session")
def leg(request) -> str:
    return request.config.getoption("--leg")


@pytest.fixture(scope="session")
def runner(request, leg):
    if leg == "cuda":
        import torch

        # Asking the driver is safe here: this process never forks snippets,
        # the separate fork server does, and it has not touched CUDA.
        if not torch.cuda.is_available():
            message = "the cuda leg needs a GPU and torch.cuda.is_available() is False"
            if request.config.getoption("--require-cuda"):
                pytest.fail(message + " (--require-cuda)", pytrace=False)
            pytest.skip(message)
    # Rewriting .out files writes into the repository between runs: one at a time.
    jobs = request.config.getoption("--harness-jobs")
    if request.config.getoption("--update-outputs"):
        jobs = 1
    elif jobs is None:
        jobs = default_jobs(leg)
    isolated = not unsandboxed(request.config)
    try:
        server = SnippetRunner(
            REPO,
            leg=leg,
            jobs=jobs,
            isolated=isolated,
            threads=request.config.getoption("--program-threads"),
        )
    except SandboxUnavailable as error:
        pytest.exit(str(error), returncode=3)
    yield server
    server.close()


@pytest.fixture(scope="session")
def rerunner(request, leg, runner):
    """A second fork server with another hash seed: `--update-outputs` records an output
    only when a second run of the program prints the same."""
    isolated = not unsandboxed(request.config)
    seed = runner.hash_seed % ((1 << 32) - 1) + 1
    server = SnippetRunner(
        REPO, leg=leg, jobs=1, isolated=isolated, hash_seed=seed, threads=runner.threads
    )
    yield server
    server.close()


@pytest.fixture(scope="session")
def snippet_runner(runner, request):
    """The runner, with every selected snippet, then every selected lab and chapter
    notebook, queued to start ahead of its test.

    Set up at the first snippet test, so the programs run side by side with each
    other only, in the order their tests ask for them; the notebooks follow on
    whichever slot frees first, instead of one at a time after the last program."""
    from book.notebooks import load_chapter, load_lab, run_request

    programs, notebooks = [], []
    for item in request.session.items:
        name, params = getattr(item, "originalname", None), getattr(item, "callspec", None)
        if params is None:
            continue
        if name == "test_snippet":
            snippet = params.params["snippet"]
            programs.append((snippet.path, snippet.timeout))
        # A notebook that cannot be made (a page naming a missing program) is not
        # queued: its own test says why, once, instead of every test erroring here.
        elif name == "test_lab_runs_top_to_bottom_and_shows_its_recorded_outputs":
            with contextlib.suppress(Exception):
                notebooks.append(run_request(load_lab(params.params["lab"])))
        elif name == "test_chapter_notebook_runs_top_to_bottom":
            with contextlib.suppress(Exception):
                notebooks.append(run_request(load_chapter(params.params["slug"])))

    # Those that declare a longer time limit than the default start first: they then run
    # beside everything else instead of holding up the end of the queue.
    def declared_slow(entry) -> bool:
        timeouts = [c["timeout"] for c in entry[2]] if len(entry) == 3 else [entry[1]]
        return max(timeouts, default=0) > DEFAULT_TIMEOUT

    queue = programs + notebooks
    runner.run_ahead(sorted(queue, key=lambda entry: not declared_slow(entry)))
    return runner


@pytest.fixture(scope="session")
def release() -> str | None:
    """The torch release ("2.10") when it is not the one the outputs are recorded with
    (pyproject.toml's pin): its own output files then take precedence."""
    import tomllib

    import torch

    pins = tomllib.loads((REPO / "pyproject.toml").read_text())["dependency-groups"]["torch"]
    recorded = next(p.split("==", 1)[1].lstrip("=") for p in pins if p.startswith("torch=="))
    running = record.release_of(torch.__version__)
    return None if running == record.release_of(recorded) else running


@pytest.fixture
def record_result(request, leg, release):
    """Call with (snippet, result, passed) to add a program to this run's record."""

    def add(snippet, result, passed: bool) -> None:
        shown = record.shown_output_path(snippet.path, leg, release)
        entry = record.entry_for(snippet.path, shown, passed)
        if snippet.varies and leg == "cuda":  # what this GPU measured, shown on the page
            entry["measured"] = result.stdout
        request.config.stash.setdefault(RESULTS, {})[snippet.rel] = entry
        request.config.stash.setdefault(TIMINGS, {})[snippet.rel] = round(result.seconds, 3)

    return add


@pytest.fixture
def record_notebook(request, leg):
    """Call with (notebook file, sources, outputs compared, passed) to add a chapter
    notebook or a lab to this run's record (book.notebook_records)."""

    def add(path, sources, outputs, passed: bool) -> None:
        rel = path.relative_to(REPO).as_posix()
        entry = notebook_records.entry_for(sources, outputs, passed)
        request.config.stash.setdefault(NOTEBOOK_RESULTS, {})[rel] = entry

    return add


def pytest_report_header(config):
    if unsandboxed(config):
        return [UNSANDBOXED.format(why=unsandboxed(config))]
    from book.run import sandbox

    try:
        return [f"sandbox: {sandbox.bwrap()[1]}"]
    except SandboxUnavailable:
        return []  # the first program that needs the sandbox says why


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    slow = over_budget(config.stash.get(TIMINGS, {}))
    if slow:
        terminalreporter.write_sep("-", f"programs over the {PROGRAM_BUDGET:g} s budget")
        for rel, seconds in slow:
            terminalreporter.write_line(
                f"{rel}: {seconds:.1f} s. A reader waits for it: make it faster, or declare "
                "'# timeout: N' at its top and say on its page why it takes longer"
            )
    if unsandboxed(config):
        terminalreporter.write_sep("!", UNSANDBOXED.format(why=unsandboxed(config)), red=True)


def over_budget(timings: dict[str, float]) -> list[tuple[str, float]]:
    """The programs of this run that took longer than the budget without declaring a
    time limit of their own, slowest first."""
    found = []
    for rel, seconds in timings.items():
        path = REPO / rel
        if seconds > PROGRAM_BUDGET and path.is_file():
            if not parse_directives(path.read_text(), rel).timeout_declared:
                found.append((rel, seconds))
    return sorted(found, key=lambda pair: -pair[1])


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    if unsandboxed(config):
        return
    notebooks = config.stash.get(NOTEBOOK_RESULTS, {})
    if notebooks and config.getoption("--record"):
        env = record.this_environment(config.getoption("--leg"))
        changed = notebook_records.write(env, notebooks, dt.date.today().isoformat())
        name = changed.relative_to(REPO) if changed else "nothing changed"
        print(f"\nverification record ({env.folder}, {len(notebooks)} notebooks): {name}")
    results = config.stash.get(RESULTS, {})
    if not results:
        return
    leg = config.getoption("--leg")
    ARTIFACTS.mkdir(exist_ok=True)
    timings = ARTIFACTS / f"timings-{leg}.json"
    timings.write_text(json.dumps(config.stash.get(TIMINGS, {}), indent=1, sort_keys=True) + "\n")
    if config.stash.get(SITE, None) is None:  # nox -s serve shows the marks of this run
        _write_run_record(config)
    if not config.getoption("--record"):
        return
    env = record.this_environment(leg)
    changed = record.write(env, results, dt.date.today().isoformat())
    names = ", ".join(str(p.relative_to(REPO)) for p in changed) or "nothing changed"
    print(f"\nverification record ({env.folder}, {len(results)} programs): {names}")
