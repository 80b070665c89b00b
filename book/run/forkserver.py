"""Run book programs the way `python file.py` runs them, one forked child each.

`runner.py` starts this module (``python -m book.run.forkserver``)
inside the bubblewrap sandbox (see sandbox.py). It
imports torch once (scikit-learn and torchvision once too, before the first program
that imports them: PRELOADED), then reads one JSON request per line on stdin and answers one
JSON line on stdout, carrying the request's ``id``. Each request forks a child at
once, so several may run side by side; answers come in the order the children end.

Each request gets two processes. The first, the child, is pid 1 of a new pid namespace
and is harness code only: it sets up the program's mounts, network and limits
(confine.py), starts the program as its own child and waits for it, like an init.
The program's process then drops to an unprivileged user (its own user namespace, no
capabilities) and runs the file. So the program is not pid 1 (signals it sends itself
act as in a plain run), and when it ends, every process it started ends with the
namespace. Each request also gets its own tmpfs, capped in bytes and files, that holds
all a program can write (home, working directory, /tmp, /dev/shm) and its output.

The verdict comes only from what a plain run shows a reader, read from outside the
program: its wait status (passed to the server by pid 1 through a pipe the program
does not hold), its stdout and its stderr. The program's own process writes one more
file, a report of its notebook cells (where each cell's output starts, its figures)
and of its GPU use: that report can only add problems to a run, never pass one.

The program's process is made to look like a fresh ``python file.py`` run in an
empty folder:

- the program is copied into an empty working directory, which is the current
  directory, and ``sys.argv[0]`` is its bare file name;
- stdout and stderr are new streams over files, buffered as a plain run buffers
  them when redirected to a file (so ``os._exit`` loses what a plain run loses);
- the random state that a fresh interpreter would draw anew is drawn anew
  (``random`` reseeds itself at fork; NumPy's global generator is reseeded here);
- an exception it does not catch goes to ``sys.excepthook`` with the harness's own
  frames removed, so its traceback is the one a plain run prints;
- at the end, non-daemon threads are joined and ``atexit`` handlers run, as
  interpreter shutdown does.

With ``cells`` (a notebook's code cells) the cells run in order in one shared
``__main__`` namespace, as a Jupyter kernel runs them (see `_run_cells`).

The server, not the program, reads back what the program left (its output, the
files in its working directory) and sends it in the answer; then it unmounts the
request's tmpfs, so nothing is left behind, whatever the program made there.

The parent never touches CUDA: a CUDA context does not survive fork, so the
child must be the first to initialise it.
"""

from __future__ import annotations

import argparse
import fcntl
import importlib
import json
import os
import re
import select
import signal
import struct
import sys
import time
import traceback
import warnings

# The warning filters a fresh interpreter starts with: importing torch and its compiler
# adds filters of its own, which a program run with `python file.py` would not have.
FRESH_WARNING_FILTERS = list(warnings.filters)

import torch  # noqa: E402  (imported once here; every child inherits it)

try:  # numpy is imported by torch's NumPy bridge; pay for it once too.
    import numpy  # noqa: F401
except ImportError:  # pragma: no cover - numpy is a declared dependency
    pass

from book.run import confine  # noqa: E402
from book.syntax import error_matches, parse_directives  # noqa: E402

# What the answer carries of the program's output: the golden files are small, and
# a runaway program must not turn into a runaway report (its files are also capped
# by RLIMIT_FSIZE, which makes the program's own write fail with "File too large").
POLL = 0.005  # seconds between looks at a child where there is no pidfd (macOS)
STDOUT_KEEP = 1 << 20
STDERR_KEEP = 1 << 20  # the end of stderr: tracebacks are read from it
REPORT_KEEP = 64 << 20  # the program's report (figures included); more fails the run
LISTED_FILES = 200  # files a program left in its folder, listed by name at most
LISTED_DEPTH = 16  # folders deeper than this are not walked (one entry says so)
DUMP_AHEAD = 1.0  # seconds before its deadline that a program's stacks are dumped


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


def _size_thread_pool(threads: int) -> None:
    """Give this child's torch the CPU thread count runner.server_environment names.

    torch sized its pool from OMP_NUM_THREADS when the server imported it, but caps
    that at the machine's cores, and the CPU matrix asks for three on two. Set here,
    in the child, never in the server: set_num_threads creates a thread pool, and a
    pool created before fork is invalid in the children ("Invalid thread pool!")."""
    if threads and torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


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
PROTOCOL_FD = 1  # what a collector writes its answer line to, unbuffered


def _qualified(exc: BaseException) -> str:
    """The exception's class as module.qualname (builtins.RuntimeError, torch.OutOfMemoryError)."""
    cls = type(exc)
    return f"{cls.__module__}.{cls.__qualname__}"


HARNESS_FILES = {os.path.realpath(__file__)}


def _without_harness_frames(tb):
    """The traceback from the program's first frame on: a plain run has no frames above
    the program's own (this module's frames come first, and only first)."""
    while tb is not None and os.path.realpath(tb.tb_frame.f_code.co_filename) in HARNESS_FILES:
        tb = tb.tb_next
    return tb


def _print_uncaught(exc: BaseException) -> None:
    """What the interpreter does with an exception nothing caught: sys.excepthook."""
    exc.__traceback__ = _without_harness_frames(exc.__traceback__)
    try:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    except BaseException:  # noqa: BLE001 - a failing hook prints both, as Python does
        traceback.print_exception(type(exc), exc, exc.__traceback__)


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


def _run_launcher(arguments: tuple[str, ...], name: str) -> None:
    """Run the file as ``torchrun <arguments> file.py`` runs it: torch's launcher, in
    this process, starts each worker as a fresh ``python -u file.py`` and waits for them
    all. The workers are this process's children, in the same namespaces and under the
    same limits, and print to the same stdout and stderr, as in a reader's terminal."""
    from torch.distributed.run import main as torchrun

    sys.argv = ["torchrun", *arguments, name]
    sys.orig_argv = list(sys.argv)
    torchrun([*arguments, name])


class CellTimeout(Exception):
    """A notebook cell ran longer than its own time limit."""


class NotebookStopped(Exception):
    """A cell raised what it does not declare: the run stops there, as "Run all" does."""


def _run_cells(cells: list[dict], report: dict) -> None:
    """Run a notebook's code cells top to bottom in one fresh ``__main__`` module.

    Each cell is ``{"source", "filename", "expect_error", "timeout"}``. It is compiled
    under its own file name (registered with linecache when no such file exists, so
    tracebacks show its lines). A cell that raises has its traceback printed to stderr,
    as Jupyter shows it under the cell; when it raised exactly its ``expect_error`` the
    next cell runs, otherwise the notebook stops (`NotebookStopped`), as "Run all" does.
    A cell that runs past its ``timeout`` raises `CellTimeout` where it is.

    What the harness judges is read from outside: the tracebacks in stderr and the
    exit status. ``report["cells"]`` only says where each cell's printed text starts
    and ends in stdout, and holds the figures it left open, as PNG files, which is what
    Jupyter's inline backend shows under a cell.
    """
    import linecache
    import types

    def out_of_time(signum, frame):
        raise CellTimeout(f"the cell ran longer than its {cells[index]['timeout']:g} s")

    signal.signal(signal.SIGALRM, out_of_time)
    main = types.ModuleType("__main__")
    sys.modules["__main__"] = main
    outcomes: list[dict] = []
    report["cells"] = outcomes
    for index, cell in enumerate(cells):
        filename, source = cell["filename"], cell["source"]
        if not os.path.exists(filename):
            linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        outcome = {"index": index}
        outcomes.append(outcome)
        sys.stdout.flush()
        outcome["stdout_start"] = _CountedStdout.written()
        start = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, cell["timeout"])
        try:
            exec(compile(source, filename, "exec"), main.__dict__)
        except Exception as exc:  # noqa: BLE001 - every exception is shown under its cell
            signal.setitimer(signal.ITIMER_REAL, 0)
            exc.__traceback__ = _without_harness_frames(exc.__traceback__)
            traceback.print_exception(type(exc), exc, exc.__traceback__)
            if not error_matches(_qualified(exc), cell.get("expect_error")):
                raise NotebookStopped from None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            outcome["seconds"] = time.perf_counter() - start
            sys.stdout.flush()
            outcome["stdout_end"] = _CountedStdout.written()
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


class _CountedStdout:
    """The bytes written through sys.stdout so far: where each notebook cell's printed
    text starts and ends (stdout is a pipe, which has no position to ask for)."""

    raw = None

    @classmethod
    def written(cls) -> int:
        return cls.raw.count if cls.raw is not None else 0


def _fresh_stdio() -> None:
    """New sys.stdout/sys.stderr over fds 1 and 2, made as a plain interpreter makes them.

    The server itself runs unbuffered (``-u``); a reader's program, with its output
    piped, gets a block-buffered stdout and a line-buffered stderr.
    """
    import io

    class Counting(io.FileIO):
        count = 0

        def write(self, data):
            written = super().write(data)
            self.count += written or 0
            return written

    raw = Counting(1, "wb", closefd=False)
    _CountedStdout.raw = raw
    out = io.TextIOWrapper(io.BufferedWriter(raw), encoding="utf-8", errors="strict")
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
    warnings.filters[:] = FRESH_WARNING_FILTERS
    warnings._filters_mutated()


def _finish_like_interpreter_exit() -> None:
    """What Py_FinalizeEx does before the process ends: join threads, run atexit."""
    import atexit
    import threading

    threading._shutdown()  # waits for every non-daemon thread, as python does
    atexit._run_exitfuncs()


# Descriptors, by number. The program's process keeps 0 to 3: stdin (/dev/null), stdout
# and stderr (the write ends of two pipes) and its report. pid 1 keeps the rest: the
# status pipe to the server, the files the output goes to, the read ends of the pipes,
# and the pipe its SIGCHLD handler wakes it through.
REPORT_FD, STATUS_FD, OUT_FILE, ERR_FILE, OUT_R, ERR_R, WAKE_R, WAKE_W = range(3, 11)


def _init(req: dict, settings: argparse.Namespace, scratch: str, status_w: int) -> None:
    """Body of the forked child, pid 1 of the program's namespaces; never returns.

    It sets up what the program sees, starts the program's process, copies what the
    program prints from two pipes into the output files, reaps every process that ends
    in the namespace, and when the program's own process ends, writes its wait status
    to the server and exits (the kernel then ends whatever the program left running).
    No program code ever runs in this process. Because the program's stdout and stderr
    are pipes, as in `python file.py | cat`, nothing it does can rewrite, truncate or
    seek in what it printed before: only pid 1 holds the files.
    """
    # Its own session and process group: a kill(0, ...) or a killpg from the
    # program reaches only what the program started.
    os.setsid()
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW
    opened = [
        os.open(os.devnull, os.O_RDONLY),
        os.open(f"{scratch}/report", flags, 0o644),
        status_w,
        os.open(f"{scratch}/stdout", flags, 0o644),
        os.open(f"{scratch}/stderr", flags, 0o644),
    ]
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    wake_r, wake_w = os.pipe()
    # Moved above every low number first, so that no dup2 below closes another of them.
    high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 64) for fd in [*opened, out_w, err_w]]
    high += [fcntl.fcntl(fd, fcntl.F_DUPFD, 64) for fd in (out_r, err_r, wake_r, wake_w)]
    devnull, report, status, out_file, err_file, out_w, err_w, out_r, err_r, wake_r, wake_w = high
    for target, fd in (
        (0, devnull), (1, out_w), (2, err_w), (REPORT_FD, report), (STATUS_FD, status),
        (OUT_FILE, out_file), (ERR_FILE, err_file), (OUT_R, out_r), (ERR_R, err_r),
        (WAKE_R, wake_r), (WAKE_W, wake_w),
    ):  # fmt: skip
        os.dup2(fd, target)
    # Nothing of the server's reaches the program: its protocol pipes, the pidfds
    # of the other children, the namespace handle.
    os.closerange(WAKE_W + 1, 1 << 16)
    try:
        if settings.confine:
            confine.confine_child(
                req["space"], settings.scratch, dict(req["limits"]), settings.keep
            )
    except (confine.ConfinementError, OSError) as error:
        _confinement_failed(error)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    program = os.fork()
    if program == 0:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        try:
            if settings.confine:
                os.setpgid(0, 0)  # alone in its group, as a shell starts a command
                confine.become_reader(int(req["slot"]))
        except (confine.ConfinementError, OSError) as error:
            _confinement_failed(error)
        os.closerange(STATUS_FD, WAKE_W + 1)  # before any program code runs: pid 1's alone
        try:
            _program(req, settings)
        except BaseException:  # noqa: BLE001 - a fault of the harness, not the program's
            os.write(
                2, f"the harness failed to start the program:\n{traceback.format_exc()}".encode()
            )
        os._exit(70)
    for fd in (0, 1, 2, REPORT_FD):
        os.close(fd)
    status = _copy_output_until_ended(program)
    if status is not None:
        os.write(STATUS_FD, b"S" + struct.pack("=i", status))
    os._exit(0)


def _copy_output_until_ended(program: int) -> int | None:
    """In pid 1: copy the program's output into its files until its process ends; its
    wait status. Other processes that end in the namespace are reaped on the way."""
    # Past the file size limit a write fails (EFBIG) instead of killing pid 1; what the
    # program prints after that is read and dropped, so it never blocks on a full pipe.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    for fd in (WAKE_R, WAKE_W):
        os.set_blocking(fd, False)
    signal.set_wakeup_fd(WAKE_W, warn_on_full_buffer=False)
    sinks = {OUT_R: OUT_FILE, ERR_R: ERR_FILE}
    status = None
    while status is None:
        while True:  # reap first: a SIGCHLD that came before the select is not lost
            try:
                pid, waited = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return status
            if pid == 0:
                break
            if pid == program:
                status = waited
        if status is not None:
            break
        ready, _, _ = select.select([*sinks, WAKE_R], [], [], 1.0)
        for fd in ready:
            if fd == WAKE_R:
                _drain(WAKE_R)
            elif not _pump(fd, sinks[fd]):
                del sinks[fd]
    for fd, sink in sinks.items():  # what it printed just before it ended
        os.set_blocking(fd, False)
        try:
            while _pump(fd, sink):
                pass
        except BlockingIOError:
            pass
    return status


def _pump(source: int, sink: int) -> bool:
    """Copy one read's worth from a pipe into a file; False at the end of the pipe."""
    data = os.read(source, 1 << 16)
    if not data:
        return False
    while data:
        try:
            data = data[os.write(sink, data) :]
        except OSError:  # the file size limit: keep reading, drop the rest
            break
    return True


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 512):
            pass
    except BlockingIOError:
        pass


def _program(req: dict, settings: argparse.Namespace) -> None:
    """Body of the program's process: run the file (or the cells) as a plain run does."""
    if settings.confine:
        home, work = confine.READER_HOME, confine.WORKDIR
    else:
        home, work = f"{req['space']}/home", f"{req['space']}/home/work"
    _fresh_stdio()
    # Just before its time runs out, a dump of every thread's stack lets the report name
    # the line that hung. faulthandler's own watchdog thread does it, so no signal's
    # meaning changes: a program that signals itself ends as a plain run ends.
    import faulthandler

    timeout = float(req["timeout"])
    faulthandler.dump_traceback_later(max(timeout - DUMP_AHEAD, timeout * 0.5), exit=False)
    os.chdir(work)
    threads = int(os.environ.get("OMP_NUM_THREADS") or 0)  # the server's, not the reader's
    os.environ.clear()
    os.environ.update(req["env"])
    os.environ.update(
        {
            "HOME": home,
            # As a login shell sets them: getpass.getuser() reads them first.
            "USER": "reader",
            "LOGNAME": "reader",
            "TORCH_HOME": f"{home}/.cache/torch",
            "XDG_CACHE_HOME": f"{home}/.cache",
            "MPLCONFIGDIR": f"{home}/.config/matplotlib",
        }
    )
    if not settings.confine:
        os.environ["TMPDIR"] = f"{req['space']}/tmp"
    name = req.get("name") or os.path.basename(req["path"])
    path = os.path.join(work, name) if req.get("cells") is None else req["path"]
    sys.argv = [name]
    sys.orig_argv = ["python", name]
    sys.path[0] = work if req.get("cells") is None else os.path.dirname(path)
    _forget_server_state()
    _size_thread_pool(threads)
    report: dict = {}
    exit_code = 0
    try:
        try:
            launch = None
            if req.get("cells") is None:
                launch = parse_directives(req["source"], name).launch
            if launch is not None:
                _run_launcher(launch, name)
            elif req.get("cells") is None:
                _run_main(path)
            else:
                _run_cells(req["cells"], report)
        except SystemExit as exc:
            exit_code = _exit_code(exc.code)
        except NotebookStopped:
            exit_code = 1
        except BaseException as exc:  # noqa: BLE001 - what the interpreter does with it
            _print_uncaught(exc)
            exit_code = 1
        _finish_like_interpreter_exit()
    except SystemExit as exc:  # raised by an atexit handler or a thread's end
        exit_code = _exit_code(exc.code)
    except BaseException as exc:  # noqa: BLE001
        _print_uncaught(exc)
        exit_code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:  # noqa: BLE001 - a closed stream must not hide the exit status
        exit_code = exit_code or 120  # what Python exits with when it cannot flush
    try:
        report["cuda_initialized"] = bool(torch.cuda.is_initialized())
        report["cuda_max_allocated"] = (
            int(torch.cuda.max_memory_allocated()) if report["cuda_initialized"] else 0
        )
        data = json.dumps(report).encode()
        while data:
            data = data[os.write(REPORT_FD, data) :]
    except Exception:  # noqa: BLE001 - the report is a hint; the exit status is the verdict
        pass
    os._exit(exit_code)


def _exit_code(code) -> int:
    """The exit status `sys.exit(code)` gives a plain run."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    try:
        print(code, file=sys.stderr)
    except Exception:  # noqa: BLE001
        pass
    return 1


def _harness_failed(error: BaseException) -> None:
    """pid 1 itself failed: say why on the status pipe (which the server reads)."""
    try:
        message = f"the harness's pid 1 failed: {_describe(error)}\n{traceback.format_exc()}"
        os.write(STATUS_FD, b"C" + message.encode()[:4000])
    except OSError:
        pass


def _confinement_failed(error: BaseException) -> None:
    """The program could not be confined: say so on the status pipe, run nothing, exit 71."""
    try:
        message = f"{type(error).__name__}: {error}"[:2000]
        os.write(2, f"the sandbox could not confine the program: {message}\n".encode())
        os.write(STATUS_FD, b"C" + message.encode())
    finally:
        os._exit(71)


class _Child:
    """A running request: its pid 1, a pidfd to wait on, its status pipe and deadline."""

    def __init__(self, req: dict, settings: argparse.Namespace, pids: confine.PidNamespaces | None):
        self.req = req
        self.settings = settings
        # The request's folder holds its output (each file capped by RLIMIT_FSIZE) and
        # `space`: all the program can write, capped in bytes and files together. A
        # program that fills its space still has its traceback shown.
        self.scratch = f"{settings.scratch}/{int(req['id'])}"
        self.space = f"{self.scratch}/space"
        req["space"] = self.space
        os.mkdir(self.scratch, 0o755)
        os.mkdir(self.space, 0o755)
        self.mounted = False
        if settings.confine:
            confine.private_space(self.space)
            self.mounted = True
        work = f"{self.space}/home/work"
        for folder in (f"{self.space}/home", work, f"{self.space}/tmp", f"{self.space}/shm"):
            os.mkdir(folder, 0o1777 if folder.endswith(("tmp", "shm")) else 0o755)
        if req.get("cells") is None:  # the program, as the reader saves it: alone in a folder
            with open(os.path.join(work, os.path.basename(req["path"])), "w") as fh:
                fh.write(req["source"])
        if settings.confine:
            confine.hand_to_reader(self.space, int(req["slot"]))
        status_r, status_w = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        self.start = time.perf_counter()
        if pids is not None:
            pids.prepare()  # the child will be pid 1 of a new pid namespace
        try:
            self.pid = os.fork()
            if self.pid == 0:
                try:
                    os.close(status_r)
                    _init(req, settings, self.scratch, status_w)
                except BaseException as error:  # noqa: BLE001 - a fault of the harness
                    _harness_failed(error)
                finally:
                    os._exit(70)
        finally:
            if pids is not None:
                pids.restore()
        os.close(status_w)
        self.status_fd = status_r
        # Linux watches a child through a pidfd; elsewhere (macOS) it is polled.
        self.pidfd = os.pidfd_open(self.pid) if settings.pidfd else None
        self.status: int | None = None  # pid 1's wait status, once reaped by `exited`
        self.deadline = self.start + req["timeout"]

    def exited(self) -> bool:
        """Whether the child has ended (the portable way, without a pidfd)."""
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
        return self.status is not None

    def finish(self, timed_out: bool) -> dict:
        """Reap the child (killing it first when it ran out of time); the answer's start.

        What the program printed and left is not read here: `answer_from_collector` reads
        it in a process of its own, so no program's output ever enters the fork server's
        memory, which every later program inherits."""
        seconds = time.perf_counter() - self.start
        # Confined, the child is pid 1 of its namespace: when it goes, the kernel ends
        # every process it started. Unconfined, its process group is all there is.
        try:
            if self.settings.confine:
                os.kill(self.pid, signal.SIGKILL)
            elif self.status is None:
                os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        init_status = self.status if self.status is not None else os.waitpid(self.pid, 0)[1]
        if self.pidfd is not None:
            os.close(self.pidfd)
        status, confinement_error = _read_status(self.status_fd)
        os.close(self.status_fd)
        answer = {
            "id": self.req.get("id"),
            "timed_out": timed_out,
            "seconds": seconds,
            # The program's own wait status; None when pid 1 did not see it end.
            "wait_status": status,
            "init_status": init_status,
        }
        if confinement_error is not None:
            answer["confinement_error"] = confinement_error
        return answer

    def answer_from_collector(self, answer: dict) -> None:
        """Fork a collector that reads back what the program left, writes the whole answer
        line to the runner, removes the request's files and exits; wait for it."""
        sys.stdout.flush()
        collector = os.fork()
        if collector == 0:
            code = 0
            try:
                try:
                    answer.update(self._read_back())
                finally:
                    self._clean_up()
            except Exception as error:  # noqa: BLE001 - this request fails, alone
                answer = {"id": answer.get("id"), "server_error": _describe(error)}
                code = 1
            try:
                data = (json.dumps(answer) + "\n").encode()
                while data:
                    data = data[os.write(PROTOCOL_FD, data) :]
            finally:
                os._exit(code)
        os.waitpid(collector, 0)

    def _read_back(self) -> dict:
        """What the program left: its output (capped), report and working directory."""
        found: dict = {}
        for name, keep, tail in (("stdout", STDOUT_KEEP, False), ("stderr", STDERR_KEEP, True)):
            text, size = _read_capped(f"{self.scratch}/{name}", keep, tail)
            found[name], found[f"{name}_bytes"] = text, size
        report, size = _read_capped(f"{self.scratch}/report", REPORT_KEEP, False)
        found["report"] = report if size <= REPORT_KEEP else None
        if self.mounted:
            found["space_left"] = confine.space_left(self.space)
        program = os.path.basename(self.req["path"]) if self.req.get("cells") is None else None
        found["files_left"] = _files_left(f"{self.space}/home/work", program)
        if program is not None:
            home = confine.READER_HOME if self.settings.confine else f"{self.space}/home"
            found["program_path"] = f"{home}/work/{program}"
        return found

    def _clean_up(self) -> None:
        """Remove everything the request made; unmounting its tmpfs does it at once,
        however deep or wide the program's files are."""
        import shutil

        if self.mounted:
            confine.release_space(self.space)
        shutil.rmtree(self.scratch, ignore_errors=True)


def _read_status(fd: int) -> tuple[int | None, str | None]:
    """What came through the status pipe: the program's wait status from pid 1, or why
    the program could not be confined (each (None) when it did not come)."""
    data = b""
    try:
        while len(data) < 4096 and (chunk := os.read(fd, 4096)):
            data += chunk
    except OSError:
        pass
    if data[:1] == b"S" and len(data) == 5:
        return struct.unpack("=i", data[1:])[0], None
    if data[:1] == b"C":
        return None, data[1:].decode(errors="replace")
    return None, None


def _files_left(work: str, program: str | None) -> list[str]:
    """What the program left in its folder, walked without following links and without
    recursion (a folder nested thousands deep is one entry, not a crash)."""
    left: list[str] = []
    stack = [("", 0)]
    while stack and len(left) < LISTED_FILES:
        rel, depth = stack.pop()
        try:
            entries = sorted(os.scandir(os.path.join(work, rel)), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            name = os.path.join(rel, entry.name) if rel else entry.name
            if name == program:
                continue
            left.append(name)
            if entry.is_dir(follow_symlinks=False):
                if depth + 1 < LISTED_DEPTH:
                    stack.append((name, depth + 1))
                else:
                    left.append(os.path.join(name, "..."))
    if len(left) >= LISTED_FILES:
        left = left[:LISTED_FILES] + ["..."]
    return sorted(left)


def _read_capped(path: str, keep: int, tail: bool) -> tuple[str, int]:
    try:
        with open(os.open(path, os.O_RDONLY | os.O_NOFOLLOW), "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if tail and size > keep:
                fh.seek(size - keep)
            data = fh.read(keep)
    except OSError:
        return "", 0
    return data.decode("utf-8", errors="replace"), size


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


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
                    try:
                        _preload_for(req)
                        running.append(_Child(req, settings, pids))
                    except Exception as error:  # noqa: BLE001 - this request fails, alone
                        _answer({"id": req.get("id"), "server_error": _describe(error)})
        now = time.perf_counter()
        for child in list(running):
            done = child.pidfd in ready if child.pidfd is not None else child.exited()
            if done or child.deadline <= now:
                running.remove(child)
                try:
                    child.answer_from_collector(child.finish(timed_out=not done))
                except Exception as error:  # noqa: BLE001 - whatever the program left
                    _answer({"id": child.req.get("id"), "server_error": _describe(error)})


if __name__ == "__main__":
    main()
