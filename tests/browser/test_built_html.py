"""The built HTML, read offline: links and anchors, descriptions, sitemap, edit links, 404 page.

mkdocs --strict validates the links written in Markdown; these checks read what the
build produced, so links written in raw HTML, in templates and by hooks are covered
too. They need no browser but read the same build as the browser tests.
"""

from __future__ import annotations

import gzip
import re
from functools import cache
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import yaml

from book import records
from book.catalog import DOCS, REPO
from book.site.program_blocks import status_html
from book.site.server import built_pages, site_url, sitemap_pages
from book.site_config import load_config, nav_pages
from book.syntax import FRONT_MATTER, parse_program_title

CONFIG = load_config()
REPO_URL = CONFIG["repo_url"].rstrip("/")
EDIT_BASE = f"{REPO_URL}/{CONFIG['edit_uri'].strip('/')}/"
# Links into the repository that name a file on the default branch.
REPO_FILE = re.compile(rf"^{re.escape(REPO_URL)}/(?:blob|tree|edit|raw)/main/(?P<path>[^?#]+)")


class Page(HTMLParser):
    """The links (href/src of any element), anchors (id/name) and metadata of one page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (tag.attribute, value)
        self.anchors: set[str] = set()
        self.descriptions: list[str] = []
        self.edit_links: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("href", "src"):
            if attributes.get(name) is not None:
                self.links.append((f"<{tag} {name}>", attributes[name]))
        for name in ("id", "name"):
            if attributes.get(name) and (name == "id" or tag == "a"):
                self.anchors.add(attributes[name])
        if tag == "meta" and attributes.get("name") == "description":
            self.descriptions.append(attributes.get("content") or "")
        if tag == "a" and attributes.get("rel") == "edit":
            self.edit_links.append(attributes.get("href") or "")


@cache
def parse(path: Path) -> Page:
    return Page(path.read_text(errors="replace"))


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def page_url(site: Path, html: Path) -> str:
    rel = html.relative_to(site).as_posix()
    return site_url() + (rel.removesuffix("index.html") if rel.endswith("index.html") else rel)


def target_file(site: Path, url: str) -> Path | None:
    """The file in the built site that a URL under site_url is served from."""
    path = unquote(urlsplit(url).path).removeprefix(urlsplit(site_url()).path)
    candidate = site / path
    if path == "" or path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def test_local_links_and_anchors_resolve(built_site, request):
    """Every href/src to a page or file of the site exists, and every #anchor is on its page.
    (One chapter's check, nox -s chapter, prints no PDF edition: the link to it is the
    one link it cannot check; test_pdf.py checks it in the full run.)"""
    no_pdf = {"book.pdf"} if request.config.getoption("--chapter") else set()
    problems, checked = [], 0
    for html in html_files(built_site):
        base = page_url(built_site, html)
        name = html.relative_to(built_site).as_posix()
        for where, value in parse(html).links:
            url = urljoin(base, value.strip())
            repo_file = REPO_FILE.match(url)
            if repo_file:  # a link to a file of this repository: it must exist
                checked += 1
                if not (REPO / unquote(repo_file["path"])).exists():
                    problems.append(f"{name}: {where} {value!r}: no such file in the repository")
                continue
            if not url.startswith(site_url()):
                continue  # another site: not checked offline
            checked += 1
            target = target_file(built_site, url)
            if target is None and url.rsplit("/", 1)[-1] in no_pdf:
                continue
            if target is None:
                problems.append(f"{name}: {where} {value!r}: nothing in the site at that address")
                continue
            fragment = unquote(urlsplit(url).fragment)
            if fragment and target.suffix == ".html" and fragment not in parse(target).anchors:
                problems.append(
                    f"{name}: {where} {value!r}: no id {fragment!r} on "
                    f"{target.relative_to(built_site).as_posix()}"
                )
    assert checked > 0, "no local link found: the check would pass on any site"
    assert not problems, "broken links in the built site:\n" + "\n".join(problems)


def source_of(page: Page) -> Path | None:
    """The source file a page's edit link names."""
    for href in page.edit_links:
        if href.startswith(EDIT_BASE):
            return DOCS / unquote(href.removeprefix(EDIT_BASE))
    return None


def front_matter(source: Path) -> dict:
    m = FRONT_MATTER.match(source.read_text())
    return (yaml.safe_load(m.group(1)) or {}) if m else {}


def test_every_page_has_a_meta_description(built_site):
    """Search engines and link previews show it: one per page, never empty, and on a
    Markdown page the page's own `description:` (not the site's fallback)."""
    problems = []
    for html in html_files(built_site):
        name = html.relative_to(built_site).as_posix()
        page = parse(html)
        if len(page.descriptions) != 1 or not page.descriptions[0].strip():
            problems.append(
                f"{name}: {len(page.descriptions)} meta descriptions {page.descriptions}"
            )
            continue
        source = source_of(page)
        if source is None or source.suffix != ".md":
            continue
        wanted = front_matter(source).get("description")
        if not wanted:
            problems.append(f"{name}: {source.relative_to(REPO)} has no description: front matter")
        elif unescape(page.descriptions[0]) != str(wanted).strip():
            problems.append(f"{name}: the meta description is not {source.relative_to(REPO)}'s")
    assert (built_site / "index.html").is_file() and (built_site / "404.html").is_file()
    assert not problems, "pages without a proper meta description:\n" + "\n".join(problems)


def test_edit_links_open_the_page_source(built_site):
    """Every page but the 404 page has an "Edit this page" link to its own source file."""
    problems, edited = [], set()
    for page_path in built_pages(built_site):
        page = parse(built_site / page_path / "index.html")
        source = source_of(page)
        if len(page.edit_links) != 1 or source is None:
            problems.append(
                f"/{page_path}: edit links {page.edit_links}, expected one under {EDIT_BASE}"
            )
            continue
        rel = source.relative_to(DOCS).as_posix()
        url_of_source = re.sub(r"(^|/)index/$", r"\1", str(Path(rel).with_suffix("")) + "/")
        if not source.is_file():
            problems.append(f"/{page_path}: the edit link names {rel}, which does not exist")
        elif url_of_source != page_path:
            problems.append(f"/{page_path}: the edit link opens {rel}, another page's source")
        edited.add(rel)
    missing = sorted(set(nav_pages()) - edited)
    assert not missing, f"pages in the nav whose built page has no edit link: {missing}"
    assert not problems, "\n".join(problems)


def test_sitemap_lists_every_page(built_site):
    assert (built_site / "sitemap.xml").is_file(), "the build wrote no sitemap.xml"
    listed, built = sitemap_pages(built_site), built_pages(built_site)
    assert sorted(listed) == sorted(set(listed)), "sitemap.xml lists a page twice"
    assert set(listed) == set(built), (
        f"sitemap.xml and the built pages differ: not listed {sorted(set(built) - set(listed))}, "
        f"listed but not built {sorted(set(listed) - set(built))}"
    )
    compressed = built_site / "sitemap.xml.gz"
    if compressed.exists():
        assert gzip.decompress(compressed.read_bytes()) == (built_site / "sitemap.xml").read_bytes()


def test_404_page_is_the_themes(built_site):
    """Built with the theme (header, nav, the site's CSS), its links absolute under
    site_url so that it works at any missing address (the browser test loads it)."""
    html = built_site / "404.html"
    assert html.is_file(), "the build wrote no 404.html"
    text = html.read_text()
    assert "<h1>404 - Not found</h1>" in text, "404.html is not the theme's 404 page"
    prefix = urlsplit(site_url()).path
    for asset in ("assets/stylesheets/main.", "assets/book.css", "assets/javascripts/bundle."):
        assert f'"{prefix}{asset}' in text, f"404.html does not load {prefix}{asset}..."


class ProgramBlocks(HTMLParser):
    """In page order: ("program", path) for each code block titled with a whole program,
    and ("mark", path, text) for each verification mark."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.items: list[tuple] = []
        self._in_title = False
        self._mark: list | None = None  # [path, depth, text parts]
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self._mark is not None and tag == "span":
            self._mark[1] += 1
        elif tag == "span" and attributes.get("class") == "filename":
            self._in_title = True
        elif tag == "span" and attributes.get("class") == "verification":
            self._mark = [attributes.get("data-program"), 1, []]

    def handle_endtag(self, tag):
        self._in_title = False
        if self._mark is not None and tag == "span":
            self._mark[1] -= 1
            if self._mark[1] == 0:
                path, _, parts = self._mark
                self.items.append(("mark", path, "".join(parts)))
                self._mark = None

    def handle_data(self, data):
        if self._mark is not None:
            self._mark[2].append(data)
        elif self._in_title:
            named = parse_program_title(data)
            if named and named[1] is None:
                self.items.append(("program", named[0]))


def test_every_program_block_carries_exactly_one_mark_that_agrees_with_the_record(
    built_site, site_records
):
    """Under each whole program, one mark; it names that program and says what the
    records the site was built from prove about the file and output as they are now."""
    found = records.load_all(site_records)
    problems, programs = [], 0
    for html in html_files(built_site):
        items = ProgramBlocks(html.read_text(errors="replace")).items
        where = html.relative_to(built_site)
        for index, item in enumerate(items):
            if item[0] == "mark":
                if index == 0 or items[index - 1] != ("program", item[1]):
                    problems.append(f"{where}: a mark for {item[1]} follows no block of it")
                continue
            programs += 1
            following = items[index + 1] if index + 1 < len(items) else None
            if following is None or following[:2] != ("mark", item[1]):
                problems.append(f"{where}: {item[1]} has no verification mark under it")
                continue
            expected = unescape(re.sub(r"<[^>]+>", "", status_html(item[1], found)))
            if following[2] != expected:
                problems.append(
                    f"{where}: {item[1]} shows {following[2]!r}, records say {expected!r}"
                )
    assert programs > 0, "no program block found in the built site: the check checked nothing"
    assert not problems, "\n".join(problems)


class FoldedPrograms(HTMLParser):
    """Each `div.shared-lines` of a page: its copy text, the titles of its code blocks,
    the text of its code, and the titles of its collapsed blocks."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.found: list[dict] = []
        self._depth = 0  # of divs inside the current wrapper
        self._where: str | None = None  # "code", "title", "summary" while inside one
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "div" and attributes.get("class") == "shared-lines":
            self.found.append({"copy": attributes.get("data-copy"), "titles": [], "code": "",
                               "summaries": []})  # fmt: skip
            self._depth = 0
        if not self.found or self._depth < 0:
            return
        if tag == "div":
            self._depth += 1
        elif tag == "code":
            self._where = "code"
        elif tag == "span" and attributes.get("class") == "filename":
            self._where = "title"
            self.found[-1]["titles"].append("")
        elif tag == "summary":
            self._where = "summary"
            self.found[-1]["summaries"].append("")

    def handle_endtag(self, tag):
        if not self.found or self._depth < 0:
            return
        if (tag, self._where) in (("code", "code"), ("span", "title"), ("summary", "summary")):
            self._where = None  # a highlighted token's own span does not end the code
        elif tag == "div":
            self._depth -= 1
            if self._depth == 0:
                self._depth = -1  # the wrapper is closed

    def handle_data(self, data):
        if self.found and self._depth >= 0 and self._where:
            key = {"code": "code", "title": "titles", "summary": "summaries"}[self._where]
            if key == "code":
                self.found[-1]["code"] += data
            else:
                self.found[-1][key][-1] += data


def test_a_folded_program_copies_whole_and_shows_every_line(built_site):
    """Where a program's shared lines are folded, the wrapper's copy text (what the copy
    buttons copy) is the whole program, and the blocks show every line of it, in order
    and with its indentation (blank lines at the edges of a fold aside)."""
    checked = 0
    for html in html_files(built_site):
        for fold in FoldedPrograms(html.read_text(errors="replace")).found:
            checked += 1
            [title] = fold["titles"]
            path, _section = parse_program_title(title)
            program = (REPO / path).read_text().rstrip()
            assert fold["copy"] == program, f"{html}: {path} is not copied whole"
            shown = [line for line in fold["code"].split("\n") if line.strip()]
            assert shown == [line for line in program.split("\n") if line.strip()], (
                f"{html}: the blocks of {path} do not show the program line for line"
            )
            [summary] = fold["summaries"]
            assert summary.startswith(Path(path).name + ", lines "), summary
    assert checked >= 10, f"only {checked} folded programs in the built site"
