"""Every workflow of the book: verify, build, serve, rewrite outputs, lint, measure."""

from __future__ import annotations

import sys

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True
nox.options.sessions = ["tests", "lint"]

PYPROJECT = nox.project.load_toml("pyproject.toml")
TORCH_GROUP = nox.project.dependency_groups(PYPROJECT, "torch")
# The torch version is a session parameter; its one pin lives in pyproject.toml.
TORCH_PIN = next(req.split("==", 1)[1] for req in TORCH_GROUP if req.startswith("torch=="))
SITE_URL = "http://127.0.0.1:8000/"


def groups(*names: str) -> tuple[str, ...]:
    return nox.project.dependency_groups(PYPROJECT, *names)


def install(session: nox.Session, torch: str, *names: str) -> None:
    """Install torch at the given version plus the named dependency groups."""
    others = [req for req in TORCH_GROUP if not req.startswith("torch==")]
    session.install(f"torch=={torch}", *others, *groups(*names))


def snippet_node_ids(paths: list[str]) -> list[str]:
    """Turn snippet paths given on the command line into pytest node ids."""
    ids = []
    for path in paths:
        name = path.removeprefix("snippets/")
        ids.append(f"tests/test_snippets.py::test_snippet[{name}]")
    return ids or ["tests/test_snippets.py"]


@nox.session
@nox.parametrize("torch", [TORCH_PIN])
def tests(session: nox.Session, torch: str) -> None:
    """CPU leg: every snippet through the harness, README/docs code blocks, project checks."""
    install(session, torch, "test", "docs")
    session.run(
        "python", "-m", "pytest", "--leg=cpu", "--codeblocks",
        "tests", "README.md", "docs", *session.posargs,
    )  # fmt: skip


@nox.session(venv_backend="none")
def tests_cuda(session: nox.Session) -> None:
    """CUDA leg in the current interpreter (its own torch); add --require-cuda on a GPU host."""
    # The site build does not depend on the device and needs the docs toolchain,
    # which GPU hosts without network lack: the CPU leg checks it.
    session.run(
        sys.executable, "-m", "pytest", "--leg=cuda", "--codeblocks",
        "--ignore=tests/test_site.py", "tests", "README.md", "docs", *session.posargs,
        external=True,
    )  # fmt: skip


@nox.session
@nox.parametrize("torch", [TORCH_PIN])
def outputs(session: nox.Session, torch: str) -> None:
    """Rewrite golden .out files by running the programs (all, or the paths given)."""
    install(session, torch, "test")
    session.run("python", "-m", "pytest", "--leg=cpu", "--update-outputs", "-q",
                *snippet_node_ids(session.posargs))  # fmt: skip


def verify_snippets(session: nox.Session) -> None:
    session.run("python", "-m", "pytest", "--leg=cpu", "-q", "tests/test_snippets.py")


@nox.session
@nox.parametrize("torch", [TORCH_PIN])
def docs(session: nox.Session, torch: str) -> None:
    """Verify every snippet, then build the site with mkdocs build --strict."""
    install(session, torch, "test", "docs")
    verify_snippets(session)
    session.run("mkdocs", "build", "--strict", *session.posargs)


@nox.session
@nox.parametrize("torch", [TORCH_PIN])
def serve(session: nox.Session, torch: str) -> None:
    """Verify every snippet, then serve the site with live reload on 127.0.0.1."""
    install(session, torch, "test", "docs")
    verify_snippets(session)
    session.log(f"The verified book is being served at {SITE_URL} (Ctrl+C stops it)")
    # Reloads reuse the labs' executed output while a lab's text is unchanged (the
    # build for the site and the tests never does: see mkdocs.yml).
    session.run(
        "mkdocs", "serve", "--strict", "--dev-addr", "127.0.0.1:8000", *session.posargs,
        env={"LABS_CACHE": "true"},
    )  # fmt: skip


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff check and format check over snippets, labs, hooks, tests and this file."""
    session.install(*groups("lint"))
    targets = ["snippets", "docs/labs", "overrides", "tests", "noxfile.py"]
    session.run("ruff", "check", *targets)
    session.run("ruff", "format", "--check", *targets)


@nox.session
@nox.parametrize("torch", [TORCH_PIN])
def new(session: nox.Session, torch: str) -> None:
    """Scaffold a chapter: nox -s new -- <slug> "<Title>" (page, snippet, nav line, output)."""
    if len(session.posargs) != 2:
        session.error('usage: nox -s new -- <slug> "<Title>"')
    install(session, torch, "test")
    slug, title = session.posargs
    session.run("python", "tests/harness/scaffold.py", slug, title)
    session.run("python", "-m", "pytest", "--leg=cpu", "--update-outputs", "-q",
                "tests/test_snippets.py", "-k", f"{slug}/")  # fmt: skip


@nox.session
@nox.parametrize("torch", [TORCH_PIN])
def bench(session: nox.Session, torch: str) -> None:
    """Print harness, floor, fresh-python, notebook and site build (cold/warm) timings."""
    install(session, torch, "test", "docs")
    session.run("python", "tests/harness/bench.py", *session.posargs)
