"""Numbers quoted in prose must come from the outputs they describe.

A page that says "the loss falls to 0.0079" is only as true as the program it
quotes. When a torch upgrade moves that output, the sentence must fail the tests
instead of drifting. A decimal number in a page's prose passes when it is one of
the numbers its programs print (or the recorded outputs of a lab), written with
the same or fewer decimals (0.70 for 0.7005, -18.7 for -18.6667), or a number
written in one of its programs (a learning rate such as 0.05).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from . import syntax
from .catalog import REPO


def _spellings(number: str) -> set[str]:
    """The number as printed, and every shorter rounding of it ("0.7005" -> "0.7", "0.70")."""
    found = {number}
    try:
        value = Decimal(number)
    except InvalidOperation:
        return found
    decimals = len(number.split(".")[1]) if "." in number else 0
    for places in range(decimals):
        quantum = Decimal(1).scaleb(-places)
        for rounding in (ROUND_HALF_UP, ROUND_HALF_EVEN):
            found.add(str(value.quantize(quantum, rounding=rounding)))
    return found


def known_numbers(texts: list[str]) -> set[str]:
    """Every spelling a page may use for the numbers in these outputs and programs."""
    known: set[str] = set()
    for text in texts:
        for m in syntax.DECIMAL.finditer(text):
            known |= _spellings(m.group(0))
        for m in syntax.SCIENTIFIC.finditer(text):
            # "3.3895e+38" may be quoted as "3.39e+38": the mantissa rounds, the exponent stays.
            mantissa, exponent = re.split("(?=[eE])", m.group(0), maxsplit=1)
            known |= {spelling + exponent for spelling in _spellings(mantissa)}
    return known


def page_problems(page: Path, text: str | None = None) -> list[str]:
    """Quoted numbers of a chapter page that none of its programs printed (a page
    without programs quotes no outputs: versions and settings are not checked)."""
    text = page.read_text() if text is None else text
    rel = page.relative_to(REPO) if page.is_relative_to(REPO) else page
    programs = syntax.program_lines(text, str(rel))
    if not programs:
        return []
    sources, gpu_outputs = [], []
    for program in programs:
        path = REPO / program.path
        if not path.is_file():  # test_every_program_line_names_a_program says so, once
            continue
        sources.append(path.read_text())
        if path.with_suffix(".out").exists():
            sources.append(path.with_suffix(".out").read_text())
        if path.with_suffix(".cuda.out").exists():
            gpu_outputs.append(path.with_suffix(".cuda.out").read_text())
    quoted = syntax.prose_decimals(text)
    return _problems(str(rel), quoted, sources, gpu_outputs, text.split("\n"))


def lab_problems(lab: Path, outputs: Path) -> list[str]:
    """Quoted numbers in a lab's prose cells and figure descriptions (the `# figure:`
    lines, the alt text) that neither its code nor its recorded outputs hold."""
    source = lab.read_text()
    prose = syntax.lab_prose(source)
    figures, code = _figure_lines_and_code(source, prose)
    printed = sorted(outputs.glob("*.out"))
    texts = [code] + [p.read_text() for p in printed if not p.name.endswith(".cuda.out")]
    gpu_outputs = [p.read_text() for p in printed if p.name.endswith(".cuda.out")]
    rel = lab.relative_to(REPO) if lab.is_relative_to(REPO) else lab
    quoted = sorted(syntax.prose_decimals(prose) + syntax.prose_decimals(figures))
    # Prose and descriptions are line for line with the file, blank where the other is.
    lines = [a or b for a, b in zip(prose.split("\n"), figures.split("\n"), strict=True)]
    return _problems(str(rel), quoted, texts, gpu_outputs, lines)


def _figure_lines_and_code(source: str, prose: str) -> tuple[str, str]:
    """A lab's figure descriptions (line for line with the file, every other line blank)
    and its code without them: what the prose and the descriptions may quote from.
    Neither the prose nor a description counts as a source of the numbers it quotes."""
    figures, code, in_figure = [], [], False
    for line, text in zip(source.split("\n"), prose.split("\n"), strict=True):
        m = syntax.DIRECTIVE.match(line)
        if text:  # a line of a prose cell
            in_figure = False
        elif (m and m["key"] == "figure") or (in_figure and syntax.CONTINUATION.match(line)):
            in_figure = True
            figures.append(line.lstrip("#").strip())
            continue
        else:
            in_figure = False
            code.append(line)
        figures.append("")
    return "\n".join(figures), "\n".join(code)


def _problems(
    where: str,
    quoted: list[tuple[int, str]],
    texts: list[str],
    gpu_texts: list[str],
    lines: list[str],
) -> list[str]:
    """Each quoted number that no text printed; and each that only a GPU printed (a
    .cuda.out) in a paragraph that does not say GPU or CUDA, where a reader takes it
    for the CPU output shown first."""
    known = known_numbers(texts)
    gpu_only = known_numbers(gpu_texts) - known
    problems = []
    for line, number in quoted:
        if number not in known | gpu_only:
            problems.append(
                f"{where}:{line}: {number} is quoted in the prose but printed by none of the "
                "page's programs; quote the output as it is now (or write a formula as inline "
                "code)"
            )
        elif number in gpu_only and not _says_gpu(lines, line):
            problems.append(
                f"{where}:{line}: {number} is printed only by a GPU (a .cuda.out), and its "
                "paragraph does not say so: quote the CPU output, or name the GPU"
            )
    return problems


def _says_gpu(lines: list[str], line: int) -> bool:
    """Whether the paragraph (or list item) holding this 1-based line names a GPU."""
    start = end = line - 1
    while start > 0 and lines[start - 1].strip() and not lines[start].lstrip().startswith("- "):
        start -= 1
    while end + 1 < len(lines) and lines[end + 1].strip():
        if lines[end + 1].lstrip().startswith("- "):
            break
        end += 1
    paragraph = " ".join(lines[start : end + 1])
    return "GPU" in paragraph or "CUDA" in paragraph
