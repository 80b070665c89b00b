"""Say how much pip would download to install some requirements, before it does.

Usage: python tools/download_size.py REQUIREMENT...  (run with the python that will install)
It asks pip for its plan (`pip install --dry-run --report`), then the size of each file
it would fetch: from the disk for a local file, from the index (an HTTP HEAD) otherwise.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit


def size_of(url: str) -> int:
    parts = urlsplit(url)
    if parts.scheme == "file":
        return Path(unquote(parts.path)).stat().st_size
    with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=30) as r:
        return int(r.headers.get("Content-Length", 0))


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder, "report.json")
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed",
             "--report", str(report), *sys.argv[1:]],
            check=True,
        )  # fmt: skip
        plan = json.loads(report.read_text())["install"]
    total = 0
    for item in plan:
        url = item["download_info"]["url"]
        size = size_of(url)
        total += size
        if size > 50e6:
            print(
                f"  {item['metadata']['name']} {item['metadata']['version']}: {size / 1e9:.2f} GB"
            )
    print(f"pip will fetch {len(plan)} files, {total / 1e9:.2f} GB in all (before unpacking)")


if __name__ == "__main__":
    main()
