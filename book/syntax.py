"""The book's page syntax, read in one place: every other part of the project imports this.

A page shows a program with one line, which names its file once::

    <<< snippets/tensors/creating.py            the whole program, its output, its status
    <<< snippets/workflow/full_program.py#data  an excerpt: the named section only

(``<<<`` is the include syntax of VitePress, which readers of other docs know.) The
site's build expands a whole-program line into the program, the output recorded
beside it and its verification status, all three derived from that one path, so a
title can never name another file than the one shown. The line may be indented
(inside an admonition); lines inside fenced blocks are text, never programs.

Programs carry header directives (``# timeout: 30``) and named sections
(``# --8<-- [start:name]`` ... ``# --8<-- [end:name]``); both are read here too, as
are fences (``` and ~~~, with any info string) and the Python fence forms the
renderer highlights.
"""

from __future__ import annotations

import math
import re
import textwrap
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

# -- program lines ---------------------------------------------------------------------

PROGRAM_LINE = re.compile(r"^(?P<indent> *)<<< +(?P<path>\S+?)(?:#(?P<section>[-_a-z0-9]+))? *$")
PROGRAM_PATH = re.compile(r"^snippets/[-_a-z0-9]+/[-_a-z0-9]+\.py$")
# pymdownx.snippets' include line. Pages do not use it for programs: the program line
# above replaces it, and a raw include of a program is an error.
RAW_INCLUDE = re.compile(r'^\s*-{1,}8<-{1,}\s+"(?P<target>[^"]+)"\s*$')

# -- program files ---------------------------------------------------------------------

SECTION_MARK = re.compile(
    r"^\s*#\s*-{1,}8<-{1,}\s*\[\s*(?P<edge>start|end)\s*:\s*(?P<name>[-_a-z0-9]+)\s*\]\s*$"
)
DIRECTIVE = re.compile(r"^#\s*(?P<key>[a-z][a-z0-9-]*):(?P<value>.*)$")
KNOWN_DIRECTIVES = ("expected-error", "timeout", "varies", "figure", "requires")
# `# requires: torch>=2.11 (why: what the older releases lack)`
REQUIRES = re.compile(r"^torch>=(?P<release>\d+\.\d+)\s+\((?P<reason>[^)]{10,})\)$")
DEFAULT_TIMEOUT = 60.0
TIMEOUT_CAP = 600.0  # seconds; a program needing more does not belong in a book
VARIES_UNITS = ("ns", "us", "µs", "ms", "s")  # `# varies: <unit>` hides these numbers only
CONTINUATION = re.compile(r"^#   +\S")  # "#   more words" after a "# figure:" line
EXCEPTION_NAME = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$")

# -- Markdown --------------------------------------------------------------------------

FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*?)\s*$")
ADMONITION = re.compile(
    r'^(?P<indent> *)(?P<kind>!!!|\?\?\?\+?) +(?P<type>[\w-]+)(?: +"(?P<title>[^"]*)")? *$'
)
HEADING = re.compile(r"^#{1,6} ")
COMMENT_LINE = re.compile(r"^\s*<!--.*-->\s*$")
FRONT_MATTER = re.compile(r"\A---\n(?P<yaml>.*?)\n---\n", re.S)
# A number with a decimal point, as prose quotes a loss or an accuracy ("0.0185", "-18.7").
DECIMAL = re.compile(r"(?<![\w.])-?\d+\.\d+(?![\w.]*\w)")
INLINE_CODE = re.compile(r"(`+).*?\1")
BARE_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?%?$")  # inline code that is only a number
# "torch 2.13", "PyTorch 2.6", "Python 3.11": versions, not results.
VERSION = re.compile(
    r"(?:torch|PyTorch|Python|CUDA|version|versions)\s+(?:\d+\.\d+(?:\.\d+)?(?:,?\s*(?:and|or)?\s*)?)+"
)
INLINE_CODE_TEXT = re.compile(r"`([^`]+)`")
TABLE_ROW = re.compile(r"^\|(?P<first>[^|]+)\|(?P<rest>.+)\|\s*$")
PERCENT_MARKER = re.compile(r"^# %%")  # a cell of a jupytext percent-format lab
LINK = re.compile(r"(?P<open>\]\()(?P<target>[^)\s]+)(?P<close>[)\s])")
# <!--pytest-codeblocks:skip--> (older) and <!--pytest.mark.skip--> (newer) before a fence.
CODEBLOCKS_MARK = re.compile(
    r"^\s*<!--\s*(?:pytest-codeblocks:(?P<mark>[a-z][a-z-]*[a-z])|pytest\.mark\.(?P<new>\w+))"
)


class SyntaxProblem(ValueError):
    """A page or program that breaks the syntax; the message starts with file:line."""


@dataclass(frozen=True)
class ProgramLine:
    """One ``<<< path`` line of a page."""

    page: str  # the page's path, for messages
    line: int  # 1-based
    indent: str
    path: str  # relative to the repository root
    section: str | None = None

    @property
    def whole(self) -> bool:
        return self.section is None

    @property
    def output(self) -> str:
        """The recorded output shown under a whole program."""
        return self.path.removesuffix(".py") + ".out"

    @property
    def title(self) -> str:
        """The caption over the code block: the path, and the section of an excerpt."""
        return program_title(self.path, self.section)

    def where(self) -> str:
        return f"{self.page}:{self.line}"


@dataclass(frozen=True)
class Fence:
    """A fenced block of a page: its opening line, info string and body lines."""

    line: int  # 1-based line of the opening fence
    end: int  # 1-based line of the closing fence (or the page's last line)
    indent: str
    marker: str  # ``` or ~~~ (or longer)
    info: str
    body: tuple[str, ...]

    @property
    def language(self) -> str:
        """The language the renderer highlights: ``python``, ``py3``, ``{.python}``..."""
        info = self.info.strip()
        if info.startswith("{"):
            for word in info.strip("{} ").split():
                if word.startswith("."):
                    return word[1:]
            return ""
        return info.split()[0] if info.split() else ""

    @property
    def is_python(self) -> bool:
        return is_python_language(self.language)


def program_title(path: str, section: str | None = None) -> str:
    return f"{path} ({section})" if section else path


TITLE = re.compile(r"^(?P<path>snippets/\S+\.py)(?: \((?P<section>[-_a-z0-9]+)\))?$")


def parse_program_title(title: str) -> tuple[str, str | None] | None:
    """(path, section) from a code block's caption in the built HTML, or None."""
    m = TITLE.match(title.strip())
    return (m["path"], m["section"]) if m else None


@cache
def is_python_language(language: str) -> bool:
    """Whether Pygments (the renderer's highlighter) reads this fence language as Python."""
    if not language:
        return False
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_by_name(language)
    except ClassNotFound:
        return False
    return "python" in lexer.name.lower() or lexer.name in ("Python console session",)


# -- lexing pages ----------------------------------------------------------------------


def fences(text: str) -> list[Fence]:
    """Every fenced block of a page, outermost only (a fence's body is not lexed again)."""
    lines = text.split("\n")
    found, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if m:
            end = fence_end(lines, i, m["fence"], len(m["indent"]))
            found.append(
                Fence(i + 1, end + 1, m["indent"], m["fence"], m["info"], tuple(lines[i + 1 : end]))
            )
            i = end + 1
            continue
        i += 1
    return found


def fence_end(lines: list[str], start: int, marker: str, indent: int) -> int:
    """Index of the line that closes the fence opened at lines[start]."""
    for i in range(start + 1, len(lines)):
        stripped = lines[i].strip()
        if stripped.startswith(marker) and not stripped.lstrip(marker[0]):
            return i
        if lines[i].strip() and len(lines[i]) - len(lines[i].lstrip(" ")) < indent:
            return i - 1  # an indented fence ends with its container
    return len(lines) - 1


def outside_fences(text: str) -> list[tuple[int, str]]:
    """(1-based number, line) of every line that is not inside a fenced block."""
    inside: set[int] = set()
    for fence in fences(text):
        inside.update(range(fence.line, fence.end + 1))
    return [(n, line) for n, line in enumerate(text.split("\n"), 1) if n not in inside]


def program_lines(text: str, page: str) -> list[ProgramLine]:
    """Every ``<<< path`` line of a page, checked: a bad path is a `SyntaxProblem`."""
    found = []
    for number, line in outside_fences(text):
        m = PROGRAM_LINE.match(line)
        if not m:
            continue
        if not PROGRAM_PATH.match(m["path"]):
            raise SyntaxProblem(
                f"{page}:{number}: '<<< {m['path']}' must name a program as "
                "snippets/<chapter>/<name>.py"
            )
        found.append(ProgramLine(page, number, m["indent"], m["path"], m["section"]))
    return found


def raw_program_includes(text: str, page: str) -> list[str]:
    """Messages for pymdownx.snippets includes of programs or outputs written by hand.

    Only the program line may show a program: it names the file once, so the title,
    the code, the output and the status cannot disagree."""
    problems = []
    for fence in fences(text):
        for offset, line in enumerate(fence.body, start=1):
            m = RAW_INCLUDE.match(line)
            if m and m["target"].startswith("snippets/"):
                problems.append(
                    f"{page}:{fence.line + offset}: a program is shown with one line, "
                    f"'<<< {m['target'].split(':')[0].removesuffix('.out')}', not with a "
                    f"hand-written include of {m['target']!r}"
                )
    for number, line in outside_fences(text):
        m = RAW_INCLUDE.match(line)
        if m and m["target"].startswith("snippets/"):
            problems.append(
                f"{page}:{number}: raw include of {m['target']!r}; show programs with "
                "'<<< snippets/<chapter>/<name>.py'"
            )
    return problems


def codeblocks_marks(text: str) -> dict[int, str]:
    """pytest-codeblocks markers, by the 1-based line of the fence they apply to."""
    marks: dict[int, str] = {}
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        m = CODEBLOCKS_MARK.match(line)
        if m:
            following = number + 1
            while following <= len(lines) and not lines[following - 1].strip():
                following += 1
            marks[following] = (
                f"pytest-codeblocks:{m['mark']}" if m["mark"] else f"pytest.mark.{m['new']}"
            )
    return marks


def prose_decimals(text: str) -> list[tuple[int, str]]:
    """(line, number) for each decimal number a page's prose quotes.

    Not counted: fenced blocks, program lines, inline code holding a formula (such
    as `0.3 ** 2 = 0.09`: arithmetic, not a quoted result) and version numbers. A
    number alone in inline code (`0.0079`) is a quoted result and is counted."""

    def formula_out(m: re.Match) -> str:
        code = m.group(0).strip("`").strip()
        return code if BARE_NUMBER.match(code) else " "

    found = []
    for number, line in outside_fences(text):
        if PROGRAM_LINE.match(line) or COMMENT_LINE.match(line):
            continue
        prose = VERSION.sub(" ", INLINE_CODE.sub(formula_out, line))
        found += [(number, m.group(0)) for m in DECIMAL.finditer(prose)]
    return found


def table_rows(text: str) -> list[tuple[str, str]]:
    """(first cell, rest) of every body row of the Markdown tables in a text."""

    def separator(line: str) -> bool:
        return bool(TABLE_ROW.match(line)) and set(line.strip()) <= set("|-: ")

    lines = [line.strip() for line in text.split("\n")] + [""]
    rows = []
    for line, following in zip(lines, lines[1:], strict=False):
        m = TABLE_ROW.match(line)
        if m and not separator(line) and not separator(following):  # no separator, no header
            rows.append((m["first"].strip(), m["rest"]))
    return rows


def lab_prose(source: str) -> str:
    """The Markdown of a percent-format lab's prose cells, line for line with the file
    (every other line blank), so that line numbers in messages are the file's."""
    lines, prose = source.split("\n"), []
    inside = False
    for line in lines:
        if PERCENT_MARKER.match(line):
            inside = "[markdown]" in line
            prose.append("")
        elif inside and (line.startswith("# ") or line == "#"):
            prose.append(line[2:])
        else:
            prose.append("")
    return "\n".join(prose)


# -- program files ---------------------------------------------------------------------


def section_text(source: str, section: str | None, path: str = "program") -> str:
    """The whole program without section marks, or one section, dedented."""
    lines = source.splitlines()
    if section is None:
        return "\n".join(line for line in lines if not SECTION_MARK.match(line))
    inside, picked, seen = False, [], False
    for line in lines:
        m = SECTION_MARK.match(line)
        if m and m["name"] == section:
            inside, seen = m["edge"] == "start", True
        elif inside and not m:
            picked.append(line)
    if not seen or not picked:
        raise SyntaxProblem(f"{path}: no section {section!r} (# --8<-- [start:{section}])")
    return textwrap.dedent("\n".join(picked))


@dataclass
class Directives:
    """What a program's header declares, and what is wrong with the header."""

    expected_error: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    # Numbers written with this unit are measurements (timings): they are not
    # compared; the rest of the output still is.
    varies: str | None = None
    # A lab cell's figures, described in order for readers who cannot see them (the
    # alt text): `# figure: <what it shows>` per figure the cell draws, going on over
    # lines indented as `#   ...` when it is long.
    figures: list[str] = field(default_factory=list)
    # The oldest torch release the program works on ("2.11"), and why, when it is newer
    # than the oldest the book supports.
    requires: tuple[str, str] | None = None
    problems: list[str] = field(default_factory=list)


def error_matches(qualified: str | None, declared: str | None) -> bool:
    """Whether a raised exception (``module.QualName``) is the one a header declares.

    ``RuntimeError`` means ``builtins.RuntimeError``; anything else is written with
    its module (``torch.OutOfMemoryError``). A class the program defines itself is
    ``__main__.RuntimeError`` and never matches.
    """
    if not qualified or not declared:
        return False
    return qualified == (declared if "." in declared else f"builtins.{declared}")


def parse_directives(source: str, where: str) -> Directives:
    """Read and check the header directives of a program's (or a cell's) text.

    Any line of the leading comment block shaped ``# key: value`` with a lower-case
    key is a directive, so a misspelt or unknown key fails instead of being ignored.
    `where` names the file for messages, which add ``:<line>``.
    """
    found = Directives()
    seen: set[str] = set()
    lines = source.splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.startswith("#"):
            break
        m = DIRECTIVE.match(line)
        if not m:
            continue
        if m["key"] == "figure":  # a long description goes on over indented lines: "#   ..."
            for more in lines[number:]:
                if not CONTINUATION.match(more):
                    break
                line += " " + more[1:].strip()
            m = DIRECTIVE.match(line)
        key, value, at = m["key"], m["value"].strip(), f"{where}:{number}"
        if key not in KNOWN_DIRECTIVES:
            found.problems.append(
                f"{at}: unknown directive '# {key}:' (known: {', '.join(KNOWN_DIRECTIVES)}); "
                "a header comment must not start with a lower-case word and a colon"
            )
        elif key == "figure":
            if len(value.split()) < 4:
                found.problems.append(
                    f"{at}: '# figure: {value}' must describe the figure for a reader who "
                    "cannot see it, in a sentence (what is plotted, and what it shows)"
                )
            found.figures.append(value)
        elif key in seen:
            found.problems.append(f"{at}: '# {key}:' is declared twice")
        elif key == "timeout":
            try:
                seconds = float(value)
            except ValueError:
                seconds = math.nan
            if not (0 < seconds <= TIMEOUT_CAP):  # also refuses nan and inf
                found.problems.append(
                    f"{at}: '# timeout: {value}' must be a number of seconds, "
                    f"more than 0 and at most {TIMEOUT_CAP:g}"
                )
            else:
                found.timeout = seconds
        elif key == "requires":
            m = REQUIRES.match(value)
            if not m:
                found.problems.append(
                    f"{at}: '# requires: {value}' must read 'torch>=X.Y (the reason)', "
                    "the reason saying what older releases lack"
                )
            else:
                found.requires = (m["release"], m["reason"])
        elif key == "varies":
            if value not in VARIES_UNITS:
                found.problems.append(
                    f"{at}: '# varies: {value}' must name one unit the measured numbers are "
                    f"printed in: {', '.join(VARIES_UNITS)}"
                )
            else:
                found.varies = value
        elif not EXCEPTION_NAME.match(value):
            found.problems.append(
                f"{at}: '# expected-error: {value}' must be one exception class, such as "
                "RuntimeError or torch.OutOfMemoryError"
            )
        else:
            found.expected_error = value
        seen.add(key)
    return found


def read_program(root: Path, path: str, section: str | None = None) -> str:
    """The text of a program (or of one section of it), as a page shows it."""
    full = root / path
    if not full.is_file():
        raise SyntaxProblem(f"{path}: no such program")
    return section_text(full.read_text(), section, path)
