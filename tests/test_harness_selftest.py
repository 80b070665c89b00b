"""The harness catches each kind of broken program it promises to catch.

The fixtures live in tests/fixtures/bad_snippets/, outside snippets/, so they
never reach the site.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from book.catalog import REPO, load_snippet
from book.judge import behaviour_problems, output_problems, shown_output

FIXTURES = Path(__file__).parent / "fixtures" / "bad_snippets"


def run_fixture(runner, name: str):
    snippet = load_snippet(FIXTURES / name)
    return snippet, runner.run(snippet.path, timeout=snippet.timeout)


def test_raising_snippet_names_file_and_line(runner):
    snippet, result = run_fixture(runner, "raises.py")
    [problem] = behaviour_problems(snippet, result)
    assert problem.startswith("tests/fixtures/bad_snippets/raises.py:6 raised RuntimeError")
    assert "mat1 and mat2 shapes cannot be multiplied" in problem
    assert result.stdout == "before the mistake\n"  # output before the error is kept


def test_hanging_snippet_is_stopped_and_the_line_named(runner):
    snippet, result = run_fixture(runner, "hangs.py")
    assert result.timed_out
    assert result.seconds < 10
    [problem] = behaviour_problems(snippet, result)
    assert problem.startswith("tests/fixtures/bad_snippets/hangs.py:6 did not finish within 2 s")


def test_writing_into_the_working_directory_is_allowed(runner):
    snippet, result = run_fixture(runner, "writes_model.py")
    assert behaviour_problems(snippet, result) == []
    assert result.files_left == ["model.pth"]
    assert not (REPO / "model.pth").exists()
    assert not (FIXTURES / "model.pth").exists()


def test_writing_into_the_repository_fails_inside_the_program(runner):
    snippet, result = run_fixture(runner, "writes_repo.py")
    [problem] = behaviour_problems(snippet, result)
    assert problem.startswith(
        "tests/fixtures/bad_snippets/writes_repo.py:6 raised OSError: [Errno 30] "
        "Read-only file system"
    ), problem
    assert "programs may write only into their working directory" in problem
    assert not (FIXTURES / "stray-output.txt").exists()


def test_network_access_fails_with_a_clear_message(runner):
    snippet, result = run_fixture(runner, "network.py")
    [problem] = behaviour_problems(snippet, result)
    assert problem.startswith(
        "tests/fixtures/bad_snippets/network.py:3 raised urllib.error.URLError"
    )
    assert "the program reached for the network" in problem


def test_drifted_output_shows_a_diff_and_the_rewrite_command(runner):
    snippet, result = run_fixture(runner, "drifted.py")
    assert behaviour_problems(snippet, result) == []
    [problem] = output_problems(snippet, result, "cpu")
    assert "-tensor([0, 1, 2])" in problem
    assert "+tensor([0, 2, 4])" in problem
    assert "nox -s outputs -- tests/fixtures/bad_snippets/drifted.py" in problem


def test_wrong_exception_is_a_failure(runner):
    snippet, result = run_fixture(runner, "wrong_error.py")
    [problem] = behaviour_problems(snippet, result)
    assert problem.startswith(
        "tests/fixtures/bad_snippets/wrong_error.py:4 raised builtins.RuntimeError"
    )
    assert "declares '# expected-error: TypeError'" in problem


def test_declared_exception_passes_and_is_shown(runner):
    snippet, result = run_fixture(runner, "expected_error_ok.py")
    assert behaviour_problems(snippet, result) == []
    shown = shown_output(result)
    assert shown.startswith(
        "adding tensors of length 2 and 3\nRuntimeError: The size of tensor a (2)"
    )


@pytest.mark.parametrize("name", ["raises.py", "drifted.py"])
def test_each_child_starts_from_a_clean_state(runner, name):
    """Two runs of one program print the same: nothing leaks between children."""
    _, first = run_fixture(runner, name)
    _, second = run_fixture(runner, name)
    assert first.stdout == second.stdout


def test_a_minimum_torch_declaration_is_checked(runner, tmp_path):
    """Below its declared minimum a program must fail; one that works there is told its
    declaration is wrong. A malformed declaration fails with file and line."""
    from book.judge import below_minimum, minimum_problems

    program = tmp_path / "needs_new.py"
    program.write_text(
        "# requires: torch>=2.99 (a feature that release adds, say)\nprint('fine anyway')\n"
    )
    snippet = load_snippet(program)
    assert snippet.directives.requires == ("2.99", "a feature that release adds, say")
    assert below_minimum(snippet, "2.13") and not below_minimum(snippet, "2.99")
    result = runner.run(program, timeout=30)
    assert behaviour_problems(snippet, result) == []
    [problem] = minimum_problems(snippet, "2.13", worked=True)
    assert "declares '# requires: torch>=2.99" in problem and "lower the declaration" in problem
    assert minimum_problems(snippet, "2.13", worked=False) == []
    bad = tmp_path / "bad.py"
    bad.write_text("# requires: torch 2.11\nprint(1)\n")
    [malformed] = load_snippet(bad).directives.problems
    assert malformed.startswith(f"{bad}:1: '# requires: torch 2.11' must read 'torch>=X.Y")


def test_a_pytest_run_inside_a_test_leaves_the_outer_runs_record_alone(tmp_path):
    """A self-test that runs pytest names a folder of its own for the inner run's record
    and timings (BOOK_ARTIFACTS): test-artifacts/ keeps what the outer run writes."""
    from conftest import ARTIFACTS, run_pytest

    def state() -> dict:
        return {
            p: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(ARTIFACTS.rglob("*"))
            if p.is_file() and p.parent.name != "screenshots"
        }  # fmt: skip

    before = state()
    done = run_pytest(["-q", "tests/test_snippets.py", "-k", "tensors/creating"], tmp_path)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "1 passed" in done.stdout, done.stdout[-3000:]
    assert (tmp_path / "timings-cpu.json").is_file()
    assert list((tmp_path / "verification").glob("cpu-torch-*/tensors.json"))
    assert state() == before


def test_a_measurement_that_grows_a_digit_still_matches_its_recorded_column():
    """`# varies: ms` hides the number and the padding a format gave it; other numbers stay."""
    from book.compare import mask_varying

    recorded = "float32     8.7 ms and   8.2 ms per step, loss 1.7743\n"
    printed = "float32    10.4 ms and  15.2 ms per step, loss 1.7743\n"
    assert mask_varying(recorded, "ms") == mask_varying(printed, "ms")
    other_loss = printed.replace("1.7743", "1.7744")
    assert mask_varying(recorded, "ms") != mask_varying(other_loss, "ms")
    assert mask_varying("12 ms\n", "ms") == "# ms\n"
