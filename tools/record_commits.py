"""Name, in each CUDA record entry that names none, the commit its program was recorded at.

    python tools/record_commits.py [records folder, default verification/]

For records written before entries named their commit, and for records written where
the tree had no git history (a copy of the repository without ``.git``): for each such
entry it finds, in HEAD's history, the first commit at which the program's file had
the recorded content, and writes it as the entry's ``commit``. An entry whose content
never was in the history gets ``null`` and shows no mark. A run in a git checkout
writes the commit itself (book.records.write); this changes no entry that already
names one, or names ``null``.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from book import records  # noqa: E402


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else records.RECORDS
    changed = records.add_commits(root)
    for path in changed:
        print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
    if not changed:
        print("every CUDA entry already names its commit")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
