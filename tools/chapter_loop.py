"""Check one chapter or lab the way the full test run does, and with --watch, again each
time one of its files is saved.

Usage (through nox, which makes the environment):
    python3 -m nox -s chapter -- tensors
    python3 -m nox -s chapter -- labs/classifier --watch
    python3 -m nox -s chapter -- datasets --update-outputs

Runs pytest with --chapter: the chapter's programs in the sandbox against their outputs,
its notebook, the prose checks, its page's code blocks, and the site built and its page
opened in Chromium with axe-core. Any other pytest option is passed on.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import threading
import time
from pathlib import Path

from book.catalog import DOCS, REPO, SNIPPETS

STOP = threading.Event()  # set to end --watch (its test does; a reader presses Ctrl-C)


def watched(chapter: str) -> list[Path]:
    """The files whose change means the chapter must be checked again."""
    if chapter.startswith("labs/"):
        name = chapter.removeprefix("labs/")
        return [DOCS / "labs" / f"{name}.py"]
    return [DOCS / f"{chapter}.md", SNIPPETS / chapter]


def check(chapter: str, extra: list[str]) -> int:
    start = time.perf_counter()
    command = [sys.executable, "-m", "pytest", "--leg=cpu", f"--chapter={chapter}", "-q",
               "-p", "no:cacheprovider", "tests", *extra]  # fmt: skip
    done = subprocess.run(command, cwd=REPO, check=False)
    verdict = "passed" if done.returncode == 0 else "FAILED"
    print(f"\n{chapter}: {verdict} in {time.perf_counter() - start:.1f} s", flush=True)
    return done.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("chapter", help="a chapter's slug (tensors) or a lab (labs/classifier)")
    parser.add_argument("--watch", action="store_true", help="check again on every save")
    args, extra = parser.parse_known_args()
    code = check(args.chapter, extra)
    if not args.watch:
        return code
    # watchfiles waits on the kernel's file notifications (inotify), not a polling loop.
    from watchfiles import watch

    paths = [p for p in watched(args.chapter) if p.exists()]
    print(f"watching {', '.join(str(p) for p in paths)} (Ctrl-C stops)", flush=True)
    sources = (".py", ".md")  # not the outputs --update-outputs writes, which would loop
    only_sources = lambda _change, path: path.endswith(sources)  # noqa: E731
    for changes in watch(*paths, watch_filter=only_sources, stop_event=STOP):
        names = sorted({Path(path).name for _change, path in changes})
        print(f"\nchanged: {', '.join(names)}", flush=True)
        check(args.chapter, extra)
    return 0


if __name__ == "__main__":
    sys.exit(main())
