"""The book as one PDF, printed by Chromium from the built site: `python -m book.site.pdf SITE`.

Every page of the nav (chapters, labs, the contributing page) is taken from the
built HTML, in nav order, each starting on a new page, behind a table of contents.
What the site shows is what the PDF shows: programs, their outputs and verification
marks, figures, solutions (opened, since paper cannot be clicked). Links between
pages become links inside the PDF; every id is made unique by its page's name.

It writes SITE/book.pdf, which the home page links to. Chromium is the same one the
browser tests drive (book.site.server.launch).
"""

from __future__ import annotations

import re
import sys
import time
from html import escape, unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from ..site_config import nav_pages
from .server import SiteServer, launch, site_prefix

PDF_NAME = "book.pdf"
PRINT_PAGE = "print-edition.html"  # written next to index.html while printing, then removed
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
TITLE = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
ID = re.compile(r'\bid="([^"]+)"')
HREF = re.compile(r'\bhref="([^"]*)"')
SRC = re.compile(r'\bsrc="([^"]*)"')
EDIT_BUTTON = re.compile(r'<a href="[^"]*" title="Edit this page".*?</a>', re.S)
TAG = re.compile(r"<[^>]+>")

PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm; }
body { background: white; }
.md-typeset { font-size: 10.5pt; }
.chapter { break-before: page; }
.headerlink, .md-clipboard, .notebook-links { display: none !important; }
pre, .highlight, table, figure, img { break-inside: avoid; }
.md-typeset pre > code { white-space: pre-wrap; }
nav.contents ol { columns: 1; }
"""


def page_url(nav_entry: str) -> str:
    """The built page of a nav entry, relative to the site root ("" for the home page)."""
    stem = re.sub(r"\.(md|py|ipynb)$", "", nav_entry)
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


LAID_OUT = """() => document.fonts.status === "loaded"
    && Array.from(document.images).every(image => image.complete && image.naturalWidth > 0)"""


def anchor(url: str) -> str:
    return "page-" + (url.strip("/").replace("/", "-") or "home")


def chapter_html(site: Path, url: str, known: set[str]) -> tuple[str, str]:
    """(title, article HTML) of one built page, ids and links rewritten for one document."""
    text = (site / url / "index.html").read_text()
    article = ARTICLE.search(text)
    if article is None:
        raise ValueError(f"{url or 'index'}: no article in the built page")
    body = EDIT_BUTTON.sub("", article.group(1), count=1)
    heading = TITLE.search(body)
    title = unescape(TAG.sub("", heading.group(1))).replace("¶", "").strip() if heading else url
    prefix = anchor(url)
    base = site_prefix() + url  # the page's own URL path, for resolving its relative links

    body = ID.sub(lambda m: f'id="{prefix}--{m.group(1)}"', body)

    def link(m: re.Match) -> str:
        href = m.group(1)
        if href.startswith(("http:", "https:", "mailto:")):
            return m.group(0)
        if href.startswith("#"):
            return f'href="#{prefix}--{href[1:]}"'
        target = urlsplit(urljoin(base, href))
        path = target.path.removeprefix(site_prefix())
        path = path if path.endswith("/") or "." in path.rsplit("/", 1)[-1] else path + "/"
        if path.removesuffix("index.html") in known:
            page = path.removesuffix("index.html")
            if target.fragment:
                return f'href="#{anchor(page)}--{target.fragment}"'
            return f'href="#{anchor(page)}"'
        return f'href="{target.path}"'  # a file of the site (a notebook): absolute

    body = HREF.sub(link, body)
    body = SRC.sub(lambda m: f'src="{urljoin(base, m.group(1))}"', body)
    body = body.replace("<details", "<details open")
    # Every figure loads with the document, not when scrolled to: the print must not
    # start while a lab's figures are still arriving and moving the pages under it.
    body = body.replace(' loading="lazy"', "")
    return title, f'<section class="chapter" id="{prefix}">\n{body}\n</section>'


def print_html(site: Path) -> str:
    """The whole book as one HTML document, in nav order, with a table of contents."""
    urls = [page_url(entry) for entry in nav_pages()]
    known = set(urls)
    chapters = [chapter_html(site, url, known) for url in urls]
    home = (site / "index.html").read_text()
    styles = [urljoin(site_prefix(), href) for href in STYLESHEET.findall(home)]
    contents = "\n".join(
        f'<li><a href="#{anchor(url)}">{escape(title)}</a></li>'
        for url, (title, _) in zip(urls, chapters, strict=True)
    )
    head = "\n".join(f'<link rel="stylesheet" href="{href}">' for href in styles)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>The PyTorch Learning Book</title>
{head}
<style>{PRINT_CSS}</style></head>
<body><div class="md-container"><main class="md-main"><div class="md-content">
<article class="md-content__inner md-typeset">
<h1>The PyTorch Learning Book</h1>
<p>Every program in this book was run before it was printed; the output under it is
the output it produced.</p>
<nav class="contents"><h2>Contents</h2><ol>
{contents}
</ol></nav>
{"".join(body for _, body in chapters)}
</article></div></main></div></body></html>
"""


def write_pdf(site: Path) -> Path:
    """Print the book into SITE/book.pdf with Chromium; its path."""
    from playwright.sync_api import sync_playwright

    page_file = site / PRINT_PAGE
    page_file.write_text(print_html(site))
    target = site / PDF_NAME
    try:
        with SiteServer(site) as server, sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                tab = browser.new_page()
                tab.goto(server.url(PRINT_PAGE), wait_until="networkidle")
                # Printed only once every image is decoded and the fonts are ready: on a
                # busy machine "network idle" can come before the last figure is laid out.
                tab.wait_for_function(LAID_OUT, timeout=120_000)
                tab.emulate_media(media="print")
                tab.pdf(path=str(target), format="A4", print_background=True, outline=True,
                        tagged=True)  # fmt: skip
            finally:
                browser.close()
    finally:
        page_file.unlink(missing_ok=True)
    return target


def main() -> None:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "site")
    start = time.perf_counter()
    target = write_pdf(site)
    seconds = time.perf_counter() - start
    print(f"{target}: {target.stat().st_size / 1e6:.1f} MB in {seconds:.1f} s")


if __name__ == "__main__":
    main()
