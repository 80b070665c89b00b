"""Numbers quoted in prose must come from the outputs they describe.

A page that says "the loss falls to 0.0079" is only as true as the program it
quotes. When a torch upgrade moves that output, the sentence must fail the tests
instead of drifting. A decimal number in a page's prose passes when it is one of
the numbers its programs print (or the recorded outputs of a lab), written with
the same or fewer decimals (0.70 for 0.7005, -18.7 for -18.6667), or a number
written in one of its programs (a learning rate such as 0.05).
"""

from __future__ import annotations

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
    return known


def page_problems(page: Path, text: str | None = None) -> list[str]:
    """Quoted numbers of a chapter page that none of its programs printed (a page
    without programs quotes no outputs: versions and settings are not checked)."""
    text = page.read_text() if text is None else text
    rel = page.relative_to(REPO) if page.is_relative_to(REPO) else page
    programs = syntax.program_lines(text, str(rel))
    if not programs:
        return []
    sources = []
    for program in programs:
        path = REPO / program.path
        sources.append(path.read_text())
        for output in (path.with_suffix(".out"), path.with_suffix(".cuda.out")):
            if output.exists():
                sources.append(output.read_text())
    return _problems(str(rel), syntax.prose_decimals(text), known_numbers(sources))


def lab_problems(lab: Path, outputs: Path) -> list[str]:
    """Quoted numbers in a lab's prose cells that neither its code nor its outputs hold."""
    source = lab.read_text()
    texts = [source] + [p.read_text() for p in sorted(outputs.glob("*.out"))]
    rel = lab.relative_to(REPO) if lab.is_relative_to(REPO) else lab
    return _problems(
        str(rel), syntax.prose_decimals(syntax.lab_prose(source)), known_numbers(texts)
    )


def _problems(where: str, quoted: list[tuple[int, str]], known: set[str]) -> list[str]:
    return [
        f"{where}:{line}: {number} is quoted in the prose but printed by none of the page's "
        "programs; quote the output as it is now (or write a formula as inline code)"
        for line, number in quoted
        if number not in known
    ]
