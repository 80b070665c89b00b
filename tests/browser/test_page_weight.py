"""Every page's first visit stays within the transferred-bytes budget.

What a reader downloads is the compressed size: every request of a first visit
(empty cache), text gzipped as a static host serves it, images apart. The search
index is not part of a first visit: it loads when search is opened."""

from __future__ import annotations

import shutil

from book.site.server import SiteServer, page_weight

# Bytes (1 kB = 1000) one first visit may transfer, images apart.
BUDGET = 100_000


def over_budget(weights_of: dict[str, dict[str, int]]) -> list[str]:
    """Pages whose first visit transferred too much, or fetched the search index."""
    problems = []
    for page, weights in weights_of.items():
        if "search index" in weights:
            problems.append(f"/{page}: the search index was fetched before search was opened")
        total = sum(size for kind, size in weights.items() if kind != "images")
        if total > BUDGET:
            parts = ", ".join(f"{k} {v / 1000:.1f}" for k, v in sorted(weights.items()))
            problems.append(
                f"/{page}: {total / 1000:.1f} kB transferred on a first visit, over the "
                f"{BUDGET / 1000:.0f} kB budget ({parts})"
            )
    return problems


def test_every_page_is_within_the_transferred_budget(tours, pages):
    """Weighed by the light tour, which visits every page with the browser cache off."""
    weights_of = {visit.page: visit.weights for visit in tours("light") if visit.page in pages}
    assert weights_of.keys() == set(pages), "the light tour weighed only some pages"
    assert all(w.get("HTML") for w in weights_of.values()), "a page weighed no HTML"
    problems = over_budget(weights_of)
    assert not problems, "\n".join(problems)


def test_a_heavy_page_fails_the_budget(chromium, built_site, tmp_path):
    """A page with 150 kB of text no compressor can shrink is caught, with its figures."""
    import os

    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    heavy = site / "tensors" / "index.html"
    noise = os.urandom(150_000).hex()[:150_000]  # hex of random bytes: gzip halves it, no more
    heavy.write_text(heavy.read_text().replace("</body>", f"<!-- {noise} --></body>"))
    with SiteServer(site) as server:
        weights = page_weight(chromium, server, "tensors/", transferred=True)
    [problem] = over_budget({"tensors/": weights})
    assert problem.startswith("/tensors/: ") and "over the 100 kB budget" in problem
