"""Client side of the fork server: run one program in the sandbox, collect what it did."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from .. import safe_files, tracebacks
from . import sandbox


@dataclass
class RunResult:
    """Everything one run of a program produced."""

    path: Path
    stdout: str
    stderr: str
    exit_code: int
    seconds: float
    timed_out: bool
    # What it raised, read from the traceback in its stderr (book.tracebacks): the
    # class as module.QualName, the program's innermost line, the exception's text.
    error_type: str | None = None
    error_line: int | None = None
    error_text: str | None = None
    signal: int | None = None  # the signal that ended it, as a plain run can end
    files_left: list[str] = field(default_factory=list)  # in its working directory
    stdout_bytes: int = 0  # what it printed, of which `stdout` holds the first 1 MiB
    program_path: str = ""  # where the program ran (its tracebacks name this file)
    confinement_error: str | None = None  # the sandbox could not be set up: nothing ran
    # Problems the harness found with the run itself (its space filled, its end unseen).
    run_problems: list[str] = field(default_factory=list)
    # Every traceback in stderr (a notebook's cells may raise one each).
    tracebacks: list = field(default_factory=list)
    # The program's own report: hints that can only add problems, never pass a run.
    # GPU use, and for notebooks where each cell's printed text starts and ends and
    # the figures it left open.
    cuda_initialized: bool = False
    cuda_max_allocated: int = 0
    cells: list[dict] = field(default_factory=list)


def base_environment(leg: str) -> dict[str, str]:
    """The environment a reader's shell would give the program, minus secrets."""
    keep = ("PATH", "LANG", "LC_ALL", "TERM", "LD_LIBRARY_PATH", "PYTHONPATH")
    env = {k: v for k, v in os.environ.items() if k in keep or k.startswith("OPENBLAS_")}
    if leg == "cpu":
        # The device idiom must pick the CPU here, even on a machine with a GPU.
        env["CUDA_VISIBLE_DEVICES"] = ""
    elif "CUDA_VISIBLE_DEVICES" in os.environ:
        env["CUDA_VISIBLE_DEVICES"] = os.environ["CUDA_VISIBLE_DEVICES"]
    return env


def default_jobs(leg: str) -> int:
    """Programs side by side when pytest's --harness-jobs is not given.

    On the CPU leg each program computes on one core (--program-threads 1): one per
    core, and no more than memory holds, since a program may fill a tmpfs of
    sandbox.SPACE_BYTES (memory) besides what it computes in; two of those each. At
    most READER_SLOTS, so that each runs as a reader uid of its own (free_slot). On
    the CUDA leg the programs share one GPU: two, as on a 2-core machine."""
    cores = os.cpu_count() or 1
    if leg == "cuda":
        return min(2, cores)
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # no sysconf (Windows): as on 2 cores
        return min(2, cores)
    return max(1, min(cores, memory // (2 * sandbox.SPACE_BYTES), sandbox.READER_SLOTS))


def server_environment(leg: str, hash_seed: int, threads: int = 1) -> dict[str, str]:
    """The fork server's own environment (its children get their own on top)."""
    # Idle OpenMP threads sleep instead of spinning: with the site build running
    # beside the tests on two cores, spinning threads slowed small models ~10x.
    # Only waiting changes; results and torch.get_num_threads() do not.
    # Children inherit the server's str hash secret: a random one per server, so a
    # program whose output depends on set order is not always lucky.
    # OMP_NUM_THREADS sizes torch's CPU thread pool when the server imports torch, and
    # each forked program inherits that pool size; the program's own environment (a
    # reader's shell) does not carry the variable. One thread each: two programs side
    # by side on two cores, each with a pool of two, ran the programs 1.8x slower.
    # A program's printed numbers must not depend on the count: the CPU matrix runs
    # with three (pytest --program-threads), so one that does fails there.
    return base_environment(leg) | {
        "HOME": "/home/reader",
        "OMP_NUM_THREADS": str(threads),
        "OMP_WAIT_POLICY": "PASSIVE",
        "PYTHONHASHSEED": str(hash_seed),
        "PYTHONDONTWRITEBYTECODE": "1",
    }


@dataclass
class _Request:
    """A program sent to the fork server, kept until its result is handed out."""

    id: int
    path: Path
    timeout: float
    cells: list[dict] | None
    slot: int = 0  # which reader uid it runs as (confine.reader_ids): none beside it has it


def free_slot(taken: set[int]) -> int:
    """The lowest slot no program in flight holds. Slots, not request ids, pick a
    program's uid, so that two programs side by side never share one (a program that
    runs long would otherwise meet the request READER_SLOTS after it)."""
    return next(slot for slot in range(len(taken) + 1) if slot not in taken)


class SnippetRunner:
    """One long-lived fork server; `run()` executes a program in a fresh child.

    Programs named in `run_ahead()` start before they are asked for, up to `jobs`
    at a time (each alone in its own process and namespaces), and `run()` then only
    waits for its result.

    ``isolated=False`` (pytest --no-sandbox) runs the server without bubblewrap:
    children then share the machine's network and file system.
    """

    def __init__(
        self,
        repo: Path,
        leg: str = "cpu",
        python: str = sys.executable,
        jobs: int = 1,
        isolated: bool = True,
        hash_seed: int | None = None,
        pidfd: bool = True,
        threads: int = 1,
    ):
        self.repo = repo
        self.leg = leg
        self.jobs = max(1, jobs)
        self.isolated = isolated
        self.hash_seed = random.randrange(1, 1 << 32) if hash_seed is None else hash_seed
        self.threads = max(1, threads)
        env = server_environment(leg, self.hash_seed, self.threads)
        # Started as a module from the repository root, which `-m` puts on sys.path.
        argv = [python, "-u", "-m", "book.run.forkserver"]
        userns = hosts = None
        if isolated:
            sandbox.check(repo)
            keep = [f"--keep={path}" for path in sandbox.exposed(repo, python)]
            userns, hosts = sandbox.reader_namespace(), sandbox.hosts_file()
            cmd = sandbox.command(
                [*argv, "--scratch", sandbox.SCRATCH, *keep], repo, leg, env, userns, hosts
            )
            self._unsandboxed_scratch = None
        else:
            self._unsandboxed_scratch = tempfile.TemporaryDirectory(prefix="book-programs-")
            cmd = [*argv, "--scratch", self._unsandboxed_scratch.name, "--no-confine"]
        if not pidfd:  # as on a system without pidfd_open (macOS); the tests simulate it
            cmd.append("--no-pidfd")
        try:
            self._proc = subprocess.Popen(
                cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=repo,
                pass_fds=tuple(fd for fd in (userns, hosts) if fd is not None),
            )  # fmt: skip
        finally:
            for fd in (userns, hosts):
                if fd is not None:
                    os.close(fd)
        hello = self._proc.stdout.readline()
        if not hello:
            raise RuntimeError("the program fork server did not start (could it import torch?)")
        self._env = base_environment(leg)
        self._limits = sandbox.limits(leg)
        self._ids = iter(range(1, 1 << 62))
        self._requests: dict[int, _Request] = {}
        self._in_flight: set[int] = set()
        self._results: dict[int, RunResult] = {}
        self._queue: deque[tuple[Path, float]] = deque()
        self._ahead: dict[Path, int | None] = {}  # queued (None) or started (its id)

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.stdin.close()
            self._proc.wait(timeout=30)
        self._proc.stdout.close()  # else a ResourceWarning at exit names the pipe
        if self._unsandboxed_scratch is not None:
            self._unsandboxed_scratch.cleanup()

    def run_ahead(self, programs: list[tuple]) -> None:
        """Queue programs to start before `run()` asks for them: (path, timeout), or
        (path, timeout, cells) for a notebook, whose path must name no program."""
        for path, timeout, *cells in programs:
            path = Path(os.path.abspath(path))  # a link is refused, not followed
            if path not in self._ahead:
                self._ahead[path] = None
                self._queue.append((path, timeout, cells[0] if cells else None))

    def run(self, path: Path, timeout: float, cells: list[dict] | None = None) -> RunResult:
        """Run the program at path; with cells, run those code cells of a notebook instead.

        Each cell is ``{"source", "filename", "expect_error"}`` (see forkserver._run_cells);
        path then names the notebook and sets ``sys.argv[0]`` and ``sys.path[0]``.
        """
        path = Path(os.path.abspath(path))  # a link is refused, not followed
        request_id = self._ahead.pop(path, None)
        started = request_id is not None and self._requests[request_id].cells == cells
        if not started:
            # Not started yet (queued, or never announced), or started with other cells
            # (a notebook changed since it was queued): it goes first, as asked now.
            for entry in [e for e in self._queue if e[0] == path]:
                self._queue.remove(entry)
            request_id = self._start(path, timeout, cells)
        while request_id not in self._results:
            self._top_up()
            self._collect_next()
        del self._requests[request_id]
        return self._results.pop(request_id)

    def _top_up(self) -> None:
        while self._queue and len(self._in_flight) < self.jobs:
            path, timeout, cells = self._queue.popleft()
            self._ahead[path] = self._start(path, timeout, cells)

    def _start(self, path: Path, timeout: float, cells: list[dict] | None) -> int:
        taken = {self._requests[other].slot for other in self._in_flight}
        request = _Request(next(self._ids), path, timeout, cells, free_slot(taken))
        env = dict(self._env)
        if cells is not None:
            # Notebooks draw figures: no display here, as on a headless kernel.
            env["MPLBACKEND"] = "Agg"
        line = {
            "id": request.id,
            "slot": request.slot,
            "path": str(path),
            "env": env,
            "timeout": timeout,
            "limits": self._limits,
        }
        if cells is None:  # never through a link: the book's files are regular files
            inside = path.is_relative_to(self.repo)
            line["source"] = safe_files.read_text(path, root=self.repo if inside else path.parent)
        else:
            line["cells"] = cells
        self._requests[request.id] = request
        self._in_flight.add(request.id)
        self._proc.stdin.write(json.dumps(line) + "\n")
        self._proc.stdin.flush()
        return request.id

    def _collect_next(self) -> int:
        """Wait for the next program to end and store its result; its id."""
        line = self._proc.stdout.readline()
        if not line:
            raise RuntimeError("the program fork server died")
        answer = json.loads(line)
        request = self._requests[answer["id"]]
        self._in_flight.discard(request.id)
        self._results[request.id] = _result(request, answer)
        return request.id


def _result(request: _Request, answer: dict) -> RunResult:
    """What the program did, judged from what a plain run shows: its wait status, its
    stdout and its stderr. The program's own report only adds hints."""
    if "server_error" in answer:  # the server could not run or read back this request
        return RunResult(
            path=request.path, stdout="", stderr="", exit_code=70, seconds=0.0,
            timed_out=False, run_problems=[f"the harness failed: {answer['server_error']}"],
        )  # fmt: skip
    stderr = answer.get("stderr", "")
    status, problems = answer.get("wait_status"), []
    if status is None and not answer["timed_out"]:
        problems.append(
            "the harness did not see the program end (its pid 1 ended first, "
            f"with wait status {answer.get('init_status')})"
        )
    exit_code = os.waitstatus_to_exitcode(status) if status is not None else 70
    signal = -exit_code if exit_code < 0 else None
    found = tracebacks.parse(stderr)
    program_path = answer.get("program_path", "")
    last = tracebacks.uncaught(stderr, exit_code)
    if last is not None and request.cells is None and len(found) > 1:
        # Something printed another traceback (an atexit handler, a logger): which one
        # ended the run, stderr alone cannot tell, and the verdict reads nothing else.
        problems.append(
            f"its stderr holds {len(found)} tracebacks; a run that ends in an uncaught "
            "exception shows one, so which exception ended it cannot be told"
        )
    report, report_problem = _report(answer.get("report"))
    if report_problem:
        problems.append(report_problem)
    left = answer.get("space_left")
    if left is not None and (left["bytes"] == 0 or left["files"] == 0):
        problems.append(
            f"the program filled the space it may write ({sandbox.SPACE_DESCRIPTION}); "
            "what it wrote last may be cut short"
        )
    return RunResult(
        path=request.path,
        stdout=answer.get("stdout", ""),
        stderr=stderr,
        exit_code=exit_code,
        seconds=answer["seconds"],
        timed_out=answer["timed_out"],
        error_type=last.qualified_type if last else None,
        error_line=last.last_line_in(program_path) if last and program_path else None,
        error_text=last.text if last else None,
        signal=signal,
        files_left=answer.get("files_left", []),
        stdout_bytes=answer.get("stdout_bytes", 0),
        program_path=program_path,
        confinement_error=answer.get("confinement_error"),
        run_problems=problems,
        tracebacks=found,
        cuda_initialized=bool(report.get("cuda_initialized", False)),
        cuda_max_allocated=_int(report.get("cuda_max_allocated", 0)),
        cells=[c for c in report.get("cells", []) if isinstance(c, dict)],
    )


def _report(text: str | None) -> tuple[dict, str | None]:
    """The program's report, parsed defensively: any shape it could write is survived."""
    if text is None:
        return {}, "the program's report was larger than the harness reads"
    if not text:
        return {}, None
    try:
        report = json.loads(text)
    except (ValueError, RecursionError):
        return {}, "the program's report could not be read (was it overwritten?)"
    if not isinstance(report, dict):
        return {}, "the program's report could not be read (was it overwritten?)"
    return report, None


def _int(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
