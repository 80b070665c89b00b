"""Expand each program line of a page into the program, its output and its verification mark.

``<<< snippets/<chapter>/<name>.py`` becomes, at the line's indentation:

- a Python block titled with the path, holding the file (pymdownx.snippets includes it);
- a text block titled "Output", holding the recorded ``<name>.out``;
- one status line per leg, derived from the records (book.records) for exactly
  that file and that output, as they are now;
- for a program that measures (``# varies:``), the output a GPU run printed;
- where another torch release of the matrix prints something else, that output,
  titled with its release (``<name>.torch-2.10.out``).

``<<< path#section`` becomes a Python block with the named section only: an
excerpt of a program that the page also shows whole.

A program or output included by hand (pymdownx.snippets' ``--8<--`` line naming a
file under snippets/) stops the build with its page and line: only the program line
shows programs, so a title can never name another file than the one shown.

Marks and record text never pass through Markdown. The Markdown stage leaves a
placeholder (a word holding a secret drawn for this build) where a mark or a
measured output goes; once the page is HTML, the placeholder is replaced by HTML
built here with every record field escaped. So a record field cannot close a fence,
include a file or write HTML, and a page cannot write a mark: one written by hand
in a page's Markdown stops the build with its page and line, any other element with
a mark's class found in the page's HTML stops it too, as does a script, style, frame
or event handler of a Markdown page's own (each could draw one when the page is
read), and the finished page must hold exactly the marks the build put there.
"""

from __future__ import annotations

import html
import re
import secrets
from html.parser import HTMLParser

from .. import records, safe_files, syntax
from ..catalog import REPO

LEGS = (("cpu", "CPU"), ("cuda", "CUDA"))
# The classes that make an element a verification mark (docs/assets/book.css).
MARK_CLASSES = frozenset({"verification", "verified", "unverified"})
_CLASS = r"(?<![\w-])(?:verification|verified|unverified)(?![\w-])"
# A mark written in Markdown: an HTML class attribute, or attr_list's `{ .verified }`.
HAND_MARK = re.compile(
    rf"""class\s*=\s*["']?[^"'>]*?{_CLASS}|\{{[^}}\n]*\.{_CLASS}[^}}\n]*\}}""", re.I
)


def status_html(rel: str, found: list) -> str:
    """The status line for the program at rel: one part per leg, every field escaped."""
    parts = []
    for leg, label in LEGS:
        proofs = records.proofs(rel, leg, found)
        if proofs:
            best = max(proofs, key=lambda p: (p.date, p.env.torch))
            versions = sorted({p.env.torch_release for p in proofs})
            device = f"{best.env.device}, " if leg == "cuda" else ""
            text = f"Verified on {label} ({device}torch {', '.join(versions)}, {best.date})"
            parts.append(f'<span class="verified" data-leg="{leg}">{html.escape(text)}</span>')
        else:
            parts.append(
                f'<span class="unverified" data-leg="{leg}">Not yet verified on {label} '
                "for this version</span>"
            )
    program = html.escape(rel, quote=True)
    return f'<span class="verification" data-program="{program}">' + " · ".join(parts) + "</span>"


def measured_outputs(rel: str, found: list) -> list[tuple[str, str]]:
    """(title, text) of outputs GPU runs measured for a `# varies:` program."""
    blocks = []
    for proof in records.proofs(rel, "cuda", found):
        if proof.measured is not None:
            title = f"Output on {proof.env.device} (torch {proof.env.torch_release}, {proof.date})"
            blocks.append((title, proof.measured))
    return blocks


def output_html(title: str, text: str) -> str:
    """A titled text block, as the site's code blocks are rendered, with text escaped."""
    return (
        f'<div class="highlight"><span class="filename">{html.escape(title)}</span>'
        f"<pre><span></span><code>{html.escape(text.rstrip(chr(10)))}\n</code></pre></div>"
    )


# What would let a page draw at read time what the build did not write (a script that
# adds a mark, a style that gives an element a mark's look or text): a Markdown page of
# the book has none of its own. (A lab's HTML, made by nbconvert, carries its own.)
ACTIVE_TAGS = frozenset(
    {"script", "style", "iframe", "frame", "object", "embed", "link", "meta", "base"}
)


class _Elements(HTMLParser):
    """The elements of an HTML text that matter to marks, each as (line, tag as written):
    those whose class makes them a mark, and those that act when the page is read."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.marks: list[tuple[int, str]] = []
        self.active: list[tuple[int, str]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        where = (self.getpos()[0], self.get_starttag_text() or tag)
        classes = " ".join(v or "" for k, v in attrs if k == "class").lower().split()
        if MARK_CLASSES.intersection(classes):
            self.marks.append(where)
        if tag in ACTIVE_TAGS or any(k.startswith("on") for k, _ in attrs):
            self.active.append(where)

    handle_startendtag = handle_starttag


def mark_elements(text: str) -> list[tuple[int, str]]:
    """(line, start tag) of each element in text carrying a mark's class."""
    return _Elements(text).marks


def hand_written_marks(markdown: str, page: str) -> list[str]:
    """'page:line: ...' for each mark written by hand in a page's Markdown."""
    return [
        f"{page}:{number}: a verification mark is written by hand ({found.group(0)!r}); "
        "marks are derived from the records by the build, never written in a page"
        for number, line in enumerate(markdown.split("\n"), start=1)
        for found in [HAND_MARK.search(line)]
        if found
    ]


class Marks:
    """The marks and measured outputs one build puts into its pages.

    The Markdown stage asks for a placeholder for each (`hold`); `fill` puts the HTML
    in its place once the page is HTML, and `check` that the finished page holds no
    other mark. The placeholder carries a secret drawn per build, so no page can
    write one.
    """

    def __init__(self) -> None:
        self.secret = secrets.token_hex(16)
        self._held: dict[str, dict[str, str]] = {}  # page -> {placeholder: HTML}
        self._placed: dict[str, int] = {}  # page -> mark elements put into it

    def hold(self, page: str, content: str) -> str:
        """A placeholder, on a line of its own in the page's Markdown, for content."""
        held = self._held.setdefault(page, {})
        word = f"verificationmark{self.secret}x{len(held)}z"  # x1z is no prefix of x10z
        held[word] = content
        return word

    def fill(self, text: str, page: str) -> str:
        """The page's HTML with every placeholder replaced by what it holds.

        SyntaxProblem for a mark found in the HTML before that (in whatever form it was
        written), and in a Markdown page for a script, style, frame or event handler."""
        elements = _Elements(text)
        if elements.marks:
            raise syntax.SyntaxProblem(_foreign(page, elements.marks))
        if elements.active and page.endswith(".md"):
            raise syntax.SyntaxProblem(
                "\n".join(
                    f"{page}: HTML line {line}: {tag[:120]!r}: a page carries no script, style, "
                    "frame or event handler of its own (one could draw a mark the build did "
                    "not write)"
                    for line, tag in elements.active
                )
            )
        placed = 0
        for word, content in self._held.pop(page, {}).items():
            if text.count(word) != 1:
                raise syntax.SyntaxProblem(
                    f"{page}: a program's mark or measured output was lost or repeated while "
                    "the page became HTML"
                )
            # A block replaces the paragraph Markdown made of its placeholder.
            if content.startswith("<div") and f"<p>{word}</p>" in text:
                text = text.replace(f"<p>{word}</p>", content)
            else:
                text = text.replace(word, content)
            placed += len(mark_elements(content))
        self._placed[page] = placed
        return text

    def check(self, text: str, page: str) -> None:
        """SyntaxProblem unless the finished page holds exactly the marks `fill` put in."""
        found, placed = len(mark_elements(text)), self._placed.get(page, 0)
        if found != placed:
            raise syntax.SyntaxProblem(
                f"{page}: the finished page holds {found} elements with a verification mark's "
                f"class where the build put {placed}: something after the page became HTML "
                "added or removed marks"
            )


def _foreign(page: str, found: list[tuple[int, str]]) -> str:
    return "\n".join(
        f"{page}: HTML line {line}: an element with a verification mark's class that the "
        f"build did not write: {tag[:120]!r}"
        for line, tag in found
    )


def expand(program: syntax.ProgramLine, found: list, marks: Marks, page: str) -> list[str]:
    """The Markdown lines one program line stands for."""
    i = program.indent
    if not program.whole:
        return [
            f'{i}```python title="{program.title}"',
            f'{i}--8<-- "{program.path}:{program.section}"',
            f"{i}```",
        ]
    lines = [
        f'{i}```python title="{program.title}"',
        f'{i}--8<-- "{program.path}"',
        f"{i}```",
        "",
        f'{i}```text title="Output"',
        f'{i}--8<-- "{program.output}"',
        f"{i}```",
        "",
        i + marks.hold(page, status_html(program.path, found)),
    ]
    program_file = REPO / program.path
    for other in sorted(program_file.parent.glob(program_file.stem + ".torch-*.out")):
        release = other.name.removeprefix(program_file.stem + ".torch-").removesuffix(".out")
        lines += ["", f'{i}```text title="Output on torch {release}"']
        lines += [f'{i}--8<-- "{other.relative_to(REPO)}"', f"{i}```"]
    measured = measured_outputs(program.path, found)
    for title, text in measured or gpu_outputs(program.path, found):
        lines += ["", i + marks.hold(page, output_html(title, text))]
    return lines


def gpu_outputs(rel: str, found: list) -> list[tuple[str, str]]:
    """(title, text) of the output a GPU printed where it differs from the CPU's: the
    program's ``.cuda.out``, shown only when a CUDA record vouches for exactly that file
    (its hash is the record's output hash, and the program is the one that ran)."""
    cuda = (REPO / rel).with_suffix(".cuda.out")
    proofs = records.proofs(rel, "cuda", found) if cuda.exists() else []
    if not proofs:
        return []
    best = max(proofs, key=lambda proof: (proof.date, proof.env.torch))
    title = f"Output on a GPU ({best.env.device}, torch {best.env.torch_release}, {best.date})"
    return [(title, safe_files.read_text(cuda))]


def expand_page(markdown: str, page: str, found: list, marks: Marks | None = None) -> str:
    """The page with every program line expanded; `SyntaxProblem` on a bad page.

    Marks and measured outputs are placeholders in the result, held by marks."""
    marks = marks if marks is not None else Marks()
    problems = syntax.raw_program_includes(markdown, page)
    problems += hand_written_marks(markdown, page)
    programs = syntax.program_lines(markdown, page)
    for program in programs:
        if not (REPO / program.path).is_file():
            problems.append(f"{program.where()}: '<<< {program.path}': no such program")
        elif program.whole and not (REPO / program.output).is_file():
            problems.append(
                f"{program.where()}: {program.path} has no recorded output {program.output}; "
                f"record it with: python3 -m nox -s outputs -- {program.path}"
            )
    if problems:
        raise syntax.SyntaxProblem("\n".join(problems))
    lines = markdown.split("\n")
    for program in reversed(programs):
        lines[program.line - 1 : program.line] = expand(program, found, marks, page)
    return "\n".join(lines)


# -- The MkDocs side -----------------------------------------------------------------------

_BUILD: dict[str, Marks] = {}


def _marks() -> Marks:
    return _BUILD.setdefault("marks", Marks())


def _page(page) -> str:
    return f"docs/{page.file.src_uri}"


def _stop(problem: syntax.SyntaxProblem):
    from mkdocs.exceptions import PluginError

    return PluginError(str(problem))


def on_pre_build(config) -> None:
    _BUILD["marks"] = Marks()  # a new secret, and nothing held, for every build


def on_page_markdown(markdown: str, page, config, files) -> str:
    try:
        return expand_page(markdown, _page(page), records.load_all(), _marks())
    except syntax.SyntaxProblem as problem:
        raise _stop(problem) from problem


def on_page_content(text: str, page, config, files) -> str:
    try:
        return _marks().fill(text, _page(page))
    except syntax.SyntaxProblem as problem:
        raise _stop(problem) from problem


def on_post_page(output: str, page, config) -> str:
    try:
        _marks().check(output, _page(page))
    except syntax.SyntaxProblem as problem:
        raise _stop(problem) from problem
    return output
