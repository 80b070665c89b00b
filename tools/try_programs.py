"""Run programs in the sandbox, as the tests do, and show what each printed and how long it took.

    python tools/try_programs.py snippets/my-topic/first_steps.py [more.py ...]

Nothing is compared or recorded: this is for writing a program. It reports what the
tests would find wrong with how a program ran (book.judge), but not with its output:
`nox -s outputs` records that once it is right, and `nox -s tests` compares it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from book.catalog import load_snippet  # noqa: E402
from book.judge import behaviour_problems  # noqa: E402
from book.run.runner import SnippetRunner  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("programs", nargs="+", type=Path)
    parser.add_argument("--leg", default="cpu", choices=["cpu", "cuda"])
    args = parser.parse_args()
    runner = SnippetRunner(REPO, leg=args.leg)
    failed = 0
    try:
        for path in args.programs:
            snippet = load_snippet(path)
            result = runner.run(snippet.path, snippet.timeout)
            print(f"=== {path}  ({result.seconds:.2f} s, exit {result.exit_code})")
            print(result.stdout, end="")
            if result.stderr.strip():
                print(f"--- stderr\n{result.stderr}", end="")
            if result.error_type:
                print(f"--- raised {result.error_type} at line {result.error_line}")
            problems = behaviour_problems(snippet, result)
            for problem in problems:
                print(f"--- problem: {problem}")
            failed += bool(problems)
    finally:
        runner.close()
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
