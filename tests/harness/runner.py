"""Client side of the fork server: run one program, collect what it did."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from .repo_guard import RepoSnapshot

FORKSERVER = Path(__file__).with_name("forkserver.py")


@dataclass
class RunResult:
    """Everything one run of a program produced."""

    path: Path
    stdout: str
    stderr: str
    exit_code: int
    seconds: float
    timed_out: bool
    error_type: str | None = None
    error_line: int | None = None
    error_text: str | None = None
    network_attempts: list[str] = field(default_factory=list)
    cuda_initialized: bool = False
    cuda_max_allocated: int = 0
    files_left: list[str] = field(default_factory=list)  # in its working directory
    repo_changes: list[str] = field(default_factory=list)  # inside the repository
    # Notebook runs only: one outcome per code cell run, and the cell that stopped it.
    cells: list[dict] = field(default_factory=list)
    error_cell: int | None = None


def base_environment(leg: str) -> dict[str, str]:
    """The environment a reader's shell would give the program, minus secrets."""
    keep = ("PATH", "LANG", "LC_ALL", "TERM", "SYSTEMROOT", "LD_LIBRARY_PATH", "PYTHONPATH")
    env = {k: v for k, v in os.environ.items() if k in keep or k.startswith("OPENBLAS_")}
    env["PYTHONHASHSEED"] = os.environ.get("PYTHONHASHSEED", "0")
    if leg == "cpu":
        # The device idiom must pick the CPU here, even on a machine with a GPU.
        env["CUDA_VISIBLE_DEVICES"] = ""
    elif "CUDA_VISIBLE_DEVICES" in os.environ:
        env["CUDA_VISIBLE_DEVICES"] = os.environ["CUDA_VISIBLE_DEVICES"]
    return env


def server_environment(leg: str) -> dict[str, str]:
    """The fork server's own environment (its children get their own on top)."""
    # Idle OpenMP threads sleep instead of spinning: with the site build running
    # beside the tests on two cores, spinning threads slowed small models ~10x.
    # Only waiting changes; results and torch.get_num_threads() do not.
    return base_environment(leg) | {
        "HOME": os.environ.get("HOME", "/tmp"),
        "OMP_WAIT_POLICY": "PASSIVE",
    }


@dataclass
class _Request:
    """A program sent to the fork server, kept until its result is handed out."""

    id: int
    path: Path
    timeout: float
    cells: list[dict] | None
    scratch: Path


class SnippetRunner:
    """One long-lived fork server; `run()` executes a program in a fresh child.

    Programs named in `run_ahead()` start before they are asked for, up to `jobs`
    at a time (each still alone in its own process), and `run()` then only waits
    for its result. After every program ends the repository is compared with the
    last look at it: a change is pinned on the one program that ran meanwhile, or,
    when several did, each of them runs again alone to find the one that makes it.
    """

    def __init__(self, repo: Path, leg: str = "cpu", python: str = sys.executable, jobs: int = 1):
        self.repo = repo
        self.leg = leg
        self.jobs = max(1, jobs)
        # The server itself must not see a GPU on the CPU leg either.
        self._proc = subprocess.Popen(
            [python, "-u", str(FORKSERVER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=server_environment(leg),
        )
        hello = self._proc.stdout.readline()
        if not hello:
            raise RuntimeError("the snippet fork server did not start (could it import torch?)")
        # What each child starts from, before its own HOME and working directory.
        self._env = base_environment(leg)
        self._ids = iter(range(1, 1 << 62))
        self._requests: dict[int, _Request] = {}
        self._in_flight: set[int] = set()
        self._results: dict[int, RunResult] = {}
        self._queue: deque[tuple[Path, float]] = deque()
        self._ahead: dict[Path, int | None] = {}  # queued (None) or started (its id)
        self._snapshot = RepoSnapshot.take(repo)
        self._suspects: set[int] = set()  # in flight since the last look at the repo

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.stdin.close()
            self._proc.wait(timeout=10)

    def run_ahead(self, programs: list[tuple[Path, float]]) -> None:
        """Queue (path, timeout) programs to start before `run()` asks for them."""
        for path, timeout in programs:
            path = Path(path).resolve()
            if path not in self._ahead:
                self._ahead[path] = None
                self._queue.append((path, timeout))

    def run(self, path: Path, timeout: float, cells: list[dict] | None = None) -> RunResult:
        """Run the program at path; with cells, run those code cells of a notebook instead.

        Each cell is ``{"source", "filename", "expect_error"}`` (see forkserver._run_cells);
        path then names the notebook and sets ``sys.argv[0]`` and ``sys.path[0]``.
        """
        path = Path(path).resolve()
        request_id = self._ahead.pop(path, None) if cells is None else None
        if request_id is None:
            # Not started yet (queued, or never announced): it goes first.
            for entry in [e for e in self._queue if e[0] == path and cells is None]:
                self._queue.remove(entry)
            request_id = self._start(path, timeout, cells)
        while request_id not in self._results:
            self._top_up()
            self._settle_next()
        del self._requests[request_id]
        return self._results.pop(request_id)

    def _top_up(self) -> None:
        while self._queue and len(self._in_flight) < self.jobs:
            path, timeout = self._queue.popleft()
            self._ahead[path] = self._start(path, timeout, None)

    def _start(self, path: Path, timeout: float, cells: list[dict] | None) -> int:
        if not self._in_flight:
            # Nothing else is running: changes made since (by the tests themselves,
            # such as rewritten .out files) belong to no program.
            self._snapshot = RepoSnapshot.take(self.repo)
            self._suspects = set()
        scratch = Path(tempfile.mkdtemp(prefix="snippet-"))
        request = _Request(next(self._ids), path, timeout, cells, scratch)
        work, home = scratch / "work", scratch / "home"
        work.mkdir()
        home.mkdir()
        env = self._env | {
            "HOME": str(home),
            "TORCH_HOME": str(home / ".torch"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "MPLCONFIGDIR": str(home / ".matplotlib"),
            "TMPDIR": str(scratch),
        }
        if cells is not None:
            # Notebooks draw figures: no display here, as on a headless kernel.
            env["MPLBACKEND"] = "Agg"
        line = {
            "id": request.id,
            "path": str(path),
            "cwd": str(work),
            "env": env,
            "timeout": timeout,
            "stdout": str(scratch / "stdout"),
            "stderr": str(scratch / "stderr"),
            "result": str(scratch / "result.json"),
        }
        if cells is not None:
            line["cells"] = cells
        self._requests[request.id] = request
        self._in_flight.add(request.id)
        self._suspects.add(request.id)
        self._proc.stdin.write(json.dumps(line) + "\n")
        self._proc.stdin.flush()
        return request.id

    def _collect_next(self) -> int:
        """Wait for the next program to end and store its result; its id."""
        line = self._proc.stdout.readline()
        if not line:
            raise RuntimeError("the snippet fork server died")
        answer = json.loads(line)
        request = self._requests[answer["id"]]
        self._in_flight.discard(request.id)
        self._results[request.id] = _result(request, answer)
        return request.id

    def _settle_next(self) -> None:
        """Collect the next result and look at the repository (see the class docstring)."""
        done = self._collect_next()
        now = RepoSnapshot.take(self.repo)
        changes = self._snapshot.changes_to(now)
        suspects, self._suspects = self._suspects, set(self._in_flight)
        self._snapshot = now
        if not changes:
            return
        if suspects == {done}:
            self._results[done].repo_changes = changes
            return
        # Several programs ran while it changed: let the others end, then run each
        # suspect again alone; its result replaces the first one.
        while self._in_flight:
            self._collect_next()
        names = " and ".join(sorted(self._requests[s].path.name for s in suspects))
        culprits = []
        for suspect in sorted(suspects):
            alone = self._run_alone(self._requests[suspect])
            if alone.repo_changes:
                culprits.append(suspect)
                alone.repo_changes.append(
                    f"(first seen while {names} ran side by side; run again alone, "
                    "this program changed it)"
                )
            self._results[suspect] = alone
        if not culprits:  # nobody did it again: nobody is let off
            for suspect in suspects:
                self._results[suspect].repo_changes = [
                    *changes,
                    f"(appeared while {names} ran side by side; run again alone, none "
                    "of them changed it: run this program alone to see whether it does)",
                ]

    def _run_alone(self, request: _Request) -> RunResult:
        again = self._start(request.path, request.timeout, request.cells)
        before = self._snapshot
        self._collect_next()
        self._snapshot = RepoSnapshot.take(self.repo)
        self._suspects = set()
        result = self._results.pop(again)
        del self._requests[again]
        result.repo_changes = before.changes_to(self._snapshot)
        return result


def _result(request: _Request, answer: dict) -> RunResult:
    """What the program did, read from its scratch directory (which is then removed)."""
    scratch = request.scratch
    work = scratch / "work"
    try:
        result_file = scratch / "result.json"
        detail = json.loads(result_file.read_text()) if result_file.exists() else {}
        exit_code = detail.get("exit_code")
        if exit_code is None:
            exit_code = os.waitstatus_to_exitcode(answer["wait_status"])
        return RunResult(
            path=request.path,
            stdout=(scratch / "stdout").read_text(errors="replace"),
            stderr=(scratch / "stderr").read_text(errors="replace"),
            exit_code=exit_code,
            seconds=answer["seconds"],
            timed_out=answer["timed_out"],
            error_type=detail.get("error_type"),
            error_line=detail.get("error_line"),
            error_text=detail.get("error_text"),
            network_attempts=detail.get("network_attempts", []),
            cuda_initialized=detail.get("cuda_initialized", False),
            cuda_max_allocated=detail.get("cuda_max_allocated", 0),
            files_left=sorted(str(p.relative_to(work)) for p in work.rglob("*")),
            cells=detail.get("cells", []),
            error_cell=detail.get("error_cell"),
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
