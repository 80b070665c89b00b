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
"""

from __future__ import annotations

import html

from .. import records, syntax
from ..catalog import REPO

LEGS = (("cpu", "CPU"), ("cuda", "CUDA"))


def status_html(rel: str, found: list) -> str:
    """The status line for the program at rel: one part per leg."""
    parts = []
    for leg, label in LEGS:
        proofs = records.proofs(rel, leg, found)
        if proofs:
            best = max(proofs, key=lambda p: (p.date, p.env.torch))
            versions = sorted({p.env.torch_release for p in proofs})
            device = f"{html.escape(best.env.device)}, " if leg == "cuda" else ""
            parts.append(
                f'<span class="verified" data-leg="{leg}">Verified on {label} ({device}torch '
                f"{', '.join(versions)}, {best.date})</span>"
            )
        else:
            parts.append(
                f'<span class="unverified" data-leg="{leg}">Not yet verified on {label} '
                "for this version</span>"
            )
    return f'<span class="verification" data-program="{rel}">' + " · ".join(parts) + "</span>"


def measured_outputs(rel: str, found: list) -> list[tuple[str, str]]:
    """(title, text) of outputs GPU runs measured for a `# varies:` program."""
    blocks = []
    for proof in records.proofs(rel, "cuda", found):
        if proof.measured is not None:
            title = f"Output on {proof.env.device} (torch {proof.env.torch_release}, {proof.date})"
            blocks.append((title, proof.measured))
    return blocks


def expand(program: syntax.ProgramLine, found: list) -> list[str]:
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
        i + status_html(program.path, found),
    ]
    program_file = REPO / program.path
    for other in sorted(program_file.parent.glob(program_file.stem + ".torch-*.out")):
        release = other.name.removeprefix(program_file.stem + ".torch-").removesuffix(".out")
        lines += ["", f'{i}```text title="Output on torch {release}"']
        lines += [f'{i}--8<-- "{other.relative_to(REPO)}"', f"{i}```"]
    for title, text in measured_outputs(program.path, found):
        lines += ["", f'{i}```text title="{title}"']
        lines += [i + t for t in text.rstrip("\n").split("\n")]
        lines += [f"{i}```"]
    return lines


def expand_page(markdown: str, page: str, found: list) -> str:
    """The page with every program line expanded; `SyntaxProblem` on a bad page."""
    problems = syntax.raw_program_includes(markdown, page)
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
        lines[program.line - 1 : program.line] = expand(program, found)
    return "\n".join(lines)


def on_page_markdown(markdown: str, page, config, files) -> str:
    from mkdocs.exceptions import PluginError

    try:
        return expand_page(markdown, f"docs/{page.file.src_uri}", records.load_all())
    except syntax.SyntaxProblem as problem:
        raise PluginError(str(problem)) from problem
