"""No forward references: a program calls only what its chapter or an earlier one teaches.

contributing.md holds the table of where each API is first taught (section "Where
each API is first taught"); this module reads it and the programs, and reports a
program of an earlier chapter that calls an API a later chapter teaches. APIs
the table does not name are not checked.

Table entries are written as code:

- ``.unsqueeze``: an attribute or method of that name, on anything;
- ``torch.cat``, ``nn.Dropout``: a dotted name ending like that;
- ``keepdim``: a bare name (here, a keyword argument).
"""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass
from pathlib import Path

from . import syntax
from .catalog import DOCS, REPO, SNIPPETS
from .site_config import nav_pages

TABLE_PAGE = DOCS / "contributing.md"
TABLE_HEADING = "## Where each API is first taught"


@dataclass(frozen=True)
class Call:
    line: int
    name: str  # dotted, as written: "torch.cat", "x.unsqueeze", "keepdim"


def calls(source: str) -> list[Call]:
    """Every dotted name in a program's code (comments and strings are not code)."""
    found, chain, start = [], [], 0
    after_dot = False
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.NAME:
            if not (chain and after_dot):  # a name not after a dot starts a new chain
                if chain:
                    found.append(Call(start, ".".join(chain)))
                chain, start = [], token.start[0]
            chain.append(token.string)
            after_dot = False
        elif token.type == tokenize.OP and token.string == "." and not after_dot:
            if not chain:  # an attribute of a call's or subscript's result: f(x).argmax
                chain, start = ["(...)"], token.start[0]
            after_dot = True
        else:
            if chain:
                found.append(Call(start, ".".join(chain)))
            chain, after_dot = [], False
    if chain:
        found.append(Call(start, ".".join(chain)))
    return found


def matches(entry: str, call: str) -> bool:
    if entry.startswith("."):
        return "." in call and call.rsplit(".", 1)[1] == entry[1:]
    if "." in entry:
        return call == entry or call.endswith("." + entry)
    return entry in call.split(".")


def read_table(text: str) -> dict[str, list[str]]:
    """{chapter slug: [entries]} from the table under TABLE_HEADING."""
    section = text.split(TABLE_HEADING, 1)[1].split("\n## ", 1)[0]
    table: dict[str, list[str]] = {}
    for slug, entries in syntax.table_rows(section):
        table[slug.strip("` ")] = [e for e in syntax.INLINE_CODE_TEXT.findall(entries)]
    return table


def chapter_order() -> list[str]:
    return [page.removesuffix(".md") for page in nav_pages() if page.endswith(".md")]


@dataclass(frozen=True)
class ForwardReference:
    program: str
    line: int
    call: str
    entry: str
    taught_in: str

    def message(self) -> str:
        return (
            f"{self.program}:{self.line}: calls {self.call} ({self.entry}) before "
            f"docs/{self.taught_in}.md teaches it"
        )


def forward_references(
    table: dict[str, list[str]], order: list[str], snippets: Path = SNIPPETS
) -> list[ForwardReference]:
    position = {slug: i for i, slug in enumerate(order)}
    taught = [(entry, slug) for slug, entries in table.items() for entry in entries]
    found = []
    for folder in sorted(p for p in snippets.iterdir() if p.is_dir()):
        if folder.name not in position:
            continue
        for program in sorted(folder.glob("*.py")):
            rel = str(program.relative_to(REPO)) if program.is_relative_to(REPO) else str(program)
            for call in calls(program.read_text()):
                for entry, slug in taught:
                    if position.get(slug, -1) > position[folder.name] and matches(entry, call.name):
                        found.append(ForwardReference(rel, call.line, call.name, entry, slug))
    return found
