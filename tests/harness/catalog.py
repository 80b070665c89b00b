"""Find the snippet programs, their golden outputs, and the chapters that show them."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SNIPPETS = REPO / "snippets"
DOCS = REPO / "docs"
DEFAULT_TIMEOUT = 60.0

# `--8<-- "snippets/tensors/creating.py"` (optionally `...py:section`)
INCLUDE = re.compile(r'^\s*-{1,}8<-{1,}\s+"(?P<target>[^"]+)"\s*$')
# A header directive: `# key: value` in the comment block at the top of a program
# (or of a notebook cell). Any such line with a lower-case key is read as one, so a
# misspelt or unknown key fails instead of being ignored.
DIRECTIVE = re.compile(r"^#\s*(?P<key>[a-z][a-z0-9-]*):(?P<value>.*)$")
KNOWN_DIRECTIVES = ("expected-error", "timeout", "varies")
TIMEOUT_CAP = 600.0  # seconds; a program needing more does not belong in a book
# `# varies: <unit>` hides only numbers written with one of these units.
VARIES_UNITS = ("ns", "us", "µs", "ms", "s")
EXCEPTION_NAME = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$")


@dataclass(frozen=True)
class Include:
    """One include line in a page."""

    page: Path
    line: int
    target: str  # path relative to the repository, section stripped

    def where(self) -> str:
        return f"{self.page.relative_to(REPO)}:{self.line}"


@dataclass
class Directives:
    """What a program's header declares, and what is wrong with the header."""

    expected_error: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    # Numbers written with this unit are measurements (timings): they are not
    # compared; the rest of the output still is.
    varies: str | None = None
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

    `where` names the file for messages, which add ``:<line>``.
    """
    found = Directives()
    seen: set[str] = set()
    for number, line in enumerate(source.splitlines(), start=1):
        if not line.startswith("#"):
            break
        m = DIRECTIVE.match(line)
        if not m:
            continue
        key, value, at = m["key"], m["value"].strip(), f"{where}:{number}"
        if key not in KNOWN_DIRECTIVES:
            found.problems.append(
                f"{at}: unknown directive '# {key}:' (known: {', '.join(KNOWN_DIRECTIVES)}); "
                "a header comment must not start with a lower-case word and a colon"
            )
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


@dataclass
class Snippet:
    """A runnable program under snippets/ and what it declares about itself."""

    path: Path
    directives: Directives = field(default_factory=Directives)
    chapters: list[Include] = field(default_factory=list)

    @property
    def expected_error(self) -> str | None:
        return self.directives.expected_error

    @property
    def timeout(self) -> float:
        return self.directives.timeout

    @property
    def varies(self) -> str | None:
        return self.directives.varies

    @property
    def rel(self) -> str:
        """Its path from the repository root (or as it is, for a file outside it)."""
        inside = self.path.is_relative_to(REPO)
        return str(self.path.relative_to(REPO)) if inside else str(self.path)

    @property
    def out_path(self) -> Path:
        return self.path.with_suffix(".out")

    @property
    def cuda_out_path(self) -> Path:
        return self.path.with_suffix(".cuda.out")

    @cached_property
    def source(self) -> str:
        return self.path.read_text()

    @property
    def uses_device_idiom(self) -> bool:
        """True when the program picks its device with torch.accelerator."""
        return "torch.accelerator" in self.source

    def chapter_names(self) -> str:
        if not self.chapters:
            return "no chapter"
        return ", ".join(sorted({i.where() for i in self.chapters}))


def page_includes(docs: Path = DOCS) -> list[Include]:
    """Every include line in every Markdown page under docs/ (and the README)."""
    pages = sorted(docs.rglob("*.md")) + [REPO / "README.md"]
    found = []
    for page in pages:
        if not page.exists():
            continue
        for number, line in enumerate(page.read_text().splitlines(), start=1):
            m = INCLUDE.match(line)
            if m:
                target = m["target"].split(":", 1)[0]
                found.append(Include(page, number, target))
    return found


def load_snippet(path: Path, includes: list[Include] | None = None) -> Snippet:
    snippet = Snippet(path=path.resolve())
    snippet.directives = parse_directives(snippet.source, snippet.rel)
    if includes is not None:
        snippet.chapters = [i for i in includes if i.target == snippet.rel]
    return snippet


def find_snippets(root: Path = SNIPPETS) -> list[Snippet]:
    """All programs under snippets/, with the pages that include each."""
    includes = page_includes()
    return [load_snippet(p, includes) for p in sorted(root.rglob("*.py"))]
