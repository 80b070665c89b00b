"""One Chromium, the built site served on 127.0.0.1, and one tour of every page per palette.

Every page is loaded once per palette (light and dark, one browser context each):
that visit records console errors, failed and third-party requests, runs axe-core,
takes the screenshots and, in the light palette, presses every copy button and
weighs what the page transferred (with the browser cache off, every visit is a
first visit). The tests in test_pages.py and test_page_weight.py then only read
what the tours recorded, so adding a check costs no page load.
"""

from __future__ import annotations

import os
import threading
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from book.catalog import REPO
from book.site.server import (
    CHROMIUM,
    CHROMIUM_MISSING,
    BackgroundRequests,
    SiteServer,
    launch,
    sitemap_pages,
    weigh,
)
from book.site_config import nav_pages
from site_build import ON_BUILD_START

SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
# A path that exists nowhere in the site: the server answers it with 404.html.
MISSING_PAGE = "this-page-does-not-exist/"
AXE_PIN = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["book"]["npm"]["axe-core"]
AXE_DEFAULT = REPO / ".nox" / "npm" / "axe-core" / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0 and 2.1, levels A and AA: the rules the book promises to meet.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Of those, the rules whose outcome depends on colours. The light tour runs every rule on
# every page. The dark tour runs every rule on the home page, where the theme's frame
# shows what only the dark palette shows (its palette toggle), and these on the others:
# a page's own content is the same HTML in both palettes, only its colours change.
AXE_COLOUR_RULES = ["color-contrast", "link-in-text-block"]
EVERY_RULE = {"type": "tag", "values": AXE_TAGS}
COLOUR_RULES = {"type": "rule", "values": AXE_COLOUR_RULES}


def pytest_collection_modifyitems(session, config, items):
    """Run the browser tests last: the site builds in the background (tests/conftest.py)
    while the programs run, and these tests would otherwise wait for it first."""
    here = Path(__file__).parent
    items.sort(key=lambda item: Path(item.path).is_relative_to(here))
    if any("tours" in getattr(item, "fixturenames", ()) for item in items):
        config.stash.setdefault(ON_BUILD_START, []).append(start_tours_early)


EARLY_TOURS = pytest.StashKey["EarlyTours"]()


def start_tours_early(config, build) -> None:
    """Start both tours as soon as the site is built, in the background: most of the
    tests that run meanwhile wait on processes and leave a core idle. Without Chromium
    or axe-core nothing starts, and the fixtures say what is missing."""
    axe = Path(os.environ.get("BOOK_AXE_CORE", AXE_DEFAULT))
    if CHROMIUM.exists() and axe.is_file():
        config.stash[EARLY_TOURS] = EarlyTours(build, config.getoption("--chapter"), axe)


class EarlyTours:
    """Both palettes' tours of a site being built, on a server and in browsers of
    their own; `get(scheme)` waits for them. A failure is raised where they are read."""

    def __init__(self, build, chapter_option: str | None, axe: Path):
        self.pages: list[str] | None = None
        self.chapter: str | None = None
        self._done: dict[str, list[Visit]] = {}
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(build, chapter_option, axe), daemon=True
        )
        self._thread.start()

    def _run(self, build, chapter_option, axe) -> None:
        try:
            code, _ = build.wait()
            if code != 0:  # the built_site fixture reports why
                return
            self.pages = pages_of(build.target, chapter_option)
            self.chapter = screenshot_chapter(self.pages)
            with SiteServer(build.target) as server:
                self._done = both_tours(server, self.pages, self.chapter, axe)
        except BaseException as error:  # noqa: BLE001 - raised again in the reading test
            self._error = error

    def get(self, scheme: str) -> list[Visit]:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._done[scheme]


@dataclass
class Visit:
    """What one page load in one palette showed."""

    page: str  # path under the site root; MISSING_PAGE stands for the 404 page
    status: int | None = None
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    violations: list[dict] = field(default_factory=list)
    header_color: str = ""  # the header's computed background: the theme's CSS is applied
    copied: list[tuple[str, str]] = field(default_factory=list)  # (block title, clipboard)
    # Light tour only: bytes transferred by kind, as book.site.server.page_weight counts
    # them (text gzipped as a static host sends it).
    weights: dict[str, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return "404 page" if self.page == MISSING_PAGE else f"/{self.page}"


@pytest.fixture(scope="session")
def chromium():
    """The one browser of the run. Missing Chromium fails, never skips: a run that
    checks no page must not look like a run whose pages are fine."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(
            "playwright is not installed: run the browser tests through "
            "`python3 -m nox -s tests`, which installs pyproject.toml's browser group",
            pytrace=False,
        )
    if not CHROMIUM.exists():
        pytest.fail(CHROMIUM_MISSING, pytrace=False)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def server(built_site):
    with SiteServer(built_site) as running:
        yield running


def pages_of(site: Path, chapter: str | None) -> list[str]:
    """The pages the browser tests visit: every page of the sitemap, or with --chapter
    (nox -s chapter) that page alone."""
    listed = sitemap_pages(site)
    assert listed, "sitemap.xml lists no page: the browser tests would check nothing"
    if chapter:
        mine = [p for p in listed if p == chapter + "/"]
        assert mine, f"--chapter {chapter}: the site has no page {chapter}/"
        return mine
    return listed


def screenshot_chapter(pages: list[str]) -> str:
    """The chapter used for screenshots, search and navigation: the first one in the nav
    (with --chapter, that one)."""
    in_nav = [Path(p).with_suffix("").as_posix() + "/" for p in nav_pages()]
    return next(p for p in in_nav if p in pages and p != "index/")


@pytest.fixture(scope="session")
def pages(built_site, request) -> list[str]:
    return pages_of(built_site, request.config.getoption("--chapter"))


@pytest.fixture(scope="session")
def chapter(pages) -> str:
    return screenshot_chapter(pages)


@pytest.fixture(scope="session")
def axe_source() -> Path:
    """axe-core as nox -s tests fetched it from the npm registry (pinned in pyproject.toml)."""
    path = Path(os.environ.get("BOOK_AXE_CORE", AXE_DEFAULT))
    if not path.is_file():
        pytest.fail(
            f"axe-core is not at {path}: run the tests with `python3 -m nox -s tests`, which "
            f"installs axe-core@{AXE_PIN} from the npm registry into .nox/npm",
            pytrace=False,
        )
    return path


def new_context(chromium, server: SiteServer, scheme: str):
    context = chromium.new_context(
        color_scheme=scheme, viewport={"width": 1280, "height": 800}, base_url=server.base
    )
    # The copy buttons write to the clipboard; the tests read it back.
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.origin)
    return context


OPEN_DETAILS = "() => document.querySelectorAll('details').forEach(d => { d.open = true; })"

# Presses every copy button in turn and reads what it put on the clipboard. The
# clipboard is reset first, so a button that copies nothing cannot pass with the
# previous block's text. Material's button (clipboard.js) copies synchronously,
# with document.execCommand("copy"), so the text is there when click() returns.
COPY_EVERY_BLOCK = """async () => {
    const copied = [];
    for (const block of document.querySelectorAll("div.highlight")) {
        const title = block.querySelector(":scope > span.filename");
        const button = block.querySelector("button.md-code__button[data-md-type=copy]");
        if (!title || !button) continue;
        await navigator.clipboard.writeText("(the copy button copied nothing)");
        button.click();
        copied.push([title.textContent, await navigator.clipboard.readText()]);
    }
    return copied;
}"""

RUN_AXE = """async only => {
    const result = await axe.run(document, {runOnly: only, resultTypes: ["violations"]});
    return {
        version: axe.version,
        violations: result.violations.map(v => ({
            id: v.id,
            help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
        })),
    };
}"""


def tour(chromium, server: SiteServer, pages: list[str], scheme: str, axe: Path, shots: dict):
    """Load every page (and the 404 page) once in a fresh context with this palette."""
    context = new_context(chromium, server, scheme)
    # Injected into every document before the page's own scripts; only run on demand.
    context.add_init_script(path=str(axe))
    visit = Visit(page="")
    weigh_pages = scheme == "light"

    def on_request(request):
        scheme_ = urlsplit(request.url).scheme
        if scheme_ not in ("data", "blob") and not request.url.startswith(server.origin + "/"):
            visit.foreign_requests.append(request.url)

    def on_response(response):
        is_404_page = visit.page == MISSING_PAGE and response.request.is_navigation_request()
        if response.status >= 400 and not is_404_page:
            visit.failed_requests.append(f"{response.status} {response.url}")

    page = context.new_page()
    page.on("request", on_request)
    page.on("response", on_response)
    page.on("requestfailed", lambda r: visit.failed_requests.append(f"{r.failure} {r.url}"))

    def on_console(message):
        # Chromium logs the 404 status of the 404 page itself; that one is expected.
        expected = visit.page == MISSING_PAGE and message.location.get("url") == server.url(
            MISSING_PAGE
        )
        if message.type == "error" and not expected:
            visit.console_errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: visit.console_errors.append(f"uncaught: {error}"))

    finished = []
    if weigh_pages:
        # No cache: each visit fetches everything, as a reader's first visit does.
        devtools = context.new_cdp_session(page)
        devtools.send("Network.enable")
        devtools.send("Network.setCacheDisabled", {"cacheDisabled": True})
        page.on("requestfinished", lambda request: finished.append(request))

    background = BackgroundRequests(page)
    visits = []
    for path in [*pages, MISSING_PAGE]:
        visit = Visit(page=path)
        visits.append(visit)
        background.reset()
        finished.clear()
        response = page.goto(server.url(path))
        visit.status = response.status if response else None
        if not background.wait():
            visit.failed_requests.append("sitemap.xml or the search worker: not loaded in 15 s")
        visit.header_color = page.evaluate(
            "getComputedStyle(document.querySelector('.md-header')).backgroundColor"
        )
        if path in shots:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOTS / f"{shots[path]}-{scheme}.png", full_page=True)
        # Collapsed blocks (the exercise solutions) are checked as a reader sees them opened.
        page.evaluate(OPEN_DETAILS)
        every_rule = scheme == "light" or path in ("", MISSING_PAGE)
        result = page.evaluate(RUN_AXE, EVERY_RULE if every_rule else COLOUR_RULES)
        if result["version"] != AXE_PIN:
            pytest.fail(f"axe-core {result['version']} was loaded, {AXE_PIN} is pinned")
        visit.violations = result["violations"]
        if scheme == "light":  # what a copy button copies does not depend on the palette
            visit.copied = [tuple(pair) for pair in page.evaluate(COPY_EVERY_BLOCK)]
        if weigh_pages:  # by now, after axe, anything the page fetched late has arrived
            visit.weights = weigh(finished, transferred=True)
        # A favicon the browser asked for late (on a busy machine, during axe) must
        # finish before the next navigation, which would cut it off.
        background.wait()
    context.close()
    return visits


def tour_in_a_browser_of_its_own(server, pages, scheme, axe, shots) -> list[Visit]:
    """One tour with its own Playwright and Chromium: Playwright's API may not be shared
    between threads, and each thread needs one."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            return tour(browser, server, pages, scheme, axe, shots)
        finally:
            browser.close()


def both_tours(server: SiteServer, pages: list[str], chapter: str, axe: Path) -> dict:
    """{"light": visits, "dark": visits}. The two palettes' tours run side by side, each
    in its own thread and browser: most of a tour is axe-core working inside Chromium's
    renderer, so two renderers use two cores where one tour after the other would
    leave one idle."""
    shots = {"": "home", chapter: chapter.strip("/")}
    with ThreadPoolExecutor(max_workers=2) as pool:
        running = {
            name: pool.submit(tour_in_a_browser_of_its_own, server, pages, name, axe, shots)
            for name in ("light", "dark")
        }
        return {name: future.result() for name, future in running.items()}


@pytest.fixture(scope="session")
def tours(chromium, server, pages, chapter, axe_source, request):
    """tours(scheme) -> the visits of every page in that palette, made once per run:
    those started in the background as the site was built, when they visited these
    pages, or else made now."""
    early = request.config.stash.get(EARLY_TOURS, None)
    if early is not None:
        early.get("light")  # waits; a tour that failed raises here
        if early.pages == pages and early.chapter == chapter:
            return early.get
    done: dict[str, list[Visit]] = {}

    def get(scheme: str) -> list[Visit]:
        if not done:
            done.update(both_tours(server, pages, chapter, axe_source))
        return done[scheme]

    return get


@pytest.fixture
def fresh_page(chromium, server):
    """A page in a context of its own, for tests that change state (palette, clipboard)."""
    context = new_context(chromium, server, "light")
    yield context.new_page()
    context.close()
