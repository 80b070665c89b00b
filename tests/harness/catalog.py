"""Find the snippet programs, their golden outputs, and the chapters that show them."""

from __future__ import annotations

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
# Header directives a snippet may carry in its leading comment block.
DIRECTIVE = re.compile(r"^#\s*(?P<key>expected-error|timeout|varies):\s*(?P<value>\S+)\s*$")


@dataclass(frozen=True)
class Include:
    """One include line in a page."""

    page: Path
    line: int
    target: str  # path relative to the repository, section stripped

    def where(self) -> str:
        return f"{self.page.relative_to(REPO)}:{self.line}"


@dataclass
class Snippet:
    """A runnable program under snippets/ and what it declares about itself."""

    path: Path
    expected_error: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    # Output lines containing this word hold measurements (timings): their
    # numbers are not compared, the rest of each such line still is.
    varies: str | None = None
    chapters: list[Include] = field(default_factory=list)

    @property
    def rel(self) -> str:
        return str(self.path.relative_to(REPO))

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


def read_directives(path: Path) -> dict[str, str]:
    """Directives from the comment block at the top of a program file."""
    return parse_directives(path.read_text())


def parse_directives(source: str) -> dict[str, str]:
    """Directives from the comment block at the top of a program's text."""
    found: dict[str, str] = {}
    for line in source.splitlines():
        if not line.startswith("#"):
            break
        m = DIRECTIVE.match(line)
        if m:
            found[m["key"]] = m["value"]
    return found


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
    directives = read_directives(path)
    snippet = Snippet(
        path=path.resolve(),
        expected_error=directives.get("expected-error"),
        timeout=float(directives.get("timeout", DEFAULT_TIMEOUT)),
        varies=directives.get("varies"),
    )
    if includes is not None:
        snippet.chapters = [i for i in includes if i.target == snippet.rel]
    return snippet


def find_snippets(root: Path = SNIPPETS) -> list[Snippet]:
    """All programs under snippets/, with the pages that include each."""
    includes = page_includes()
    return [load_snippet(p, includes) for p in sorted(root.rglob("*.py"))]
