"""Client side of the fork server: run one program, collect what it did."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
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


class SnippetRunner:
    """One long-lived fork server; `run()` executes a program in a fresh child."""

    def __init__(self, repo: Path, leg: str = "cpu", python: str = sys.executable):
        self.repo = repo
        self.leg = leg
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

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.stdin.close()
            self._proc.wait(timeout=10)

    def run(self, path: Path, timeout: float, cells: list[dict] | None = None) -> RunResult:
        """Run the program at path; with cells, run those code cells of a notebook instead.

        Each cell is ``{"source", "filename", "expect_error"}`` (see forkserver._run_cells);
        path then names the notebook and sets ``sys.argv[0]`` and ``sys.path[0]``.
        """
        path = Path(path).resolve()
        scratch = Path(tempfile.mkdtemp(prefix="snippet-"))
        try:
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
            request = {
                "path": str(path),
                "cwd": str(work),
                "env": env,
                "timeout": timeout,
                "stdout": str(scratch / "stdout"),
                "stderr": str(scratch / "stderr"),
                "result": str(scratch / "result.json"),
            }
            if cells is not None:
                request["cells"] = cells
            before = RepoSnapshot.take(self.repo)
            self._proc.stdin.write(json.dumps(request) + "\n")
            self._proc.stdin.flush()
            line = self._proc.stdout.readline()
            if not line:
                raise RuntimeError("the snippet fork server died")
            answer = json.loads(line)
            changes = before.changes_since(self.repo)
            result_file = scratch / "result.json"
            detail = json.loads(result_file.read_text()) if result_file.exists() else {}
            exit_code = detail.get("exit_code")
            if exit_code is None:
                status = answer["wait_status"]
                exit_code = os.waitstatus_to_exitcode(status)
            return RunResult(
                path=path,
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
                repo_changes=changes,
                cells=detail.get("cells", []),
                error_cell=detail.get("error_cell"),
            )
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
