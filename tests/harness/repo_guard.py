"""Notice when a program writes into the repository.

Nothing is deleted or restored automatically: a file that appeared might have
been written by someone else at the same moment, and losing it would be worse
than reporting it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# Build output, caches and tool state: written by tools, never by snippets.
IGNORED_DIRS = {
    ".git",
    ".nox",
    ".venv",
    "venv",
    "site",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".cache",
    "test-artifacts",
}


def _walk(repo: Path) -> dict[str, tuple[int, int]]:
    files: dict[str, tuple[int, int]] = {}
    for root, dirs, names in os.walk(repo):
        dirs[:] = [d for d in dirs if d not in IGNORED_DIRS and not d.startswith(".")]
        for name in names:
            full = os.path.join(root, name)
            try:
                st = os.lstat(full)
            except FileNotFoundError:
                continue
            files[os.path.relpath(full, repo)] = (st.st_mtime_ns, st.st_size)
    return files


@dataclass
class RepoSnapshot:
    """File names, sizes and modification times of the repository at one moment."""

    files: dict[str, tuple[int, int]]

    @classmethod
    def take(cls, repo: Path) -> RepoSnapshot:
        return cls(_walk(repo))

    def changes_to(self, later: RepoSnapshot) -> list[str]:
        """Describe every change from this snapshot to a later one, with the command
        that undoes it."""
        now = later.files
        changes = []
        for name in sorted(now.keys() - self.files.keys()):
            changes.append(f"created {name} (remove it with: rm {name})")
        for name in sorted(self.files.keys() - now.keys()):
            changes.append(f"deleted {name} (restore it with: git checkout -- {name})")
        for name in sorted(self.files.keys() & now.keys()):
            if self.files[name] != now[name]:
                changes.append(f"modified {name} (restore it with: git checkout -- {name})")
        return changes
