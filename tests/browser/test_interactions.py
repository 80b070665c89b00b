"""What a reader does with the site: search, switch the palette, follow links, copy a program."""

from __future__ import annotations

import re
from collections import Counter
from html import unescape

import pytest

from book.catalog import REPO
from book.site.server import SEARCH_INDEX, BackgroundRequests

PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"[a-z]{7,}")


def body_words(html: str) -> list[str]:
    """Words of a page's paragraphs, in order (code, titles and navigation left out)."""
    article = html.split('<article class="md-content__inner md-typeset">', 1)[-1]
    article = article.split("</article>", 1)[0]
    text = " ".join(unescape(TAG.sub(" ", p)) for p in PARAGRAPH.findall(article))
    return WORD.findall(text.lower())


def rare_word(built_site, pages, chapter) -> str:
    """A word from the chapter's body that the fewest other pages use: searching it must
    bring up the chapter, whatever the chapter says today."""
    seen_in = Counter()
    for page in pages:
        seen_in.update(set(body_words((built_site / page / "index.html").read_text())))
    html = (built_site / chapter / "index.html").read_text()
    title = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    title_words = set(WORD.findall(TAG.sub(" ", title.group(1)).lower())) if title else set()
    words = [w for w in body_words(html) if w not in title_words]
    assert words, f"/{chapter} has no body text to search for"
    return min(words, key=lambda w: seen_in[w])  # min keeps the first of equals


def test_search_finds_a_chapter_by_a_word_of_its_body(
    fresh_page, server, built_site, pages, chapter
):
    """Search works, the page a result leads to marks the word, and the index (the whole
    book's text) is fetched only once the reader opens search, not with every page
    (overrides/hooks/lean_pages.py)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    word = rare_word(built_site, pages, chapter)
    page = fresh_page
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if r.url.endswith(SEARCH_INDEX) else None)
    background = BackgroundRequests(page)
    page.goto(server.url(""))
    assert background.wait(), "the sitemap or the search worker did not load in 15 s"
    page.wait_for_load_state("networkidle")
    assert not fetched, f"the search index was fetched before search was opened: {fetched}"
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially(word)
    hit = page.locator(f'.md-search-result__item a[href^="{server.url(chapter)}"]')
    try:
        hit.first.wait_for(state="attached", timeout=15_000)
    except PlaywrightTimeout:
        pytest.fail(f"searching {word!r} did not list /{chapter} within 15 s", pytrace=False)
    assert len(fetched) == 1, f"the search index was fetched {len(fetched)} times: {fetched}"
    # Following the result marks the searched word on the chapter (search.highlight).
    hit.first.click()
    try:
        page.locator("mark[data-md-highlight]").first.wait_for(state="attached", timeout=15_000)
    except PlaywrightTimeout:
        pytest.fail(f"/{chapter}, opened from search, does not mark {word!r}", pytrace=False)


def test_search_opens_from_the_keyboard(fresh_page, server, chapter):
    """The "/" shortcut opens search on any page; the index then loads and answers."""
    page = fresh_page
    background = BackgroundRequests(page)
    page.goto(server.url(chapter))
    assert background.wait(), "the sitemap or the search worker did not load in 15 s"
    page.keyboard.press("/")
    page.keyboard.type("tensor")
    page.locator(".md-search-result__item").first.wait_for(state="attached", timeout=15_000)


def palette(page) -> str:
    return page.locator("body").get_attribute("data-md-color-scheme")


def test_palette_toggle_switches_and_persists(fresh_page, server, chapter):
    page = fresh_page
    page.goto(server.url(""))
    assert palette(page) == "default", "the light palette is not the default for a light system"
    page.get_by_title("Switch to dark mode").first.click()
    assert palette(page) == "slate", "the toggle did not switch to the dark palette"
    page.goto(server.url(chapter))
    assert palette(page) == "slate", f"the dark palette was lost on loading /{chapter}"
    page.get_by_title("Switch to light mode").first.click()
    assert palette(page) == "default", "the toggle did not switch back to the light palette"
    page.goto(server.url(""))
    assert palette(page) == "default", "the light palette was lost on loading the home page"


def test_instant_navigation_changes_page_without_reload(fresh_page, server, chapter):
    """A nav link is followed by fetching the page and swapping it in (navigation.instant)."""
    page = fresh_page
    page.goto(server.url(""))
    page.evaluate("window.__sameDocument = true")
    home_title = page.title()
    target = server.url(chapter)
    # Material rewrites the nav's relative links to absolute ones once its script runs.
    link = page.locator(
        f'nav.md-nav--primary a.md-nav__link:is([href="{chapter}"], [href="{target}"])'
    ).first
    with page.expect_request(lambda r: r.url == target) as request:
        link.click()
    page.wait_for_url(target)
    page.wait_for_function("title => document.title !== title", arg=home_title)
    assert request.value.resource_type in ("fetch", "xhr"), (
        f"/{chapter} was loaded as a {request.value.resource_type}, not fetched by the page"
    )
    assert page.evaluate("window.__sameDocument === true"), (
        f"following the nav link to /{chapter} reloaded the whole page"
    )
    heading = page.locator("article h1").first.inner_text().rstrip("¶").strip()
    assert heading.strip() and heading in page.title(), "the new page's content was not shown"


def test_a_real_click_on_a_copy_button(fresh_page, server, chapter):
    """The tours press the buttons from script; one real mouse click proves the same path."""
    page = fresh_page
    page.goto(server.url(chapter))
    whole_program = page.locator("span.filename", has_text=re.compile(r"^snippets/\S+\.py$"))
    block = page.locator("div.highlight", has=whole_program).first
    title = block.locator("span.filename").inner_text().strip()
    block.hover()
    block.locator("button.md-code__button[data-md-type=copy]").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    expected = (REPO / title).read_text()
    assert copied.rstrip("\n") == expected.rstrip("\n"), (
        f"/{chapter}: clicking the copy button of {title} did not copy the program"
    )
