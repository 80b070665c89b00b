"""The book's files, read and written only as regular files inside the repository.

Pages, programs, outputs, labs and records come from pull requests. A symbolic link
among them would carry a read (shown in a failure message, or published in the site)
or a write (``--update-outputs``) to wherever it points. So a file of the book is
opened one path component at a time, each relative to the directory above it and
with ``O_NOFOLLOW``: nothing is followed, and a link, or anything that is not a
regular file or directory, is refused with its path and why. A write goes to a new
file beside the target and is renamed over it, so it never passes through a link
either, and a reader never sees half a file.

A path is given absolute, or relative to ``root`` (the repository, unless a test
builds a book of its own in a temporary folder).
"""

from __future__ import annotations

import errno
import io
import os
import secrets
import stat
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# What the build, the harness and the notebook builder read: pages and labs, programs
# and their outputs, records, the theme's overrides and hooks, and the site's config.
TREE = ("docs", "snippets", "verification", "overrides", "mkdocs.yml")
WHY = "the book reads and writes only regular files inside the repository, never through a link"

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW | _CLOEXEC


class UnsafeFile(OSError):
    """A file of the book that is a link, not a regular file, or outside the repository."""


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    kinds = (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _shown(path: Path, root: Path) -> str:
    """The path as messages show it: from the root when it lies inside."""
    for base in (root, Path(os.path.realpath(root))):
        if path.is_relative_to(base):
            return str(path.relative_to(base))
    return str(path)


def _split(path: str | os.PathLike, root: Path) -> tuple[Path, tuple[str, ...], str]:
    """(the root resolved, the path's components below it, the path for messages)."""
    root = Path(os.path.abspath(root))
    full = Path(path) if Path(path).is_absolute() else root / path
    shown = _shown(full, root)
    if ".." in full.parts:
        raise UnsafeFile(f"{shown}: the path climbs with '..'; {WHY}")
    for base in (root, Path(os.path.realpath(root))):
        if full.is_relative_to(base) and full != base:
            return Path(os.path.realpath(root)), full.relative_to(base).parts, shown
    raise UnsafeFile(f"{shown}: outside {root}; {WHY}")


def _refuse(name: str, dir_fd: int, shown: str, last: bool) -> os.stat_result:
    """The component's lstat, or `UnsafeFile` when it is a link or the wrong kind of file."""
    try:
        info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", shown) from None
    if stat.S_ISLNK(info.st_mode):
        target = os.readlink(name, dir_fd=dir_fd)
        raise UnsafeFile(f"{shown}: a symbolic link (to {target}); {WHY}")
    wanted = stat.S_ISREG if last else stat.S_ISDIR
    if not wanted(info.st_mode):
        what = "a regular file" if last else "a directory"
        raise UnsafeFile(f"{shown}: {_kind(info.st_mode)}, not {what}; {WHY}")
    return info


def _open_parent(base: Path, parts: tuple[str, ...]) -> int:
    """A descriptor of the directory holding the last component, reached without links."""
    fd = os.open(base, _DIR_FLAGS)
    try:
        for depth, part in enumerate(parts[:-1], start=1):
            _refuse(part, fd, str(Path(*parts[:depth])), last=False)
            try:
                inner = os.open(part, _DIR_FLAGS, dir_fd=fd)
            except OSError as error:  # swapped for a link since the check
                raise UnsafeFile(f"{Path(*parts[:depth])}: {error.strerror}; {WHY}") from None
            os.close(fd)
            fd = inner
    except BaseException:
        os.close(fd)
        raise
    return fd


def _open_file(path: str | os.PathLike, root: Path) -> int:
    """A read-only descriptor of the regular file at path."""
    base, parts, shown = _split(path, root)
    parent = _open_parent(base, parts)
    try:
        _refuse(parts[-1], parent, shown, last=True)
        # O_NONBLOCK: a named pipe swapped in since the check does not hang the open.
        flags = os.O_RDONLY | _NOFOLLOW | _CLOEXEC | getattr(os, "O_NONBLOCK", 0)
        try:
            fd = os.open(parts[-1], flags, dir_fd=parent)
        except OSError as error:
            raise UnsafeFile(f"{shown}: {error.strerror}; {WHY}") from None
    finally:
        os.close(parent)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise UnsafeFile(f"{shown}: not a regular file; {WHY}")
    os.set_blocking(fd, True)
    return fd


def check(path: str | os.PathLike, root: Path = REPO) -> Path:
    """The path, once it is known to be a regular file inside root reached through no link.

    For a tool that opens the file itself (pymdownx.snippets, jupytext): prefer
    `read_text`, which cannot be raced."""
    os.close(_open_file(path, root))
    return Path(path) if Path(path).is_absolute() else Path(root) / path


def check_dir(path: str | os.PathLike, root: Path = REPO) -> Path:
    """The path, once it is known to be a directory inside root reached through no link."""
    base, parts, shown = _split(path, root)
    parent = _open_parent(base, parts)
    try:
        _refuse(parts[-1], parent, shown, last=False)
    finally:
        os.close(parent)
    return Path(path) if Path(path).is_absolute() else Path(root) / path


def read_bytes(path: str | os.PathLike, root: Path = REPO) -> bytes:
    with open(_open_file(path, root), "rb") as fh:
        return fh.read()


def read_text(path: str | os.PathLike, root: Path = REPO) -> str:
    """The file's text, as `Path.read_text` gives it (UTF-8, newlines translated)."""
    return io.TextIOWrapper(io.BytesIO(read_bytes(path, root)), encoding="utf-8").read()


def write_bytes(path: str | os.PathLike, data: bytes, root: Path = REPO) -> None:
    """Replace (or create) the regular file at path: a new file beside it, renamed over it."""
    base, parts, shown = _split(path, root)
    parent = _open_parent(base, parts)
    try:
        try:
            mode = stat.S_IMODE(_refuse(parts[-1], parent, shown, last=True).st_mode)
        except FileNotFoundError:
            mode = None
        temporary = f".{parts[-1]}.{secrets.token_hex(6)}.tmp"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
        fd = os.open(temporary, flags, 0o666, dir_fd=parent)
        try:
            with open(fd, "wb") as fh:
                fh.write(data)
                if mode is not None:
                    os.fchmod(fh.fileno(), mode)
            # rename() replaces the name itself: a link put there meanwhile is replaced,
            # never followed.
            os.replace(temporary, parts[-1], src_dir_fd=parent, dst_dir_fd=parent)
        except BaseException:
            os.unlink(temporary, dir_fd=parent)
            raise
    finally:
        os.close(parent)


def write_text(path: str | os.PathLike, text: str, root: Path = REPO) -> None:
    write_bytes(path, text.encode("utf-8"), root)


def remove(path: str | os.PathLike, root: Path = REPO) -> None:
    """Delete the regular file at path, if there is one (a link there is refused)."""
    base, parts, shown = _split(path, root)
    try:
        parent = _open_parent(base, parts)
    except FileNotFoundError:
        return
    try:
        _refuse(parts[-1], parent, shown, last=True)
        os.unlink(parts[-1], dir_fd=parent)
    except FileNotFoundError:
        pass
    finally:
        os.close(parent)


def _entry_problem(path: Path, root: Path) -> str | None:
    info = os.lstat(path)
    shown = _shown(path, root)
    if stat.S_ISLNK(info.st_mode):
        return f"{shown}: a symbolic link (to {os.readlink(path)}); {WHY}"
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
        return f"{shown}: {_kind(info.st_mode)}, not a regular file; {WHY}"
    return None


def tree_problems(root: Path = REPO, tree: tuple[str, ...] = TREE) -> list[str]:
    """Every link and every file that is neither regular nor a directory in the book's tree."""
    root = Path(root)
    problems = []
    for name in tree:
        top = root / name
        if not os.path.lexists(top):
            continue
        problems.append(_entry_problem(top, root))
        if not top.is_symlink() and top.is_dir():
            # os.walk lists a link to a directory among the directories, and does not
            # enter it.
            for folder, dirs, files in os.walk(top):
                problems += [_entry_problem(Path(folder, entry), root) for entry in dirs + files]
    return sorted(p for p in problems if p)
