"""Verification records: what ran, in which environment, with which result. Data, not logs.

A record binds a result to content: each entry names a program by the hashes of
its file and of the output the page shows under it (the recorded ``.out``, or the
``.cuda.out`` the CUDA leg compared with), and the environment that ran it (leg,
torch version, device). The mark on a page is derived from these and nothing
else, so editing the program or its output by hand, or an output that no run
produced, shows "Not yet verified".

Layout: ``verification/<leg>-torch-<version>/<chapter>.json``, one file per
chapter, so two changes to different chapters never touch the same file. A file
changes only when an entry's content, result or environment changes: rerunning
the tests rewrites nothing (the date of an entry is when it last changed), and
timings go to ``test-artifacts/``, never here.

Records arrive in pull requests like code, so a record is trusted no further than
it can be checked (``problems`` lists what fails, with the file and why):

- its environment is one the project declares in pyproject.toml: a torch release of
  the CPU matrix (``[tool.book] cpu-matrix``) on the CPU leg, one of the reviewed
  ``[[tool.book.gpu-environments]]`` on the CUDA leg;
- it lies in the folder its environment names, in the file of its chapter;
- every field has its expected form, and no entry is dated after today;
- a CUDA entry names the commit it was recorded at (``commit``), and the program's
  content at that commit, in this repository's history, has the recorded hash. The
  recording run writes HEAD only when the program that ran is HEAD's version, and
  ``null`` otherwise, which shows no mark (tools/record_commits.py names the commit
  from the history once the program that ran is committed).

An entry that fails any of these shows no mark.
"""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import hashlib
import json
import os
import re
import subprocess
import sys
import threading
import tomllib
from dataclasses import dataclass
from pathlib import Path

from . import safe_files
from .catalog import REPO
from .syntax import PROGRAM_PATH

RECORDS = REPO / "verification"
# The build reads records from here instead when set (the test command builds the
# site from this run's record, written under test-artifacts/).
RECORDS_ENV = "BOOK_RECORDS"

SHA256 = re.compile(r"[0-9a-f]{64}\Z")
COMMIT = re.compile(r"[0-9a-f]{40}\Z")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
# torch.__version__ as a run reports it: a release, then an optional local build tag.
TORCH_VERSION = re.compile(r"\d+\.\d+\.\d+(?:\+[A-Za-z0-9.]+)?\Z")
PYTHON = re.compile(r"3\.\d{1,2}\Z")
RESULTS = ("passed", "failed")
# Legs whose entries name the commit they were recorded at. The CUDA leg's marks rest on
# committed records alone (no CI machine has a GPU), so each names the commit it ran at.
COMMIT_LEGS = ("cuda",)
# The order of an entry's fields in a record file (fields not listed follow).
FIELDS = ("program", "output", "result", "commit", "date", "measured")


def content_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _safe_hash(path: Path, root: Path) -> str | None:
    """content_hash of a regular file inside root reached through no link (book.safe_files),
    or None where there is none."""
    try:
        return hashlib.sha256(safe_files.read_bytes(path, root=root)).hexdigest()
    except OSError:  # missing, or refused (safe_files.UnsafeFile)
        return None


def records_dir() -> Path:
    return Path(os.environ.get(RECORDS_ENV) or RECORDS)


@dataclass(frozen=True)
class Environment:
    """Where a run happened: what a verified mark names."""

    leg: str  # cpu or cuda
    torch: str  # torch.__version__, e.g. 2.13.0+cpu
    device: str  # the GPU's name on the CUDA leg, "CPU" on the CPU leg
    # A CPU-leg Python cell other than the matrix's own Python ("3.13"); None for the
    # matrix's Python and on the CUDA leg (a GPU host's interpreter comes with its torch).
    python: str | None = None

    @property
    def folder(self) -> str:
        # "2.11.0+cu130" -> "2.11.0-cu130": plain characters travel everywhere.
        cell = f"-py{self.python}" if self.python else ""
        return f"{self.leg}-torch-{self.torch.replace('+', '-')}{cell}"

    @property
    def torch_release(self) -> str:
        return self.torch.split("+", 1)[0]


def this_environment(leg: str) -> Environment:
    """Torch version and device of this run (asked in the test process, never a child)."""
    import torch

    if leg == "cuda" and torch.cuda.is_available():
        device = torch.cuda.get_device_name(0)
    else:
        device = "CPU"
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    if leg == "cuda" or python == declared().python:
        python = None
    return Environment(leg, torch.__version__, device, python)


# -- Declared environments -------------------------------------------------------------


@dataclass(frozen=True)
class Declared:
    """The environments a mark may name, as pyproject.toml declares them."""

    cpu: tuple[str, ...]  # torch releases of the CPU matrix, "2.13.0"
    gpu: tuple[Environment, ...]  # CUDA-leg environments, exactly as a run records them
    python: str = "3.11"  # the Python the CPU matrix runs on
    python_cells: tuple[tuple[str, str], ...] = ()  # (Python, torch release) cells

    def why_not(self, env: Environment) -> str | None:
        """Why a record of env may show no mark, or None when the project declares it."""
        if not all(isinstance(v, str) for v in (env.leg, env.torch, env.device)):
            return "leg, torch and device must be text"
        if env.python is not None and (env.python, env.torch_release) not in self.python_cells:
            return (
                f"Python {env.python} with torch {env.torch_release} is not a declared Python "
                f"cell (pyproject.toml [tool.book] python-cells = {dict(self.python_cells)})"
            )
        if env.leg == "cpu":
            if env.device != "CPU" or not TORCH_VERSION.match(env.torch):
                return f"a CPU-leg record names device 'CPU' and a torch version, not {env}"
            if env.torch_release not in self.cpu:
                return (
                    f"torch {env.torch_release} is not in the CPU matrix "
                    f"(pyproject.toml [tool.book] cpu-matrix = {list(self.cpu)})"
                )
            return None
        if env.leg == "cuda":
            if env not in self.gpu:
                return (
                    f"{env.device!r} with torch {env.torch!r} is not a declared GPU environment "
                    "(pyproject.toml [[tool.book.gpu-environments]])"
                )
            return None
        return f"unknown leg {env.leg!r} (cpu or cuda)"


def declared(repo: Path | None = None) -> Declared:
    """The environments declared by the pyproject.toml of repo (this repository)."""
    return _declared_in(safe_files.read_text("pyproject.toml", root=repo or REPO))


@functools.cache
def _declared_in(pyproject: str) -> Declared:
    book = tomllib.loads(pyproject).get("tool", {}).get("book", {})
    gpus = tuple(
        Environment(str(g["leg"]), str(g["torch"]), str(g["device"]))
        for g in book.get("gpu-environments", [])
    )
    cells = tuple((str(k), str(v)) for k, v in book.get("python-cells", {}).items())
    return Declared(
        tuple(str(v) for v in book.get("cpu-matrix", [])),
        gpus,
        str(book.get("python", "3.11")),
        cells,
    )


# -- History ---------------------------------------------------------------------------


def _git(history: Path, *args: str) -> subprocess.CompletedProcess | None:
    """git in the repository at history; None where git cannot run at all."""
    # GIT_DIR and its kin (set inside git hooks) would point git at another repository.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    try:
        return subprocess.run(
            ["git", "-C", str(history), *args],
            capture_output=True, timeout=60, check=False, env=env,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return None


def head_commit(history: Path | None = None) -> str | None:
    """The commit checked out in history (this repository), or None outside git."""
    done = _git(history or REPO, "rev-parse", "--verify", "--quiet", "HEAD")
    if done is None or done.returncode != 0:
        return None
    commit = done.stdout.decode().strip()
    return commit if COMMIT.match(commit) else None


class _Blobs:
    """One `git cat-file --batch` per repository and process, asked for file contents by
    "commit:path": a build checks a few hundred CUDA entries, and a git process for each
    cost seconds. Its answers are read as git documents them: "<id> <type> <size>", the
    contents and a newline, or "<name> missing"."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # a build's hooks and a test's threads may ask at once
        self._procs: dict[Path, tuple[int, subprocess.Popen]] = {}
        atexit.register(self.close)

    def contents(self, history: Path, commit: str, rel: str) -> bytes | None:
        """rel's bytes at commit, or None where git holds no such file there."""
        name = f"{commit}:{rel}"
        if any(c.isspace() for c in name):  # one question per line: a newline would be two
            return None
        with self._lock:
            proc = self._process(history)
            if proc is None:
                return None
            try:
                proc.stdin.write(f"{name}\n".encode())
                proc.stdin.flush()
                header = proc.stdout.readline().split()
                if len(header) != 3:  # missing, ambiguous, or git ended
                    return None
                data = proc.stdout.read(int(header[2]) + 1)[:-1]  # the contents, then "\n"
            except (OSError, ValueError):
                return None
            return data if header[1] == b"blob" else None

    def _process(self, history: Path) -> subprocess.Popen | None:
        held = self._procs.get(history)
        # A forked child must not share its parent's pipes: it starts its own.
        if held is not None and held[0] == os.getpid() and held[1].poll() is None:
            return held[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        try:
            proc = subprocess.Popen(
                ["git", "-C", str(history), "cat-file", "--batch"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                env=env,
            )  # fmt: skip
        except OSError:
            return None
        self._procs[history] = (os.getpid(), proc)
        return proc

    def close(self) -> None:
        for pid, proc in self._procs.values():
            if pid == os.getpid():
                proc.stdin.close()
                proc.wait()
                proc.stdout.close()
        self._procs.clear()


_BLOBS = _Blobs()


@functools.lru_cache(maxsize=8192)
def _hash_at(history: Path, commit: str, rel: str) -> str | None:
    # Validated before git sees them: a commit is 40 hex digits, never an option, and
    # a path names a program under snippets/, never one outside (nor a newline).
    if not COMMIT.match(commit) or not valid_rel(rel):
        return None
    contents = _BLOBS.contents(history, commit, rel)
    return None if contents is None else hashlib.sha256(contents).hexdigest()


def hash_at(commit: str, rel: str, history: Path | None = None) -> str | None:
    """The content hash (content_hash) of rel at commit, as `git show commit:rel | sha256`
    gives it; None where the commit or the path is not in the history."""
    return _hash_at(history or REPO, commit, rel)


@functools.lru_cache(maxsize=1024)
def _known(history: Path, commit: str) -> bool:
    if not COMMIT.match(commit):
        return False
    done = _git(history, "cat-file", "-e", f"{commit}^{{commit}}")
    return done is not None and done.returncode == 0


@functools.lru_cache(maxsize=1024)
def _reachable(history: Path, commit: str) -> bool:
    done = _git(history, "merge-base", "--is-ancestor", commit, "HEAD")
    return done is not None and done.returncode == 0


@functools.lru_cache(maxsize=1024)
def _commit_day(history: Path, commit: str) -> str | None:
    done = _git(history, "show", "-s", "--format=%cs", commit)
    if done is None or done.returncode != 0:
        return None
    day = done.stdout.decode().strip()
    return day if DATE.match(day) else None


def is_ancestor(commit: str, of: str, history: Path | None = None) -> bool:
    """Whether commit is in the history of commit `of` (both full commit ids)."""
    if not (COMMIT.match(commit) and COMMIT.match(of)):
        return False
    done = _git(history or REPO, "merge-base", "--is-ancestor", commit, of)
    return done is not None and done.returncode == 0


def first_commit_with(rel: str, program_hash: str, history: Path | None = None) -> str | None:
    """The first commit of HEAD's history at which rel held the content program_hash,
    or None where it never did."""
    history = history or REPO
    if not valid_rel(rel):
        return None
    done = _git(history, "rev-list", "--reverse", "HEAD", "--", rel)
    if done is None or done.returncode != 0:
        return None
    for commit in done.stdout.decode().split():
        if hash_at(commit, rel, history) == program_hash:
            return commit
    return None


def recorded_commit(rel: str, program_hash: str, head: str | None, history: Path | None = None):
    """The commit a run of rel is recorded at: head when the program that ran is head's
    version of it, else None (a run of an uncommitted edit names no commit)."""
    if head is not None and hash_at(head, rel, history) == program_hash:
        return head
    return None


# -- Entries ---------------------------------------------------------------------------


def valid_rel(rel) -> bool:
    """A program path as records name it: snippets/<chapter>/<name>.py, nothing else."""
    return isinstance(rel, str) and bool(PROGRAM_PATH.match(rel))


def entry_for(program: Path, shown_output: Path, passed: bool) -> dict:
    return {
        "program": content_hash(program),
        "output": content_hash(shown_output) if shown_output.exists() else None,
        "result": "passed" if passed else "failed",
    }


def chapter_of(rel: str) -> str:
    """snippets/<chapter>/<name>.py -> <chapter>."""
    return rel.split("/")[1]


def _today(today: str | None) -> str:
    return today or dt.date.today().isoformat()


def _is_date(value) -> bool:
    if not isinstance(value, str) or not DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _form_problem(entry) -> str | None:
    """What is malformed in an entry, or None."""
    if not isinstance(entry, dict):
        return "an entry must be a table of fields"
    if not isinstance(entry.get("program"), str) or not SHA256.match(entry["program"]):
        return "'program' must be a sha256 hash"
    output = entry.get("output")
    if output is not None and (not isinstance(output, str) or not SHA256.match(output)):
        return "'output' must be a sha256 hash or null"
    if entry.get("result") not in RESULTS:
        return f"'result' must be one of {list(RESULTS)}"
    if not _is_date(entry.get("date")):
        return "'date' must be a date written YYYY-MM-DD"
    if entry.get("measured") is not None and not isinstance(entry["measured"], str):
        return "'measured' must be text"
    commit = entry.get("commit")
    if commit is not None and (not isinstance(commit, str) or not COMMIT.match(commit)):
        return "'commit' must be a full commit id (40 hex digits) or null"
    return None


def entry_problem(
    env: Environment,
    rel: str,
    entry,
    today: str | None = None,
    history: Path | None = None,
    unknown_ok: bool = False,
) -> str | None:
    """Why this entry cannot be what a run recorded, or None: its form, its date, and
    the commit it names (which every CUDA entry does). Whether it matches the files as
    they are now is for `proofs` to say.

    unknown_ok: a commit this clone does not hold (a shallow clone) is no problem; the
    recording run uses it to keep entries it cannot refute."""
    history = history or REPO
    if not valid_rel(rel):
        return f"{rel!r} is not a program path (snippets/<chapter>/<name>.py)"
    form = _form_problem(entry)
    if form:
        return form
    today = _today(today)
    if entry["date"] > today:
        return f"dated {entry['date']}, after today ({today}): no run has happened then"
    if env.leg in COMMIT_LEGS and "commit" not in entry:
        return (
            "names no commit (a CUDA entry names the commit its run was recorded at; "
            "python tools/record_commits.py finds it in the history)"
        )
    commit = entry.get("commit")
    if commit is None:
        return None  # recorded off any commit: honest, and shows no mark on the CUDA leg
    if not _known(history, commit):
        if unknown_ok:
            return None
        return f"commit {commit} is not in this repository (a shallow clone lacks history)"
    at_commit = hash_at(commit, rel, history)
    if at_commit is None:
        return f"{rel} does not exist at commit {commit}"
    if at_commit != entry["program"]:
        return f"its program hash is not the content of {rel} at commit {commit}"
    if not _reachable(history, commit):
        return f"commit {commit} is not in the history of HEAD"
    day = _commit_day(history, commit)
    # A run records the commit it ran at, so it cannot be dated before that commit (a
    # day's grace for time zones).
    if day is not None and entry["date"] < _day_before(day):
        return f"dated {entry['date']}, before its commit {commit} ({day})"
    return None


def _day_before(day: str) -> str:
    return (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()


def _ordered(entry: dict) -> dict:
    """The entry with its fields in the order record files write them."""
    known = {k: entry[k] for k in FIELDS if k in entry}
    return known | {k: v for k, v in entry.items() if k not in known}


def write(env: Environment, entries: dict[str, dict], today: str, root: Path | None = None):
    """Merge this run's entries into the records of this environment; changed files.

    An entry whose hashes and result are unchanged keeps its date, so a file is
    rewritten only when something it proves changed. Entries of programs that no
    longer exist are dropped. On the CUDA leg each new entry names the commit the
    run was recorded at (HEAD, when the program that ran is HEAD's version; else
    null; no commit at all where the tree has no git history), and a kept entry
    that named none gains it. A kept entry that fails
    `entry_problem` is replaced by this run's.
    """
    root = root or records_dir()
    folder = root / env.folder
    head = head_commit(REPO)
    by_chapter: dict[str, dict[str, dict]] = {}
    for rel, entry in entries.items():
        by_chapter.setdefault(chapter_of(rel), {})[rel] = entry
    changed = []
    for chapter, new in sorted(by_chapter.items()):
        path = folder / f"{chapter}.json"
        exists = os.path.lexists(path)
        # A record is read and written as a regular file in its folder, never through a link.
        old = json.loads(safe_files.read_text(path, root=root)) if exists else {}
        programs = {
            k: v
            for k, v in old.get("programs", {}).items()
            if valid_rel(k) and (REPO / k).is_file()
        }
        for rel, entry in new.items():
            # Where the tree has no history (a copy without .git), the entry names no
            # commit at all, and tools/record_commits.py names it from the history later.
            if env.leg in COMMIT_LEGS and head is not None:
                entry = entry | {"commit": recorded_commit(rel, entry["program"], head)}
            programs[rel] = _ordered(_merged(env, rel, programs.get(rel), entry, today))
        record = {"leg": env.leg, "torch": env.torch, "device": env.device}
        if env.python is not None:
            record["python"] = env.python
        record["programs"] = dict(sorted(programs.items()))
        text = json.dumps(record, indent=1) + "\n"
        if not exists or safe_files.read_text(path, root=root) != text:
            folder.mkdir(parents=True, exist_ok=True)
            safe_files.write_text(path, text, root=root)
            changed.append(path)
    return changed


def _merged(env: Environment, rel: str, kept: dict | None, entry: dict, today: str) -> dict:
    """What the record keeps for rel: the entry it had when this run proves the same,
    else this run's entry dated today."""
    # What a run measured (`# varies:`) is kept with the entry it came with, and the
    # commit with the entry that first named one: neither alone rewrites the record.
    proves = {k: v for k, v in entry.items() if k not in ("measured", "commit")}
    if not isinstance(kept, dict) or {k: kept.get(k) for k in proves} != proves:
        return entry | {"date": today}
    if entry_problem(env, rel, kept, today, unknown_ok=True) is not None:
        return entry | {"date": today}
    if kept.get("commit") is None and entry.get("commit") is not None:
        return kept | {"commit": entry["commit"]}
    return kept


def add_commits(root: Path | None = None, history: Path | None = None) -> list[Path]:
    """Give each CUDA entry that names no commit (or null) the first commit of history at
    which its program had the recorded content (null where it never had); changed files.

    It named the commits of the records written before entries named one. A run in a
    git checkout writes the commit itself (`write`); this names it afterwards for a
    run in a tree without history, or of a program committed after it ran."""
    changed = []
    root = root or records_dir()
    for path in sorted(p for leg in COMMIT_LEGS for p in root.glob(f"{leg}-*/*.json")):
        record = json.loads(safe_files.read_text(path, root=root))
        programs = record.get("programs", {})
        for rel, entry in programs.items():
            if isinstance(entry, dict) and entry.get("commit") is None:
                found = first_commit_with(rel, entry.get("program"), history)
                if found is not None or "commit" not in entry:
                    programs[rel] = _ordered(entry | {"commit": found})
        text = json.dumps(record, indent=1) + "\n"
        if safe_files.read_text(path, root=root) != text:
            safe_files.write_text(path, text, root=root)
            changed.append(path)
    return changed


# -- Reading ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Proof:
    """One record entry that proves a program block as it is now."""

    env: Environment
    date: str
    measured: str | None = None  # the output a `# varies:` program printed there
    commit: str | None = None  # the commit the run was recorded at, where the entry names one


def _record_files(root: Path) -> list[Path]:
    """The programs' record files (notebooks.json, the notebooks', is book.notebook_records')."""
    return sorted(p for p in root.glob("*/*.json") if p.name != "notebooks.json")


def _read_record(path: Path, root: Path):
    """(environment, programs, problem): a record file as read, and why it is refused."""
    try:
        record = json.loads(safe_files.read_text(path, root=root))
    except OSError:  # refused by safe_files: a link, or not a regular file
        return None, {}, "not a regular file (a link is never followed)"
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        return None, {}, f"not a JSON record ({type(error).__name__})"
    if not isinstance(record, dict) or not isinstance(record.get("programs"), dict):
        return None, {}, "a record is a table with leg, torch, device and programs"
    env = Environment(
        record.get("leg"), record.get("torch"), record.get("device"), record.get("python")
    )
    if not all(isinstance(v, str) for v in (env.leg, env.torch, env.device)):
        return None, {}, "leg, torch and device must be text"
    if env.python is not None and not (isinstance(env.python, str) and PYTHON.match(env.python)):
        return None, {}, "python, where given, is a release such as 3.13"
    if path.parent.name != env.folder:
        return env, record["programs"], f"its environment belongs in {env.folder}/"
    return env, record["programs"], None


def load_all(root: Path | None = None) -> list[tuple[Environment, dict[str, dict]]]:
    """(environment, {program: entry}) for every record file that may show marks: a
    file in its environment's folder (the entries themselves are checked by `proofs`)."""
    root = root or records_dir()
    found = []
    for path in _record_files(root):
        env, programs, problem = _read_record(path, root)
        if problem is None:
            found.append((env, programs))
    return found


def problems(
    root: Path | None = None,
    today: str | None = None,
    repo: Path | None = None,
    history: Path | None = None,
) -> list[str]:
    """Every reason a record under root cannot show a mark, each as 'file: why'.

    repo holds the pyproject.toml that declares environments (this repository)."""
    root = root or records_dir()
    rules = declared(repo)
    found = []
    for path in _record_files(root):
        where = path.relative_to(root).as_posix()
        env, programs, problem = _read_record(path, root)
        if problem is None:
            problem = rules.why_not(env)
        if problem is not None:
            found.append(f"{where}: {problem}")
            continue
        for rel, entry in programs.items():
            why = entry_problem(env, rel, entry, today, history)
            if why is None and chapter_of(rel) != path.stem:
                why = f"belongs in {chapter_of(rel)}.json"
            if why is not None:
                found.append(f"{where}: {rel}: {why}")
    return found


def shown_output_path(program: Path, leg: str, release: str | None = None) -> Path:
    """The output a run on this leg (and torch release, "2.10") was compared with: the
    release's own output where one is recorded, else the page's ``.out``."""
    cuda = program.with_suffix(".cuda.out")
    if leg == "cuda" and cuda.exists():
        return cuda
    if release is not None:
        own = program.with_suffix(f".torch-{release}.out")
        if own.exists():
            return own
    return program.with_suffix(".out")


def release_of(torch_version: str) -> str:
    """ "2.10.0+cpu" -> "2.10": outputs differ between releases, not patch versions."""
    return ".".join(torch_version.split("+", 1)[0].split(".")[:2])


def proofs(
    rel: str,
    leg: str,
    records: list[tuple[Environment, dict[str, dict]]],
    today: str | None = None,
    repo: Path | None = None,
    history: Path | None = None,
) -> list[Proof]:
    """Every passed entry of this leg, in an environment the project declares, that
    `entry_problem` finds nothing wrong with, on the CUDA leg recorded at a commit,
    and whose hashes match the files as they are now.

    repo is the tree the files are read from (this repository), history the git
    repository that commits are looked up in (the same)."""
    repo = repo or REPO
    program = repo / rel
    want_program = _safe_hash(program, repo) if valid_rel(rel) else None
    if want_program is None:
        return []
    rules = declared(repo)
    found = []
    for env, programs in records:
        entry = programs.get(rel)
        if env.leg != leg or not isinstance(entry, dict) or entry.get("result") != "passed":
            continue
        if rules.why_not(env) or entry_problem(env, rel, entry, today, history):
            continue
        if leg in COMMIT_LEGS and entry.get("commit") is None:
            continue
        output = shown_output_path(program, leg, release_of(env.torch))
        want_output = _safe_hash(output, repo) if os.path.lexists(output) else None
        if os.path.lexists(output) and want_output is None:
            continue  # an output that is a link proves nothing
        if entry["program"] == want_program and entry.get("output") == want_output:
            found.append(Proof(env, entry["date"], entry.get("measured"), entry.get("commit")))
    return found
