"""The PDF edition holds the whole book: every page of the nav, in order, with its programs,
outputs and marks, a table of contents, and links that stay inside the document."""

from __future__ import annotations

import re
from functools import cache

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
]


@cache
def pdf_text(pdf) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


def squeeze(text: str) -> str:
    """Whitespace-free, so line breaks and code indentation cannot hide a match."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="session")
def pdf(built_site):
    path = built_site / PDF_NAME
    assert path.is_file(), f"the build made no {PDF_NAME}"
    assert path.read_bytes()[:5] == b"%PDF-"
    return path


def test_every_page_of_the_nav_is_in_the_pdf_in_order(pdf, built_site):
    text = squeeze(pdf_text(pdf))
    position = -1
    for entry in nav_pages():
        html = (built_site / page_url(entry) / "index.html").read_text()
        title = re.sub(r"<[^>]+>|¶|&para;", "", re.search(r"<h1[^>]*>(.*?)</h1>", html).group(1))
        found = text.find(squeeze(title), position + 1)
        assert found > position, f"{entry}: its title {title!r} is missing or out of order"
        position = found


@pytest.mark.parametrize("program", SAMPLE)
def test_programs_outputs_and_marks_are_in_the_pdf(pdf, program):
    from book.catalog import REPO

    text = squeeze(pdf_text(pdf))
    code = next(line for line in (REPO / program).read_text().splitlines() if line.strip())
    output = next(
        line for line in (REPO / program).with_suffix(".out").read_text().splitlines()
        if line.strip()
    )  # fmt: skip
    assert squeeze(program) in text, f"{program}: its title is not in the PDF"
    assert squeeze(code) in text, f"{program}: {code!r} is not in the PDF"
    assert squeeze(output) in text, f"{program}: its output {output!r} is not in the PDF"
    assert squeeze("Verified on CPU") in text or squeeze("Not yet verified on CPU") in text


def test_the_pdf_has_an_outline_and_internal_links(pdf):
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    assert len(reader.outline) > 0, "no outline (bookmarks)"
    internal = 0
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            if link.get("/Subtype") == "/Link" and "/Dest" in link:
                internal += 1
    assert internal >= len(nav_pages()), f"only {internal} links inside the document"


def test_the_home_page_links_to_the_pdf(built_site):
    assert f'href="{PDF_NAME}"' in (built_site / "index.html").read_text()
