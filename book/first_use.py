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

import ast
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
    """Every dotted name in a program's code, f-strings' expressions included (comments
    and strings are not code). Read with ast, not tokenize: before Python 3.12 an
    f-string is one string token, so a call inside one was seen only on newer Pythons."""
    tree = ast.parse(source)
    bases = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and id(node) not in bases:
            found.append(Call(node.lineno, _dotted(node)))
        elif isinstance(node, ast.Name) and id(node) not in bases:
            found.append(Call(node.lineno, node.id))
        elif isinstance(node, ast.keyword) and node.arg:
            found.append(Call(node.lineno, node.arg))
        elif isinstance(node, ast.Import):
            found += [Call(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            found += [Call(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return sorted(found, key=lambda call: call.line)


def _dotted(node: ast.Attribute) -> str:
    """torch.nn.Linear for that chain; (...).argmax for an attribute of a result."""
    parts: list[str] = []
    current: ast.expr = node
    while isinstance(current, ast.Attribute):
        parts.append(current.attr)
        current = current.value
    parts.append(current.id if isinstance(current, ast.Name) else "(...)")
    return ".".join(reversed(parts))


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
