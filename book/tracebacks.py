"""Read the tracebacks a run printed to stderr, as a reader reads them in a terminal.

The harness judges a program by what a plain `python file.py` shows: its exit status,
its stdout and its stderr. What it raised is read here, from the traceback Python
printed, never from anything the program's process reports about itself.

A traceback as Python prints it::

    Traceback (most recent call last):
      File "/home/reader/work/x.py", line 3, in <module>
        y = 1 / 0
            ~~^~~
    ZeroDivisionError: division by zero

or, for a syntax error found before any line ran, only the ``File ...`` part and the
error. The exception's class is written ``module.QualName`` except for built-in ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

HEADER = "Traceback (most recent call last):"
_FRAME = re.compile(r'^  File "(?P<file>[^"]*)", line (?P<line>\d+)')
# The line that names the exception: a dotted class name, then ": message" or nothing.
_EXCEPTION = re.compile(r"^(?P<type>[A-Za-z_][\w.]*)(?::(?: (?P<rest>.*))?)?$")
_CHAINED = (
    "The above exception was the direct cause of the following exception:",
    "During handling of the above exception, another exception occurred:",
)


@dataclass
class Traceback:
    """One printed traceback: the frames it names and the exception it ends with."""

    error_type: str  # as Python printed it: "ZeroDivisionError", "torch.OutOfMemoryError"
    text: str  # the exception line(s): "ZeroDivisionError: division by zero"
    frames: list[tuple[str, int]] = field(default_factory=list)  # (file, line), outermost first

    @property
    def qualified_type(self) -> str:
        """builtins.X for a built-in exception, as book.syntax.error_matches expects."""
        return self.error_type if "." in self.error_type else f"builtins.{self.error_type}"

    def last_line_in(self, filename: str) -> int | None:
        """The innermost line of `filename` in this traceback."""
        lines = [line for file, line in self.frames if file == filename]
        return lines[-1] if lines else None


def parse(stderr: str) -> list[Traceback]:
    """Every traceback in `stderr`, in the order printed; a chain of exceptions ("During
    handling of the above exception, ...") counts once, as its last exception."""
    lines = stderr.splitlines()
    found: list[Traceback] = []
    chained = False  # the next traceback continues the last one found
    i = 0
    while i < len(lines):
        if lines[i] in _CHAINED:
            chained = bool(found)
        elif lines[i] == HEADER or (_FRAME.match(lines[i]) and _is_syntax_error_start(lines, i)):
            tb, i = _one(lines, i + 1 if lines[i] == HEADER else i)
            if tb is not None:
                if chained:
                    found.pop()
                found.append(tb)
            chained = False
            continue
        elif lines[i]:
            chained = False
        i += 1
    return found


def _is_syntax_error_start(lines: list[str], i: int) -> bool:
    """A `File ...` line that opens a syntax error printed without a header."""
    return i == 0 or not (lines[i - 1].startswith("  ") or lines[i - 1] == HEADER)


def _one(lines: list[str], i: int) -> tuple[Traceback | None, int]:
    """Read frames from line i, then the exception line and its continuation lines."""
    frames = []
    while i < len(lines) and (lines[i].startswith(" ") or not lines[i]):
        match = _FRAME.match(lines[i])
        if match:
            frames.append((match["file"], int(match["line"])))
        i += 1
    if i >= len(lines) or not frames:
        return None, i
    match = _EXCEPTION.match(lines[i])
    if match is None:
        return None, i + 1
    text = [lines[i]]
    i += 1
    # A message of several lines, and notes: until a blank line or the next traceback.
    while i < len(lines) and lines[i] and lines[i] != HEADER and not _FRAME.match(lines[i]):
        text.append(lines[i])
        i += 1
    return Traceback(match["type"], "\n".join(text), frames), i


def uncaught(stderr: str, exit_code: int) -> Traceback | None:
    """The exception that ended the run, as a plain run shows it: exit status 1 and the
    last traceback in stderr; else None."""
    if exit_code != 1:
        return None
    found = parse(stderr)
    return found[-1] if found else None
