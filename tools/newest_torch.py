"""Run the book against the newest torch release or release candidate; list what changed.

Usage (through nox): python3 -m nox -s "newest_torch(channel='release')"
                     python3 -m nox -s "newest_torch(channel='candidate')"

`resolve` prints the version a channel offers today: PyPI's newest release, or the
newest pre-release on PyTorch's test index (where release candidates are published)
with the torchvision built beside it. `report` runs the programs, chapter notebooks and
labs with that torch (pytest, CPU leg, nothing recorded) and fails with the list of
programs and notebooks whose output changed, or that failed outright. It opens nothing
by itself: what a maintainer does then is in Contributing ("When a new torch comes").
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

TEST_INDEX = "https://download.pytorch.org/whl/test/cpu"
PYPI = "https://pypi.org/simple"


def newest(package: str, candidate: bool) -> str:
    """The newest version of package on PyPI (a release) or on the test index (pre)."""
    where = (
        ["--pre", "--index-url", TEST_INDEX]
        if candidate
        else ["--index-url", "https://pypi.org/simple"]
    )
    done = subprocess.run(
        [sys.executable, "-m", "pip", "index", "versions", package, *where],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0 or "(" not in done.stdout:
        sys.exit(f"could not list {package} on {where[-1]}:\n{done.stderr.strip()[-2000:]}")
    # "torch (2.16.0rc1)" on the first line
    return done.stdout.split("(", 1)[1].split(")", 1)[0]


def failed_tests(junit: Path) -> list[str]:
    """The ids of the tests a JUnit XML report records as failed or in error."""
    found = []
    for case in ET.parse(junit).getroot().iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            found.append(case.get("name", "?"))
    return found


def report(python: str, torch: str) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        junit = Path(scratch) / "report.xml"
        subprocess.run(
            [python, "-m", "pytest", "--leg=cpu", "-q", "-p", "no:cacheprovider",
             f"--junitxml={junit}", "tests/test_snippets.py", "tests/test_notebooks.py"],
            check=False,
        )  # fmt: skip
        if not junit.exists():
            print(f"torch {torch}: the run ended before writing its report")
            return 2
        changed = failed_tests(junit)
    if not changed:
        print(f"\ntorch {torch}: every program, chapter notebook and lab prints what it records")
        return 0
    print(f"\ntorch {torch}: {len(changed)} changed or failed (the diffs are above):")
    for name in changed:
        print(f"  {name}")
    return 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    sub = parser.add_subparsers(dest="what", required=True)
    resolve = sub.add_parser("resolve", help="print torch and torchvision for a channel, as JSON")
    resolve.add_argument("channel", choices=("release", "candidate"))
    run = sub.add_parser("report", help="run the book with this interpreter's torch")
    run.add_argument("python")
    run.add_argument("torch")
    args = parser.parse_args()
    if args.what == "resolve":
        candidate = args.channel == "candidate"
        versions = {p: newest(p, candidate) for p in ("torch", "torchvision")}
        print(json.dumps(versions | {"index": TEST_INDEX if candidate else None}))
        return 0
    return report(args.python, args.torch)


if __name__ == "__main__":
    sys.exit(main())
