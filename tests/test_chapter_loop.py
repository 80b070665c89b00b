"""nox -s chapter: one chapter's tests selected, and --watch checking again on a save."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from book.catalog import REPO

sys.path.insert(0, str(REPO / "tools"))
import chapter_loop  # noqa: E402


def collected(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         "tests", *args],
        cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_a_chapter_selects_its_programs_notebook_and_page_and_nothing_of_another():
    done = collected("--chapter=tensors")
    ids = [line for line in done.stdout.splitlines() if "::" in line]
    assert any("test_snippet[tensors/" in i for i in ids), done.stdout[-2000:]
    assert any("test_chapter_notebook_runs_top_to_bottom[tensors]" in i for i in ids)
    assert any(i.startswith("tests/browser/test_pages.py::") for i in ids)
    # axe and the console, parametrized by palette, are kept: the tour visits one page
    assert any("test_pages_meet_wcag_2_1_aa[light]" in i for i in ids), ids
    assert not any("test_snippet[autograd/" in i for i in ids)
    assert not any(i.startswith("tests/test_sandbox.py::") for i in ids)
    lab = collected("--chapter=labs/classifier").stdout.splitlines()
    lab = [line for line in lab if "::" in line]
    assert any("[classifier.py]" in i for i in lab) and not any("test_snippet[" in i for i in lab)


def test_an_unknown_chapter_is_refused_with_the_known_ones():
    done = collected("--chapter=tensor")
    assert done.returncode != 0
    assert "--chapter tensor: no such chapter or lab; one of: [" in done.stderr + done.stdout
    assert "'tensors'" in done.stderr + done.stdout


def test_watch_checks_again_when_a_file_of_the_chapter_is_saved(tmp_path, monkeypatch):
    page = tmp_path / "page.md"
    page.write_text("# A page\n")
    (tmp_path / "program.out").write_text("")
    runs: list[str] = []
    monkeypatch.setattr(chapter_loop, "watched", lambda chapter: [tmp_path])
    monkeypatch.setattr(chapter_loop, "check", lambda chapter, extra: runs.append(chapter) or 0)
    monkeypatch.setattr(sys, "argv", ["chapter_loop.py", "tensors", "--watch"])
    chapter_loop.STOP.clear()
    loop = threading.Thread(target=chapter_loop.main, daemon=True)
    loop.start()
    deadline = time.monotonic() + 10
    while not runs and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # the watcher is set up after the first check
    (tmp_path / "program.out").write_text("an output: not a source, no new check\n")
    page.write_text("# A page, edited\n")
    while len(runs) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    chapter_loop.STOP.set()
    loop.join(timeout=10)
    if loop.is_alive():
        pytest.fail("--watch did not stop")
    assert runs == ["tensors", "tensors"]


def test_a_program_over_the_budget_is_told_unless_it_declares_its_time(tmp_path):
    from conftest import over_budget

    slow = tmp_path / "slow.py"
    slow.write_text("import time\ntime.sleep(20)\n")
    declared = tmp_path / "declared.py"
    declared.write_text("# timeout: 120\nimport time\ntime.sleep(20)\n")
    # A declared limit equal to the default is still a declaration (the launched
    # programs of Training on several processes declare 60 s).
    at_default = tmp_path / "at_default.py"
    at_default.write_text("# timeout: 60\nimport time\ntime.sleep(5)\n")
    quick = tmp_path / "quick.py"
    quick.write_text("print(1)\n")
    timings = {str(slow): 20.3, str(declared): 20.1, str(at_default): 5.0, str(quick): 0.2}
    assert over_budget(timings) == [(str(slow), 20.3)]


def test_the_scaffold_puts_a_new_chapter_last_among_the_chapters(tmp_path):
    """nox -s new: the nav line goes after the last chapter, before the labs."""
    import shutil

    (tmp_path / "tools").mkdir()
    shutil.copy(REPO / "tools" / "scaffold.py", tmp_path / "tools" / "scaffold.py")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    (tmp_path / "docs").mkdir()
    (tmp_path / "snippets").mkdir()
    done = subprocess.run(
        [sys.executable, str(tmp_path / "tools" / "scaffold.py"), "my-topic", "My topic"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    nav = (tmp_path / "mkdocs.yml").read_text().split("\nnav:\n", 1)[1].split("\n\n", 1)[0]
    lines = nav.splitlines()
    new = lines.index("      - My topic: my-topic.md")
    assert lines[new + 1] == "  - Labs:", nav
    assert "verification/" in done.stdout
