"""Print the book's timings as one table (harness, floor, fresh python, notebooks, site), and
the page weights as Chromium loads the built pages.

Usage: python tools/bench.py [--fresh-sample N] [--cpu-by-kind]
Absolute seconds drift on shared machines; the ratios are the figures to quote.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from book.catalog import REPO, find_snippets
from book.notebooks import (
    chapter_slugs,
    find_labs,
    load_chapter,
    load_lab,
    run_notebook,
)
from book.run.runner import SnippetRunner, default_jobs, server_environment
from book.site.cli import command as mkdocs_command

FLOOR = r"""
import contextlib, io, os, runpy, sys, tempfile, time
start = time.perf_counter()
import torch, numpy
failed = 0
for path in sys.argv[1:]:
    with tempfile.TemporaryDirectory() as work, contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()):
        os.chdir(work)
        try:
            runpy.run_path(path, run_name="__main__")
        except BaseException:
            failed += 1
print(time.perf_counter() - start, failed)
"""


def harness_seconds(
    paths: list[Path],
    jobs: int,
    isolated: bool = True,
    each: dict[Path, float] | None = None,
    leg: str = "cpu",
) -> float:
    """All programs through the harness as the tests run them: queued ahead, `jobs` at
    a time, each in its sandbox (server start included). `isolated=False` is
    pytest's --no-sandbox: the same fork server without bubblewrap or namespaces.
    `each`, when given, receives every program's own run time."""
    start = time.perf_counter()
    runner = SnippetRunner(REPO, leg=leg, jobs=jobs, isolated=isolated)
    runner.run_ahead([(path, 600) for path in paths])
    for path in paths:
        result = runner.run(path, timeout=600)
        if each is not None:
            each[path] = result.seconds
    runner.close()
    return time.perf_counter() - start


def program_times(
    each: dict[Path, float], heading: str = "programs, one at a time in the sandbox"
) -> None:
    """The slowest ten programs, the medians, and any over 3 s that declares no timeout."""
    from statistics import median

    from book.first_use import chapter_order
    from book.syntax import parse_directives

    order = chapter_order()
    part_two = set(order[order.index("workflow") + 1 :])
    directives = {p: parse_directives(p.read_text(), str(p)) for p in each}
    print(f"\n{heading} (seconds each, server start apart):")
    for path, seconds in sorted(each.items(), key=lambda kv: -kv[1])[:10]:
        header = directives[path]
        note = f"  (declares # timeout: {header.timeout:g})" if header.timeout_declared else ""
        print(f"  {seconds:6.2f}  {path.relative_to(REPO)}{note}")
    new = [s for p, s in each.items() if p.parent.name in part_two]
    print(f"  median: all {median(each.values()):.2f} s" + (
        f"; Part II ({len(new)} programs) {median(new):.2f} s, slowest {max(new):.2f} s"
        if new else ""
    ))  # fmt: skip
    over = [p for p, s in each.items() if s > 3 and not directives[p].timeout_declared]
    print(f"  over 3 s without a declared timeout: {len(over)}"
          + "".join(f"\n    {p.relative_to(REPO)}" for p in over))  # fmt: skip


def notebook_seconds() -> tuple[float, float, int, int]:
    """Seconds the fork server spends running (labs, chapter notebooks), as the tests do."""
    labs = [load_lab(p) for p in find_labs()]
    chapters = [load_chapter(slug) for slug in chapter_slugs()]
    runner = SnippetRunner(REPO, leg="cpu")
    try:
        totals = []
        for notebooks in (labs, chapters):
            start = time.perf_counter()
            for notebook in notebooks:
                run_notebook(runner, notebook)
            totals.append(time.perf_counter() - start)
    finally:
        runner.close()
    return totals[0], totals[1], len(labs), len(chapters)


def build_seconds(site_dir: Path, env: dict[str, str] | None = None) -> float:
    # Started as nox -s docs starts it, so the figure includes the check of mkdocs.yml.
    cmd = mkdocs_command(sys.executable, "build", "--strict", "-q", "-d", str(site_dir))
    return timed(cmd, env=os.environ | (env or {}))


def matrix_seconds() -> list[tuple[str, float]]:
    """The harness on each torch of the CPU matrix whose environment exists (nox -s matrix
    makes them), run by that environment's python."""
    import tomllib

    versions = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["book"]["cpu-matrix"]
    found = []
    for version in versions:
        python = REPO / ".nox" / f"book-torch-{version.replace('.', '-')}" / "bin" / "python"
        if python.exists():
            out = subprocess.run(
                [str(python), "tools/bench.py", "--harness-only"],
                cwd=REPO, capture_output=True, text=True, check=True,
            )  # fmt: skip
            found.append((version, float(out.stdout.strip().splitlines()[-1])))
    return found


def floor_seconds(paths: list[Path], leg: str = "cpu") -> float:
    env = server_environment(leg, hash_seed=0) | {"HOME": tempfile.mkdtemp()}
    out = subprocess.run(
        [sys.executable, "-c", FLOOR, *map(str, paths)],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    return float(out.stdout.split()[0])


def fresh_seconds(paths: list[Path]) -> float:
    env = server_environment("cpu", hash_seed=0) | {"HOME": tempfile.mkdtemp()}
    start = time.perf_counter()
    for path in paths:
        with tempfile.TemporaryDirectory() as work:
            subprocess.run([sys.executable, str(path)], cwd=work, env=env, capture_output=True)
    return time.perf_counter() - start


def gpu_figures(paths: list[Path], jobs: int) -> None:
    """The GPU leg's figures: the harness, programs side by side, against the in-process
    floor, both with the GPU visible; then the slowest programs there (each timed while
    others ran beside it). The site and the notebooks do not depend on the device: the
    CPU figures cover them."""
    import torch

    if not torch.cuda.is_available():
        sys.exit("--leg cuda needs a GPU: torch.cuda.is_available() is False")
    n = len(paths)
    each: dict[Path, float] = {}
    harness = harness_seconds(paths, jobs, each=each, leg="cuda")
    floor = floor_seconds(paths, leg="cuda")
    print(f"\nGPU leg on {torch.cuda.get_device_name(0)}, torch {torch.__version__}")
    rows = [
        (f"harness, {n} snippets, {jobs} side by side (one process each)", harness),
        ("in-process floor (torch imported once, all exec'd in one process)", floor),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"{'measurement':<{width}}  {'seconds':>8}  {'x floor':>8}")
    for label, seconds in rows:
        print(f"{label:<{width}}  {seconds:8.2f}  {seconds / floor:8.2f}")
    program_times(each, heading=f"programs, {jobs} side by side with the GPU visible")


def timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return time.perf_counter() - start


# Page-weight budgets: bytes one first visit to a page receives, images apart; uncompressed,
# and transferred (gzipped as a static host sends text; tests/browser/test_page_weight.py
# fails over that one).
WEIGHT_BUDGET = 350_000
TRANSFERRED_BUDGET = 100_000


def page_weights(
    site: Path, transferred: bool = False
) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """Bytes each page receives on a first visit in Chromium, by kind: the page, its CSS
    and JS, and the search worker and sitemap Material fetches after the load event; and
    the bytes opening search adds (the index). book/site/server.py measures; the
    browser tests serve the site the same way."""
    from playwright.sync_api import sync_playwright

    from book.site.server import SiteServer, built_pages, launch, page_weight, search_weight

    with SiteServer(site) as server, sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            pages = {
                page: page_weight(browser, server, page, transferred) for page in built_pages(site)
            }
            return pages, search_weight(browser, server)
        finally:
            browser.close()


def budgeted(weights: dict[str, int]) -> int:
    return sum(size for kind, size in weights.items() if kind != "images")


def weight_line(label: str, weights: dict[str, int], budget: int = None) -> str:
    budget = budget or WEIGHT_BUDGET
    total = budgeted(weights)
    over = total - budget
    verdict = "within budget" if over <= 0 else f"OVER by {over / 1000:.1f} kB"
    kinds = sorted(((k, v) for k, v in weights.items() if k != "images"), key=lambda kv: -kv[1])
    parts = ", ".join(f"{kind} {size / 1000:.1f}" for kind, size in kinds)
    images = weights.get("images", 0) / 1000
    return f"  {label:<36} {total / 1000:7.1f} kB  {verdict}\n      {parts}; images {images:.1f}"


# One chapter of each part, and a lab, for the contributor's loop figures.
LOOP_CHAPTERS = ("tensors", "datasets", "labs/classifier")


def part_of(classname: str, name: str) -> str:
    """The part of the book's tests a JUnit test case belongs to."""
    if classname.endswith("test_snippets"):
        return "programs (tests/test_snippets.py)"
    if "test_chapter_notebook_runs" in name:
        return "chapter notebooks"
    if "test_lab_runs" in name:
        return "labs"
    if classname.endswith("browser.test_pdf"):
        return "PDF edition (tests/browser/test_pdf.py)"
    if ".browser." in f".{classname}.":
        return "site in the browser (tests/browser, PDF apart)"
    if classname.endswith(("test_site", "test_lean_pages")):
        return "site build checks (test_site, test_lean_pages)"
    return "self-tests and the other checks"


def suite_parts(junit: Path) -> dict[str, float]:
    """Seconds of the suite's tests summed by part, from pytest's JUnit XML report."""
    import xml.etree.ElementTree as ET

    parts: dict[str, float] = {}
    if not junit.exists():
        return parts
    for case in ET.parse(junit).getroot().iter("testcase"):
        part = part_of(case.get("classname", ""), case.get("name", ""))
        parts[part] = parts.get(part, 0.0) + float(case.get("time", 0) or 0)
    return dict(sorted(parts.items(), key=lambda kv: -kv[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--fresh-sample", type=int, default=15,
        help="snippets run with a fresh python each (that baseline is slow; 0 = all)",
    )  # fmt: skip
    parser.add_argument(
        "--leg", choices=("cpu", "cuda"), default="cpu",
        help="cuda: the GPU visible; harness against floor and the slowest programs only",
    )  # fmt: skip
    parser.add_argument(
        "--jobs", type=int, default=None,
        help="programs side by side in the harness rows (default: pytest's --harness-jobs "
        "default for the leg)",
    )  # fmt: skip
    parser.add_argument(
        "--cpu-by-kind", action="store_true",
        help="print only the CPU-seconds of each kind of check, run alone (tools/cpu_by_kind.py)",
    )  # fmt: skip
    parser.add_argument(
        "--harness-only", action="store_true",
        help="print only the harness seconds (--jobs side by side), for the matrix rows",
    )  # fmt: skip
    args = parser.parse_args()
    if args.jobs is None:  # as the tests run them: one per core on the CPU, two on a GPU
        args.jobs = default_jobs(args.leg)
    paths = [s.path for s in find_snippets()]
    n = len(paths)
    if args.cpu_by_kind:
        import cpu_by_kind  # tools/ is this script's folder, first on sys.path

        cpu_by_kind.main()
        return
    if args.harness_only:
        print(harness_seconds(paths, args.jobs))
        return
    if args.leg == "cuda":
        gpu_figures(paths, args.jobs)
        return
    sample = paths if args.fresh_sample == 0 else paths[:: max(1, n // args.fresh_sample)]

    jobs = args.jobs
    harness = harness_seconds(paths, jobs)
    each: dict[Path, float] = {}
    one_at_a_time = harness_seconds(paths, 1, each=each)
    bare = harness_seconds(paths, jobs, isolated=False)
    bare_one = harness_seconds(paths, 1, isolated=False)
    floor = floor_seconds(paths)
    fresh_per = fresh_seconds(sample) / len(sample)
    fresh = fresh_per * n
    labs, chapters, n_labs, n_chapters = notebook_seconds()
    junit = Path(tempfile.mkdtemp()) / "suite.xml"
    suite = timed([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                   "--leg=cpu", f"--junitxml={junit}", "tests"])  # fmt: skip
    parts = suite_parts(junit)
    loops = {chapter: timed([sys.executable, "tools/chapter_loop.py", chapter])
             for chapter in LOOP_CHAPTERS}  # fmt: skip
    notebook_tests = timed([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                            "--leg=cpu", "tests/test_notebooks.py"])  # fmt: skip
    site_dir = Path(tempfile.mkdtemp())
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    # The build renders recorded outputs and executes nothing: cold, then again.
    cold = build_seconds(site_dir)
    warm = build_seconds(site_dir)
    pdf = timed([sys.executable, "-m", "book.site.pdf", str(site_dir)])
    weights, search = page_weights(site_dir)
    chapter_pages = [page for page in weights if page and not page.startswith("labs/")]
    heaviest = max(chapter_pages, key=lambda page: budgeted(weights[page]))
    labs_pages = [page for page in weights if page.startswith("labs/")]

    matrix_rows = [
        (
            f"harness, {n} snippets, {jobs} side by side, on torch {version}",
            seconds,
            seconds / floor,
        )
        for version, seconds in matrix_seconds()
    ]
    rows = [
        (
            f"harness, {n} snippets, {jobs} side by side (one process each)",
            harness,
            harness / floor,
        ),
        (f"harness, {n} snippets, one at a time", one_at_a_time, one_at_a_time / floor),
        (f"same, {jobs} side by side, without the sandbox (--no-sandbox)", bare, bare / floor),
        ("same, one at a time, without the sandbox", bare_one, bare_one / floor),
        *matrix_rows,
        ("in-process floor (torch imported once, all exec'd in one process)", floor, 1.0),
        (f"fresh python per snippet ({len(sample)} run, scaled to {n})", fresh, fresh / floor),
        (f"{n_labs} labs run top to bottom (fork server, one process each)", labs, None),
        (f"{n_chapters} chapter notebooks run top to bottom (same)", chapters, None),
        ("full test command (pytest as nox -s tests runs it)", suite, None),
        ("tests/test_notebooks.py on its own (pytest + fork server start)", notebook_tests, None),
        ("mkdocs build --strict, cold (first build)", cold, None),
        ("mkdocs build --strict, warm (second build into the same directory)", warm, None),
        ("PDF edition printed from the built site (python -m book.site.pdf)", pdf, None),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"\n{'measurement':<{width}}  {'seconds':>8}  {'x floor':>8}")
    print("-" * (width + 20))
    for label, seconds, ratio in rows:
        ratio_text = f"{ratio:8.2f}" if ratio is not None else f"{'':>8}"
        print(f"{label:<{width}}  {seconds:8.2f}  {ratio_text}")
    print(f"\nper snippet: harness {harness / n * 1000:.0f} ms ({jobs} side by side), "
          f"{one_at_a_time / n * 1000:.0f} ms one at a time; floor {floor / n * 1000:.0f} ms, "
          f"fresh python {fresh_per * 1000:.0f} ms")  # fmt: skip
    print(f"sandbox cost per program (namespaces, mounts, limits; one at a time): "
          f"{(one_at_a_time - bare_one) / n * 1000:.1f} ms; "
          f"{jobs} side by side: {(harness - bare) / n * 1000:.1f} ms")  # fmt: skip
    print("\nthe full test command by part (seconds each part's tests took; the programs run")
    print("ahead, side by side, so a program's test mostly waits for its result):")
    for part, seconds in parts.items():
        print(f"  {part:<46} {seconds:8.2f}")
    print("\nthe contributor's loop, nox -s chapter -- <slug> (pytest start, site build and")
    print("browser included; target 15 s for a Part I chapter):")
    for chapter, seconds in loops.items():
        print(f"  {chapter:<46} {seconds:8.2f}")
    program_times(each)
    print(f"\npage weight: a first visit in Chromium, uncompressed, in kB (1000 bytes), images "
          f"apart; budget {WEIGHT_BUDGET / 1000:.0f} kB")  # fmt: skip
    print(weight_line("home", weights[""]))
    print(weight_line(f"heaviest chapter: {heaviest}", weights[heaviest]))
    if labs_pages:
        lab = max(labs_pages, key=lambda page: budgeted(weights[page]))
        print(weight_line(f"heaviest lab: {lab}", weights[lab]))
    within = sum(budgeted(w) <= WEIGHT_BUDGET for w in weights.values())
    print(f"  pages within budget: {within} of {len(weights)}")
    parts = ", ".join(f"{kind} {size / 1000:.1f} kB" for kind, size in search.items())
    print(f"  opening search the first time adds: {parts or 'nothing'}")

    sent, sent_search = page_weights(site_dir, transferred=True)
    print(f"\npage weight transferred: the same visits, text gzipped as a static host sends it; "
          f"budget {TRANSFERRED_BUDGET / 1000:.0f} kB")  # fmt: skip
    heaviest_sent = max(sent, key=lambda page: budgeted(sent[page]))
    print(weight_line("home", sent[""], TRANSFERRED_BUDGET))
    print(weight_line(f"heaviest page: {heaviest_sent or 'home'}", sent[heaviest_sent],
                      TRANSFERRED_BUDGET))  # fmt: skip
    within = sum(budgeted(w) <= TRANSFERRED_BUDGET for w in sent.values())
    print(f"  pages within budget: {within} of {len(sent)}")


if __name__ == "__main__":
    main()
