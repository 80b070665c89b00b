"""The site builds with --strict and loads nothing from third-party hosts."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from harness.catalog import REPO

THIRD_PARTY = re.compile(
    r"""<(?:script|img|iframe)[^>]+src=["']https?://|<link[^>]+rel=["'](?:stylesheet|preload|preconnect)["'][^>]+href=["']https?://|@import\s+url\(["']?https?://""",
    re.I,
)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    target = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(target)],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{proc.stderr[-4000:]}", pytrace=False)
    return target


def test_no_third_party_requests(built_site):
    offenders = []
    for page in sorted(built_site.rglob("*.html")) + sorted(built_site.rglob("*.css")):
        for m in THIRD_PARTY.finditer(page.read_text(errors="replace")):
            offenders.append(f"{page.relative_to(built_site)}: {m.group(0)[:120]}")
    assert not offenders, "assets loaded from other hosts:\n" + "\n".join(offenders)


def test_every_chapter_shows_its_programs(built_site):
    """The include lines were replaced by the programs, not left as text."""
    leftovers = [
        str(p.relative_to(built_site))
        for p in built_site.rglob("*.html")
        if "--8&lt;--" in p.read_text() and "contributing" not in str(p)
    ]
    assert not leftovers, f"pages with unexpanded includes: {leftovers}"
