"""The PDF edition holds the whole book: every page of the nav, in order, with its programs,
outputs and marks, a table of contents, and links that stay inside the document."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from book.site.pdf import PDF_NAME, page_url
from book.site_config import nav_pages

# Programs whose first code line and first output line must be in the PDF: one
# from the start, the middle and the end of the book, and a mistake.
SAMPLE = [
    "snippets/tensors/creating.py",
    "snippets/loss-functions/cross_entropy.py",
    "snippets/autograd/mistake_backward_twice.py",
    "snippets/workflow/full_program.py",
    "snippets/reproducibility/exact_resume.py",
]


@cache
def reader(pdf):
    from pypdf import PdfReader

    return PdfReader(pdf)


@cache
def chapters(pdf) -> tuple[tuple[str, int], ...]:
    """(title, first page) of every top-level entry of the outline, in order: one per page
    of the book, since the outline is made from their headings."""
    book = reader(pdf)
    return tuple(
        (squeeze(item.title), book.get_destination_page_number(item))
        for item in book.outline
        if not isinstance(item, list)  # a list holds the entries nested under the one before
    )


@cache
def page_text(pdf, number: int) -> str:
    # Text is read only from the pages a test looks at: the whole book takes 10 s or more.
    return squeeze(reader(pdf).pages[number].extract_text())


def squeeze(text: str) -> str:
    """Whitespace-free, so line breaks and code indentation cannot hide a match."""
    return re.sub(r"\s+", "", text)


def nav_title(built_site, entry: str) -> str:
    html = (built_site / page_url(entry) / "index.html").read_text()
    return re.sub(r"<[^>]+>|¶|&para;", "", re.search(r"<h1[^>]*>(.*?)</h1>", html).group(1))


@pytest.fixture(scope="session")
def pdf(built_site):
    path = built_site / PDF_NAME
    assert path.is_file(), f"the build made no {PDF_NAME}"
    assert path.read_bytes()[:5] == b"%PDF-"
    return path


def test_every_page_of_the_nav_is_in_the_pdf_in_order(pdf, built_site):
    """Each nav page's title is an outline entry, in nav order, and is printed on the page
    that entry points to."""
    entries = chapters(pdf)
    position, page = -1, 0
    for entry in nav_pages():
        title = squeeze(nav_title(built_site, entry))
        found = next((i for i in range(position + 1, len(entries)) if entries[i][0] == title), None)
        assert found is not None, f"{entry}: its title {title!r} is missing or out of order"
        position, start = found, entries[found][1]
        assert start >= page, f"{entry}: it starts on page {start + 1}, before the page before it"
        assert title in page_text(pdf, start), f"{entry}: page {start + 1} does not show {title!r}"
        page = start


@pytest.mark.parametrize("program", SAMPLE)
def test_programs_outputs_and_marks_are_in_the_pdf(pdf, built_site, program):
    from book.catalog import REPO

    entries = chapters(pdf)
    chapter = squeeze(nav_title(built_site, Path(program).parent.name + ".md"))
    index = next(i for i, (title, _) in enumerate(entries) if title == chapter)
    # Every page of the book starts on a new sheet: its text ends where the next one's starts.
    end = entries[index + 1][1] if index + 1 < len(entries) else len(reader(pdf).pages)
    text = "".join(page_text(pdf, n) for n in range(entries[index][1], end))
    code = next(line for line in (REPO / program).read_text().splitlines() if line.strip())
    output = next(
        line for line in (REPO / program).with_suffix(".out").read_text().splitlines()
        if line.strip()
    )  # fmt: skip
    assert squeeze(program) in text, f"{program}: its title is not in its chapter of the PDF"
    assert squeeze(code) in text, f"{program}: {code!r} is not in its chapter of the PDF"
    assert squeeze(output) in text, f"{program}: its output {output!r} is not in the PDF"
    assert squeeze("Verified on CPU") in text or squeeze("Not yet verified on CPU") in text


def test_the_pdf_has_an_outline_and_internal_links(pdf):
    book = reader(pdf)
    assert len(book.outline) > 0, "no outline (bookmarks)"
    internal = 0
    for page in book.pages:
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            if link.get("/Subtype") == "/Link" and "/Dest" in link:
                internal += 1
    assert internal >= len(nav_pages()), f"only {internal} links inside the document"


def test_the_home_page_links_to_the_pdf(built_site):
    assert f'href="{PDF_NAME}"' in (built_site / "index.html").read_text()
