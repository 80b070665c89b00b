"""Fold the lines a program shares with one shown earlier on the same page.

Programs stay complete, so that each runs as copied; on a page that shows several
built on one set-up (a data set written to files, a network pretrained), that set-up
would be read again under every program. The page shows it once: in a later program
the longest run of lines it shares with an earlier one is folded into a collapsed
block whose title names the program and lines it repeats. The copy button still
copies the whole program (Material copies the `data-copy` text of the block's
wrapper), and the chapter's notebook, made from the program files, holds it whole.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path

from .. import safe_files
from ..catalog import REPO
from ..syntax import ProgramLine

# Fewer shared lines than this stay in place: a fold costs a reader a click, and a short
# run (imports, a seed) is quicker to read again than to look up.
MIN_LINES = 15


@dataclass(frozen=True)
class Fold:
    """Lines first..last (1-based, inclusive) of a program, the same as lines
    source_first.. of `source`, a program shown earlier on the page."""

    first: int
    last: int
    source: str
    source_first: int

    @property
    def size(self) -> int:
        return self.last - self.first + 1

    def title(self, program: str) -> str:
        end = self.source_first + self.size - 1
        return (
            f"{Path(program).name}, lines {self.first} to {self.last}: the same as lines "
            f"{self.source_first} to {end} of {Path(self.source).name}, shown above"
        )


def _lines(rel: str) -> list[str]:
    return safe_files.read_text(REPO / rel).split("\n")


def folds(programs: list[ProgramLine]) -> dict[int, Fold]:
    """{index in programs: its fold} for each whole program that shares at least
    MIN_LINES consecutive lines with a whole program above it on the page (the longest
    such run; blank lines at its ends are left out)."""
    found: dict[int, Fold] = {}
    shown: list[tuple[str, list[str]]] = []
    for index, program in enumerate(programs):
        if not program.whole:
            continue
        lines = _lines(program.path)
        best = None
        for source, earlier in shown:
            matcher = difflib.SequenceMatcher(None, earlier, lines, autojunk=False)
            match = matcher.find_longest_match(0, len(earlier), 0, len(lines))
            a, b, size = match.a, match.b, match.size
            while size and not lines[b].strip():  # no fold starts or ends on a blank line
                a, b, size = a + 1, b + 1, size - 1
            while size and not lines[b + size - 1].strip():
                size -= 1
            if size >= MIN_LINES and (best is None or size > best.size):
                best = Fold(b + 1, b + size, source, a + 1)
        if best is not None:
            found[index] = best
        shown.append((program.path, lines))
    return found


def folded_block(program: ProgramLine, fold: Fold, hold, whole: str | None = None) -> list[str]:
    """The Markdown lines of a program shown with its fold: the lines before it, the
    fold collapsed, the lines after it, wrapped in an element that copies it whole.
    `hold` turns a piece of HTML into a placeholder line (the build's Marks.hold).

    The pieces are written out from the file, not included with `--8<-- "file:a:b"`:
    the snippets extension dedents a line range (dedent_subsections), which would
    shift a piece that starts inside a function."""
    i = program.indent
    if whole is None:  # the program's text (a test hands one in)
        whole = safe_files.read_text(REPO / program.path)
    lines = whole.rstrip("\n").split("\n")
    # A fence longer than any run of backticks in the program, so none can close it.
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", whole)), default=0))

    def block(first: int, last: int, title: str, indent: str) -> list[str]:
        named = f' title="{title}"' if title else ""
        head = f"{indent}{fence}python{named}"
        piece = lines[first - 1 : last]
        while piece and not piece[0].strip():  # the blank lines around a fold: the gap
            piece = piece[1:]  # between the blocks shows them
        while piece and not piece[-1].strip():
            piece = piece[:-1]
        return [head, *(indent + line for line in piece), indent + fence, ""]

    # Line breaks as character references: the page's whitespace is collapsed after the
    # build (book.site.lean_pages), and a raw line break in an attribute is whitespace.
    copy = escape(whole.rstrip()).replace("\n", "&#10;")
    out = [i + hold(f'<div class="shared-lines" data-copy="{copy}">'), ""]
    # The program's name goes over the first code block shown open (after the fold when
    # the fold opens the program), where the tests and a reader look for it.
    title = program.title
    if fold.first > 1:
        out += block(1, fold.first - 1, title, i)
        title = ""
    inner = title if fold.last == len(lines) else ""  # nothing follows: it carries the name
    out += [f'{i}??? note "{fold.title(program.path)}"', ""]
    out += block(fold.first, fold.last, inner, i + "    ")
    if fold.last < len(lines):
        out += block(fold.last + 1, len(lines), title, i)
    out += [i + hold("</div>")]
    return out
