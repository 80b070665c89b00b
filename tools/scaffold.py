"""Create a new chapter: its page, a first program, and its line in the nav.

Usage: python tools/scaffold.py <slug> "<Title>"
The caller (nox -s new) then records the program's output by running it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# New chapters go at the end of the last part of chapters: before the Labs section, or
# before Contributing where there are no labs.
NAV_ANCHORS = ("  - Labs:", "  - Contributing: contributing.md")

# The skeleton has every part the chapter checks ask for, each one runnable,
# so the new chapter is verified from its first commit.
PROGRAMS = {
    "first_steps.py": """import torch

x = torch.tensor([1.0, 2.0, 3.0])
print("x:", x)
print("sum:", x.sum().item())
""",
    "second_steps.py": """import torch

torch.manual_seed(0)
x = torch.rand(2, 3)
print("shape:", tuple(x.shape))
print(x.round(decimals=4))
""",
    "mistake_example.py": """# expected-error: RuntimeError
import torch

a = torch.ones(2, 3)
b = torch.ones(2, 4)
print("shapes:", tuple(a.shape), tuple(b.shape))
print(a + b)
""",
    "exercise_solution.py": """import torch

x = torch.arange(6.0).reshape(2, 3)
print("row sums:", x.sum(dim=1).tolist())
""",
}


def include(slug: str, name: str, indent: str = "") -> str:
    """The program line that shows a program, its output and its status (book.syntax)."""
    return f"{indent}<<< snippets/{slug}/{name}\n"


def page(slug: str, title: str) -> str:
    return f"""---
description: {title}, explained with programs you can run.
---

# {title}

!!! abstract "What you will learn"

    - The first idea of this chapter.
    - The second idea of this chapter.

A short paragraph that says what {title} is and why a learner needs it.

## A first program

{include(slug, "first_steps.py")}
Say what to notice in the output.

## A second program

{include(slug, "second_steps.py")}
## Common mistake: shapes that do not match

{include(slug, "mistake_example.py")}
How to recognise it: quote the first words of the error message.

## Exercise

State the task here.

??? success "Solution"

{include(slug, "exercise_solution.py", indent="    ")}
## Summary

- One line per idea of the chapter.
"""


def main(slug: str, title: str) -> None:
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug):
        sys.exit(f"slug {slug!r} must be lowercase words joined by '-', e.g. 'data-loading'")
    page_path = REPO / "docs" / f"{slug}.md"
    folder = REPO / "snippets" / slug
    if page_path.exists() or folder.exists():
        sys.exit(f"{page_path.relative_to(REPO)} or {folder.relative_to(REPO)}/ already exists")
    config = REPO / "mkdocs.yml"
    text = config.read_text()
    anchor = next((a for a in NAV_ANCHORS if f"\n{a}\n" in text), None)
    if anchor is None:
        sys.exit(f"mkdocs.yml: cannot find any of the nav lines {NAV_ANCHORS} to insert before")
    folder.mkdir(parents=True)
    for name, source in PROGRAMS.items():
        (folder / name).write_text(source)
    page_path.write_text(page(slug, title))
    chapter_indent = "      "
    text = text.replace(f"\n{anchor}\n", f"\n{chapter_indent}- {title}: {slug}.md\n{anchor}\n", 1)
    config.write_text(text)
    print(f"created docs/{slug}.md, snippets/{slug}/ ({len(PROGRAMS)} programs) and a nav line")
    print(f"the nav line is the last of the chapters (before {anchor.strip()!r}): move it to")
    print("where the chapter belongs in the reading order. Commit the page, the programs,")
    print("their .out files and the verification/ files the tests write: the marks come from them")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
