"""Which verification marks a change adds or removes, for the reviewer of a pull request.

    python tools/marks_diff.py BASE [HEAD]      (HEAD defaults to HEAD)

Records are reviewed like code: a pull request that adds a record entry adds a
"Verified" mark to a page. This derives the marks at both commits, as the site
would show them (book.records: the records, the programs and outputs, and the
environments pyproject.toml declares, each as that commit has them), and prints in
Markdown the marks added and removed, program by program, the declared environments
that changed, and every record at HEAD that shows no mark and why. CI appends it to
the pull request's job summary.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from book import records  # noqa: E402

# What the marks are derived from: the declared environments, programs and their
# outputs, and the records.
TREE = ("pyproject.toml", "snippets", "verification")
LEGS = (("cpu", "CPU"), ("cuda", "CUDA"))


def _regular_files_only(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo | None:
    # Links and special files are left out: a mark is derived from regular files only.
    if not (member.isfile() or member.isdir()):
        return None
    return tarfile.data_filter(member, path)


def resolve(ref: str, history: Path = REPO) -> str:
    """The commit id ref names (a ref is never read as an option)."""
    done = subprocess.run(
        ["git", "-C", str(history), "rev-parse", "--verify", "--end-of-options",
         f"{ref}^{{commit}}"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout.strip()


def checkout(ref: str, into: Path, history: Path = REPO) -> Path:
    """The files marks are derived from, as commit ref has them, written under into."""
    commit = resolve(ref, history)
    into.mkdir(parents=True, exist_ok=True)
    listed = subprocess.run(
        ["git", "-C", str(history), "ls-tree", "--name-only", commit, "--", *TREE],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    paths = listed.stdout.split()
    if paths:
        archive = subprocess.run(
            ["git", "-C", str(history), "archive", "--format=tar", commit, "--", *paths],
            capture_output=True, check=True,
        )  # fmt: skip
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(into, filter=_regular_files_only)
    return into


def label(leg: str, env: records.Environment) -> str:
    """How one mark is named: the leg, the device on the CUDA leg, the torch build."""
    name = dict(LEGS)[leg]
    device = f"{env.device}, " if leg == "cuda" else ""
    return f"{name} ({device}torch {env.torch})"


def proofs(tree: Path, history: Path = REPO, today: str | None = None) -> dict:
    """{(program, mark): [proof, ...]}: every mark the records under tree prove for its
    files, with the record entries that prove it."""
    if not (tree / "pyproject.toml").is_file():
        return {}  # nothing declared, so no mark
    found = records.load_all(tree / "verification")
    programs = sorted({rel for _, entries in found for rel in entries if records.valid_rel(rel)})
    shown: dict[tuple[str, str], list[records.Proof]] = {}
    for rel in programs:
        for leg, _ in LEGS:
            for proof in records.proofs(rel, leg, found, today, repo=tree, history=history):
                shown.setdefault((rel, label(leg, proof.env)), []).append(proof)
    return shown


def marks(tree: Path, history: Path = REPO, today: str | None = None) -> dict[str, set[str]]:
    """{program: {mark, ...}}: every mark the records under tree prove for its files."""
    shown: dict[str, set[str]] = {}
    for rel, mark in proofs(tree, history, today):
        shown.setdefault(rel, set()).add(mark)
    return shown


def unmerged_commits(added: dict, base: str, history: Path = REPO) -> list[str]:
    """The added marks whose record names a commit that base's history lacks: a run at a
    commit of this change itself, which no GPU machine has run from the main branch."""
    flagged = []
    for (rel, mark), found in sorted(added.items()):
        for proof in found:
            if proof.commit and not records.is_ancestor(proof.commit, base, history):
                flagged.append(f"{_code(rel)}: {_code(mark)} names commit {_code(proof.commit)}")
    return flagged


def declared(tree: Path) -> set[str]:
    """The declared environments of tree's pyproject.toml, one line each."""
    if not (tree / "pyproject.toml").is_file():
        return set()
    rules = records.declared(tree)
    cpu = {f"CPU: torch {release}" for release in rules.cpu}
    return cpu | {f"CUDA: {env.device}, torch {env.torch}" for env in rules.gpu}


def _code(text: str) -> str:
    """text as a Markdown code span (nothing in it is read as Markdown or HTML)."""
    text = text.replace("\n", " ")
    longest = 0
    run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    ticks = "`" * (longest + 1)
    return f"{ticks} {text} {ticks}"


def report(base: str, head: str, history: Path = REPO, today: str | None = None) -> str:
    """The Markdown summary of the marks head adds and removes against base."""
    with tempfile.TemporaryDirectory(prefix="marks-") as scratch:
        before = checkout(base, Path(scratch) / "base", history)
        after = checkout(head, Path(scratch) / "head", history)
        old, new = proofs(before, history, today), proofs(after, history, today)
        base_commit = resolve(base, history)
        old_envs, new_envs = declared(before), declared(after)
        problems = records.problems(after / "verification", today, repo=after, history=history)
    lines = [f"## Verification marks: {_code(head)} against {_code(base)}", ""]
    changes = [
        (rel, "adds" if (rel, mark) in new else "removes", mark)
        for rel, mark in sorted(set(old) ^ set(new))
    ]
    lines += [f"- {_code(rel)}: {verb} {_code(mark)}" for rel, verb, mark in changes]
    lines += [] if changes else ["No mark is added or removed."]
    added = {key: found for key, found in new.items() if key not in old}
    unmerged = unmerged_commits(added, base_commit, history)
    if unmerged:
        lines += ["", "### Marks recorded at a commit of this change", ""]
        lines += [
            "Their runs were recorded at a commit the base branch does not have: check "
            "where they ran.",
            "",
        ]
        lines += [f"- {flagged}" for flagged in unmerged]
    env_changes = [f"- declares {_code(e)}" for e in sorted(new_envs - old_envs)]
    env_changes += [f"- no longer declares {_code(e)}" for e in sorted(old_envs - new_envs)]
    if env_changes:
        lines += ["", "### Declared environments (pyproject.toml)", "", *env_changes]
    if problems:
        lines += ["", "### Records that show no mark", ""]
        lines += [f"- {_code(problem)}" for problem in problems]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the commit the change is compared with")
    parser.add_argument("head", nargs="?", default="HEAD", help="the changed commit")
    args = parser.parse_args(argv)
    sys.stdout.write(report(args.base, args.head))
    return 0


if __name__ == "__main__":
    sys.exit(main())
