"""Every program under snippets/ runs as `python file.py` would and prints its golden output."""

from __future__ import annotations

import pytest

from book.judge import (
    behaviour_problems,
    cuda_problems,
    output_problems,
    shown_output,
    unstable_output_problems,
)


def test_snippet(snippet, snippet_runner, leg, request, record_result):
    result = snippet_runner.run(snippet.path, timeout=snippet.timeout)
    problems = behaviour_problems(snippet, result)
    chapters = f"(shown in {snippet.chapter_names()})"
    if problems:
        record_result(snippet, result, passed=False)
        pytest.fail(f"{chapters}\n" + "\n".join(problems), pytrace=False)
    if request.config.getoption("--update-outputs"):
        again = request.getfixturevalue("rerunner").run(snippet.path, timeout=snippet.timeout)
        unstable = unstable_output_problems(snippet, result, again)
        if unstable:
            pytest.fail(f"{chapters}\n" + "\n".join(unstable), pytrace=False)
        target = snippet.out_path
        if leg == "cuda":
            if not output_problems(snippet, result, leg):
                return
            target = snippet.cuda_out_path
        target.write_text(shown_output(result))
        record_result(snippet, result, passed=True)  # the output it just printed
        return
    problems = output_problems(snippet, result, leg)
    if leg == "cuda":
        problems += cuda_problems(snippet, result)
    record_result(snippet, result, passed=not problems)
    if problems:
        pytest.fail(f"{chapters}\n" + "\n".join(problems), pytrace=False)
