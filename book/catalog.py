"""Find the programs under snippets/, their recorded outputs, and the pages that show them."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from . import safe_files
from .syntax import (
    DEFAULT_TIMEOUT,
    Directives,
    ProgramLine,
    error_matches,
    parse_directives,
    program_lines,
)

REPO = Path(__file__).resolve().parents[1]
SNIPPETS = REPO / "snippets"
DOCS = REPO / "docs"

__all__ = ["DEFAULT_TIMEOUT", "Directives", "error_matches", "parse_directives"]


@dataclass
class Snippet:
    """A runnable program under snippets/ and what it declares about itself."""

    path: Path
    directives: Directives = field(default_factory=Directives)
    chapters: list[ProgramLine] = field(default_factory=list)  # lines showing it whole
    # Its files are read and written only inside this folder (book.safe_files).
    root: Path = REPO

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

    def release_out_path(self, release: str) -> Path:
        """Where the output this program prints on torch <release> ("2.10") is recorded
        when it differs from the recorded version's."""
        return self.path.with_suffix(f".torch-{release}.out")

    @cached_property
    def source(self) -> str:
        return safe_files.read_text(self.path, root=self.root)

    def output_paths(self) -> list[Path]:
        """Its recorded outputs: the CPU one, a GPU one, one per torch release."""
        found = [self.out_path, self.cuda_out_path]
        found += sorted(self.path.parent.glob(self.path.stem + ".torch-*.out"))
        return [p for p in found if os.path.lexists(p)]

    def output_problems(self) -> list[str]:
        """Why one of its recorded outputs may not be read: a link, not a regular file."""
        problems = []
        for path in self.output_paths():
            try:
                safe_files.check(path, root=self.root)
            except safe_files.UnsafeFile as error:
                problems.append(str(error))
        return problems

    def write_output(self, target: Path, text: str) -> None:
        """Record an output: a regular file beside the program, written through no link."""
        safe_files.write_text(target, text, root=self.root)

    def remove_output(self, target: Path) -> None:
        safe_files.remove(target, root=self.root)

    @property
    def uses_device_idiom(self) -> bool:
        """True when the program picks its device with torch.accelerator."""
        return picks_a_device(self.source)

    def chapter_names(self) -> str:
        if not self.chapters:
            return "no chapter"
        return ", ".join(sorted({i.where() for i in self.chapters}))


def pages(docs: Path = DOCS) -> list[Path]:
    """Every Markdown page under docs/, and the README."""
    return [p for p in [*sorted(docs.rglob("*.md")), REPO / "README.md"] if p.exists()]


def page_programs(docs: Path = DOCS) -> list[ProgramLine]:
    """Every program line (``<<< path``) of every page."""
    found = []
    for page in pages(docs):
        found += program_lines(safe_files.read_text(page), str(page.relative_to(REPO)))
    return found


def load_snippet(path: Path, shown: list[ProgramLine] | None = None) -> Snippet:
    """The program at path. One in the repository is read only as a regular file inside
    it; one elsewhere (a self-test's) only as a regular file inside its own folder."""
    path = Path(path).absolute()
    root = REPO if path.is_relative_to(REPO) else path.parent
    # Checked before resolving: resolve() would follow a link out of the repository.
    snippet = Snippet(path=safe_files.check(path, root=root).resolve(), root=root)
    snippet.directives = parse_directives(snippet.source, snippet.rel)
    if shown is not None:
        snippet.chapters = [p for p in shown if p.whole and p.path == snippet.rel]
    return snippet


def find_snippets(root: Path = SNIPPETS) -> list[Snippet]:
    """All programs under snippets/, with the pages that include each."""
    shown = page_programs()
    return [load_snippet(p, shown) for p in sorted(root.rglob("*.py"))]


def picks_a_device(source: str) -> bool:
    """Code that picks its device with torch.accelerator.current_accelerator(), and so
    must put something on the GPU on the CUDA leg. Asking only whether there is an
    accelerator (datasets/pin_memory.py) picks nothing."""
    return "torch.accelerator.current_accelerator" in source
