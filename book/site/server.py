"""The built book as readers get it: served over HTTP on 127.0.0.1, opened in Debian's Chromium.

Shared by the browser tests (tests/browser/) and the page-weight bench
(tools/bench.py), so both measure the same thing the same way.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import os
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

from book.site_config import load_config

CHROMIUM = Path("/usr/bin/chromium")
# Headless, and nothing the browser would do on its own: no background traffic,
# no component or sync downloads, no QUIC. Only the pages' own requests remain,
# which is what the tests assert on.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CHROMIUM_MISSING = (
    f"Chromium is not installed at {CHROMIUM}; the browser tests need Debian's package: "
    "run `apt-get update && apt-get install -y chromium` (as root), then the test command "
    "again. (.ci/run installs it when it is missing.)"
)
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SEARCH_INDEX = "search/search_index.json"


@functools.cache
def site_url() -> str:
    url = load_config()["site_url"]
    return url if url.endswith("/") else url + "/"


def site_prefix() -> str:
    """The path the site is published under ("/book/"): the local server uses it too,
    so absolute links (the 404 page has only those) resolve as they do when published."""
    return urlsplit(site_url()).path or "/"


def sitemap_pages(site: Path) -> list[str]:
    """Paths of the pages the sitemap lists, relative to the site root ("" is the home page)."""
    root = ET.parse(site / "sitemap.xml").getroot()
    base = site_url()
    pages = []
    for loc in root.iterfind("sm:url/sm:loc", SITEMAP_NS):
        url = (loc.text or "").strip()
        if not url.startswith(base):
            raise ValueError(f"sitemap.xml lists {url}, outside the site_url {base}")
        pages.append(url.removeprefix(base))
    return pages


def built_pages(site: Path) -> list[str]:
    """Paths of every page in the built site (directory URLs), 404.html excluded."""
    pages = []
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        pages.append("" if rel == "." else rel + "/")
    return pages


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site under `prefix`, and 404.html with status 404 for anything
    missing, as GitHub Pages does."""

    prefix = "/"
    published = ""  # site_url
    local = ""  # where this server has the site

    def send_head(self):
        # Material's instant navigation only takes over links that the sitemap lists,
        # comparing host *and port*; published, the sitemap's site_url is the page's own
        # address. Locally the port differs, so the sitemap is served as it would read
        # if the site were published here. (The file itself is checked as built.)
        if urlsplit(self.path).path != self.prefix + "sitemap.xml":
            return super().send_head()
        body = (Path(self.directory) / "sitemap.xml").read_bytes()
        body = body.replace(self.published.encode(), self.local.encode())
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def translate_path(self, path: str) -> str:
        path = unquote(urlsplit(path).path)
        if not path.startswith(self.prefix):
            return os.path.join(self.directory, "__outside_the_site__", "missing")
        return super().translate_path("/" + path.removeprefix(self.prefix))

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):  # the tests report what matters themselves
        pass


class SiteServer:
    """A threaded http.server for a built site on 127.0.0.1, on a free port."""

    def __init__(self, site: Path):
        self.site = site
        self.prefix = site_prefix()
        self.handler = type("Handler", (_Handler,), {"prefix": self.prefix})
        self._server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(self.handler, directory=str(site))
        )
        self._server.daemon_threads = True
        host, port = self._server.server_address[:2]
        self.origin = f"http://{host}:{port}"
        self.base = self.origin + self.prefix
        self.handler.published, self.handler.local = site_url(), self.base

    def url(self, page: str) -> str:
        return self.base + page

    def __enter__(self) -> SiteServer:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()


def launch(playwright):
    """Debian's Chromium, headless, with the browser's own traffic turned off."""
    if not CHROMIUM.exists():
        raise FileNotFoundError(CHROMIUM_MISSING)
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def kind_of(request) -> str:
    """What a request is for, in the terms of the page-weight budget."""
    url = urlsplit(request.url).path
    if url.endswith("search/search_index.json"):
        return "search index"
    if "/workers/" in url:
        return "search worker"
    if url.endswith("sitemap.xml"):
        return "sitemap"
    if url.endswith((".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".ico")):
        return "images"  # the favicon is fetched as "other"
    return {
        "document": "HTML",
        "stylesheet": "CSS",
        "script": "JS",
        "image": "images",
        "font": "fonts",
    }.get(request.resource_type, "other")


class BackgroundRequests:
    """What is requested after a page's load event: by Material, the sitemap (for
    instant navigation) and the search worker's script; by the browser, the favicon,
    when it asks for it. Watch a tab from before `goto`; `wait` returns once all of them
    have finished, so nothing is cut off by the next navigation (a favicon request cut
    off that way would read as a failed request)."""

    WANTED = frozenset({"sitemap", "search worker"})

    def __init__(self, tab):
        self.tab = tab
        self.seen: set[str] = set()
        self.favicons: set = set()  # favicon requests started and not yet finished
        tab.on("request", self._started)
        tab.on("requestfinished", self._done)
        tab.on("requestfailed", self._done)  # reported by the tests; waiting ends

    def _started(self, request) -> None:
        if urlsplit(request.url).path.endswith("/favicon.png"):
            self.favicons.add(request)

    def _done(self, request) -> None:
        path = urlsplit(request.url).path
        self.favicons.discard(request)
        if path.endswith("/sitemap.xml"):
            self.seen.add("sitemap")
        elif "/workers/search." in path:
            self.seen.add("search worker")

    def reset(self) -> None:
        self.seen.clear()

    def wait(self, timeout: float = 15.0) -> bool:
        """False when they did not all arrive within timeout seconds."""
        deadline = time.monotonic() + timeout
        while not self.WANTED <= self.seen or self.favicons:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self.tab.wait_for_timeout(min(25.0, left * 1000))  # events are handled meanwhile
        return True


def page_weight(
    browser, server: SiteServer, page: str, transferred: bool = False
) -> dict[str, int]:
    """Bytes of every response a first visit to the page receives (empty cache), by kind:
    the page, its CSS and JS, and what Material fetches after the load event (search
    worker, sitemap). The server sends no compression, so these are the uncompressed
    sizes; with ``transferred=True``, each text response is gzipped as a static host
    (GitHub Pages) sends it, which is what a reader downloads. Images count as they
    are, under their own kind. The search index is not among them: it loads when
    search is opened (`search_weight`)."""
    # A context of its own: an empty cache, as on a reader's first visit.
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    finished = []
    tab.on("requestfinished", lambda request: finished.append(request))
    background = BackgroundRequests(tab)
    tab.goto(server.url(page))
    if not background.wait(30):
        raise TimeoutError(f"/{page}: the sitemap or the search worker did not load in 30 s")
    tab.wait_for_load_state("networkidle")
    weights = weigh(finished, transferred)
    context.close()
    return weights


def search_weight(browser, server: SiteServer, transferred: bool = False) -> dict[str, int]:
    """Bytes that opening search for the first time adds to a visit of the home page."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    background = BackgroundRequests(tab)
    tab.goto(server.url(""))
    if not background.wait(30):
        raise TimeoutError("the home page's sitemap or search worker did not load in 30 s")
    tab.wait_for_load_state("networkidle")
    finished = []
    tab.on("requestfinished", lambda request: finished.append(request))
    tab.locator("input.md-search__input").click()
    tab.wait_for_function(
        f"() => performance.getEntriesByType('resource')"
        f".some(e => e.name.endsWith('{SEARCH_INDEX}'))",
        timeout=30_000,
    )
    tab.wait_for_load_state("networkidle")
    weights = weigh(finished, transferred)
    context.close()
    return weights


# Compression a static host applies to text (GitHub Pages serves gzip); images and
# fonts are already compressed formats and travel as they are.
GZIP_LEVEL = 6


# (url, transferred) -> bytes. The site is static: a URL always answers the same bytes,
# so the theme's scripts and styles, fetched by every page, are read and gzipped once.
_SIZES: dict[tuple[str, bool], int] = {}


def weigh(requests, transferred: bool = False) -> dict[str, int]:
    weights: dict[str, int] = {}
    for request in requests:
        kind = kind_of(request)
        key = (request.url, transferred)
        if key not in _SIZES:
            # The decoded body: responseBodySize reads 0 for the worker's script.
            body = request.response().body()
            if transferred and kind not in ("images", "fonts"):
                body = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
            _SIZES[key] = len(body)
        weights[kind] = weights.get(kind, 0) + _SIZES[key]
    return weights
