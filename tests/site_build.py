"""Build the site once per test session, in the background, while the other tests run.

The build (every page, and the PDF edition printed from them) starts in the background
once the programs have run (at once when none runs), so it overlaps the tests after them
instead of adding to them. It is started as nox -s docs starts it, through book.site.cli:
mkdocs.yml is checked before MkDocs reads it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from book.catalog import REPO
from book.records import RECORDS_ENV
from book.site.cli import command as mkdocs_command

# Callables (config, build) run as a build starts: the browser tests' conftest adds
# one that starts the page tours in the background once the site is there.
ON_BUILD_START = pytest.StashKey[list]()


class SiteBuild:
    """One `mkdocs build --strict` into a temporary directory."""

    def __init__(self, records: Path | None = None, pdf: bool = True) -> None:
        self.target = Path(tempfile.mkdtemp(prefix="site-"))
        self.pdf = pdf  # the PDF edition too (nox -s chapter, which checks no PDF, skips it)
        if records is not None:
            # The build and the tests that check its marks read one private snapshot:
            # another pytest run started meanwhile may rewrite test-artifacts/.
            snapshot = Path(tempfile.mkdtemp(prefix="records-")) / "verification"
            # Links are copied as links, never followed: the build's guard refuses them.
            shutil.copytree(records, snapshot, symlinks=True)
            records = snapshot
        self.records = records
        self._log = tempfile.TemporaryFile(mode="w+")
        # wait() is called from the tests and from the background tours: one PDF print.
        self._lock = threading.Lock()
        env = os.environ | {
            # It shares the machine with the snippet runs: one thread for the labs'
            # tiny models avoids two processes' thread pools fighting over the cores.
            "OMP_NUM_THREADS": "1",
            "NO_MKDOCS_2_WARNING": "1",
        }
        if records is not None:  # the verification marks of this test run
            env[RECORDS_ENV] = str(records)
        self._proc = subprocess.Popen(
            # As nox -s docs starts it: mkdocs.yml is checked before MkDocs reads it.
            mkdocs_command(sys.executable, "build", "--strict", "--site-dir", str(self.target)),
            cwd=REPO,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )

    def wait(self) -> tuple[int, str]:
        """(exit code, the build's output), once the site and its PDF edition are built."""
        with self._lock:
            return self._wait()

    def _wait(self) -> tuple[int, str]:
        code = self._proc.wait()
        if code == 0 and self.pdf and not (self.target / "book.pdf").exists():
            # The PDF edition, printed from the built pages, as nox -s docs makes it.
            printed = subprocess.run(
                [sys.executable, "-m", "book.site.pdf", str(self.target)],
                cwd=REPO, capture_output=True, text=True,
            )  # fmt: skip
            self._log.write(printed.stdout + printed.stderr)
            code = printed.returncode
        self._log.seek(0)
        return code, self._log.read()

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        self._log.close()
        shutil.rmtree(self.target, ignore_errors=True)
        if self.records is not None:
            shutil.rmtree(self.records.parent, ignore_errors=True)
