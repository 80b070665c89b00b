"""Name the commit each CUDA record entry without one was recorded at (programs, notebooks).

    python tools/record_commits.py [records folder, default verification/]

For each CUDA entry that names no commit, or null, it finds in HEAD's history the
first commit at which the program's file had the recorded content, and writes it as
the entry's ``commit``; an entry whose content never was in the history keeps (or
gets) ``null`` and shows no mark. It named the commits of the records written before
entries named one. A run in a git checkout writes the commit itself
(book.records.write) when the program that ran is HEAD's version; this names it
afterwards for a run in a tree without git history, or of a program committed after
it ran. A notebook's entry gets the first commit at which the page and every program
it holds had the recorded content. Review the change like any record:
tools/marks_diff.py lists the marks it adds.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from book import notebook_records, records  # noqa: E402


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else records.RECORDS
    changed = records.add_commits(root) + notebook_records.add_commits(root)
    for path in changed:
        print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
    if not changed:
        print("no entry changed: each names its commit, or its content is in no commit")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
