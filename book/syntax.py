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

import ast
import math
import posixpath
import re
import textwrap
import warnings
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from . import safe_files

# -- program lines ---------------------------------------------------------------------

PROGRAM_LINE = re.compile(r"^(?P<indent> *)<<< +(?P<path>\S+?)(?:#(?P<section>[-_a-z0-9]+))? *$")
PROGRAM_PATH = re.compile(r"snippets/[-_a-z0-9]+/[-_a-z0-9]+\.py\Z")  # \Z: no newline after
# pymdownx.snippets' include syntax, as its RE_ALL_SNIPPETS reads it: `--8<-- "path"` or
# `--8<-- 'path'` alone on a line, or a block of paths between two lines of `--8<--`.
# Pages write no include by hand: the program line above stands for the program, and
# the build writes the includes it needs.
INCLUDE = re.compile(
    r"""^[ \t]*(?P<escape>;*)(?:-{1,}8<-{1,}[ \t]+"""
    r"""(?P<target>"(?:\\"|[^"\n\r])+?"|'(?:\\'|[^'\n\r])+?')(?![ \t])"""
    r"""|(?P<block>-{1,}8<-{1,})(?![ \t]))\r?$"""
)
# Its split of "path:section" or "path:1:5" (RE_SNIPPET_FILE).
INCLUDE_SUFFIX = re.compile(
    r"(?i)(?P<path>.*?)(?:(?::-?[0-9]*){1,2}(?:(?:,(?=[-0-9:])-?[0-9]*)(?::-?[0-9]*)?)*"
    r"|:[a-z][-_0-9a-z]*)?$"
)
# What the build's includes name: a program, or one of its recorded outputs.
INCLUDED_FILE = re.compile(r"^snippets/[-_a-z0-9]+/[-_a-z0-9]+(?:\.py|(?:\.[-_a-z0-9.]+)?\.out)$")

# -- program files ---------------------------------------------------------------------

SECTION_MARK = re.compile(
    r"^\s*#\s*-{1,}8<-{1,}\s*\[\s*(?P<edge>start|end)\s*:\s*(?P<name>[-_a-z0-9]+)\s*\]\s*$"
)
DIRECTIVE = re.compile(r"^#\s*(?P<key>[a-z][a-z0-9-]*):(?P<value>.*)$")
KNOWN_DIRECTIVES = ("expected-error", "timeout", "varies", "figure", "requires", "launch")
# `# requires: torch>=2.11 (why: what the older releases lack)`
REQUIRES = re.compile(r"^torch>=(?P<release>\d+\.\d+)\s+\((?P<reason>[^)]{10,})\)$")
DEFAULT_TIMEOUT = 60.0
# What one program may take on the 2-core machine that verifies the book: a reader runs
# it while reading. A longer one declares `# timeout: N` and its page says why.
PROGRAM_BUDGET = 3.0
TIMEOUT_CAP = 600.0  # seconds; a program needing more does not belong in a book
VARIES_UNITS = ("ns", "us", "µs", "ms", "s")  # `# varies: <unit>` hides these numbers only
CONTINUATION = re.compile(r"^#   +\S")  # "#   more words" after a "# figure:" line
EXCEPTION_NAME = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$")
# `# launch: torchrun --standalone --nproc-per-node 2`: the program is started the way its
# page tells a reader to start it, by torch's launcher with these arguments and the file.
# One form only: one machine, a few processes, nothing the program could add to the
# launcher's command line (an argument list is where a hostile header would hide).
LAUNCH = re.compile(r"^torchrun --standalone --nproc-per-node (?P<processes>[1-4])$")

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
# 4.3e+09, 1e-5: a number in scientific notation, as programs print small and large ones.
SCIENTIFIC = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?[eE][-+]?\d+(?![\w.]*\w)")
INLINE_CODE = re.compile(r"(`+).*?\1")
# Inline code that is only a number ("0.0079", "4.3e+09", "96.7%"): a quoted result.
BARE_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?%?$")
# "torch 2.13", "PyTorch 2.6", "Python 3.11": versions, not results.
VERSION = re.compile(
    r"(?:torch|PyTorch|Python|CUDA|version|versions)\s+(?:\d+\.\d+(?:\.\d+)?(?:,?\s*(?:and|or)?\s*)?)+"
)
INLINE_CODE_TEXT = re.compile(r"`([^`]+)`")
TABLE_ROW = re.compile(r"^\|(?P<first>[^|]+)\|(?P<rest>.+)\|\s*$")
PERCENT_MARKER = re.compile(r"^# %%")  # a cell of a jupytext percent-format lab
LINK = re.compile(r"(?P<open>\]\()(?P<target>[^)\s]+)(?P<close>[)\s])")
# A comment pytest-codeblocks reads as a marker (<!--pytest-codeblocks:skip-->,
# <!-- pytest.mark.skipif(...) -->): it would evaluate the expression. Refused on pages.
MARKER_COMMENT = re.compile(r"^\s*<!--[-\s]*pytest", re.I)
# Fence languages whose blocks pytest-codeblocks (or a tool like it) executes as shell
# commands, and terminal sessions, whose shown output nothing checks. Commands are shown
# in ```shell blocks, which nothing runs.
SHELL_LANGUAGES = ("bash", "sh", "zsh", "console", "shell-session", "shellsession")
# A fence title the build gives its own blocks: a path, or "Output ...".
FILE_TITLE = re.compile(r"[/\\]|\.(?:py|out|ipynb|md)\b|^\s*output\b", re.I)
TITLE_ATTRIBUTE = re.compile(r"""\btitle\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>\S+))""")
# A line meant as a program line that is not one (the chevrons may be look-alikes).
PROGRAM_LINE_LIKE = re.compile(r"^\s*(?:<{2,}|[‹＜≪«⟪⋘]{1,3})")


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
def lexer_name(language: str) -> str:
    """The name of the Pygments lexer (the renderer's highlighter) for a fence language."""
    if not language:
        return ""
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(language).name
    except ClassNotFound:
        return ""


def is_python_language(language: str) -> bool:
    """Whether Pygments reads this fence language as Python (or a Python session)."""
    return "python" in lexer_name(language).lower()


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


def program_line_problems(text: str, page: str) -> list[str]:
    """Every line meant as a program line that is not a valid one, with page and line."""
    problems = []
    for number, line in outside_fences(text):
        m = PROGRAM_LINE.match(line)
        if m and not PROGRAM_PATH.match(m["path"]):
            problems.append(
                f"{page}:{number}: '<<< {m['path']}' must name a program as "
                f"snippets/<chapter>/<name>.py{_non_ascii_note(m['path'])}"
            )
        elif not m and PROGRAM_LINE_LIKE.match(line):
            problems.append(
                f"{page}:{number}: {line.strip()!r} looks like a program line but is not one; "
                "write '<<< snippets/<chapter>/<name>.py' (three '<', a space, the path, "
                f"nothing after it){_non_ascii_note(line)}"
            )
    return problems


def program_lines(text: str, page: str) -> list[ProgramLine]:
    """Every ``<<< path`` line of a page, checked: a bad one is a `SyntaxProblem`."""
    problems = program_line_problems(text, page)
    if problems:
        raise SyntaxProblem("\n".join(problems))
    found = []
    for number, line in outside_fences(text):
        m = PROGRAM_LINE.match(line)
        if m:
            found.append(ProgramLine(page, number, m["indent"], m["path"], m["section"]))
    return found


def _non_ascii_note(text: str) -> str:
    """' (it holds ...)' naming each non-ASCII character of text, or nothing."""
    import unicodedata

    chars = list(dict.fromkeys(c for c in text if ord(c) > 127))
    if not chars:
        return ""
    named = ", ".join(f"{c!r}, U+{ord(c):04X} {unicodedata.name(c, '')}".rstrip() for c in chars)
    return f" (it holds {named})"


# -- includes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Include:
    """A file pymdownx.snippets would include at a line of a text."""

    line: int  # 1-based
    target: str  # as written, without quotes: "snippets/a/b.py:section"

    @property
    def path(self) -> str:
        """The file, without a section or line range."""
        return INCLUDE_SUFFIX.match(self.target)["path"]

    @property
    def normalised(self) -> str:
        """The file as the operating system would find it (./ and // folded)."""
        return posixpath.normpath(self.path)


def includes(text: str) -> list[Include]:
    """Every include of a text, as pymdownx.snippets reads them (fences do not stop it)."""
    found, block = [], False
    for number, line in enumerate(text.split("\n"), start=1):
        m = INCLUDE.match(line)
        if m and m["escape"]:
            continue  # `;--8<--` shows the line, includes nothing
        if m and m["block"]:
            block = not block
        elif m and not block:
            found.append(Include(number, m["target"][1:-1].strip()))
        elif not m and block and line.strip() and not line.strip().startswith(";"):
            found.append(Include(number, line.strip()))
    return found


def raw_program_includes(text: str, page: str) -> list[str]:
    """Messages for includes written by hand: a page includes no file itself.

    Only the program line may show a program: it names the file once, so the title,
    the code, the output and the status cannot disagree; and an include of any other
    file would publish it."""
    bodies = {n for fence in fences(text) for n in range(fence.line + 1, fence.end)}
    problems = []
    for found in includes(text):
        where = f"{page}:{found.line}"
        program = re.sub(r"(?:\.[-_a-z0-9.]+)?\.out$", ".py", found.normalised)
        if not found.normalised.startswith("snippets/"):
            problems.append(
                f"{where}: hand-written include of {found.target!r}; pages include no files "
                "(the build would publish whatever it names): show programs with "
                "'<<< snippets/<chapter>/<name>.py'"
            )
        elif found.line in bodies:
            problems.append(
                f"{where}: a program is shown with one line, '<<< {program}', not with a "
                f"hand-written include of {found.target!r}"
            )
        else:
            problems.append(
                f"{where}: raw include of {found.target!r}; show programs with "
                "'<<< snippets/<chapter>/<name>.py'"
            )
    return problems


# -- blocks a page shows ------------------------------------------------------------------


@dataclass(frozen=True)
class PageBlock:
    """A fenced block of a page, and what the tests do with it."""

    page: str
    fence: Fence
    kind: str  # "python": run in the sandbox; "refused": never run, fails; "display"
    why: str = ""  # for a refused block

    @property
    def line(self) -> int:
        return self.fence.line

    def where(self) -> str:
        return f"{self.page}:{self.fence.line}"

    @property
    def code(self) -> str:
        """The block's text as a program, without the fence's indentation."""
        return textwrap.dedent("\n".join(self.fence.body)) + "\n"


CONSOLE_WHY = (
    "a Python console session: what it shows after '>>>' is output that nothing checks; "
    "write the code as a ```python block (the tests run it in the sandbox) or as a program"
)
TRACEBACK_WHY = (
    "a traceback written by hand; show the program that raises it "
    "('<<< path', with '# expected-error:'), whose output is recorded"
)
SHELL_WHY = (
    "a ```{language} block is what pytest-codeblocks and tools like it execute, on the "
    "machine that runs the tests; show commands in a ```shell block, which nothing runs"
)
SESSION_WHY = (
    "a terminal session: the output it shows is checked by nothing; show the command in "
    "a ```shell block, which nothing runs"
)


def page_blocks(text: str, page: str) -> list[PageBlock]:
    """Every fenced block of a page, classified: Python that runs, refused, or display."""
    found = []
    for fence in fences(text):
        language = fence.language.lower()
        lexer = lexer_name(language)
        if lexer in ("Python console session", "IPython console session"):
            found.append(PageBlock(page, fence, "refused", CONSOLE_WHY))
        elif lexer == "Python Traceback":
            found.append(PageBlock(page, fence, "refused", TRACEBACK_WHY))
        elif fence.is_python:
            found.append(PageBlock(page, fence, "python"))
        elif language in ("console", "shell-session", "shellsession"):
            found.append(PageBlock(page, fence, "refused", SESSION_WHY))
        elif language in SHELL_LANGUAGES:
            found.append(PageBlock(page, fence, "refused", SHELL_WHY.format(language=language)))
        else:
            found.append(PageBlock(page, fence, "display"))
    return found


def marker_problems(text: str, page: str) -> list[str]:
    """Each comment pytest-codeblocks would read as a marker (and evaluate), with its line."""
    return [
        f"{page}:{number}: {line.strip()!r} is a pytest marker; pages take none: nothing on "
        "a page is evaluated, and every Python block runs, in the sandbox"
        for number, line in enumerate(text.split("\n"), start=1)
        if MARKER_COMMENT.match(line)
    ]


# Statements that make a line code, not a picture or a printed value.
CODE_STATEMENTS = (
    ast.Import, ast.ImportFrom, ast.Assign, ast.AugAssign, ast.Delete,
    ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.For, ast.AsyncFor, ast.While,
    ast.With, ast.AsyncWith, ast.If, ast.Try, ast.Raise, ast.Assert, ast.Global,
    ast.Nonlocal, ast.Return,
)  # fmt: skip
CODE_CALLS = ("print", "exec", "eval", "open", "compile", "__import__", "input", "breakpoint")
PROMPT = re.compile(r"^\s*(?:>>>|\.\.\.)(?: |$)")


def _is_code(tree: ast.Module) -> int | None:
    """The line of the first statement that is code, not a value as printed (tensor(...))."""
    for node in tree.body:
        # `ValueError: bad value` reads as an annotation: code only with a value assigned.
        annotated = isinstance(node, ast.AnnAssign) and node.value is not None
        if isinstance(node, CODE_STATEMENTS) or annotated:
            return node.lineno
        call = node.value if isinstance(node, ast.Expr) else None
        if isinstance(call, ast.Call):
            func = call.func
            # model.train(), torch.save(...): a method call; torch.Size([3]) is a value.
            if isinstance(func, ast.Attribute) and func.attr[:1].islower():
                return node.lineno
            if isinstance(func, ast.Name) and func.id in CODE_CALLS:
                return node.lineno
    return None


def _parses_as_code(source: str) -> int | None:
    """_is_code of source, when it compiles without a warning (`w = 3 (gradient = 0)` in a
    drawing "calls" 3: Python warns, and it is no program). Nothing is run."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            tree = ast.parse(source)
            compile(tree, "<block>", "exec", dont_inherit=True)
        except (SyntaxError, ValueError, Warning):
            return None
    return _is_code(tree)


def python_line(body: tuple[str, ...] | list[str]) -> int | None:
    """The 1-based line of a block's body where Python code starts, or None.

    The whole body is read as Python, then each line alone (so one line of prose cannot
    hide the code around it); console prompts are read through."""
    lines = [PROMPT.sub("", line) for line in body]
    whole = _parses_as_code(textwrap.dedent("\n".join(lines)))
    if whole is not None:
        return whole
    for number, line in enumerate(lines, start=1):
        code = line.strip()
        candidates = [code, code + " pass"] if code.endswith(":") else [code]
        if code and any(_parses_as_code(c) is not None for c in candidates):
            return number
    return None


def fence_title(info: str) -> str | None:
    m = TITLE_ATTRIBUTE.search(info)
    return None if m is None else next(g for g in (m["dq"], m["sq"], m["bare"]) if g is not None)


def fence_problems(text: str, page: str) -> list[str]:
    """Fences that pass for what they are not: a non-ASCII info string, a title naming a
    file or an output (the build's own titles), Python in a block that never runs."""
    problems = []
    for block in page_blocks(text, page):
        fence, where = block.fence, block.where()
        note = _non_ascii_note(fence.info)
        if note:
            problems.append(
                f"{where}: the fence's info string {fence.info!r} is not ASCII{note}; a "
                "look-alike letter could pass for a program's path"
            )
        title = fence_title(fence.info)
        if title is not None and FILE_TITLE.search(title):
            problems.append(
                f"{where}: a hand-written block titled {title!r}; titles naming files and "
                "outputs are the build's, from '<<< snippets/<chapter>/<name>.py' lines"
            )
        found = python_line(fence.body) if block.kind != "python" else None
        if found is not None:
            code = fence.body[found - 1].strip()
            problems.append(
                f"{where}: a ```{fence.language or '(no language)'} block holds Python "
                f"(line {fence.line + found}: {code!r}), which nothing runs; write it as "
                "```python (the tests run it in the sandbox) or show a program with "
                "'<<< snippets/<chapter>/<name>.py'"
            )
    return problems


def lookalike_problems(text: str, page: str) -> list[str]:
    """Everything on a page that could pass for what it is not, each with page and line."""
    return (
        program_line_problems(text, page)
        + raw_program_includes(text, page)
        + fence_problems(text, page)
    )


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
        found += [(number, m.group(0)) for m in SCIENTIFIC.finditer(prose)]
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
    # Whether the header sets `# timeout:`, even to the default: the program knowingly
    # takes longer than the 3 s budget, and the tests leave it off their list of slow ones.
    timeout_declared: bool = False
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
    # The launcher's arguments before the file ("--standalone", "--nproc-per-node", "2")
    # when the program is started by torchrun, as its page shows.
    launch: tuple[str, ...] | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def launch_command(self) -> str | None:
        """What a reader types before the file name: "torchrun --standalone ..."."""
        return None if self.launch is None else " ".join(("torchrun", *self.launch))


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
                found.timeout_declared = True
        elif key == "requires":
            m = REQUIRES.match(value)
            if not m:
                found.problems.append(
                    f"{at}: '# requires: {value}' must read 'torch>=X.Y (the reason)', "
                    "the reason saying what older releases lack"
                )
            else:
                found.requires = (m["release"], m["reason"])
        elif key == "launch":
            if not LAUNCH.match(value):
                found.problems.append(
                    f"{at}: '# launch: {value}' must read 'torchrun --standalone "
                    "--nproc-per-node N' (N from 1 to 4): the command the page shows"
                )
            else:
                found.launch = tuple(value.split()[1:])
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
    if found.launch is not None and found.expected_error is not None:
        found.problems.append(
            f"{where}: '# launch:' and '# expected-error:' together: a launched program's "
            "processes each print their own traceback and the launcher one more, so which "
            "exception ended the run cannot be told; show the error in a program of its own"
        )
    return found


def read_program(root: Path, path: str, section: str | None = None) -> str:
    """The text of a program (or of one section of it), as a page shows it."""
    try:
        source = safe_files.read_text(root / path, root=root)
    except FileNotFoundError:
        raise SyntaxProblem(f"{path}: no such program") from None
    return section_text(source, section, path)
