"""The command that starts the fork server inside a bubblewrap sandbox, and its limits.

Every program, chapter notebook and lab of the book is untrusted code: it runs in
a child of the fork server, and the fork server runs inside ``bwrap`` (Debian's
``bubblewrap``), which gives it, through the kernel:

- its own user, pid, network (loopback only), IPC and UTS namespaces;
- the whole file system read-only (the repository, the virtual environment, the
  system), with empty tmpfs mounts over /tmp, /run, /home and /root, and over
  the repository's ``.git`` (its config and hooks are nobody's business);
- a cleared environment (only what `runner.server_environment` names);
- ``--die-with-parent``: when the test run ends or is killed, the sandbox and
  every process in it end too, and its tmpfs scratch area with them.

Each child then gets namespaces and limits of its own (confine.py). Why bubblewrap
rather than util-linux ``unshare`` or a container runtime: it is one small
maintained binary made for exactly this (Flatpak's sandbox), it needs no daemon and
no root, and it sets up the read-only view of the file system itself, which
``unshare`` leaves to its caller.
"""

from __future__ import annotations

import glob
import shutil
import subprocess
import sys
from pathlib import Path

BWRAP = "bwrap"
SCRATCH = "/run/book"  # the server's tmpfs scratch area, inside the sandbox
# Hidden under empty tmpfs mounts: other users' files and secrets, the host's /tmp.
HIDDEN = ("/tmp", "/home", "/root")

# Bytes in any one file a program writes (its output too). torch.compile on a CPU has
# the C++ compiler write a precompiled header of about 150 MB into the program's /tmp.
FILE_SIZE_LIMIT = 256 << 20
# Bytes of virtual memory per process, on the CPU leg. PyPI's torch builds map their CUDA
# libraries even on a CPU: torch 2.10's reaches 5 GB of address space at import.
ADDRESS_SPACE_LIMIT = 16 << 30
PROCESS_LIMIT = 512  # processes and threads in one program's pid namespace


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or the kernel refuses its namespaces."""


HOW_TO_ENABLE = """\
Programs run inside a bubblewrap sandbox, and it could not start:
{detail}
- Install it: apt-get install -y bubblewrap (Debian/Ubuntu), dnf install bubblewrap.
- It needs unprivileged user namespaces: sysctl -w kernel.unprivileged_userns_clone=1
  (Debian before 11), sysctl -w user.max_user_namespaces=15000, and on Ubuntu 24.04
  sysctl -w kernel.apparmor_restrict_unprivileged_userns=0.
- In a Docker container, start it with --security-opt seccomp=unconfined
  --security-opt apparmor=unconfined --security-opt systempaths=unconfined
  (see .github/workflows/ci.yml).
- To run without isolation anyway: pytest --no-sandbox. Nothing is then recorded
  as verified."""


def supported() -> bool:
    """Whether this system has the kernel sandbox at all (Linux namespaces)."""
    return sys.platform.startswith("linux")


def limits(leg: str) -> dict[str, int]:
    """Resource limits for each program (resource.RLIMIT_* names, and pids)."""
    found = {
        "RLIMIT_FSIZE": FILE_SIZE_LIMIT,
        "RLIMIT_CORE": 0,
        "RLIMIT_NPROC": PROCESS_LIMIT,
        "pids": PROCESS_LIMIT,
    }
    if leg == "cpu":
        # The CUDA driver reserves far more address space than it uses, so this
        # limit would stop every GPU program: on the CUDA leg memory is not capped.
        found["RLIMIT_AS"] = ADDRESS_SPACE_LIMIT
    return found


def exposed(repo: Path, python: str) -> list[str]:
    """Paths under the hidden directories the sandbox shows anyway, read-only: the
    repository, the virtual environment and the interpreter it was made from (a clone
    in /tmp, a venv in the home directory)."""
    wanted = {repo, Path(sys.prefix), Path(sys.base_prefix), Path(python).resolve().parents[1]}
    return [
        str(path)
        for path in _outermost(wanted)
        if any(path.is_relative_to(hidden) for hidden in HIDDEN)
    ]


def _outermost(paths: set[Path]) -> list[Path]:
    """The paths not inside another one of them, in order."""
    paths = {p.resolve() for p in paths}
    return sorted(p for p in paths if not any(p != q and p.is_relative_to(q) for q in paths))


def _gpu_devices() -> list[str]:
    """The device nodes a CUDA program opens (only bound on the CUDA leg)."""
    return sorted(glob.glob("/dev/nvidia*") + glob.glob("/dev/dri"))


def command(argv: list[str], repo: Path, leg: str, env: dict[str, str]) -> list[str]:
    """`argv` (the fork server) wrapped in bwrap, with `env` as its whole environment."""
    if shutil.which(BWRAP) is None:
        raise SandboxUnavailable(HOW_TO_ENABLE.format(detail="- bwrap is not installed."))
    cmd = [
        BWRAP,
        "--unshare-user", "--uid", "0", "--gid", "0",
        "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
        "--unshare-cgroup-try", "--hostname", "book",
        "--die-with-parent", "--new-session",
        # Capabilities inside the sandbox's own user namespace only: the server
        # needs them to give each child its namespaces; children drop them all.
        "--cap-add", "CAP_SYS_ADMIN", "--cap-add", "CAP_NET_ADMIN",
        "--cap-add", "CAP_SETPCAP", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID",
        "--ro-bind", "/", "/",
        "--dev", "/dev", "--proc", "/proc",
        "--tmpfs", "/run", "--tmpfs", SCRATCH, "--remount-ro", "/run",
    ]  # fmt: skip
    for hidden in HIDDEN:
        cmd += ["--tmpfs", hidden]
    # What the server needs from under a hidden directory comes back, read-only.
    for path in exposed(repo, argv[0]):
        cmd += ["--ro-bind", path, path]
    # After those binds, which would show it again for a clone under /tmp.
    if (repo / ".git").is_dir():
        cmd += ["--tmpfs", str(repo / ".git"), "--remount-ro", str(repo / ".git")]
    cmd += ["--dir", "/home/reader"]
    # Read-only, so that programs (which own these tmpfs mounts' files) share nothing.
    for hidden in HIDDEN:
        cmd += ["--remount-ro", hidden]
    if leg == "cuda":  # before /dev turns read-only: each bind needs a node to cover
        for device in _gpu_devices():
            cmd += ["--dev-bind", device, device]
    cmd += ["--remount-ro", "/dev"]
    # A writable /dev/shm of the server's own, as every machine has: libraries it imports
    # once for all programs test it at import (joblib, which scikit-learn imports, falls
    # back to serial mode for good without it). Each child mounts its own over it.
    cmd += ["--tmpfs", "/dev/shm"]
    cmd += ["--clearenv"]
    # The server's own temporary files (torch asks for a directory at import) go to
    # its scratch area: /tmp is read-only here, and each child mounts its own.
    env = env | {"TMPDIR": SCRATCH}
    for key, value in sorted(env.items()):
        cmd += ["--setenv", key, value]
    return cmd + ["--chdir", str(repo), "--", *argv]


def check(repo: Path) -> None:
    """Start an empty sandbox once; a clear error when the kernel refuses."""
    probe = command([sys.executable, "-c", ""], repo, "cpu", {})
    done = subprocess.run(probe, capture_output=True, text=True)
    if done.returncode != 0:
        detail = "\n".join("  " + line for line in done.stderr.strip().splitlines())
        raise SandboxUnavailable(HOW_TO_ENABLE.format(detail=f"- bwrap said:\n{detail}"))
