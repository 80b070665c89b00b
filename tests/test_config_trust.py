"""mkdocs.yml comes from pull requests too: no text of it runs code or reads the host.

MkDocs reads its config with PyYAML's full loader, so a tag can import a module or call
a function, `!ENV` reads the environment, and some settings run labs in a kernel or
publish a host file. Each attack is a small mkdocs.yml in tmp_path: book/site_config.py
refuses it with its line and why, and a build started the way the project starts it
(book.site.cli, as nox -s docs, nox -s serve, nox -s bench and the tests' site build do)
stops before MkDocs reads the file. Where it is cheap, the same file given to plain
`python -m mkdocs` shows the attack is real.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from book.catalog import REPO
from book.site import cli
from book.site_config import CONFIG, ConfigRefused, check_config, config_problems

SECRET = "the host's secret"
BASE = "site_name: A book\n"
ENV = os.environ | {"NO_MKDOCS_2_WARNING": "1"}

# -- the attacks, each as the lines a pull request would add -------------------------------

IMPORT_MODULE = """\
markdown_extensions:
  - pymdownx.superfences:
      custom_fences:
        - name: demo
          class: demo
          format: !!python/name:snippets.x.fences.fence
"""
RUN_COMMAND = """\
site_description: !!python/object/apply:os.system ["echo run > canary"]
"""
EXECUTE_LABS = """\
plugins:
  - mkdocs-jupyter:
      include: ["labs/*.py"]
      execute: true
"""
APPEND_HOST_FILE = """\
markdown_extensions:
  - pymdownx.snippets:
      base_path: [!relative $config_dir]
      check_paths: true
      restrict_base_path: false
      auto_append: ["../host/secret.txt"]
"""
ENVIRONMENT = """\
site_description: !ENV [BOOK_TEST_SECRET, nothing]
"""


def write_book(root: Path, attack: str) -> Path:
    """A one-page book in root whose mkdocs.yml holds the attack; a module that leaves a
    canary when imported (as B7 names it); a host file beside the book."""
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# A page\n")
    fences = root / "snippets" / "x"
    fences.mkdir(parents=True)
    (fences / "fences.py").write_text(
        "from pathlib import Path\n"
        "Path(__file__).parents[2].joinpath('canary').write_text('imported')\n"
        "def fence(*args, **kwargs):\n    return ''\n"
    )
    host = root.parent / "host"
    host.mkdir(exist_ok=True)
    (host / "secret.txt").write_text(SECRET + "\n")
    (root / "mkdocs.yml").write_text(BASE + attack)
    return root / "mkdocs.yml"


def problems_of(tmp_path: Path, text: str) -> list[str]:
    config = tmp_path / "mkdocs.yml"
    config.write_text(text)
    return config_problems(config)


def start(root: Path, *args: str, plain: bool = False) -> subprocess.CompletedProcess:
    """Build the book in root as the project starts MkDocs, or with plain `python -m mkdocs`."""
    pytest.importorskip("mkdocs", reason="no docs toolchain here (the CPU leg builds the site)")
    site = ["build", "-q", "--site-dir", str(root / "site"), *args]
    command = (
        [sys.executable, "-m", "mkdocs", *site] if plain else cli.command(sys.executable, *site)
    )
    env = ENV | {"BOOK_TEST_SECRET": SECRET}
    return subprocess.run(command, cwd=root, capture_output=True, text=True, env=env, timeout=120)


def published(root: Path) -> str:
    """Everything the build wrote, as one text."""
    site = root / "site"
    files = sorted(p for p in site.rglob("*") if p.is_file()) if site.exists() else []
    return "".join(p.read_text(errors="replace") for p in files)


# -- the book's own file -------------------------------------------------------------------


def test_the_books_mkdocs_yml_passes_the_check():
    assert config_problems(CONFIG) == []
    check_config(CONFIG)


# -- each attack is refused by the check, with its line and why ----------------------------


@pytest.mark.parametrize(
    ("attack", "expected"),
    [
        pytest.param(
            IMPORT_MODULE,
            "mkdocs.yml:7: tag !!python/name:snippets.x.fences.fence: MkDocs would import "
            "'snippets.x.fences.fence' while it reads the file",
            id="B7-python-name",
        ),
        pytest.param(
            RUN_COMMAND,
            "mkdocs.yml:2: tag !!python/object/apply:os.system: MkDocs would import a module "
            "or call a function while it reads the file",
            id="B7-object-apply",
        ),
        pytest.param(
            EXECUTE_LABS,
            "mkdocs.yml:5: plugins.mkdocs-jupyter.execute: must be false: true runs every lab "
            "in a Jupyter kernel on the machine that builds the site",
            id="B8-execute",
        ),
        pytest.param(
            APPEND_HOST_FILE,
            "mkdocs.yml:6: pymdownx.snippets.restrict_base_path: must be true (or left out)",
            id="B9-restrict-base-path",
        ),
        pytest.param(
            APPEND_HOST_FILE,
            "mkdocs.yml:7: pymdownx.snippets.auto_append: appends a file to every page",
            id="B9-auto-append",
        ),
        pytest.param(
            ENVIRONMENT,
            "mkdocs.yml:2: tag !ENV: reads an environment variable of the machine that builds",
            id="B10-env",
        ),
    ],
)
def test_each_attack_is_refused_with_its_line_and_why(tmp_path, attack, expected):
    config = write_book(tmp_path / "book", attack)
    problems = config_problems(config)
    assert any(problem.startswith(expected) for problem in problems), problems
    with pytest.raises(ConfigRefused, match="refused before MkDocs reads it") as refused:
        check_config(config)
    assert expected in str(refused.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Tags: a python tag behind a %TAG handle or written verbatim is still a python tag.
        (
            "%TAG !p! tag:yaml.org,2002:python/\n---\nsite_name: !p!object/apply:os.getcwd []\n",
            "mkdocs.yml:3: tag !!python/object/apply:os.getcwd:",
        ),
        (
            "site_name: !<tag:yaml.org,2002:python/module:os> ''\n",
            "mkdocs.yml:1: tag !!python/module:os: MkDocs would import a module",
        ),
        ("site_name: !!str A book\n", "mkdocs.yml:1: tag !!str: not a tag the book's"),
        (
            "markdown_extensions:\n  - pymdownx.snippets:\n      base_path: [!relative ../..]\n"
            "      check_paths: true\n",
            "mkdocs.yml:3: tag !relative: only `!relative $config_dir` (the repository)",
        ),
        (
            "site_name: A book\ncopyright: !relative $config_dir\n",
            "mkdocs.yml:2: copyright: `!relative` is allowed only in pymdownx.snippets' base_path",
        ),
        # Settings that read, run or write outside the repository.
        ("INHERIT: ../host/base.yml\n", "mkdocs.yml:1: INHERIT: merges another YAML file"),
        ("docs_dir: ../host\n", "mkdocs.yml:1: docs_dir: must be 'docs'"),
        ("site_dir: /home\n", "mkdocs.yml:1: site_dir: must be 'site'"),
        ("watch: [/etc]\n", "mkdocs.yml:1: watch: makes mkdocs serve watch"),
        ("dev_addr: 0.0.0.0:8000\n", "mkdocs.yml:1: dev_addr: nox -s serve sets the address"),
        ("theme:\n  name: material\n  custom_dir: /etc\n", "mkdocs.yml:3: theme.custom_dir:"),
        ("theme: readthedocs\n", "mkdocs.yml:1: theme: must be Material"),
        ("hooks:\n  - snippets/x/fences.py\n", "mkdocs.yml:2: hooks: 'snippets/x/fences.py' is"),
        (
            "hooks:\n  - overrides/hooks/../../x.py\n",
            "mkdocs.yml:2: hooks: 'overrides/hooks/../../x.py' is not a .py file",
        ),
        ("plugins:\n  - material/blog\n", "mkdocs.yml:2: plugins: 'material/blog' is not one"),
        (
            "plugins:\n  - mkdocs-jupyter:\n      data_files: {a.py: [/etc/passwd]}\n",
            "mkdocs.yml:3: plugins.mkdocs-jupyter.data_files: not an option the book sets",
        ),
        (
            "markdown_extensions:\n  - snippets.x.fences\n",
            "mkdocs.yml:2: markdown_extensions: 'snippets.x.fences': Python-Markdown imports",
        ),
        (
            "markdown_extensions:\n  - pymdownx.snippets:\n      base_path: [/etc]\n"
            "      check_paths: true\n",
            "mkdocs.yml:3: pymdownx.snippets.base_path: '/etc' is not a folder inside the repo",
        ),
        (
            "markdown_extensions:\n  - pymdownx.snippets:\n      base_path: ../host\n",
            "mkdocs.yml:3: pymdownx.snippets.base_path: '../host' is not a folder inside",
        ),
        (
            "markdown_extensions:\n  - pymdownx.snippets:\n      url_download: true\n"
            "      check_paths: true\n",
            "mkdocs.yml:3: pymdownx.snippets.url_download: fetches URLs",
        ),
        (
            "markdown_extensions:\n  - pymdownx.snippets\n",
            "mkdocs.yml:2: pymdownx.snippets.check_paths: must be true",
        ),
        ("extra_css:\n  - ../../etc/a.css\n", "mkdocs.yml:2: extra_css: '../../etc/a.css' is not"),
        (
            "extra_javascript:\n  - path: https://example.com/a.js\n",
            "mkdocs.yml:2: extra_javascript: 'https://example.com/a.js' is not a file inside",
        ),
        ("a: &x [1]\nb: *x\n", "mkdocs.yml:2: alias *x: anchors and aliases are not used"),
        ("site_name: " + "[" * 2000 + "]" * 2000 + "\n", "mkdocs.yml: YAML: not a file MkDocs can"),
        (
            "plugins: [search]\nplugins: [material/blog]\n",
            "mkdocs.yml:2: plugins: set twice (lines 1 and 2); MkDocs keeps the last",
        ),
    ],
)
def test_other_ways_out_are_refused(tmp_path, text, expected):
    problems = problems_of(tmp_path, text)
    assert any(problem.startswith(expected) for problem in problems), problems


def test_the_defaults_the_check_relies_on():
    """Left out, mkdocs-jupyter's `execute` is false and pymdownx.snippets'
    `restrict_base_path` true in the installed versions; a new version that changes
    either default must change the check too."""
    pytest.importorskip("mkdocs_jupyter", reason="no docs toolchain here")
    from mkdocs_jupyter.plugin import Plugin
    from pymdownx.snippets import SnippetExtension

    assert dict(Plugin.config_scheme)["execute"].default is False
    assert SnippetExtension().getConfig("restrict_base_path") is True


def test_a_folder_that_links_out_of_the_repository_is_refused(tmp_path):
    """docs/ is read and published, site/ emptied and written, overrides/ read: a link in
    their place would take each to the host."""
    host = tmp_path / "host"
    host.mkdir()
    book = tmp_path / "book"
    book.mkdir()
    for name in ("docs", "site", "overrides"):
        (book / name).symlink_to(host, target_is_directory=True)
    problems = problems_of(book, BASE + "theme:\n  name: material\n  custom_dir: overrides\n")
    assert problems == [
        "mkdocs.yml: docs_dir: docs/ resolves outside the repository (a link)",
        "mkdocs.yml: site_dir: site/ resolves outside the repository (a link)",
        "mkdocs.yml:4: theme.custom_dir: overrides/ resolves outside the repository (a link)",
    ]


def test_every_problem_is_listed_at_once(tmp_path):
    config = write_book(tmp_path / "book", IMPORT_MODULE + EXECUTE_LABS + ENVIRONMENT)
    keys = [re.sub(r"^mkdocs\.yml:\d+: ", "", p).split(":")[0] for p in config_problems(config)]
    assert keys == [
        "tag !!python/name",
        "tag !ENV",
        "plugins.mkdocs-jupyter.execute",
    ], keys


def test_a_linked_mkdocs_yml_is_refused(tmp_path):
    """A link would hand MkDocs a config from elsewhere on the host."""
    (tmp_path / "host.yml").write_text(BASE)
    book = tmp_path / "book"
    book.mkdir()
    (book / "mkdocs.yml").symlink_to(tmp_path / "host.yml")
    [problem] = config_problems(book / "mkdocs.yml")
    assert problem.startswith("mkdocs.yml: mkdocs.yml: a symbolic link"), problem


# -- a build started as the project starts it runs and reads nothing -----------------------


@pytest.mark.parametrize(
    ("attack", "expected"),
    [
        (IMPORT_MODULE, "mkdocs.yml:7: tag !!python/name:snippets.x.fences.fence"),
        (RUN_COMMAND, "mkdocs.yml:2: tag !!python/object/apply:os.system"),
        (EXECUTE_LABS, "mkdocs.yml:5: plugins.mkdocs-jupyter.execute"),
        (APPEND_HOST_FILE, "mkdocs.yml:7: pymdownx.snippets.auto_append"),
        (ENVIRONMENT, "mkdocs.yml:2: tag !ENV"),
    ],
    ids=["B7-python-name", "B7-object-apply", "B8", "B9", "B10"],
)
def test_the_projects_build_stops_before_mkdocs_reads_the_file(tmp_path, attack, expected):
    root = tmp_path / "book"
    write_book(root, attack)
    done = start(root)
    assert done.returncode != 0
    assert "mkdocs.yml is refused before MkDocs reads it" in done.stderr, done.stderr
    assert expected in done.stderr
    assert not (root / "canary").exists()
    assert not (root / "site").exists()
    assert SECRET not in done.stdout + done.stderr


@pytest.mark.parametrize(
    ("attack", "shows"),
    [(IMPORT_MODULE, "canary"), (RUN_COMMAND, "canary"), (APPEND_HOST_FILE, "site")],
    ids=["B7-python-name", "B7-object-apply", "B9"],
)
def test_plain_mkdocs_falls_for_the_same_files(tmp_path, attack, shows):
    """The control: the fixtures are real attacks. Plain `python -m mkdocs` (the working
    directory on sys.path, no check) imports the module, runs the command, or publishes
    the host file."""
    root = tmp_path / "book"
    write_book(root, attack)
    start(root, plain=True)
    if shows == "canary":
        assert (root / "canary").exists()
    else:
        assert SECRET in published(root)


def test_plain_mkdocs_publishes_the_environment(tmp_path):
    root = tmp_path / "book"
    write_book(root, ENVIRONMENT)
    done = start(root, plain=True)
    assert done.returncode == 0, done.stderr
    assert SECRET in published(root)


def test_with_P_the_tree_is_not_importable_even_unchecked(tmp_path):
    """The second wall: with -P the working directory is off sys.path, so the module B7
    names cannot be imported even by MkDocs' own loader."""
    root = tmp_path / "book"
    write_book(root, IMPORT_MODULE)
    pytest.importorskip("mkdocs", reason="no docs toolchain here (the CPU leg builds the site)")
    done = subprocess.run(
        [sys.executable, "-P", "-m", "mkdocs", "build", "-q", "--site-dir", str(root / "site")],
        cwd=root, capture_output=True, text=True, env=ENV, timeout=120,
    )  # fmt: skip
    assert "No module named 'snippets'" in done.stderr, done.stderr
    assert not (root / "canary").exists()


def test_the_check_guards_every_config_mkdocs_loads(tmp_path):
    """The guard sits where MkDocs reads a config, not where options are parsed: a config
    named with -f is checked, and so is each load of serve's rebuilds (load_config)."""
    root = tmp_path / "book"
    write_book(root, "")
    other = root / "other.yml"
    other.write_text(BASE + RUN_COMMAND)
    done = start(root, "-f", str(other))
    assert "other.yml:2: tag !!python/object/apply:os.system" in done.stderr, done.stderr
    assert not (root / "canary").exists()
    load = (
        "from book.site.cli import install_guard; install_guard()\n"
        "from mkdocs.config import load_config\n"
        "from mkdocs.exceptions import ConfigurationError\n"
        "try:\n    load_config('other.yml')\n"
        "except ConfigurationError as error:\n    print(error)\n"
    )
    done = subprocess.run(
        [sys.executable, "-P", "-c", load], cwd=root, capture_output=True, text=True, env=ENV,
        timeout=120,
    )  # fmt: skip
    assert "other.yml:2: tag !!python/object/apply:os.system" in done.stdout, done.stderr
    assert not (root / "canary").exists()


def test_serve_stops_before_mkdocs_reads_the_file(tmp_path):
    root = tmp_path / "book"
    write_book(root, RUN_COMMAND)
    pytest.importorskip("mkdocs", reason="no docs toolchain here (the CPU leg builds the site)")
    done = subprocess.run(
        cli.command(sys.executable, "serve", "--dev-addr", "127.0.0.1:0"),
        cwd=root, capture_output=True, text=True, env=ENV, timeout=120,
    )  # fmt: skip
    assert done.returncode != 0
    assert "mkdocs.yml:2: tag !!python/object/apply:os.system" in done.stderr, done.stderr
    assert not (root / "canary").exists()


def test_the_entry_point_insists_on_P_and_on_build_or_serve(tmp_path):
    pytest.importorskip("mkdocs", reason="no docs toolchain here (the CPU leg builds the site)")
    root = tmp_path / "book"
    write_book(root, RUN_COMMAND)
    no_p = [sys.executable, "-m", "book.site.cli", "build"]
    for command in (no_p, cli.command(sys.executable, "gh-deploy")):
        done = subprocess.run(command, cwd=root, capture_output=True, text=True, env=ENV)
        assert done.returncode == 2, done.stderr
        assert "usage: python -P -m book.site.cli build|serve" in done.stderr
    assert not (root / "canary").exists()


# -- every start of MkDocs in the project goes through the check ---------------------------

# Tests that build a small site from a config they write themselves (not the tree's
# mkdocs.yml, and refused by the check by design: absolute paths, the mkdocs theme) may
# start `python -P -m mkdocs`; this file also starts plain `-m mkdocs` on purpose, as the
# control. Everywhere else MkDocs starts through book.site.cli.
STARTS_MKDOCS = re.compile(
    r"""["']-m["'],\s*["']mkdocs["']|-m\s+mkdocs\b|mkdocs\.__main__|mkdocs\.commands"""
)
WITH_P = re.compile(r"""["']-P["'],\s*["']-m["'],\s*["']mkdocs["']""")


def test_the_project_starts_mkdocs_only_through_the_check():
    """noxfile.py, the tests' site build, tools/ and the package start MkDocs with
    book.site.cli; a plain `-m mkdocs` would read a pull request's mkdocs.yml unchecked,
    with the working directory on sys.path."""
    sources = [REPO / "noxfile.py", *sorted((REPO / "book").rglob("*.py"))]
    for folder in ("tests", "tools", "overrides"):
        sources += sorted((REPO / folder).rglob("*.py"))
    sources += [REPO / ".ci" / "run", *sorted((REPO / ".github" / "workflows").glob("*.y*ml"))]
    found = []
    for path in sources:
        name = path.relative_to(REPO).as_posix()
        if name in ("tests/test_config_trust.py", "book/site/cli.py"):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if not STARTS_MKDOCS.search(line) or line.lstrip().startswith("#"):
                continue
            if not (name.startswith("tests/") and WITH_P.search(line)):
                found.append(f"{name}:{number}: {line.strip()}")
    assert found == []
