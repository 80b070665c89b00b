"""Print the CPU time each kind of check in the test command costs, each run alone.

Usage (through nox, which makes the environment and fetches axe-core):
    python3 -m nox -s bench -- --cpu-by-kind

The test command keeps every core busy: programs and notebooks run side by side in
the fork server while pytest goes on, and Chromium tours the site in the background.
Its wall time is then the CPU time of all its work divided by the cores, and a part's
own test durations say little. This runs each kind of check on its own, with pytest
selecting it as the test command would, and reads the machine's busy CPU-seconds from
/proc/stat (Linux), so the machine must be otherwise idle.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from book.catalog import REPO

ONLY_SITE = ["tests/browser", "tests/test_site.py", "tests/test_lean_pages.py"]
ONLY_RUNS = ["tests/test_snippets.py", "tests/test_notebooks.py"]
KINDS = [
    ("programs (tests/test_snippets.py)", ["tests/test_snippets.py"]),
    ("chapter notebooks and labs (tests/test_notebooks.py)", ["tests/test_notebooks.py"]),
    ("the site: its build, every page in Chromium, the PDF", ONLY_SITE),
    (
        "self-tests and the other checks",
        ["tests", *(f"--ignore={path}" for path in ONLY_SITE + ONLY_RUNS)],
    ),
    ("the whole test command", ["tests"]),
]


def busy_seconds() -> float:
    """CPU-seconds the machine has spent busy since boot (all cores, idle and I/O wait apart)."""
    with open("/proc/stat") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    idle, iowait = fields[3], fields[4]
    return (sum(fields[:8]) - idle - iowait) / os.sysconf("SC_CLK_TCK")


def measure(selection: list[str]) -> tuple[float, float]:
    """(wall seconds, busy CPU-seconds) of one pytest run; exits on a failed run."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--leg=cpu",
               *selection]  # fmt: skip
    busy, start = busy_seconds(), time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    wall, cpu = time.perf_counter() - start, busy_seconds() - busy
    if done.returncode != 0:  # 5 (nothing collected) included: a figure of no tests is wrong
        sys.exit(f"{' '.join(command)} exited {done.returncode}:\n{done.stdout[-3000:]}")
    return wall, cpu


def main() -> None:
    if not os.path.exists("/proc/stat"):
        sys.exit("--cpu-by-kind reads /proc/stat: Linux only")
    cores = os.cpu_count() or 1
    figures = {label: measure(selection) for label, selection in KINDS}
    width = max(len(label) for label in figures)
    print(f"\neach kind of check run alone: wall seconds, and CPU-seconds the machine was busy "
          f"({cores} cores)")  # fmt: skip
    print(f"  {'':<{width}}  {'wall s':>8}  {'CPU-s':>8}")
    for label, (wall, cpu) in figures.items():
        print(f"  {label:<{width}}  {wall:8.1f}  {cpu:8.1f}")
    kinds = [cpu for label, (_, cpu) in figures.items() if label != "the whole test command"]
    runs = figures[KINDS[0][0]][1] + figures[KINDS[1][0]][1]
    print(
        f"  sum of the kinds: {sum(kinds):.1f} CPU-s; the whole command's wall time is at "
        f"least its CPU-seconds / {cores} = {figures['the whole test command'][1] / cores:.1f} s"
    )
    print(f"  programs and notebooks alone: {runs:.1f} CPU-s, so no test command that runs "
          f"them all ends in under {runs / cores:.1f} s on {cores} cores")  # fmt: skip


if __name__ == "__main__":
    main()
