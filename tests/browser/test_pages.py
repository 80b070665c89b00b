"""Every page, in both palettes, as Chromium loads it from the local server.

The visits are made once per palette by the `tours` fixture (conftest.py); each
test reads one kind of finding from them and names every page that has it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from book.catalog import REPO, page_programs
from book.syntax import parse_program_title, section_text

from .conftest import AXE_COLOUR_RULES, AXE_TAGS, MISSING_PAGE, RUN_AXE, SCREENSHOTS

SCHEMES = ["light", "dark"]


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
    """axe-core finds no violation of the WCAG 2.0/2.1 A and AA rules on any page (in the
    dark palette: all of them on the home and 404 pages, the colour rules elsewhere)."""
    checked = ", ".join(AXE_TAGS)
    if scheme == "dark":
        checked += f"; beyond the home and 404 pages, {', '.join(AXE_COLOUR_RULES)}"
    problems = []
    for visit in tours(scheme):
        for v in visit.violations:
            nodes = "\n".join(
                f"      {n['target']}: {' '.join(n['summary'].split())}" for n in v["nodes"][:5]
            )
            more = f"\n      ... and {len(v['nodes']) - 5} more" if len(v["nodes"]) > 5 else ""
            problems.append(f"{visit.name}: {v['id']} ({v['help']})\n{nodes}{more}")
    assert not problems, (
        f"accessibility violations ({checked}; {scheme} palette). Fix them in "
        "docs/assets/book.css, do not turn the rule off:\n" + "\n".join(problems)
    )


def test_the_dark_tours_rules_catch_text_that_only_the_dark_palette_makes_unreadable(
    chromium, axe_source
):
    """The dark tour runs only the colour rules: they must see a dark-only contrast fault."""
    page = chromium.new_page(color_scheme="dark")
    page.set_content(
        '<html lang="en"><head><title>Contrast</title><style>'
        "@media (prefers-color-scheme: dark) { body { background: #222; color: #333; } }"
        "</style></head><body><main><p>Grey on grey.</p></main></body></html>"
    )
    page.add_script_tag(path=str(axe_source))
    found = page.evaluate(RUN_AXE, {"type": "rule", "values": AXE_COLOUR_RULES})
    page.close()
    assert [v["id"] for v in found["violations"]] == ["color-contrast"]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_404_page_is_served_and_styled(tours, scheme, server):
    """A missing page gets status 404 and the theme's 404 page, with all its assets."""
    visits = tours(scheme)
    visit = next(v for v in visits if v.page == MISSING_PAGE)
    # Any page of the book styled by the theme will do (nox -s chapter visits one only).
    home = next(v for v in visits if v.page != MISSING_PAGE)
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
    """The text the harness ran, or the named section of it, as the page shows it: the
    section marker lines (comments that only tell the page where an excerpt starts and
    ends) are left out of every include, whole programs too. Nothing else is."""
    return section_text((REPO / path).read_text(), section, path)


def test_copy_buttons_copy_the_programs(tours, pages):
    """Each program's copy button copies exactly the file the harness ran (Material drops
    the final newline, so trailing newlines are not compared)."""
    problems, checked = [], set()
    for visit in tours("light"):
        for title, copied in visit.copied:
            named = parse_program_title(title)
            if not named:
                continue  # outputs and other blocks are not programs
            path, section = named
            checked.add(path)
            if not (REPO / path).is_file():
                problems.append(f"{visit.name}: block titled {title!r} names no file")
                continue
            expected = program_text(path, section).rstrip("\n")
            if copied.rstrip("\n") != expected:
                problems.append(
                    f"{visit.name}: the copy button of {title!r} copied {len(copied)} characters "
                    f"that differ from the program ({len(expected)} characters); first "
                    f"difference at line {first_difference(copied, expected)}"
                )
    toured = {page.rstrip("/") + ".md" for page in pages}  # all, or --chapter's one
    shown = {p.path for p in page_programs() if Path(p.page).name in toured}
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
