"""Judge one run of a snippet against what it promises."""

from __future__ import annotations

from .catalog import REPO, Snippet
from .compare import expected_text, mask_varying, normalise_device, numbers_close, unified
from .runner import RunResult

REWRITE = "nox -s outputs -- {rel}"


def shown_output(result: RunResult) -> str:
    """The text a reader sees under the program: stdout, then any error line."""
    return expected_text(result.stdout, result.error_text)


def _stderr_tail(result: RunResult, lines: int = 25) -> str:
    tail = result.stderr.rstrip().splitlines()[-lines:]
    return "\n".join("    " + t for t in tail)


def behaviour_problems(snippet: Snippet, result: RunResult) -> list[str]:
    """Problems with how the program ran, before its output is looked at."""
    where = snippet.rel
    line = f"{where}:{result.error_line}" if result.error_line else where
    problems = []
    if result.timed_out:
        hung_at = _hang_line(snippet, result)
        problems.append(
            f"{hung_at} did not finish within {snippet.timeout:g} s and was stopped "
            f"(raise the limit with a '# timeout: N' header if it is meant to run longer)\n"
            f"{_stderr_tail(result)}"
        )
    elif result.network_attempts:
        problems.append(
            f"{line} tried to reach the network ({', '.join(result.network_attempts)}); "
            "network access is disabled while snippets are verified, so build the data "
            "inside the program"
        )
    elif snippet.expected_error:
        if result.error_type is None:
            problems.append(
                f"{where} declares '# expected-error: {snippet.expected_error}' "
                f"but finished with exit code {result.exit_code} and no exception"
            )
        elif result.error_type != snippet.expected_error:
            problems.append(
                f"{line} raised {result.error_type}, but the snippet declares "
                f"'# expected-error: {snippet.expected_error}'\n{_stderr_tail(result)}"
            )
    elif result.error_type:
        problems.append(f"{line} raised {result.error_text}\n{_stderr_tail(result)}")
    elif result.exit_code != 0:
        problems.append(f"{where} exited with code {result.exit_code}\n{_stderr_tail(result)}")
    if result.repo_changes:
        problems.append(
            f"{where} wrote into the repository; programs may write only into their "
            "working directory:\n" + "\n".join("    " + c for c in result.repo_changes)
        )
    return problems


def _hang_line(snippet: Snippet, result: RunResult) -> str:
    """file:line of the innermost snippet frame in the faulthandler dump."""
    marker = f'File "{snippet.path}", line '
    hits = [ln for ln in result.stderr.splitlines() if marker in ln]
    if hits:  # faulthandler prints the most recent call first
        number = hits[0].split(marker, 1)[1].split()[0]
        return f"{snippet.rel}:{number}"
    return snippet.rel


def output_problems(snippet: Snippet, result: RunResult, leg: str) -> list[str]:
    """Compare the shown output with the golden file for this leg."""
    actual = shown_output(result)
    rewrite = REWRITE.format(rel=snippet.rel)
    if leg == "cuda" and snippet.cuda_out_path.exists():
        golden_path, exact = snippet.cuda_out_path, True
    else:
        golden_path, exact = snippet.out_path, leg == "cpu"
    golden_rel = golden_path.relative_to(REPO)
    if not golden_path.exists():
        return [f"{snippet.rel} has no golden output {golden_rel}; create it with: {rewrite}"]
    expected = mask_varying(golden_path.read_text(), snippet.varies)
    actual = mask_varying(actual, snippet.varies)
    if exact:
        if expected == actual:
            return []
        return [
            f"{snippet.rel}: output differs from {golden_rel}\n"
            f"{unified(expected, actual, str(golden_rel))}\n"
            f"If the new output is right, rewrite the golden file with: {rewrite}"
        ]
    # CUDA leg against the CPU golden file: device marks removed, numbers close.
    if snippet.expected_error:
        # Error messages name the device they failed on; compare the program's
        # stdout and the exception type, which is what the page teaches.
        expected = expected.rsplit(snippet.expected_error, 1)[0]
        actual = actual.rsplit(snippet.expected_error, 1)[0]
    reason = numbers_close(normalise_device(expected), normalise_device(actual))
    if reason is None:
        return []
    return [
        f"{snippet.rel}: on CUDA the output does not match {golden_rel} ({reason})\n"
        f"{unified(normalise_device(expected), normalise_device(actual), str(golden_rel))}"
    ]


def cuda_problems(snippet: Snippet, result: RunResult) -> list[str]:
    """On the CUDA leg, a snippet using the device idiom must really use the GPU."""
    if snippet.uses_device_idiom and result.cuda_max_allocated == 0:
        return [
            f"{snippet.rel} picks its device with torch.accelerator but allocated no GPU "
            "memory on the CUDA leg: its tensors never reached the GPU"
        ]
    return []
