"""Options and shared fixtures for the book's test suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness import record
from harness.catalog import REPO, find_snippets
from harness.runner import SnippetRunner
from harness.sandbox import SandboxUnavailable
from harness.site_build import SiteBuild

UNSANDBOXED = (
    "--no-sandbox: programs ran WITHOUT isolation (network, files, processes); "
    "no verification record is written"
)

# Results of this run's snippets, written to the verification record at the end.
RESULTS: dict[str, dict] = {}
# The site build, started in the background once collection shows a test needs it.
SITE: SiteBuild | None = None


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
        "--no-sandbox",
        action="store_true",
        help="run programs without the bubblewrap sandbox (no isolation; nothing is recorded)",
    )
    group.addoption(
        "--harness-jobs",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="programs run side by side, each in its own process (default: 2, or 1 on one core)",
    )


def pytest_generate_tests(metafunc):
    if "snippet" in metafunc.fixturenames:
        snippets = find_snippets()
        metafunc.parametrize(
            "snippet", snippets, ids=[s.rel.removeprefix("snippets/") for s in snippets]
        )


def pytest_collection_modifyitems(session, config, items):
    # Tests that read the built site go last, so the build overlaps all the others.
    items.sort(key=lambda item: "built_site" in getattr(item, "fixturenames", ()))


def pytest_collection_finish(session):
    global SITE
    if session.config.option.collectonly:
        return
    if any("built_site" in getattr(item, "fixturenames", ()) for item in session.items):
        SITE = SiteBuild()


@pytest.fixture(scope="session")
def built_site() -> Path:
    """The site built with mkdocs build --strict (labs executed, notebooks generated)."""
    global SITE
    SITE = SITE or SiteBuild()
    code, output = SITE.wait()
    if code != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{output[-4000:]}", pytrace=False)
    return SITE.target


def pytest_unconfigure(config):
    if SITE is not None:
        SITE.close()


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
    jobs = (
        1
        if request.config.getoption("--update-outputs")
        else request.config.getoption("--harness-jobs")
    )
    isolated = not request.config.getoption("--no-sandbox")
    try:
        server = SnippetRunner(REPO, leg=leg, jobs=jobs, isolated=isolated)
    except SandboxUnavailable as error:
        pytest.exit(str(error), returncode=3)
    yield server
    server.close()


@pytest.fixture(scope="session")
def rerunner(request, leg, runner):
    """A second fork server with another hash seed: `--update-outputs` records an output
    only when a second run of the program prints the same."""
    isolated = not request.config.getoption("--no-sandbox")
    seed = runner.hash_seed % ((1 << 32) - 1) + 1
    server = SnippetRunner(REPO, leg=leg, jobs=1, isolated=isolated, hash_seed=seed)
    yield server
    server.close()


@pytest.fixture(scope="session")
def snippet_runner(runner, request):
    """The runner, with every selected snippet queued to start ahead of its test.

    Set up at the first snippet test, so the programs run side by side with each
    other only, in the order their tests ask for them."""
    programs = [
        (item.callspec.params["snippet"].path, item.callspec.params["snippet"].timeout)
        for item in request.session.items
        if item.originalname == "test_snippet" and hasattr(item, "callspec")
    ]
    runner.run_ahead(programs)
    return runner


@pytest.fixture
def record_result(request):
    """Call with (snippet, result, passed) to add a snippet to the run record."""

    def add(snippet, result, passed: bool) -> None:
        entry = {
            "sha256": record.content_hash(snippet.path),
            "result": "passed" if passed else "failed",
            "seconds": round(result.seconds, 3),
        }
        if snippet.varies:  # measurements: keep what this machine printed
            entry["output"] = result.stdout
        RESULTS[snippet.rel] = entry

    return add


def pytest_report_header(config):
    if config.getoption("--no-sandbox"):
        return [UNSANDBOXED]
    return []


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if config.getoption("--no-sandbox"):
        terminalreporter.write_sep("!", UNSANDBOXED, red=True)


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    if not RESULTS or config.getoption("--update-outputs") or config.getoption("--no-sandbox"):
        return
    path = record.write(record.machine(config.getoption("--leg")), RESULTS)
    print(f"\nverification record: {path.relative_to(REPO)} ({len(RESULTS)} snippets)")
