"""Confine one forked child of the fork server with Linux namespaces (runs inside bubblewrap).

bubblewrap (see sandbox.py) puts the whole fork server in its own user, mount, pid,
network and IPC namespaces, with the file system read-only apart from a few private
tmpfs mounts. That covers every program together. What one program must not share
with the next is added here, per child, with the same kernel features:

- a pid namespace of its own (the server unshares it just before forking, so the
  child is its pid 1): when the program ends, the kernel kills every process it
  started, daemons and ``setsid`` children included, and it sees no other process;
- a tmpfs of its own (`private_space`), capped in bytes and in files, that holds
  everything it can write: its home and working directory (bound at /home/reader),
  its /tmp and its /dev/shm. One program that fills it fails alone; the others
  write into their own;
- a mount namespace: a fresh /proc, and the server's scratch area (every other
  program's files) hidden under an empty tmpfs;
- a network namespace with only a loopback interface, and an IPC namespace;
- resource limits (file size, address space, processes, core dumps);
- last (`become_reader`, in the program's own process, not pid 1), a fresh session
  keyring and a user namespace of its own in which it runs as an ordinary user (uid
  1000) with no capabilities and ``no_new_privs``: every mount above is locked, so it
  cannot be undone, and nothing it executes can gain privileges. When the tests run
  as root, the sandbox's user namespace maps it onto an unused host uid, a different
  one for each program side by side (sandbox.py), so that files only root may read
  stay unreadable and per-user limits are each program's own.

Only syscalls are used (through libc): Python 3.11's ``os`` has no unshare, setns
or mount.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import resource
import socket
import struct

from .sandbox import SPACE_BYTES, SPACE_FILES

CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000

MS_RDONLY = 0x1
MS_NOSUID = 0x2
MS_NODEV = 0x4
MS_NOEXEC = 0x8
MS_REMOUNT = 0x20
MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 0x40000
MNT_DETACH = 0x2

KEYCTL_JOIN_SESSION_KEYRING = 1
# keyctl's system call number, by machine (glibc has no wrapper for it).
SYS_KEYCTL = {"x86_64": 250, "aarch64": 219}

PR_CAPBSET_DROP = 24
PR_SET_DUMPABLE = 4
PR_SET_NO_NEW_PRIVS = 38
PR_CAP_AMBIENT = 47
PR_CAP_AMBIENT_CLEAR_ALL = 4
_LINUX_CAPABILITY_VERSION_3 = 0x20080522

READER_UID = 1000
# Reader uids a sandbox made as root maps (sandbox.reader_namespace): 1000 to 1063. More
# than any number of programs that run side by side.
READER_SLOTS = 64
READER_HOME = "/home/reader"
WORKDIR = READER_HOME + "/work"

_libc = ctypes.CDLL(None, use_errno=True)
_libc.mount.argtypes = [ctypes.c_char_p] * 3 + [ctypes.c_ulong, ctypes.c_char_p]
_libc.umount2.argtypes = [ctypes.c_char_p, ctypes.c_int]


class ConfinementError(RuntimeError):
    """A namespace or mount could not be set up: the program must not run."""


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise ConfinementError(f"{what}: {os.strerror(errno)} (errno {errno})")


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str = ""):
    _check(
        _libc.mount(
            source.encode() if source else None,
            target.encode(),
            fstype.encode() if fstype else None,
            flags,
            data.encode() if data else None,
        ),
        f"mount {fstype or source} on {target}",
    )


class PidNamespaces:
    """Each fork after `prepare()` starts as pid 1 of a pid namespace of its own.

    ``unshare(CLONE_NEWPID)`` only changes the namespace of the caller's *next*
    children, and can be done once per namespace; joining our own namespace again
    with ``setns`` after the fork makes the next ``prepare()`` possible.
    """

    def __init__(self) -> None:
        self._own = os.open("/proc/self/ns/pid", os.O_RDONLY | os.O_CLOEXEC)

    def prepare(self) -> None:
        _check(_libc.unshare(CLONE_NEWPID), "unshare(CLONE_NEWPID)")

    def restore(self) -> None:
        _check(_libc.setns(self._own, CLONE_NEWPID), "setns(own pid namespace)")


# The machine's own address, as Debian gives its host name in /etc/hosts (sandbox.HOSTS).
HOST_ADDRESS = "127.0.1.1"


def _loopback_up() -> None:
    """Bring up `lo` in a new network namespace, as every machine has it, with the host's
    own address beside 127.0.0.1 (as the alias lo:0, still only on the loopback).

    glibc's getaddrinfo with AI_ADDRCONFIG, which torch's TCPStore uses, finds no IPv4
    address at all on a machine whose only one is 127.0.0.1: torchrun's rendezvous on
    "localhost" would then wait for ever. Any second address is enough."""
    SIOCGIFFLAGS, SIOCSIFFLAGS, SIOCSIFADDR, IFF_UP = 0x8913, 0x8914, 0x8916, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH14x", b"lo", 0)
        flags = struct.unpack("16sH14x", fcntl.ioctl(sock, SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock, SIOCSIFFLAGS, struct.pack("16sH14x", b"lo", flags | IFF_UP))
        address = struct.pack(
            "16sH2s4s8x", b"lo:0", socket.AF_INET, b"\0\0", socket.inet_aton(HOST_ADDRESS)
        )
        fcntl.ioctl(sock, SIOCSIFADDR, address)


def _limit_pids(count: int) -> None:
    """At most `count` processes and threads in the program's pid namespace.

    Since Linux 6.14 pid_max belongs to each pid namespace; on older kernels the
    RLIMIT_NPROC set beside it is what remains (the kernel does not enforce it
    for processes of the real root user).
    """
    try:
        _write("/proc/sys/kernel/pid_max", str(max(count, 301)))
    except OSError:
        pass


def _write(path: str, text: str) -> None:
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def private_space(space: str) -> None:
    """Mount the request's own tmpfs at `space` (in the fork server, before forking)."""
    _mount(
        "tmpfs", space, "tmpfs", MS_NOSUID | MS_NODEV,
        f"size={SPACE_BYTES},nr_inodes={SPACE_FILES},mode=0755",
    )  # fmt: skip


def space_left(space: str) -> dict[str, int]:
    """Bytes and files still free in the request's tmpfs, after the program ended."""
    found = os.statvfs(space)
    return {"bytes": found.f_bavail * found.f_frsize, "files": found.f_favail}


def release_space(space: str) -> None:
    """Unmount the request's tmpfs: whatever the program made there is gone at once."""
    _check(_libc.umount2(space.encode(), MNT_DETACH), f"umount {space}")


def reader_ids(slot: int) -> tuple[int, int] | None:
    """(uid, gid) the program in this slot switches to in the server's namespace before
    its own user namespace, when that namespace maps the readers' uids (the sandbox maps
    READER_SLOTS of them onto unused host uids when the tests run as root); None where
    only root is mapped. The runner gives each program in flight a slot no other holds
    (runner.free_slot), so programs side by side get different uids and a per-user limit
    (RLIMIT_NPROC) is each program's own."""
    uid = READER_UID + slot % READER_SLOTS
    with open("/proc/self/uid_map") as fh:
        mapped = any(line.split()[:1] == [str(READER_UID)] for line in fh)
    return (uid, uid) if mapped else None


def hand_to_reader(space: str, slot: int) -> None:
    """Give the program's folders to the user it will run as (when that is not root)."""
    ids = reader_ids(slot)
    if ids is None:
        return
    for folder in ("home", "home/work", "tmp", "shm"):
        os.chown(f"{space}/{folder}", *ids)
    for entry in os.scandir(f"{space}/home/work"):
        os.chown(entry.path, *ids, follow_symlinks=False)


def confine_child(
    space: str, scratch_root: str, limits: dict[str, int], keep: list[str] = ()
) -> None:
    """Called in pid 1 of the program's namespaces, before the program's process starts.

    ``space`` is the request's tmpfs: it holds the program's ``home/`` (with ``work/``
    inside it), ``tmp/`` and ``shm/``; after this call they are reachable only as
    /home/reader, /tmp and /dev/shm, and the rest of ``scratch_root`` is hidden.
    ``limits`` maps ``resource.RLIMIT_*`` names to soft and hard values.
    ``keep`` names read-only paths under /tmp (a repository or virtual environment
    cloned there) that stay visible, read-only, on top of the private /tmp.
    """
    _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC), "unshare(mount, net, ipc)")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    _mount(space + "/home", READER_HOME, None, MS_BIND | MS_REC)
    kept = [p for p in keep if p.startswith("/tmp/")]
    if kept:  # hold on to them before the private /tmp covers them
        os.mkdir(space + "/kept")
        _mount("/tmp", space + "/kept", None, MS_BIND | MS_REC)
    _mount(space + "/tmp", "/tmp", None, MS_BIND)
    _mount(space + "/shm", "/dev/shm", None, MS_BIND)
    for path in kept:
        os.makedirs(path)
        _mount(space + "/kept" + path.removeprefix("/tmp"), path, None, MS_BIND | MS_REC)
        _mount(None, path, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_REC)
    _mount("tmpfs", scratch_root, "tmpfs", MS_NOSUID | MS_NODEV | MS_RDONLY, "size=4k,mode=0555")
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    _loopback_up()
    _limit_pids(limits.pop("pids"))
    for name, value in limits.items():
        resource.setrlimit(getattr(resource, name), (value, value))


def become_reader(slot: int) -> None:
    """In the program's process: a fresh keyring, then an ordinary user with nothing more.

    A user namespace of its own, as uid/gid 1000 mapped onto the server's root, or onto
    the slot's reader uid where the server's namespace maps those (to unused host
    uids): the mounts made above become locked (they belong to a more privileged
    namespace), and the capabilities a new namespace grants its creator are dropped at
    once. Inside it no further user namespace can be made: with one, a program could
    mount a tmpfs of its own and write past its space.
    """
    _new_session_keyring()
    ids = reader_ids(slot)
    if ids is not None:
        # Drop what no user namespace gives back, then the identity itself.
        _drop_bounding_set()
        os.setgroups([])
        os.setresgid(ids[1], ids[1], ids[1])
        os.setresuid(ids[0], ids[0], ids[0])
        # A change of user makes a process undumpable, which gives its /proc files to
        # root: it could not write its own uid_map below.
        _check(_libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0), "prctl(PR_SET_DUMPABLE)")
    outer_uid, outer_gid = os.getuid(), os.getgid()
    _check(_libc.unshare(CLONE_NEWUSER), "unshare(CLONE_NEWUSER)")
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"{READER_UID} {outer_uid} 1\n")
    _write("/proc/self/gid_map", f"{READER_UID} {outer_gid} 1\n")
    _write("/proc/sys/user/max_user_namespaces", "0")
    _drop_capabilities()
    if int(_status_field("CapEff"), 16) != 0:
        raise ConfinementError("capabilities are still effective after dropping to uid 1000")


def _new_session_keyring() -> None:
    """Leave the launching process's session keyring for a new, empty one."""
    number = SYS_KEYCTL.get(os.uname().machine)
    if number is None:
        return
    if _libc.syscall(number, KEYCTL_JOIN_SESSION_KEYRING, None) < 0:
        errno = ctypes.get_errno()
        if errno not in (1, 38):  # EPERM, ENOSYS: keyctl is refused here, to the program too
            raise ConfinementError(f"keyctl(JOIN_SESSION_KEYRING): {os.strerror(errno)}")


def _drop_bounding_set() -> None:
    last_cap = int(open("/proc/sys/kernel/cap_last_cap").read())
    for cap in range(last_cap + 1):
        _check(_libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0), f"prctl(PR_CAPBSET_DROP, {cap})")


def _drop_capabilities() -> None:
    """No capability left in any set, none regained by exec (no_new_privs)."""
    _drop_bounding_set()
    _check(_libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "clear ambient")
    header = struct.pack("Ii", _LINUX_CAPABILITY_VERSION_3, 0)
    data = ctypes.create_string_buffer(24)  # two zeroed {effective, permitted, inheritable}
    _check(_libc.capset(header, data), "capset(nothing)")
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)")


def _status_field(name: str) -> str:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(name + ":"):
                return line.split()[1]
    raise ConfinementError(f"/proc/self/status has no {name}")
