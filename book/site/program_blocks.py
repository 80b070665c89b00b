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
a mark's class found in the page's HTML stops it too, as does a script, style, frame,
event handler, ``javascript:`` URL or style attribute of a Markdown page's own (each
could draw one when the page is read, or lay a look-alike over the real one), and the
finished page must hold exactly the marks the build put there.

Nor can a page imitate a mark in plain text: the words a mark is made of ("Verified
on", "Not yet verified on") written by hand outside a code block stop the build with
the page and line, and again in the page's HTML, where a character reference, an
invisible character or a line break no longer hides them. A lab's markdown cells are
held to the same rules (book.site.labs), with the lab's file and line.
"""

from __future__ import annotations

import bisect
import html
import re
import secrets
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

from .. import records, safe_files, syntax
from ..catalog import REPO
from . import shared_lines

LEGS = (("cpu", "CPU"), ("cuda", "CUDA"))
# The classes that make an element a verification mark (docs/assets/book.css).
MARK_CLASSES = frozenset({"verification", "verified", "unverified"})
_CLASS = r"(?<![\w-])(?:verification|verified|unverified)(?![\w-])"
# A mark written in Markdown: an HTML class attribute, or attr_list's `{ .verified }`.
HAND_MARK = re.compile(
    rf"""class\s*=\s*["']?[^"'>]*?{_CLASS}|\{{[^}}\n]*\.{_CLASS}[^}}\n]*\}}""", re.I
)
# The words a mark is made of (status_html): written by hand they imitate one, in a
# line of their own under a program, or laid over the real one. Written as the marks
# write them ("Verified on CPU"); "verified on torch 2.10" in a sentence is prose.
MARK_PHRASE = re.compile(r"Verified\s+on\b|(?i:not\s+yet\s+verified\s+on)\b")
# What else a page's own text may not hold, each with why: a style (an element's look,
# its place over another's) and a script URL. Looked for outside code blocks.
PROSE_RULES = (
    (MARK_PHRASE, "the words of a verification mark, written by hand ({found!r}); marks "
     "are derived from the records by the build, never written in a page"),
    (re.compile(r"<style\b|(?<![\w-])style\s*=", re.I), "a style ({found!r}); a page's "
     "look comes from the site's stylesheet, never from the page (a style could lay a "
     "look-alike over a program's mark)"),
)  # fmt: skip
# A URL that runs a script when followed: its scheme, once the characters a browser
# drops from a URL (whitespace, controls) are gone.
SCRIPT_URL = re.compile(r"(?:java|vb)script:", re.I)
# Inline code in Markdown (`<script>` in backticks is shown, not obeyed).
CODE_SPAN = re.compile(r"(`+).+?\1")
ACTS = (
    "a page carries no script, style, frame, event handler or script URL of its own (one "
    "could draw a mark the build did not write, or lay a look-alike over a real one)"
)
FOREIGN = "an element with a verification mark's class that the build did not write"


def _release_key(release: str) -> tuple[int, ...]:
    return tuple(int(part) for part in release.split(".") if part.isdigit())


def status_html(rel: str, found: list) -> str:
    """The status line for the program at rel: one part per leg, every field escaped."""
    parts = []
    for leg, label in LEGS:
        proofs = records.proofs(rel, leg, found)
        if proofs:
            best = max(proofs, key=lambda p: (p.date, p.env.torch))
            versions = sorted({p.env.torch_release for p in proofs})
            device = f"{best.env.device}, " if leg == "cuda" else ""
            # A Python cell (torch 2.15 on Python 3.13, say) names the Pythons that ran.
            base = records.declared().python
            pythons = sorted({p.env.python or base for p in proofs}, key=_release_key)
            on = f"; Python {', '.join(pythons)}" if len(pythons) > 1 else ""
            text = f"Verified on {label} ({device}torch {', '.join(versions)}{on}, {best.date})"
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
# SVG and MathML are refused with them: an SVG animation sets any attribute of an
# element (a mark's class among them) once the page is read.
ACTIVE_TAGS = frozenset(
    {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "portal",
     "link", "meta", "base", "svg", "math"}
)  # fmt: skip
# Elements whose text is no prose a reader sees as such: code blocks, and what a
# script or style element holds.
NOT_PROSE = frozenset({"pre", "script", "style"})


def _squeezed(text: str) -> str:
    """text without the characters a browser drops from a URL: whitespace and controls."""
    return "".join(c for c in text if not (c.isspace() or unicodedata.category(c) == "Cc"))


def runs_script(value: str | None) -> bool:
    """Whether an attribute's value is a URL that runs a script (as a browser reads it)."""
    return bool(SCRIPT_URL.match(_squeezed(value or "")))


def acts(tag: str, attrs: list) -> bool:
    """Whether an element can draw or restyle something when the page is read: an active
    tag, an event handler, a style attribute, a URL that runs a script."""
    return (
        tag in ACTIVE_TAGS
        or any(k.startswith("on") or k == "style" for k, _ in attrs)
        or any(runs_script(v) for _, v in attrs)
    )


def _visible(text: str) -> str:
    """text as a reader sees its letters: compatibility forms folded (NFKC: a no-break
    space is a space) and invisible characters (zero-width, soft hyphen) left out."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(c for c in folded if unicodedata.category(c) != "Cf")


class _Elements(HTMLParser):
    """The elements of an HTML text that matter to marks, each as (line, tag as written):
    those whose class makes them a mark, and those that act when the page is read; and
    the text outside code blocks, to find a mark's words in it."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.marks: list[tuple[int, str]] = []
        self.active: list[tuple[int, str]] = []
        self._text: list[tuple[int, str]] = []  # (line, visible text) outside NOT_PROSE
        self._inside = 0  # depth in NOT_PROSE elements
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        where = (self.getpos()[0], self.get_starttag_text() or tag)
        classes = " ".join(v or "" for k, v in attrs if k == "class").lower().split()
        if MARK_CLASSES.intersection(classes):
            self.marks.append(where)
        if acts(tag, attrs):
            self.active.append(where)
        self._inside += tag in NOT_PROSE

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self._inside -= tag in NOT_PROSE  # <pre/> opens nothing

    def handle_endtag(self, tag):
        if tag in NOT_PROSE:
            self._inside = max(0, self._inside - 1)

    def handle_data(self, data):
        if not self._inside:
            self._text.append((self.getpos()[0], _visible(data)))

    def phrases(self) -> list[tuple[int, str]]:
        """(line, words) of each mark's words in the text, however it was split into
        pieces (by a tag, a comment, a line break) or spelled (character references)."""
        starts, at = [], 0
        for _, piece in self._text:
            starts.append(at)
            at += len(piece)
        joined = "".join(piece for _, piece in self._text)
        return [
            (self._text[bisect.bisect_right(starts, m.start()) - 1][0], m.group(0))
            for m in MARK_PHRASE.finditer(joined)
        ]


def html_problems(text: str, own: bool = True) -> list[tuple[int, str]]:
    """(HTML line, why) for what an HTML text holds that the build did not write: an
    element with a mark's class, a mark's words outside code blocks, and, where the HTML
    is all the page's own (own), anything that acts when the page is read."""
    elements = _Elements(text)
    problems = [(line, f"{tag[:120]!r}: {FOREIGN}") for line, tag in elements.marks]
    if own:
        problems += [(line, f"{tag[:120]!r}: {ACTS}") for line, tag in elements.active]
    problems += [
        (line, f"{words!r}: the words of a verification mark, written by hand")
        for line, words in elements.phrases()
    ]
    return sorted(problems)


def mark_elements(text: str) -> list[tuple[int, str]]:
    """(line, start tag) of each element in text carrying a mark's class."""
    return _Elements(text).marks


def code_lines(markdown: str) -> set[int]:
    """The lines of a Markdown text inside fenced code blocks (their bodies)."""
    return {n for fence in syntax.fences(markdown) for n in range(fence.line + 1, fence.end)}


def hand_written(markdown: str) -> list[tuple[int, str]]:
    """(line, why) for each mark, or imitation of one, written by hand in a Markdown text:
    an element with a mark's class anywhere; outside code blocks, a mark's words, a
    style, a URL that runs a script."""
    code = code_lines(markdown)
    found = []
    for number, line in enumerate(markdown.split("\n"), start=1):
        mark = HAND_MARK.search(line)
        if mark:
            found.append((number, f"a verification mark is written by hand ({mark.group(0)!r}); "
                          "marks are derived from the records by the build, never written in "
                          "a page"))  # fmt: skip
        if number in code:
            continue
        for rule, why in PROSE_RULES:
            hit = rule.search(line)
            if hit:
                found.append((number, why.format(found=hit.group(0))))
        if SCRIPT_URL.search(_squeezed(html.unescape(line))):
            found.append((number, f"a URL that runs a script (javascript:): {ACTS}"))
    return found


def own_elements(markdown: str) -> list[tuple[int, str]]:
    """(line, why) for each element of a Markdown text's own HTML (outside code blocks
    and code spans) that acts when the page is read or carries a mark's class."""
    code = code_lines(markdown)
    lines = [
        "" if number in code else CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
        for number, line in enumerate(markdown.split("\n"), start=1)
    ]
    elements = _Elements("\n".join(lines))
    return sorted(
        [(line, f"{tag[:120]!r}: {ACTS}") for line, tag in elements.active]
        + [(line, f"{tag[:120]!r}: {FOREIGN}") for line, tag in elements.marks]
    )


def hand_written_marks(markdown: str, page: str) -> list[str]:
    """'page:line: ...' for each mark, or imitation of one, written by hand in a page's
    Markdown (`hand_written`)."""
    return [f"{page}:{number}: {why}" for number, why in hand_written(markdown)]


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

        SyntaxProblem for a mark, or a mark's words, found in the HTML before that (in
        whatever form it was written), and in a Markdown page for anything that acts when
        the page is read (`html_problems`)."""
        # A lab's HTML, made by nbconvert, carries scripts and styles of its own: its
        # markdown cells are checked as written instead (book.site.labs).
        problems = html_problems(text, own=page.endswith(".md"))
        if problems:
            raise syntax.SyntaxProblem(
                "\n".join(f"{page}: HTML line {line}: {why}" for line, why in sorted(problems))
            )
        placed = 0
        for word, content in self._held.pop(page, {}).items():
            if text.count(word) != 1:
                raise syntax.SyntaxProblem(
                    f"{page}: a program's mark or measured output was lost or repeated while "
                    "the page became HTML"
                )
            # A block replaces the paragraph Markdown made of its placeholder.
            if content.startswith(("<div", "</div>")) and f"<p>{word}</p>" in text:
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


def expand(
    program: syntax.ProgramLine,
    found: list,
    marks: Marks,
    page: str,
    fold: shared_lines.Fold | None = None,
) -> list[str]:
    """The Markdown lines one program line stands for (with `fold`, the lines it shares
    with a program shown above collapsed)."""
    i = program.indent
    if not program.whole:
        return [
            f'{i}```python title="{program.title}"',
            f'{i}--8<-- "{program.path}:{program.section}"',
            f"{i}```",
        ]
    if fold is not None:
        lines = shared_lines.folded_block(program, fold, lambda html: marks.hold(page, html))
    else:
        lines = [f'{i}```python title="{program.title}"', f'{i}--8<-- "{program.path}"', f"{i}```"]
    # A program started by torch's launcher: the command, from the header the harness
    # runs it with, so the page and the run cannot disagree.
    launch = syntax.parse_directives(
        safe_files.read_text(REPO / program.path, root=REPO), program.path
    ).launch_command
    if launch is not None:
        name = Path(program.path).name
        lines += ["", f'{i}```shell title="Run it with"', f"{i}{launch} {name}", f"{i}```"]
    lines += [
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
    folded = shared_lines.folds(programs)
    for index, program in reversed(list(enumerate(programs))):
        expanded = expand(program, found, marks, page, folded.get(index))
        lines[program.line - 1 : program.line] = expanded
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


def front_matter_lines(markdown: str, source: str) -> int:
    """Lines of a page's file before the Markdown MkDocs hands the hooks (its front
    matter), so that a message names the line an editor shows."""
    if markdown and source.endswith(markdown):
        return source[: len(source) - len(markdown)].count("\n")
    return 0


def on_page_markdown(markdown: str, page, config, files) -> str:
    if not page.file.src_uri.endswith(".md"):
        # A lab: what MkDocs hands over here is its notebook's JSON, which the page is
        # not made from (mkdocs-jupyter renders the notebook). book.site.labs checks its
        # cells, with the lab's own lines; its HTML is checked below like every page's.
        return markdown
    # Counted from the file's first line, as an editor shows it: MkDocs hands over the
    # page without its front matter.
    offset = front_matter_lines(markdown, page.file.content_string)
    try:
        expanded = expand_page("\n" * offset + markdown, _page(page), records.load_all(), _marks())
    except syntax.SyntaxProblem as problem:
        raise _stop(problem) from problem
    return expanded[offset:]


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
