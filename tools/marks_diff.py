"""Which verification marks a change adds or removes, for the reviewer of a pull request.

    python tools/marks_diff.py BASE [HEAD]      (HEAD defaults to HEAD)

Records are reviewed like code: a pull request that adds a record entry adds a
"Verified" mark to a page. This derives the marks at both commits, as the site
would show them (book.records: the records, the programs and outputs, and the
environments pyproject.toml declares, each as that commit has them), and prints in
Markdown the marks added and removed, program by program, the declared environments
that changed, and every record at HEAD that shows no mark and why. CI appends it to
the pull request's job summary.

Two things come first, under "Check before merging", because the marks above cannot
show them:

- every record entry at HEAD that names a commit the base branch's history lacks,
  whether or not its mark is new (a mark that stays can rest on a new entry). GPU runs
  happen on the main branch, so such an entry was recorded at a commit of the change
  itself, or somewhere else: no GPU machine ran it from the main branch;
- every ``.gitattributes`` the change adds, edits or removes. Attributes change what a
  checkout or an archive holds (files left out, line endings, encodings), so the site
  could be built from other bytes than the ones this summary reads.

Files are read from git's objects as they were committed (``git ls-tree`` and
``git cat-file``), never with ``git archive`` or a checkout: both apply attributes
that a pull request can set, and ``export-ignore`` alone would hide a record from
this summary while the site, built from a checkout, shows its mark.

A run at a commit of the change is caught here, before the merge, and not by the
build afterwards. No record can name the commit that adds it (a commit's id is a hash
of its content, which would then hold that id), so such an entry names an earlier
commit of the same change; once merged, a fast-forward leaves that commit on the main
line, indistinguishable from one a GPU machine ran. A rule on the history's shape
(only commits of the first-parent line) would depend on how changes are merged, and
would take the marks from every branch that merges the main branch in.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from book import records  # noqa: E402

# What the marks are derived from: the declared environments, programs and their
# outputs, and the records.
TREE = ("pyproject.toml", "snippets", "verification")
LEGS = (("cpu", "CPU"), ("cuda", "CUDA"))
# Modes of the tree entries read: regular files. Links (120000) and submodules (160000)
# are left out: a mark is derived from regular files only.
REGULAR = ("100644", "100755")


def _git(history: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """git's output in the repository at history; CalledProcessError when it fails."""
    # GIT_DIR and its kin would point git at another repository; replacement objects
    # (refs/replace) would let git show other content than a commit holds.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["GIT_NO_REPLACE_OBJECTS"] = "1"
    done = subprocess.run(
        ["git", "-C", str(history), *args], input=stdin, capture_output=True, check=True, env=env
    )
    return done.stdout


def resolve(ref: str, history: Path = REPO) -> str:
    """The commit id ref names (a ref is never read as an option)."""
    found = _git(history, "rev-parse", "--verify", "--end-of-options", f"{ref}^{{commit}}")
    return found.decode().strip()


def tree_files(commit: str, history: Path = REPO, paths: tuple[str, ...] = ()) -> list:
    """(mode, object id, path) of every file of commit under paths (all when none)."""
    listed = _git(history, "ls-tree", "-r", "-z", "--full-tree", commit, "--", *paths)
    found = []
    for item in listed.decode("utf-8", "surrogateescape").split("\0"):
        if item:
            meta, path = item.split("\t", 1)
            mode, _kind, obj = meta.split()
            found.append((mode, obj, path))
    return found


def blobs(objects: list[str], history: Path = REPO) -> dict[str, bytes]:
    """{object id: content} as committed: `git cat-file --batch` applies no attribute,
    filter or conversion."""
    if not objects:
        return {}
    out = _git(history, "cat-file", "--batch", stdin="".join(f"{o}\n" for o in objects).encode())
    found, at = {}, 0
    for _ in objects:  # one answer per object asked for, in order
        header_end = out.index(b"\n", at)
        name, _kind, size = out[at:header_end].decode().split()
        start = header_end + 1
        found[name] = out[start : start + int(size)]
        at = start + int(size) + 1  # the content ends with a newline of the batch format
    return found


def checkout(ref: str, into: Path, history: Path = REPO) -> Path:
    """The files marks are derived from, as commit ref has them, written under into."""
    commit = resolve(ref, history)
    into.mkdir(parents=True, exist_ok=True)
    listed = tree_files(commit, history, TREE)
    files = [(obj, path) for mode, obj, path in listed if mode in REGULAR]
    content = blobs(sorted({obj for obj, _ in files}), history)
    for obj, path in files:
        parts = Path(path).parts
        if Path(path).is_absolute() or ".." in parts:
            continue  # git stores no such path; never write outside into
        target = into.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content[obj])
    return into


def attributes(commit: str, history: Path = REPO) -> dict[str, str]:
    """{path: object id} of every .gitattributes file of commit."""
    return {
        path: obj
        for _mode, obj, path in tree_files(commit, history)
        if path.rsplit("/", 1)[-1] == ".gitattributes"
    }


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


def named_commits(tree: Path) -> list[tuple[str, str, str]]:
    """(record file, program, commit) for every entry under tree/verification that names a
    commit: every JSON file at any depth, whatever the site would make of it."""
    found = []
    for path in sorted((tree / "verification").rglob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            continue  # shows no mark; records.problems names it
        programs = record.get("programs") if isinstance(record, dict) else None
        if not isinstance(programs, dict):
            continue
        for rel, entry in programs.items():
            commit = entry.get("commit") if isinstance(entry, dict) else None
            if commit is not None:
                found.append((path.relative_to(tree).as_posix(), str(rel), str(commit)))
    return found


def foreign_commits(tree: Path, shown: dict, base: str, history: Path = REPO) -> list[str]:
    """Each entry under tree naming a commit that base's history lacks, and the marks it
    shows: a run at a commit of this change itself (or of no branch), which no GPU machine
    ran from the main branch. Every such entry, not only those of new marks: a mark that
    stays can rest on a new entry, recorded at the change's own commit."""
    marks_of: dict[tuple[str, str], set[str]] = {}
    for (rel, mark), found in shown.items():
        for proof in found:
            marks_of.setdefault((rel, proof.commit), set()).add(mark)
    known: dict[str, bool] = {}
    flagged = []
    for where, rel, commit in named_commits(tree):
        if commit not in known:
            known[commit] = records.is_ancestor(commit, base, history)
        if known[commit]:
            continue
        line = f"{_code(where)}: {_code(rel)} names commit {_code(commit)}"
        showing = sorted(marks_of.get((rel, commit), ()))
        line += f", and shows {', '.join(_code(m) for m in showing)}" if showing else ""
        flagged.append(line)
    return flagged


def attribute_changes(base: str, head: str, history: Path = REPO) -> list[str]:
    """Each .gitattributes head adds, edits or removes against base."""
    old, new = attributes(base, history), attributes(head, history)
    changes = []
    for path in sorted(old.keys() | new.keys()):
        if path not in old:
            changes.append(f"adds {_code(path)}")
        elif path not in new:
            changes.append(f"removes {_code(path)}")
        elif old[path] != new[path]:
            changes.append(f"edits {_code(path)}")
    return changes


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


def warnings(foreign: list[str], attrs: list[str]) -> list[str]:
    """The "Check before merging" sections: what the list of marks cannot show."""
    lines = []
    if foreign:
        lines += ["", "### Check before merging: records naming a commit the base branch lacks"]
        lines += [
            "",
            "**GPU runs happen on the main branch and record the commit they ran at. These "
            "entries name a commit that is not in the base branch's history: no GPU machine "
            "ran them from there. Ask where each one ran.**",
            "",
            *(f"- {line}" for line in foreign),
        ]
    if attrs:
        lines += ["", "### Check before merging: `.gitattributes` changed"]
        lines += [
            "",
            "**Attributes change what a checkout or an archive holds (files left out, line "
            "endings, encodings): the site could be built from other bytes than the ones "
            "this summary reads. Review each change.**",
            "",
            *(f"- {line}" for line in attrs),
        ]
    return lines


def report(base: str, head: str, history: Path = REPO, today: str | None = None) -> str:
    """The Markdown summary of the marks head adds and removes against base."""
    base_commit, head_commit = resolve(base, history), resolve(head, history)
    with tempfile.TemporaryDirectory(prefix="marks-") as scratch:
        before = checkout(base_commit, Path(scratch) / "base", history)
        after = checkout(head_commit, Path(scratch) / "head", history)
        old, new = proofs(before, history, today), proofs(after, history, today)
        foreign = foreign_commits(after, new, base_commit, history)
        old_envs, new_envs = declared(before), declared(after)
        problems = records.problems(after / "verification", today, repo=after, history=history)
    lines = [f"## Verification marks: {_code(head)} against {_code(base)}"]
    lines += warnings(foreign, attribute_changes(base_commit, head_commit, history))
    changes = [
        (rel, "adds" if (rel, mark) in new else "removes", mark)
        for rel, mark in sorted(set(old) ^ set(new))
    ]
    lines += ["", "### Marks added and removed", ""]
    lines += [f"- {_code(rel)}: {verb} {_code(mark)}" for rel, verb, mark in changes]
    lines += [] if changes else ["No mark is added or removed."]
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
