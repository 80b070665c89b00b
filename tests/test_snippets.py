"""Every program under snippets/ runs as `python file.py` would and prints its golden output."""

from __future__ import annotations

import pytest

from book.judge import (
    behaviour_problems,
    below_minimum,
    cuda_problems,
    cut_short,
    minimum_problems,
    output_problems,
    shown_output,
    unstable_output_problems,
)
from book.upstream import known_crash


def test_snippet(snippet, snippet_runner, leg, release, request, record_result):
    chapters = f"(shown in {snippet.chapter_names()})"
    # An output that is a link is neither read (its target would appear in the diff)
    # nor written through.
    unsafe = snippet.output_problems()
    if unsafe:
        pytest.fail(f"{chapters}\n" + "\n".join(unsafe), pytrace=False)
    result = snippet_runner.run(snippet.path, timeout=snippet.timeout)
    problems = behaviour_problems(snippet, result)
    if below_minimum(snippet, release):
        # Older than the program declares it needs: it must fail here, and records nothing.
        worked = not problems and not output_problems(snippet, result, leg, release)
        wrong = minimum_problems(snippet, release, worked)
        if wrong:
            pytest.fail(f"{chapters}\n" + "\n".join(wrong), pytrace=False)
        minimum, reason = snippet.directives.requires
        pytest.skip(f"needs torch>={minimum} ({reason}); on torch {release} it fails, as declared")
    if problems:
        record_result(snippet, result, passed=False)
        crash = known_crash([snippet.rel], result.stderr)
        if crash is not None and cut_short(snippet, result, leg, release):
            # The known upstream abort, and what was printed is the start of the golden
            # output (torchrun stops the other process at once, so its last lines can be
            # missing): reported, never passed, and hiding no other difference.
            pytest.xfail(f"{chapters} {crash.reason}")
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
        elif release is not None:
            # Another torch release: its own output file, only where the output differs.
            target = snippet.release_out_path(release)
            if not output_problems(snippet, result, leg):
                snippet.remove_output(target)
                record_result(snippet, result, passed=True)
                return
        snippet.write_output(target, shown_output(result))
        record_result(snippet, result, passed=True)  # the output it just printed
        return
    problems = output_problems(snippet, result, leg, release)
    if leg == "cuda":
        problems += cuda_problems(snippet, result)
    record_result(snippet, result, passed=not problems)
    if problems:
        pytest.fail(f"{chapters}\n" + "\n".join(problems), pytrace=False)
