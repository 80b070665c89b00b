"""Judge one run of a snippet against what it promises."""

from __future__ import annotations

import re
from pathlib import Path

from . import safe_files
from .catalog import REPO, Snippet, error_matches
from .compare import expected_text, mask_varying, normalise_device, numbers_close, unified
from .run.runner import RunResult
from .run.sandbox import FILE_SIZE_LIMIT

REWRITE = "nox -s outputs -- {rel}"


def golden_for(snippet: Snippet, leg: str, release: str | None) -> tuple[Path, bool]:
    """The golden file this leg and torch release compare with, and whether exactly."""
    if leg == "cuda" and snippet.cuda_out_path.exists():
        return snippet.cuda_out_path, True
    if release is not None and snippet.release_out_path(release).exists():
        return snippet.release_out_path(release), leg == "cpu"
    return snippet.out_path, leg == "cpu"


def cut_short(snippet: Snippet, result: RunResult, leg: str, release: str | None) -> bool:
    """Whether what the program printed is the start of its golden output, exactly: a
    run that was stopped before its last lines, having printed nothing wrong."""
    golden_path, exact = golden_for(snippet, leg, release)
    if not exact or snippet.output_problems() or not golden_path.exists():
        return False
    expected = mask_varying(safe_files.read_text(golden_path, root=snippet.root), snippet.varies)
    printed = mask_varying(expected_text(result.stdout, None), snippet.varies)
    return expected.startswith(printed)


def shown_output(result: RunResult) -> str:
    """The text a reader sees under the program: stdout, then any error line."""
    return expected_text(result.stdout, result.error_text)


def _stderr_tail(result: RunResult, lines: int = 25) -> str:
    tail = result.stderr.rstrip().splitlines()[-lines:]
    return "\n".join("    " + t for t in tail)


# Error texts that mean the program reached for the network, which the sandbox has not.
_OFFLINE = re.compile(
    r"Network is unreachable|Temporary failure in name resolution|Name or service not known"
    r"|No address associated with hostname|\[Errno -[235]\]|getaddrinfo failed"
)


def offline_hint(error_text: str | None) -> str:
    """A sentence explaining an error the sandbox caused, or nothing."""
    if not error_text:
        return ""
    if _OFFLINE.search(error_text):
        return (
            "\n    (the program reached for the network: programs run without one while they "
            "are verified, so build the data inside the program)"
        )
    if "Read-only file system" in error_text or "Permission denied" in error_text:
        return (
            "\n    (programs may write only into their working directory, their home "
            "directory and /tmp; everything else is read-only while they are verified)"
        )
    if "File too large" in error_text:
        return f"\n    (no file a program writes may exceed {FILE_SIZE_LIMIT >> 20} MiB)"
    if error_text.startswith("ModuleNotFoundError"):
        return (
            "\n    (programs import only what pyproject.toml's dependency groups pin: torch, "
            "the data group and the standard library. A chapter that needs another package "
            "pins it in a group there, with a comment saying why; see Contributing, "
            "'Write a program')"
        )
    return ""


def sandbox_problems(where: str, result: RunResult) -> list[str]:
    """Problems the sandbox reports about a run, whatever the program is."""
    problems = [f"{where}: {problem}" for problem in result.run_problems]
    if result.confinement_error:
        problems.append(
            f"{where} was not run: its sandbox could not be set up ({result.confinement_error})"
        )
    if result.stdout_bytes > len(result.stdout.encode()):
        problems.append(
            f"{where} printed {result.stdout_bytes} bytes; the harness keeps the first "
            f"{len(result.stdout.encode())} (a book's program prints a page at most)"
        )
    return problems


def behaviour_problems(snippet: Snippet, result: RunResult) -> list[str]:
    """Problems with how the program ran, before its output is looked at."""
    where = snippet.rel
    line = f"{where}:{result.error_line}" if result.error_line else where
    problems = list(snippet.directives.problems) + sandbox_problems(where, result)
    if snippet.directives.figures:
        problems.append(f"{where}: '# figure:' describes a lab cell's figure; programs print")
    declared = snippet.expected_error
    problems += look_alike_problems(snippet)
    if result.timed_out:
        hung_at = _hang_line(snippet, result)
        problems.append(
            f"{hung_at} did not finish within {snippet.timeout:g} s and was stopped "
            f"(raise the limit with a '# timeout: N' header if it is meant to run longer)\n"
            f"{_stderr_tail(result)}"
        )
    elif declared:
        if result.error_type is None:
            problems.append(
                f"{where} declares '# expected-error: {declared}' "
                f"but finished with exit code {result.exit_code} and no exception"
            )
        elif not error_matches(result.error_type, declared):
            problems.append(
                f"{line} raised {result.error_type}, but the snippet declares "
                f"'# expected-error: {declared}'{offline_hint(result.error_text)}\n"
                f"{_stderr_tail(result)}"
            )
    elif result.error_type:
        problems.append(
            f"{line} raised {result.error_text}{offline_hint(result.error_text)}\n"
            f"{_stderr_tail(result)}"
        )
    elif result.signal is not None:
        problems.append(
            f"{where} was ended by signal {_signal_name(result.signal)}, as a plain run "
            f"would be\n{_stderr_tail(result)}"
        )
    elif result.exit_code != 0:
        problems.append(f"{where} exited with code {result.exit_code}\n{_stderr_tail(result)}")
    return problems


def _signal_name(number: int) -> str:
    import signal

    try:
        return f"{signal.Signals(number).name} ({number})"
    except ValueError:
        return str(number)


def look_alike_problems(snippet: Snippet) -> list[str]:
    """A program that defines a class named as the error it declares: its traceback would
    print that name as a built-in's is printed, so the program's text is checked (parsed,
    never run)."""
    declared = snippet.expected_error
    if not declared:
        return []
    import ast

    name = declared.rsplit(".", 1)[-1]
    try:
        tree = ast.parse(snippet.source)
    except (SyntaxError, ValueError):
        return []
    return [
        f"{snippet.rel}:{node.lineno} defines its own {name}, the error it declares: "
        "declare and raise the real one"
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and node.name == name
    ]


def _hang_line(snippet: Snippet, result: RunResult) -> str:
    """file:line of the innermost snippet frame in the faulthandler dump."""
    marker = f'File "{result.program_path}", line '
    hits = [ln for ln in result.stderr.splitlines() if marker in ln]
    if hits:  # faulthandler prints the most recent call first
        number = hits[0].split(marker, 1)[1].split()[0]
        return f"{snippet.rel}:{number}"
    return snippet.rel


def output_problems(
    snippet: Snippet, result: RunResult, leg: str, release: str | None = None
) -> list[str]:
    """Compare the shown output with the golden file for this leg (and torch release)."""
    actual = shown_output(result)
    rewrite = REWRITE.format(rel=snippet.rel)
    unsafe = snippet.output_problems()  # a link or an odd file is refused, not followed
    if unsafe:
        return unsafe
    golden_path, exact = golden_for(snippet, leg, release)
    golden_rel = golden_path.relative_to(snippet.root) if snippet.root == REPO else golden_path
    if not golden_path.exists():
        return [f"{snippet.rel} has no golden output {golden_rel}; create it with: {rewrite}"]
    expected = mask_varying(safe_files.read_text(golden_path, root=snippet.root), snippet.varies)
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


def release_tuple(release: str) -> tuple[int, ...]:
    return tuple(int(part) for part in release.split("."))


def below_minimum(snippet: Snippet, release: str | None) -> bool:
    """Whether the running torch release is older than the one the program declares."""
    declared = snippet.directives.requires
    return bool(declared and release and release_tuple(release) < release_tuple(declared[0]))


def minimum_problems(snippet: Snippet, release: str, worked: bool) -> list[str]:
    """Below its declared minimum a program must fail: otherwise the declaration is wrong."""
    if not worked:
        return []
    minimum, reason = snippet.directives.requires
    return [
        f"{snippet.rel} declares '# requires: torch>={minimum} ({reason})', but on torch "
        f"{release} it runs and prints its recorded output: lower the declaration or drop it"
    ]


def unstable_output_problems(snippet: Snippet, first: RunResult, second: RunResult) -> list[str]:
    """Two runs (under different str hash seeds) must print the same to be recorded."""
    one = mask_varying(shown_output(first), snippet.varies)
    two = mask_varying(shown_output(second), snippet.varies)
    if one == two:
        return []
    return [
        f"{snippet.rel} printed different output in two runs, so nothing was recorded. "
        "The runs differ as two readers' runs do (str hash seed, fresh random state): "
        "does it print a set, draw unseeded random numbers, or print a timing without "
        "'# varies:'?\n" + unified(one, two, "first run")
    ]


def cuda_problems(snippet: Snippet, result: RunResult) -> list[str]:
    """On the CUDA leg, a snippet using the device idiom must really use the GPU.

    A launched program is exempt: the report comes from the launcher's process, which
    never touches the GPU, and its workers, fresh interpreters, write none."""
    if snippet.directives.launch is not None:
        return []
    if snippet.uses_device_idiom and result.cuda_max_allocated == 0:
        return [
            f"{snippet.rel} picks its device with torch.accelerator but allocated no GPU "
            "memory on the CUDA leg: its tensors never reached the GPU"
        ]
    return []
