"""Compare what a program printed with its golden output."""

from __future__ import annotations

import difflib
import math
import re

# Relative and absolute tolerance for numbers on the CUDA leg: GPU kernels sum
# in a different order than CPU ones, so the last printed digits may move.
CUDA_RTOL = 1e-3
CUDA_ATOL = 1e-3

NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


# torch 2.10's gloo prints to stdout, from each process of a group as it connects, a
# line that is not the program's: "[Gloo] Rank 0 is connected to 1 peer ranks. Expected
# number of connected peer ranks is : 1". It writes the line in pieces, and the pieces
# of two processes interleave in any order, even within a line; later releases print
# nothing. The page says so, and what is compared and recorded leaves these lines out:
# the run of such pieces at the start of the output (each process connects before it
# takes part in anything that prints), taken only when it holds whole messages.
# The pieces are as small as the writes have been seen to split: another process's
# piece can come between "peer ranks. " and "Expected number ...". A process whose
# line reaches the output after another's first prints (a pipe holds gloo's write
# back) shows it later as a whole line: such whole lines are left out anywhere.
GLOO_PIECE = re.compile(
    r"\[Gloo\] Rank | is connected to | peer ranks\. |Expected number of connected peer "
    r"ranks is : |\d+|\n"
)
GLOO_MESSAGE = (
    "[Gloo] Rank ",
    " is connected to ",
    " peer ranks. ",
    "Expected number of connected peer ranks is : ",
)
GLOO_LINE = re.compile(
    r"^\[Gloo\] Rank \d+ is connected to \d+ peer ranks\. "
    r"Expected number of connected peer ranks is : \d+\n",
    re.MULTILINE,
)


def without_library_lines(stdout: str) -> str:
    """stdout without the connection messages of torch 2.10's gloo."""
    return GLOO_LINE.sub("", without_leading_pieces(stdout))


def without_leading_pieces(stdout: str) -> str:
    """stdout without the run of gloo's connection messages, in pieces, at its start."""
    if not stdout.startswith("[Gloo] Rank "):
        return stdout
    messages = stdout.count("[Gloo] Rank ")
    # What the pieces of that many whole messages hold: each text and one line break per
    # message, with numbers between them (two processes' digits can run together).
    left = {text: messages for text in GLOO_MESSAGE} | {"\n": messages}
    position = 0
    while any(left.values()):
        piece = GLOO_PIECE.match(stdout, position)
        if piece is None:
            return stdout
        if not piece.group().isdigit():
            if not left.get(piece.group()):
                return stdout
            left[piece.group()] -= 1
        position = piece.end()
    return stdout[position:]


def expected_text(stdout: str, error_text: str | None) -> str:
    """What the page shows as the program's output: stdout, then the error line."""
    stdout = without_library_lines(stdout)
    if error_text is None:
        return stdout
    return stdout + error_text + "\n"


def unified(expected: str, actual: str, expected_name: str) -> str:
    return "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=expected_name,
            tofile="what the program printed",
        )
    )


def normalise_device(text: str) -> str:
    """Remove the marks a GPU leaves on printed tensors and device names."""
    text = re.sub(r",\s*device='cuda(?::\d+)?'", "", text)
    text = re.sub(r"\bcuda(?::\d+)?\b", "cpu", text)
    return text


def numbers_close(expected: str, actual: str) -> str | None:
    """None when the texts match with numbers within tolerance, else a reason."""
    exp_lines, act_lines = expected.splitlines(), actual.splitlines()
    if len(exp_lines) != len(act_lines):
        return f"{len(act_lines)} lines printed, {len(exp_lines)} expected"
    for number, (e, a) in enumerate(zip(exp_lines, act_lines, strict=True), start=1):
        if NUMBER.sub("#", e) != NUMBER.sub("#", a):
            return f"line {number} differs in its text: {a!r} (expected {e!r})"
        for x, y in zip(NUMBER.findall(e), NUMBER.findall(a), strict=True):
            fx, fy = float(x), float(y)
            if not math.isclose(fx, fy, rel_tol=CUDA_RTOL, abs_tol=CUDA_ATOL):
                return f"line {number}: {y} is not within tolerance of {x}"
    return None


def mask_varying(text: str, unit: str | None) -> str:
    """Hide the numbers written with the unit a program declares with `# varies: <unit>`.

    Only a number followed by that unit ("41.9 ms", "3.2ms") is a measurement; every
    other number on the line is still compared.
    """
    if not unit:
        return text
    # The padding before a measurement goes with it: "{ms:5.1f}" prints " 9.8" and "10.4",
    # and a column of timings must not differ because one of them grew a digit.
    measured = re.compile(r"(?P<pad> *)" + NUMBER.pattern + r"(?=\s?" + re.escape(unit) + r"\b)")
    return measured.sub(lambda found: (" " if found["pad"] else "") + "#", text)
