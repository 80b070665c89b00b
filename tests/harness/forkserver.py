"""Run snippet programs the way `python snippet.py` runs them, one forked child each.

This file is started as its own process by `runner.py`. It imports torch once,
then reads one JSON request per line on stdin and answers one JSON line on
stdout, carrying the request's ``id``. Each request forks a child at once, so
several may run side by side; answers come in the order the children end. Each
child:

- starts a new session (so a timeout can kill everything it spawned),
- changes into a fresh working directory and takes the requested environment,
- sends its stdout/stderr to files, as a shell redirect would,
- runs the snippet with ``runpy.run_path(path, run_name="__main__")``, or, when
  the request carries ``cells`` (a notebook's code cells), runs them in order in
  one shared ``__main__`` namespace, as a Jupyter kernel does (see `_run_cells`).

The parent never touches CUDA: a CUDA context does not survive fork, so the
child must be the first to initialise it.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import sys
import time
import traceback

import torch  # noqa: F401  (imported once here; every child inherits it)

try:  # numpy is imported by torch's NumPy bridge; pay for it once too.
    import numpy  # noqa: F401
except ImportError:  # pragma: no cover - numpy is a declared dependency
    pass


def _warm_up() -> None:
    """Load, once, the modules torch imports lazily on first use.

    Creating the first optimizer imports torch._dynamo and sympy (about 3 s on a
    2-core machine). Paid here, before forking, it is paid once instead of in
    every child. Keep this to imports: running real tensor work here (a layer, a
    backward pass, a DataLoader) starts OpenMP's thread pool, and children that
    then compute in parallel hang after fork. Only modules are loaded: no random
    numbers are drawn, no defaults or options are changed, no device is touched.
    """
    param = torch.zeros(1, requires_grad=True)
    torch.optim.SGD([param], lr=0.1)
    torch.optim.Adam([param])
    # A CUDA context does not survive fork: if anything above had created one,
    # every child on the GPU leg would fail in confusing ways. Stop here instead.
    if torch.cuda.is_initialized():
        raise RuntimeError("the fork server initialised CUDA before forking")


_warm_up()

PROTOCOL_OUT = sys.stdout  # the child redirects fd 1, the parent keeps answering here


class NetworkDisabledError(ConnectionRefusedError):
    """Raised when a snippet reaches for the network during verification."""


NETWORK_ATTEMPTS: list[str] = []


def _refuse_network() -> None:
    """Make every outgoing connection and name lookup fail with a clear message.

    The attempt is also remembered, because libraries such as urllib wrap the
    error in their own exception type.
    """

    def refuse(target):
        NETWORK_ATTEMPTS.append(repr(target))
        raise NetworkDisabledError(
            f"network access is disabled while snippets are verified (tried to reach {target!r}); "
            "snippets must build their data themselves"
        )

    original_connect = socket.socket.connect

    def connect(self, address):
        if self.family == socket.AF_UNIX:
            return original_connect(self, address)
        return refuse(address)

    socket.socket.connect = connect
    socket.socket.connect_ex = connect
    socket.create_connection = lambda address, *a, **k: refuse(address)
    socket.getaddrinfo = lambda host, *a, **k: refuse(host)
    socket.gethostbyname = lambda host: refuse(host)


def _snippet_frame(tb, path: str) -> int | None:
    """The last line of the snippet file that appears in a traceback."""
    line = None
    for frame, lineno in traceback.walk_tb(tb):
        if os.path.realpath(frame.f_code.co_filename) == path:
            line = lineno
    return line


def _run_cells(cells: list[dict], result: dict) -> None:
    """Run a notebook's code cells top to bottom in one fresh ``__main__`` module.

    Each cell is ``{"source", "filename", "expect_error"}``. It is compiled under its
    own file name (registered with linecache when no such file exists, so tracebacks
    show its lines). A cell may raise exactly its ``expect_error`` and the next cell
    runs; any other exception stops the notebook, as Jupyter's "Run all" does, and
    propagates with ``result["error_cell"]`` set. Per-cell outcomes go to
    ``result["cells"]``.
    """
    import linecache
    import types

    main = types.ModuleType("__main__")
    sys.modules["__main__"] = main
    outcomes: list[dict] = []
    result["cells"] = outcomes
    for index, cell in enumerate(cells):
        filename, source = cell["filename"], cell["source"]
        if not os.path.exists(filename):
            linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        outcome = {"index": index, "error_type": None, "error_line": None, "error_text": None}
        outcomes.append(outcome)
        start = time.perf_counter()
        try:
            exec(compile(source, filename, "exec"), main.__dict__)
        except Exception as exc:  # noqa: BLE001 - every exception is reported per cell
            text = "".join(traceback.format_exception_only(type(exc), exc))
            outcome["error_type"] = type(exc).__qualname__
            outcome["error_line"] = _snippet_frame(exc.__traceback__, os.path.realpath(filename))
            outcome["error_text"] = text.rstrip("\n")
            if outcome["error_type"] != cell.get("expect_error"):
                result["error_cell"] = index
                result["error_file"] = os.path.realpath(filename)
                raise
            traceback.print_exc()
        finally:
            outcome["seconds"] = time.perf_counter() - start


def _child(req: dict) -> None:
    """Body of the forked child; never returns."""
    os.setsid()
    path = os.path.realpath(req["path"])
    result: dict = {"exit_code": 0, "error_type": None, "error_line": None, "error_text": None}
    out = os.open(req["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    err = os.open(req["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(out, 1)
    os.dup2(err, 2)
    # The faulthandler dump on SIGUSR1 lets a timeout name the line that hung.
    import faulthandler

    faulthandler.register(signal.SIGUSR1, file=sys.stderr, all_threads=True)
    os.chdir(req["cwd"])
    os.environ.clear()
    os.environ.update(req["env"])
    sys.argv = [path]
    sys.path[0] = os.path.dirname(path)
    _refuse_network()
    import runpy

    try:
        if req.get("cells") is None:
            runpy.run_path(path, run_name="__main__")
        else:
            _run_cells(req["cells"], result)
    except SystemExit as exc:
        code = exc.code
        if code is None:
            result["exit_code"] = 0
        elif isinstance(code, int):
            result["exit_code"] = code
        else:
            print(code, file=sys.stderr)
            result["exit_code"] = 1
    except BaseException as exc:  # noqa: BLE001 - report everything the snippet raised
        traceback.print_exc()
        result["exit_code"] = 1
        result["error_type"] = type(exc).__qualname__
        result["error_line"] = _snippet_frame(exc.__traceback__, result.pop("error_file", path))
        result["error_text"] = "".join(traceback.format_exception_only(type(exc), exc)).rstrip("\n")
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:  # noqa: BLE001 - a closed stream must not hide the result
        pass
    result["network_attempts"] = NETWORK_ATTEMPTS
    result["cuda_initialized"] = bool(torch.cuda.is_initialized())
    result["cuda_max_allocated"] = (
        int(torch.cuda.max_memory_allocated()) if result["cuda_initialized"] else 0
    )
    with open(req["result"], "w") as fh:
        json.dump(result, fh)
    os._exit(result["exit_code"] if 0 <= result["exit_code"] < 256 else 1)


class _Child:
    """A running child: its request, a pidfd to wait on, and its deadline."""

    def __init__(self, req: dict):
        sys.stdout.flush()
        sys.stderr.flush()
        self.req = req
        self.start = time.perf_counter()
        self.pid = os.fork()
        if self.pid == 0:
            try:
                _child(req)
            finally:
                os._exit(70)
        self.pidfd = os.pidfd_open(self.pid)
        self.deadline = self.start + req["timeout"]

    def finish(self, timed_out: bool) -> dict:
        """Reap the child (killing it first when it ran out of time); the answer line."""
        seconds = time.perf_counter() - self.start
        if timed_out:
            try:  # ask for a stack dump first, so the report can name the line
                os.killpg(self.pid, signal.SIGUSR1)
                time.sleep(0.3)
            except ProcessLookupError:
                pass
        try:  # what it started and left behind goes too (all of it, on a timeout)
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _, status = os.waitpid(self.pid, 0)
        os.close(self.pidfd)
        return {
            "id": self.req.get("id"),
            "timed_out": timed_out,
            "seconds": seconds,
            "wait_status": status,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        }


def _answer(answer: dict) -> None:
    PROTOCOL_OUT.write(json.dumps(answer) + "\n")
    PROTOCOL_OUT.flush()


def main() -> None:
    # Children inherit the parent's objects copy-on-write; a garbage collection in
    # a child would touch (and so copy) every one of them. Frozen objects are
    # skipped by the collector, which makes each child cheaper to run.
    import gc

    gc.collect()
    gc.freeze()
    _answer({"ready": True, "pid": os.getpid()})
    # Requests are read from the raw descriptor (no buffering hides a line from
    # select); children are watched through pidfds, and their deadlines bound the wait.
    stdin = sys.stdin.fileno()
    pending, running, open_ = b"", {}, True
    while open_ or running:
        now = time.perf_counter()
        wait = min((c.deadline - now for c in running.values()), default=None)
        watched = ([stdin] if open_ else []) + list(running)
        ready, _, _ = select.select(watched, [], [], None if wait is None else max(wait, 0))
        if stdin in ready:
            chunk = os.read(stdin, 1 << 16)
            open_ = bool(chunk)
            *lines, pending = (pending + chunk).split(b"\n")
            for line in lines:
                if line.strip():
                    child = _Child(json.loads(line))
                    running[child.pidfd] = child
        now = time.perf_counter()
        for fd, child in list(running.items()):
            if fd in ready or child.deadline <= now:
                del running[fd]
                _answer(child.finish(timed_out=fd not in ready))


if __name__ == "__main__":
    main()
