"""Run book programs the way `python file.py` runs them, one forked child each.

`runner.py` starts this module (``python -m book.run.forkserver``)
inside the bubblewrap sandbox (see sandbox.py). It
imports torch once (scikit-learn and torchvision once too, before the first program
that imports them: PRELOADED), then reads one JSON request per line on stdin and answers one
JSON line on stdout, carrying the request's ``id``. Each request forks a child at
once, so several may run side by side; answers come in the order the children end.

Each child is confined by the kernel (confine.py: its own pid, mount, network, IPC
and user namespaces, resource limits, no capabilities) and then made to look like
a fresh ``python file.py`` run in an empty folder:

- the program is copied into an empty working directory, which is the current
  directory, and ``sys.argv[0]`` is its bare file name;
- stdout and stderr are new streams over files, buffered as a plain run buffers
  them when redirected to a file (so ``os._exit`` loses what a plain run loses);
- the random state that a fresh interpreter would draw anew is drawn anew
  (``random`` reseeds itself at fork; NumPy's global generator is reseeded here);
- at the end, non-daemon threads are joined and ``atexit`` handlers run, as
  interpreter shutdown does.

With ``cells`` (a notebook's code cells) the cells run in order in one shared
``__main__`` namespace, as a Jupyter kernel runs them (see `_run_cells`).

The server, not the program, reads back what the program left (its output, the
files in its working directory) and sends it in the answer; the scratch area lives
on a tmpfs that disappears with the sandbox, so nothing is left behind on the host.

The parent never touches CUDA: a CUDA context does not survive fork, so the
child must be the first to initialise it.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import select
import shutil
import signal
import sys
import time
import traceback

import torch  # noqa: F401  (imported once here; every child inherits it)

try:  # numpy is imported by torch's NumPy bridge; pay for it once too.
    import numpy  # noqa: F401
except ImportError:  # pragma: no cover - numpy is a declared dependency
    pass

from book.run import confine
from book.syntax import error_matches

# What the answer carries of the program's output: the golden files are small, and
# a runaway program must not turn into a runaway report (its files are also capped
# by RLIMIT_FSIZE, which makes the program's own write fail with "File too large").
POLL = 0.005  # seconds between looks at a child where there is no pidfd (macOS)
STDOUT_KEEP = 1 << 20
STDERR_KEEP = 1 << 16


# Imported by the server, when installed, before the first program that imports their
# package; children then find them in sys.modules. Part II's programs load real data
# with scikit-learn and images with torchvision: about 1.4 s and 2.4 s of imports on a
# 2-core machine, paid once instead of in every child (and never by a server whose
# programs do not use them, such as the harness's self-tests).
PRELOADED = {
    "sklearn": ("sklearn.datasets",),
    "torchvision": ("torchvision", "torchvision.transforms.v2", "torchvision.datasets"),
}
_preloaded: set[str] = set()


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


def _preload_for(req: dict) -> None:
    """Import PRELOADED packages that this program imports, once, before it is forked."""
    sources = [req["source"]] if req.get("cells") is None else [c["source"] for c in req["cells"]]
    for package, modules in PRELOADED.items():
        if package in _preloaded:
            continue
        uses = re.compile(rf"^\s*(?:import|from)\s+{package}\b", re.M)
        if not any(uses.search(source) for source in sources):
            continue
        _preloaded.add(package)
        try:
            for name in modules:
                importlib.import_module(name)
        except Exception:  # not installed, or broken: the program then fails on its own
            for loaded in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
                del sys.modules[loaded]
        if torch.cuda.is_initialized():  # as in _warm_up: children could not use it
            raise RuntimeError(f"importing {package} initialised CUDA in the fork server")


PROTOCOL_OUT = sys.stdout  # the child redirects fd 1, the parent keeps answering here


def _snippet_frame(tb, path: str) -> int | None:
    """The last line of the program file that appears in a traceback."""
    line = None
    for frame, lineno in traceback.walk_tb(tb):
        if os.path.realpath(frame.f_code.co_filename) == path:
            line = lineno
    return line


def _qualified(exc: BaseException) -> str:
    """The exception's class as module.qualname (builtins.RuntimeError, torch.OutOfMemoryError)."""
    cls = type(exc)
    return f"{cls.__module__}.{cls.__qualname__}"


def _run_main(path: str) -> None:
    """Run the file as ``python file.py`` runs it: a fresh ``__main__`` module whose
    ``__file__`` is the absolute path, while ``sys.argv[0]`` stays as typed.
    (``runpy.run_path`` would put the absolute path into ``sys.argv[0]``.)"""
    import builtins
    import importlib.machinery
    import types

    main = types.ModuleType("__main__")
    main.__file__ = path
    main.__cached__ = None
    main.__loader__ = importlib.machinery.SourceFileLoader("__main__", path)
    main.__builtins__ = builtins
    sys.modules["__main__"] = main
    with open(path, "rb") as fh:
        code = compile(fh.read(), path, "exec")
    exec(code, main.__dict__)


class CellTimeout(Exception):
    """A notebook cell ran longer than its own time limit."""


def _run_cells(cells: list[dict], result: dict) -> None:
    """Run a notebook's code cells top to bottom in one fresh ``__main__`` module.

    Each cell is ``{"source", "filename", "expect_error", "timeout"}``. It is compiled
    under its own file name (registered with linecache when no such file exists, so
    tracebacks show its lines). A cell may raise exactly its ``expect_error`` and the
    next cell runs; any other exception stops the notebook, as Jupyter's "Run all"
    does, and propagates with ``result["error_cell"]`` set. A cell that runs past its
    ``timeout`` raises `CellTimeout` where it is.

    Per-cell outcomes go to ``result["cells"]``: what the cell printed (as the span of
    the stdout file it wrote) and the figures it left open, as PNG files, which is
    what Jupyter's inline backend shows under a cell.
    """
    import linecache
    import types

    def out_of_time(signum, frame):
        raise CellTimeout(f"the cell ran longer than its {cells[index]['timeout']:g} s")

    signal.signal(signal.SIGALRM, out_of_time)
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
        sys.stdout.flush()
        outcome["stdout_start"] = os.lseek(1, 0, os.SEEK_CUR)
        start = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, cell["timeout"])
        try:
            exec(compile(source, filename, "exec"), main.__dict__)
        except Exception as exc:  # noqa: BLE001 - every exception is reported per cell
            text = "".join(traceback.format_exception_only(type(exc), exc))
            outcome["error_type"] = _qualified(exc)
            outcome["error_line"] = _snippet_frame(exc.__traceback__, os.path.realpath(filename))
            outcome["error_text"] = text.rstrip("\n")
            if not error_matches(outcome["error_type"], cell.get("expect_error")):
                result["error_cell"] = index
                result["error_file"] = os.path.realpath(filename)
                raise
            traceback.print_exc()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            outcome["seconds"] = time.perf_counter() - start
            sys.stdout.flush()
            outcome["stdout_end"] = os.lseek(1, 0, os.SEEK_CUR)
            outcome["figures"] = _open_figures()


def _open_figures() -> list[str]:
    """The figures a cell left open, as base64 PNGs, closed afterwards (as Jupyter's
    inline backend does). No software version in the file: it would change every
    figure on a matplotlib upgrade even when no pixel does."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None:
        return []
    import base64
    import io

    found = []
    for number in pyplot.get_fignums():
        buffer = io.BytesIO()
        pyplot.figure(number).savefig(
            buffer, format="png", bbox_inches="tight", metadata={"Software": None}
        )
        found.append(base64.b64encode(buffer.getvalue()).decode())
    pyplot.close("all")
    return found


def _fresh_stdio() -> None:
    """New sys.stdout/sys.stderr over fds 1 and 2, made as a plain interpreter makes them.

    The server itself runs unbuffered (``-u``); a reader's program, with its output
    redirected to a file, gets a block-buffered stdout and a line-buffered stderr.
    """
    import io

    out = io.TextIOWrapper(open(1, "wb", closefd=False), encoding="utf-8", errors="strict")
    err = io.TextIOWrapper(
        open(2, "wb", closefd=False), encoding="utf-8", errors="backslashreplace",
        line_buffering=True,
    )  # fmt: skip
    sys.stdout = sys.__stdout__ = out
    sys.stderr = sys.__stderr__ = err


def _forget_server_state() -> None:
    """State a fresh interpreter would compute on first use, forgotten so it is recomputed.

    NumPy's global generator was seeded from OS entropy when the server imported it;
    a fresh interpreter seeds its own. tempfile chose its directory in the server,
    where /tmp is read-only; the child has a private, writable /tmp of its own.
    """
    # The server's own exit handlers (torch's and its libraries' clean-ups, ~30 ms)
    # are not the program's; those it registers, directly or through the modules it
    # imports itself, run at its end.
    import atexit

    atexit._clear()
    np_random = sys.modules.get("numpy.random")
    if np_random is not None:
        np_random.seed()
    tempfile = sys.modules.get("tempfile")
    if tempfile is not None:
        tempfile.tempdir = None


def _finish_like_interpreter_exit() -> None:
    """What Py_FinalizeEx does before the process ends: join threads, run atexit."""
    import atexit
    import threading

    threading._shutdown()  # waits for every non-daemon thread, as python does
    atexit._run_exitfuncs()


def _child(req: dict, settings: argparse.Namespace, scratch: str) -> None:
    """Body of the forked child; never returns."""
    # Its own session and process group: a kill(0, ...) or a killpg from the
    # program reaches only what the program started.
    os.setsid()
    out = os.open(f"{scratch}/stdout", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    err = os.open(f"{scratch}/stderr", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    report = os.open(f"{scratch}/result.json", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(out, 1)
    os.dup2(err, 2)
    # Nothing of the server's reaches the program: its protocol pipes, the pidfds
    # of the other children, the namespace handle.
    os.closerange(3, report)
    os.closerange(report + 1, 1 << 16)
    if settings.confine:
        confine.confine_child(scratch, settings.scratch, dict(req["limits"]), settings.keep)
        home, work = confine.READER_HOME, confine.WORKDIR
    else:
        home, work = f"{scratch}/home", f"{scratch}/home/work"
    _fresh_stdio()
    # The faulthandler dump on SIGUSR1 lets a timeout name the line that hung.
    import faulthandler

    faulthandler.register(signal.SIGUSR1, file=sys.stderr, all_threads=True)
    os.chdir(work)
    os.environ.clear()
    os.environ.update(req["env"])
    os.environ.update(
        {
            "HOME": home,
            "TORCH_HOME": f"{home}/.cache/torch",
            "XDG_CACHE_HOME": f"{home}/.cache",
            "MPLCONFIGDIR": f"{home}/.config/matplotlib",
        }
    )
    if not settings.confine:
        os.environ["TMPDIR"] = f"{scratch}/tmp"
    name = req.get("name") or os.path.basename(req["path"])
    path = os.path.join(work, name) if req.get("cells") is None else req["path"]
    sys.argv = [name]
    sys.path[0] = work if req.get("cells") is None else os.path.dirname(path)
    _forget_server_state()
    result: dict = {"exit_code": 0, "error_type": None, "error_line": None, "error_text": None}
    try:
        if req.get("cells") is None:
            _run_main(path)
        else:
            _run_cells(req["cells"], result)
        _finish_like_interpreter_exit()
    except SystemExit as exc:
        code = exc.code
        if code is None:
            result["exit_code"] = 0
        elif isinstance(code, int):
            result["exit_code"] = code
        else:
            print(code, file=sys.stderr)
            result["exit_code"] = 1
        _finish_like_interpreter_exit()
    except BaseException as exc:  # noqa: BLE001 - report everything the program raised
        traceback.print_exc()
        result["exit_code"] = 1
        result["error_type"] = _qualified(exc)
        result["error_line"] = _snippet_frame(exc.__traceback__, result.pop("error_file", path))
        result["error_text"] = "".join(traceback.format_exception_only(type(exc), exc)).rstrip("\n")
        _finish_like_interpreter_exit()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:  # noqa: BLE001 - a closed stream must not hide the result
        pass
    result["cuda_initialized"] = bool(torch.cuda.is_initialized())
    result["cuda_max_allocated"] = (
        int(torch.cuda.max_memory_allocated()) if result["cuda_initialized"] else 0
    )
    os.write(report, json.dumps(result).encode())
    os._exit(result["exit_code"] if 0 <= result["exit_code"] < 256 else 1)


def _confinement_failed(scratch: str, error: BaseException) -> None:
    """The child could not be confined: say so, run nothing, exit 71."""
    with open(f"{scratch}/confinement-error", "w") as fh:
        fh.write(f"{type(error).__name__}: {error}")
    os._exit(71)


class _Child:
    """A running child: its request, a pidfd to wait on, and its deadline."""

    def __init__(self, req: dict, settings: argparse.Namespace, pids: confine.PidNamespaces | None):
        self.req = req
        self.settings = settings
        self.scratch = f"{settings.scratch}/{int(req['id'])}"
        work = f"{self.scratch}/home/work"
        os.makedirs(work)
        os.makedirs(f"{self.scratch}/tmp")
        if req.get("cells") is None:  # the program, as the reader saves it: alone in a folder
            with open(os.path.join(work, os.path.basename(req["path"])), "w") as fh:
                fh.write(req["source"])
        sys.stdout.flush()
        sys.stderr.flush()
        self.start = time.perf_counter()
        if pids is not None:
            pids.prepare()  # the child will be pid 1 of a new pid namespace
        try:
            self.pid = os.fork()
            if self.pid == 0:
                try:
                    _child(req, settings, self.scratch)
                except confine.ConfinementError as error:
                    _confinement_failed(self.scratch, error)
                finally:
                    os._exit(70)
        finally:
            if pids is not None:
                pids.restore()
        # Linux watches a child through a pidfd; elsewhere (macOS) it is polled.
        self.pidfd = os.pidfd_open(self.pid) if settings.pidfd else None
        self.status: int | None = None  # the wait status, once reaped by `exited`
        self.deadline = self.start + req["timeout"]

    def exited(self) -> bool:
        """Whether the child has ended (the portable way, without a pidfd)."""
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
        return self.status is not None

    def finish(self, timed_out: bool) -> dict:
        """Reap the child (killing it first when it ran out of time); the answer line."""
        seconds = time.perf_counter() - self.start
        if timed_out:
            try:  # ask for a stack dump first, so the report can name the line
                os.kill(self.pid, signal.SIGUSR1)
                time.sleep(0.3)
            except ProcessLookupError:
                pass
        # Confined, the child is pid 1 of its namespace: when it goes, the kernel ends
        # every process it started. Unconfined, its process group is all there is.
        try:
            if self.settings.confine:
                os.kill(self.pid, signal.SIGKILL)
            elif self.status is None:
                os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        status = self.status if self.status is not None else os.waitpid(self.pid, 0)[1]
        if self.pidfd is not None:
            os.close(self.pidfd)
        answer = {
            "id": self.req.get("id"),
            "timed_out": timed_out,
            "seconds": seconds,
            "wait_status": status,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        }
        answer.update(self._read_back())
        shutil.rmtree(self.scratch, ignore_errors=True)
        return answer

    def _read_back(self) -> dict:
        """What the program left: its output (capped), result and working directory."""
        found: dict = {}
        for name, keep, tail in (("stdout", STDOUT_KEEP, False), ("stderr", STDERR_KEEP, True)):
            text, size = _read_capped(f"{self.scratch}/{name}", keep, tail)
            found[name], found[f"{name}_bytes"] = text, size
        try:
            with open(f"{self.scratch}/result.json") as fh:
                found["detail"] = json.loads(fh.read() or "{}")
        except (OSError, ValueError):
            found["detail"] = {}
        try:
            with open(f"{self.scratch}/confinement-error") as fh:
                found["confinement_error"] = fh.read()
        except OSError:
            pass
        work = f"{self.scratch}/home/work"
        program = os.path.basename(self.req["path"]) if self.req.get("cells") is None else None
        left = []
        for root, dirs, files in os.walk(work):
            for entry in dirs + files:
                rel = os.path.relpath(os.path.join(root, entry), work)
                if rel != program:
                    left.append(rel)
        found["files_left"] = sorted(left)
        if program is not None:
            home = confine.READER_HOME if self.settings.confine else f"{self.scratch}/home"
            found["program_path"] = f"{home}/work/{program}"
        return found


def _read_capped(path: str, keep: int, tail: bool) -> tuple[str, int]:
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if tail and size > keep:
                fh.seek(size - keep)
            data = fh.read(keep)
    except OSError:
        return "", 0
    return data.decode("utf-8", errors="replace"), size


def _answer(answer: dict) -> None:
    PROTOCOL_OUT.write(json.dumps(answer) + "\n")
    PROTOCOL_OUT.flush()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scratch", required=True, help="where each child's files go")
    parser.add_argument("--no-confine", dest="confine", action="store_false")
    parser.add_argument("--keep", action="append", default=[], help="see confine_child")
    parser.add_argument(
        "--no-pidfd", dest="pidfd", action="store_false", help="poll children (no pidfd_open)"
    )
    settings = parser.parse_args()
    settings.pidfd = settings.pidfd and hasattr(os, "pidfd_open")
    os.chdir(settings.scratch)  # started in the repository, for `-m` to find the package
    pids = confine.PidNamespaces() if settings.confine else None
    # Children inherit the parent's objects copy-on-write; a garbage collection in
    # a child would touch (and so copy) every one of them. Frozen objects are
    # skipped by the collector, which makes each child cheaper to run.
    import gc

    gc.collect()
    gc.freeze()
    _answer({"ready": True, "hash_seed": os.environ.get("PYTHONHASHSEED")})
    # Requests are read from the raw descriptor (no buffering hides a line from
    # select); children are watched through pidfds (or polled every POLL seconds
    # where there are none), and their deadlines bound the wait.
    stdin = sys.stdin.fileno()
    pending, running, open_ = b"", [], True
    while open_ or running:
        now = time.perf_counter()
        waits = [c.deadline - now for c in running]
        if any(c.pidfd is None for c in running):
            waits.append(POLL)
        wait = min(waits, default=None)
        watched = ([stdin] if open_ else []) + [c.pidfd for c in running if c.pidfd is not None]
        ready, _, _ = select.select(watched, [], [], None if wait is None else max(wait, 0))
        if stdin in ready:
            chunk = os.read(stdin, 1 << 16)
            open_ = bool(chunk)
            *lines, pending = (pending + chunk).split(b"\n")
            for line in lines:
                if line.strip():
                    req = json.loads(line)
                    _preload_for(req)
                    running.append(_Child(req, settings, pids))
        now = time.perf_counter()
        for child in list(running):
            done = child.pidfd in ready if child.pidfd is not None else child.exited()
            if done or child.deadline <= now:
                running.remove(child)
                _answer(child.finish(timed_out=not done))


if __name__ == "__main__":
    main()
