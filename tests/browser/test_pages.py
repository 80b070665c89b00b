"""Every page, in both palettes, as Chromium loads it from the local server.

The visits are made once per palette by the `tours` fixture (conftest.py); each
test reads one kind of finding from them and names every page that has it.
"""

from __future__ import annotations

import re
import textwrap

import pytest

from harness.catalog import REPO, page_includes

from .conftest import AXE_TAGS, MISSING_PAGE, SCREENSHOTS

SCHEMES = ["light", "dark"]
# A code block's title: "snippets/x/y.py", or "snippets/x/y.py (section)" for an excerpt.
PROGRAM_TITLE = re.compile(r"^(?P<path>snippets/\S+\.py)(?: \((?P<section>[-_\w]+)\))?$")
SECTION_MARK = re.compile(r"-{1,}8<-{1,}\s*\[\s*(?P<edge>start|end)\s*:\s*(?P<name>[-_\w]+)\s*\]")


def report(visits, attribute: str) -> list[str]:
    lines = []
    for visit in visits:
        for item in getattr(visit, attribute):
            lines.append(f"{visit.name}: {item}")
    return lines


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_console_errors(tours, scheme):
    problems = report(tours(scheme), "console_errors")
    assert not problems, f"console errors ({scheme} palette):\n" + "\n".join(problems)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_failed_requests(tours, scheme):
    """Every request a page makes (scripts, styles, search index, worker, images) succeeds."""
    problems = report(tours(scheme), "failed_requests")
    assert not problems, f"failed requests ({scheme} palette):\n" + "\n".join(problems)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_request_leaves_the_site(tours, scheme):
    """Readers' privacy and offline reading: nothing is fetched from another host."""
    problems = report(tours(scheme), "foreign_requests")
    assert not problems, (
        f"requests to hosts other than the local server ({scheme} palette):\n" + "\n".join(problems)
    )


@pytest.mark.parametrize("scheme", SCHEMES)
def test_pages_meet_wcag_2_1_aa(tours, scheme):
    """axe-core finds no violation of the WCAG 2.0/2.1 A and AA rules on any page."""
    problems = []
    for visit in tours(scheme):
        for v in visit.violations:
            nodes = "\n".join(
                f"      {n['target']}: {' '.join(n['summary'].split())}" for n in v["nodes"][:5]
            )
            more = f"\n      ... and {len(v['nodes']) - 5} more" if len(v["nodes"]) > 5 else ""
            problems.append(f"{visit.name}: {v['id']} ({v['help']})\n{nodes}{more}")
    assert not problems, (
        f"accessibility violations ({', '.join(AXE_TAGS)}; {scheme} palette). Fix them in "
        "docs/assets/book.css, do not turn the rule off:\n" + "\n".join(problems)
    )


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_404_page_is_served_and_styled(tours, scheme, server):
    """A missing page gets status 404 and the theme's 404 page, with all its assets."""
    visits = tours(scheme)
    visit = next(v for v in visits if v.page == MISSING_PAGE)
    home = next(v for v in visits if v.page == "")
    assert visit.status == 404, f"{server.url(MISSING_PAGE)} answered {visit.status}, not 404"
    assert not visit.failed_requests, (
        "the 404 page's own assets failed to load (are its links absolute to site_url?):\n"
        + "\n".join(visit.failed_requests)
    )
    assert visit.header_color == home.header_color != "rgba(0, 0, 0, 0)", (
        f"the 404 page's header is {visit.header_color}, the home page's {home.header_color}: "
        "the theme's CSS is not applied to it"
    )


def program_text(path: str, section: str | None) -> str:
    """The text the harness ran, or the named section of it, as pymdownx.snippets shows it:
    the section marker lines (comments that only tell the page where an excerpt starts
    and ends) are left out of every include, whole programs too. Nothing else is."""
    lines = (REPO / path).read_text().splitlines()
    inside, kept = section is None, []
    for line in lines:
        mark = SECTION_MARK.search(line)
        if mark:
            if section is not None and mark["name"] == section:
                inside = mark["edge"] == "start"
            continue
        if inside:
            kept.append(line)
    text = "\n".join(kept)
    return text if section is None else textwrap.dedent(text)


def test_copy_buttons_copy_the_programs(tours):
    """Each program's copy button copies exactly the file the harness ran (Material drops
    the final newline, so trailing newlines are not compared)."""
    problems, checked = [], set()
    for visit in tours("light"):
        for title, copied in visit.copied:
            m = PROGRAM_TITLE.match(title.strip())
            if not m:
                continue  # outputs and other blocks are not programs
            checked.add(m["path"])
            if not (REPO / m["path"]).is_file():
                problems.append(f"{visit.name}: block titled {title!r} names no file")
                continue
            expected = program_text(m["path"], m["section"]).rstrip("\n")
            if copied.rstrip("\n") != expected:
                problems.append(
                    f"{visit.name}: the copy button of {title!r} copied {len(copied)} characters "
                    f"that differ from the program ({len(expected)} characters); first "
                    f"difference at line {first_difference(copied, expected)}"
                )
    shown = {i.target for i in page_includes() if i.target.endswith(".py")}
    unchecked = sorted(shown - checked)
    assert not unchecked, f"programs included by pages but no copy button found: {unchecked}"
    assert not problems, "\n".join(problems)


def first_difference(a: str, b: str) -> int:
    for number, (x, y) in enumerate(zip(a.splitlines(), b.splitlines(), strict=False), 1):
        if x != y:
            return number
    return min(len(a.splitlines()), len(b.splitlines())) + 1


@pytest.mark.parametrize("scheme", SCHEMES)
def test_screenshots_are_written(tours, scheme, chapter):
    tours(scheme)
    for name in ("home", chapter.strip("/")):
        shot = SCREENSHOTS / f"{name}-{scheme}.png"
        assert shot.is_file(), f"no screenshot {shot.relative_to(REPO)}"
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{shot} is not a PNG"
