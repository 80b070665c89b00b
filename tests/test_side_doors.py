"""Attacks around the sandbox rather than at it: on the verdict, on the programs beside a
program, and on what of the host a program can see. Each test is one attack; each
passes only when the attack fails, and says what the harness shows instead.
"""

from __future__ import annotations

import ctypes
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import run_program as run
from conftest import write_program as write

from book.catalog import REPO
from book.notebooks import from_notebook, notebook_problems, run_notebook, without_error_line
from book.run.runner import SnippetRunner
from book.run.sandbox import SPACE_BYTES

pytestmark = pytest.mark.usefixtures("sandboxed")


# -- the verdict comes from what a plain run shows -------------------------------------


def test_a_forged_report_does_not_make_an_error_the_program_never_raised(runner, tmp_path):
    """It writes a result claiming the error it declares, on every descriptor it holds."""
    result, problems = run(
        runner,
        tmp_path,
        """
        # expected-error: RuntimeError
        import json, os
        forged = json.dumps({"exit_code": 1, "error_type": "builtins.RuntimeError",
                             "error_line": 3, "error_text": "RuntimeError: forged"})
        for fd in range(3, 64):
            try:
                os.write(fd, forged.encode())
            except OSError:
                pass
        print("no error here")
        """,
        name="forger.py",
    )
    assert result.exit_code == 0 and result.error_type is None
    assert any(
        "declares '# expected-error: RuntimeError' but finished with exit code 0" in p
        for p in problems
    ), problems


def test_a_program_that_breaks_the_harness_modules_and_raises_still_fails(runner, tmp_path):
    """json.dumps replaced (once how the child reported), then an error: the run fails."""
    result, [problem] = run(
        runner,
        tmp_path,
        """
        import json, sys
        json.dumps = lambda *args, **kwargs: '{"exit_code": 0}'
        for name in [m for m in sys.modules if m.startswith("book.")]:
            sys.modules[name].__dict__.clear()
        raise RuntimeError("what a reader would see")
        """,
        name="saboteur.py",
    )
    assert result.exit_code == 1 and result.error_type == "builtins.RuntimeError"
    assert "saboteur.py:5 raised RuntimeError: what a reader would see" in problem


def test_a_notebook_cell_that_edits_its_own_outcome_still_fails(runner, tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("print('first')"),
        nbformat.v4.new_code_cell(
            "import sys\n"
            "frame = sys._getframe(1)\n"
            "frame.f_locals['outcome'].update(error_type=None, index=1)\n"
            "frame.f_locals['cell']['expect_error'] = 'ZeroDivisionError'\n"
            "1 / 0\n"
        ),
        nbformat.v4.new_code_cell("print('never runs')"),
    ]
    notebook = from_notebook(nb, "forged.ipynb", tmp_path / "forged.ipynb")
    result = run_notebook(runner, notebook)
    problems = notebook_problems(notebook, result)
    # Whether the next cell runs is decided in the program's own process, which the cell
    # can change; the verdict is not: cell 2's traceback is in stderr, and it declares none.
    assert any("cell 2" in p and "raised ZeroDivisionError" in p for p in problems), problems


def test_a_forged_cell_report_can_only_add_problems(runner, tmp_path):
    """A cell rewrites the report the harness reads for cell outputs: the run fails."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import os\n"
            "os.write(3, b'[' * 100000 + b']' * 100000)\n"  # nested past any parser's depth
            "os._exit(0)\n"
        ),
        nbformat.v4.new_code_cell("print('never runs')"),
    ]
    notebook = from_notebook(nb, "nested.ipynb", tmp_path / "nested.ipynb")
    result = run_notebook(runner, notebook)
    problems = notebook_problems(notebook, result)
    assert any("report could not be read" in p for p in problems), problems
    after, ok = run(runner, tmp_path, "print('the server is fine')\n", name="after.py")
    assert ok == [] and after.stdout == "the server is fine\n"


def test_a_cell_that_moves_its_own_span_cannot_hide_a_printed_line(runner, tmp_path):
    """A cell prints a wrong line, then moves the start of its reported span past it:
    its recorded output would read only the right line. The spans must cover stdout."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import sys\n"
            "print('WRONG', flush=True)\n"
            "frame = sys._getframe(1)\n"
            "frame.f_locals['outcome']['stdout_start'] = "
            "frame.f_globals['_CountedStdout'].written()\n"
            "print('right')\n"
        ),
    ]
    notebook = from_notebook(nb, "hides.ipynb", tmp_path / "hides.ipynb")
    result = run_notebook(runner, notebook)
    assert result.stdout == "WRONG\nright\n"
    problems = notebook_problems(notebook, result)
    assert any("cannot be told apart" in p for p in problems), problems


def test_a_working_directory_nested_deeper_than_any_walk_takes_no_server_down(runner, tmp_path):
    result, problems = run(
        runner,
        tmp_path,
        """
        import os
        for _ in range(1100):
            os.mkdir("d")
            os.chdir("d")
        print(len(os.getcwd()))
        """,
        name="deep.py",
    )
    assert problems == [] and result.files_left[0] == "d"
    after, ok = run(runner, tmp_path, "print('next')\n", name="next.py")
    assert ok == [] and after.stdout == "next\n"


@pytest.mark.parametrize(
    ("source", "signal_name"),
    [
        ("import os, signal\nos.kill(os.getpid(), signal.SIGUSR1)\nprint('after')\n", "SIGUSR1"),
        ("import signal, time\nsignal.alarm(1)\ntime.sleep(5)\nprint('after')\n", "SIGALRM"),
    ],
)
def test_a_signal_a_program_sends_itself_ends_it_as_a_plain_run(
    runner, tmp_path, source, signal_name
):
    plain = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True)
    result, [problem] = run(runner, tmp_path, source)
    assert result.exit_code == plain.returncode < 0
    assert result.stdout == plain.stdout == ""
    assert f"was ended by signal {signal_name}" in problem, problem


# -- one program cannot starve another -------------------------------------------------


def test_a_program_that_fills_its_space_fails_alone(tmp_path):
    filler = write(
        tmp_path,
        """
        import os
        chunk = b"x" * (1 << 20)
        for part in range(8):  # 8 files of 200 MiB, more than a program may write
            with open(os.path.expanduser(f"~/big-{part}"), "wb") as fh:
                for _ in range(200):
                    fh.write(chunk)
        """,
        "filler.py",
    )
    honest = write(tmp_path, "import time\ntime.sleep(1)\nprint('x' * 5000)\n", "honest.py")
    runner = SnippetRunner(REPO, jobs=2)
    try:
        runner.run_ahead([(filler, 60), (honest, 60)])
        full = runner.run(filler, timeout=60)
        beside = runner.run(honest, timeout=60)
    finally:
        runner.close()
    [space] = full.run_problems
    assert f"filled the space it may write ({SPACE_BYTES >> 20} MiB" in space
    assert "No space left on device" in (full.error_text or ""), full.stderr
    assert beside.exit_code == 0 and beside.stdout == "x" * 5000 + "\n"
    assert beside.run_problems == []


# -- what of the host a program sees ---------------------------------------------------


@pytest.mark.skipif(os.geteuid() != 0, reason="the tests run as root only in CI containers")
def test_run_as_root_a_program_is_a_host_user_that_owns_nothing(runner, tmp_path):
    readable = [p for p in ("/etc/shadow", "/etc/gshadow") if os.path.exists(p)]
    assert readable, "this machine has no root-only file to try"
    result, problems = run(
        runner,
        tmp_path,
        f"""
        import os
        print(os.getuid())
        for path in {readable!r}:
            try:
                open(path).read()
                print("READ", path)
            except PermissionError:
                print("refused")
        """,
    )
    assert problems == []
    assert result.stdout == "1000\n" + "refused\n" * len(readable)


def test_the_launching_processes_keyring_is_not_the_programs(runner, tmp_path):
    number = {"x86_64": 248, "aarch64": 217}.get(os.uname().machine)
    if number is None:
        pytest.skip("add_key's number is known here for x86_64 and aarch64 only")
    libc = ctypes.CDLL(None, use_errno=True)
    key = libc.syscall(number, b"user", b"book-side-door", b"secret", 6, -3)  # session ring
    if key < 0:
        pytest.skip(f"this machine refuses keys to the tests (errno {ctypes.get_errno()})")
    result, problems = run(
        runner,
        tmp_path,
        """
        import ctypes, os
        libc = ctypes.CDLL(None, use_errno=True)
        number = {"x86_64": 250, "aarch64": 219}[os.uname().machine]
        found = libc.syscall(number, 10, -3, b"user", b"book-side-door", 0)  # KEYCTL_SEARCH
        print("found" if found >= 0 else "not found")
        """,
    )
    assert problems == [] and result.stdout == "not found\n"


def test_sys_shows_no_network_interface(runner, tmp_path, leg):
    result, problems = run(
        runner,
        tmp_path,
        """
        import os
        print(os.path.exists("/sys/class/net"), os.path.exists("/sys/devices/virtual/net"))
        print(os.cpu_count() > 0, os.path.isdir("/sys/devices/system/cpu"))
        """,
    )
    assert problems == []
    shown = "False False\n" if leg == "cpu" else "True True\n"
    assert result.stdout.startswith(shown)
    if leg == "cuda":  # the folders are there for the driver's walk, and empty
        assert "True True" in result.stdout
    assert result.stdout.endswith("True True\n")


# -- fidelity: a fingerprint against a plain run ---------------------------------------

FINGERPRINT = """
import gc, getpass, os, signal, sys, threading, warnings
print(sys.argv, sys.orig_argv[1:], getpass.getuser())
print(os.path.basename(os.getcwd()) == os.path.basename(sys.path[0]), __name__)
print(len(warnings.filters), [f[0] for f in warnings.filters])
print(gc.isenabled(), gc.get_threshold(), threading.active_count())
print(sorted(str(signal.getsignal(s)) for s in (signal.SIGUSR1, signal.SIGALRM, signal.SIGTERM)))
print(sys.stdout.line_buffering, sys.stderr.line_buffering, sys.flags.optimize)
print(os.getpgrp() == os.getpid(), os.environ.get("PYTHONHASHSEED") is not None)
def inner():
    raise ValueError("shown as a plain run shows it")
inner()
"""


def test_a_fingerprint_program_matches_a_plain_run(runner, tmp_path):
    """What the contributing page promises a program sees, against `python file.py`.

    Left out, and stated on the contributing page: the modules the server imported
    (sys.modules), the frozen garbage-collector generation (gc.get_freeze_count), the
    process ids, and the folder names."""
    program = write(tmp_path, FINGERPRINT, "fingerprint.py")
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "fingerprint.py").write_text(program.read_text())
    # A reader's shell: the program leads a process group of its own (job control).
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "USER": "reader", "LOGNAME": "reader"}
    with open(tmp_path / "plain.out", "w") as out:
        plain = subprocess.run(
            [sys.executable, "fingerprint.py"], cwd=folder, env=env, stdout=out,
            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, process_group=0,
        )  # fmt: skip
    result = runner.run(program, timeout=30)
    assert result.exit_code == plain.returncode == 1
    assert result.stdout == (tmp_path / "plain.out").read_text()
    harness = result.stderr.replace(result.program_path, "fingerprint.py")
    assert harness == plain.stderr.replace(str(folder / "fingerprint.py"), "fingerprint.py")


# -- bugs found on the way -------------------------------------------------------------


def test_a_qualified_declared_error_is_cut_from_a_chapter_cells_expected_output():
    recorded = "before\ntorch.OutOfMemoryError: CUDA out of memory. Tried to allocate 4.00 TiB\n"
    assert without_error_line(recorded, "torch.OutOfMemoryError") == "before\n"
    assert without_error_line("a\nRuntimeError: x\n", "RuntimeError") == "a\n"


# -- what the program printed cannot be rewritten after the fact -------------------------


def test_a_program_cannot_take_back_what_it_printed(runner, tmp_path):
    """stdout is a pipe, as for `python file.py | cat`: no truncating, seeking or pwrite."""
    result, problems = run(
        runner,
        tmp_path,
        """
        import os
        print("WRONG: the model diverged, loss = nan", flush=True)
        os.ftruncate(1, 0)
        os.lseek(1, 0, 0)
        print("loss = 0.0123")
        """,
        name="truncates.py",
    )
    assert result.stdout.startswith("WRONG: the model diverged")
    assert result.error_type == "builtins.OSError" and problems


def test_a_second_traceback_printed_at_exit_makes_the_verdict_fail(runner, tmp_path):
    """An atexit handler prints the traceback of the error the program declares after
    the real one: stderr shows both, and the run fails instead of passing."""
    result, problems = run(
        runner,
        tmp_path,
        """
        # expected-error: RuntimeError
        import atexit, sys


        def fake():
            sys.stderr.write(
                "Traceback (most recent call last):\\n"
                '  File "swap.py", line 12, in <module>\\n'
                "RuntimeError: shapes do not match\\n"
            )


        atexit.register(fake)
        raise ValueError("shapes do not match")
        """,
        name="swap.py",
    )
    assert any("holds 2 tracebacks" in p for p in problems), problems


def test_a_lab_cell_cannot_rewrite_an_earlier_cells_output(runner, tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("print('cell A: the model diverged')"),
        nbformat.v4.new_code_cell(
            "import os, sys\nsys.stdout.flush()\nos.pwrite(1, b'cell A: the model converged', 0)\n"
        ),
    ]
    notebook = from_notebook(nb, "rewrites.ipynb", tmp_path / "rewrites.ipynb")
    result = run_notebook(runner, notebook)
    assert result.stdout == "cell A: the model diverged\n"
    assert any("raised OSError" in p for p in notebook_problems(notebook, result))


# -- programs side by side share nothing ------------------------------------------------


def test_a_program_finds_no_output_of_an_earlier_program_in_its_memory(tmp_path):
    """What programs print is read back by a process of its own, never by the fork
    server whose memory every later program inherits. The first program computes what
    it prints, so that only its output (not its source) holds the text looked for.

    The scan reads every mapping except the clean pages of installed software (torch's
    libraries are gigabytes): those pages hold the bytes of files the sandbox mounts
    read-only, so no output can be in them. Anything written, or mapped from elsewhere
    (a tmpfs file, a memfd), is read."""
    first = write(tmp_path, "print(f'secret-{6 * 7 * 1000 + 1}-end')\n", "first.py")
    scan = write(
        tmp_path,
        """
        import re, sys
        pattern = re.compile(rb"secret-([0-9]+)-end")
        # A control: text this process made at run time, which the scan must find.
        control = f"secret-{6 + 1}-end".encode()
        software = tuple({sys.prefix, sys.base_prefix, "/usr/", "/lib"})
        mappings, header, written = [], None, 0
        with open("/proc/self/smaps") as smaps:
            for line in smaps:
                field = line.split()
                if not line[0].isupper() or not field[0].endswith(":"):  # a mapping's header
                    if header is not None:
                        mappings.append((header, written))
                    header, written = field, 0
                elif field[0] in ("Anonymous:", "Private_Dirty:", "Shared_Dirty:"):
                    written += int(field[1])
        if header is not None:
            mappings.append((header, written))
        found = set()
        with open("/proc/self/mem", "rb", 0) as mem:
            for header, written in mappings:
                span, perms, path = header[0], header[1], " ".join(header[5:])
                if "r" not in perms or path in ("[vvar]", "[vsyscall]"):
                    continue
                if not written and path.startswith(software):
                    continue  # clean pages of an installed file: the file's own bytes
                start, end = (int(x, 16) for x in span.split("-"))
                try:
                    mem.seek(start)
                    found |= {m.group(1) for m in pattern.finditer(mem.read(end - start))}
                except (OSError, OverflowError, ValueError):
                    pass
        print(sorted(found))
        """,
        "scan.py",
    )
    runner = SnippetRunner(REPO)
    try:
        assert runner.run(first, timeout=30).stdout == "secret-42001-end\n"
        result = runner.run(scan, timeout=120)
    finally:
        runner.close()
    # Only the control: the earlier program's output is nowhere in this one's memory.
    assert result.stdout == "[b'7']\n", result.stdout + result.stderr[-500:]


def test_programs_side_by_side_have_process_limits_of_their_own(tmp_path):
    """Each program in flight runs as a reader uid no other program in flight has (a
    per-user limit is then its own), and a slot freed is given to the next program:
    `after` starts while `holds` still runs, and takes the slot `starts` left."""
    outer_uid = 'open("/proc/self/uid_map").read().split()[1]'  # in the server's namespace
    holds = write(
        tmp_path,
        f"""
        import threading, time
        stop = threading.Event()
        started = 0
        for _ in range(450):
            threading.Thread(target=stop.wait, args=(6,), daemon=True).start()
            started += 1
        print(started, {outer_uid})
        time.sleep(4)
        """,
        "holds.py",
    )
    starts = write(
        tmp_path,
        f"""
        import threading, time
        time.sleep(1.5)
        stop = threading.Event()
        for _ in range(200):
            threading.Thread(target=stop.wait, args=(2,), daemon=True).start()
        print("started 200", {outer_uid})
        """,
        "starts.py",
    )
    # Queued third: it starts when starts.py ends (under 2 s), while holds.py sleeps.
    after = write(tmp_path, f"print({outer_uid})\n", "after.py")
    runner = SnippetRunner(REPO, jobs=2)
    try:
        runner.run_ahead([(holds, 60), (starts, 60), (after, 60)])
        first, second = runner.run(holds, timeout=60), runner.run(starts, timeout=60)
        third = runner.run(after, timeout=60)
    finally:
        runner.close()
    assert first.stdout.split()[0] == "450", first.stderr[-500:]
    assert second.stdout.split()[:2] == ["started", "200"], second.stderr[-500:]
    uids = first.stdout.split()[1], second.stdout.split()[2], third.stdout.strip()
    if uids[0] != "0":  # readers' uids are mapped (the tests run as root)
        assert uids[0] != uids[1] == uids[2], f"holds, starts, after ran as uids {uids}"


def test_a_program_takes_the_lowest_slot_no_program_in_flight_holds():
    from book.run.runner import free_slot

    assert [free_slot(set()), free_slot({0}), free_slot({1}), free_slot({0, 2})] == [0, 1, 0, 1]


@pytest.mark.parametrize(
    ("leg", "cores", "gib", "jobs"),
    [("cpu", 2, 24, 2), ("cpu", 16, 64, 16), ("cpu", 16, 8, 4), ("cpu", 128, 1024, 64),
     ("cpu", 4, 1, 1), ("cuda", 16, 128, 2)],
)  # fmt: skip
def test_programs_side_by_side_are_one_per_core_as_memory_allows(
    monkeypatch, leg, cores, gib, jobs
):
    """Each may fill a tmpfs of SPACE_BYTES (1 GiB) and compute besides: two per program.
    No more than the reader uids (64); on the CUDA leg, two share the one GPU."""
    from book.run import runner

    monkeypatch.setattr(runner.os, "cpu_count", lambda: cores)
    sizes = {"SC_PAGE_SIZE": 4096, "SC_PHYS_PAGES": gib * (1 << 30) // 4096}
    monkeypatch.setattr(runner.os, "sysconf", sizes.__getitem__)
    assert runner.default_jobs(leg) == jobs


def test_a_program_can_make_no_user_namespace_of_its_own(runner, tmp_path):
    """Inside one it could mount a tmpfs of its own, outside its capped space."""
    result, problems = run(
        runner,
        tmp_path,
        """
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        print(libc.unshare(0x10000000), ctypes.get_errno())  # CLONE_NEWUSER
        """,
    )
    assert problems == [] and result.stdout.split()[0] == "-1", result.stdout


@pytest.mark.parametrize(
    "folder",
    [Path("/var/tmp"), REPO.parent],
    ids=["var-tmp", "beside-the-repository"],
)
def test_a_host_socket_is_out_of_reach(runner, tmp_path, folder):
    """Only the system's folders, the repository and the interpreter are in the sandbox:
    a socket of a host service anywhere else has no path there."""
    path = folder / f".book-side-door-{os.getpid()}.sock"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
    except OSError as error:
        server.close()
        pytest.skip(f"no socket can be made in {folder} here ({error})")
    server.listen()
    server.setblocking(False)
    try:
        result, problems = run(
            runner,
            tmp_path,
            f"""
            import socket
            try:
                socket.socket(socket.AF_UNIX).connect({str(path)!r})
                print("connected")
            except OSError as error:
                print(type(error).__name__)
            """,
        )
        time.sleep(0.1)
        with pytest.raises(BlockingIOError):
            server.accept()
    finally:
        server.close()
        path.unlink()
    assert problems == [] and result.stdout == "FileNotFoundError\n"
