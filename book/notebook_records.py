"""Verification records of the chapter notebooks and the labs: what ran, where, with which result.

A program's record (book.records) proves one file and its output. A notebook is made of
several files: a chapter notebook of its page and the programs the page includes, a lab
of its ``.py`` file. Its entry names those files (``sources``) and binds the run to their
hashes and to the hashes of the outputs it was compared with, so that any later edit
of a source or an output leaves the entry proving nothing.

Layout: ``verification/<environment>/notebooks.json``, beside the programs' chapter
files, with the same leg, torch and device fields, and these entries::

    "docs/tensors.md":  {"sources": {"docs/tensors.md": <sha256>, "snippets/...": ...},
                         "outputs": <sha256>, "result": "passed", "commit": ..., "date": ...}
    "docs/labs/classifier.py": {...}

Like every record it arrives in pull requests, so `problems` checks it as
book.records checks a program's: a declared environment, fields of the right form, no
date after today, and on the CUDA leg the commit it was recorded at, at which every
source had the recorded hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from pathlib import Path

from . import records, safe_files
from .catalog import REPO

FILE = "notebooks.json"
# What an entry may name: a chapter page or a lab (the notebook), and as its sources
# those files and programs. Checked before git or the file system sees a path.
NOTEBOOK = re.compile(r"docs/(?:labs/)?[-_a-z0-9]+\.(?:md|py)\Z")
SOURCE = re.compile(r"(?:docs/(?:labs/)?|snippets/[-_a-z0-9]+/)[-_a-z0-9]+\.(?:md|py)\Z")
FIELDS = ("sources", "outputs", "result", "commit", "date")


def digest(paths: list[Path], root: Path = REPO) -> str:
    """One sha256 over several files: each file's path and content hash, in path order."""
    lines = sorted(f"{p.relative_to(root).as_posix()} {records.content_hash(p)}" for p in paths)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def entry_for(sources: list[Path], outputs: list[Path], passed: bool) -> dict:
    """What a run of one notebook proves: its sources' hashes and its outputs' digest."""
    return {
        "sources": {
            p.relative_to(REPO).as_posix(): records.content_hash(p) for p in sorted(set(sources))
        },
        "outputs": digest([p for p in outputs if p.exists()]),
        "result": "passed" if passed else "failed",
    }


def _source_at(commit: str, rel: str) -> str | None:
    if not records.COMMIT.match(commit) or not SOURCE.match(rel):
        return None
    done = records._git(REPO, "cat-file", "blob", f"{commit}:{rel}")
    if done is None or done.returncode != 0:
        return None
    return hashlib.sha256(done.stdout).hexdigest()


def _commit_for(entry: dict, head: str | None) -> str | None:
    """HEAD where every source that ran is HEAD's version, else None (an uncommitted
    edit ran: the entry names no commit)."""
    if head is None:
        return None
    same = all(_source_at(head, rel) == h for rel, h in entry["sources"].items())
    return head if same else None


def first_commit_with(sources: dict[str, str], history: Path = REPO) -> str | None:
    """The first commit of HEAD's history at which every source had its recorded hash."""
    if not sources or not all(SOURCE.match(rel) for rel in sources):
        return None
    done = records._git(history, "rev-list", "--reverse", "HEAD", "--", *sorted(sources))
    if done is None or done.returncode != 0:
        return None
    for commit in done.stdout.decode().split():
        if all(_source_at(commit, rel) == h for rel, h in sources.items()):
            return commit
    return None


def add_commits(root: Path | None = None) -> list[Path]:
    """Give each CUDA notebook entry that names no commit the first commit at which every
    source it ran had the recorded content (a run in a tree whose git HEAD was older, or
    of sources committed after it ran); the files changed."""
    changed = []
    root = root or records.records_dir()
    for path in sorted(p for leg in records.COMMIT_LEGS for p in root.glob(f"{leg}-*/{FILE}")):
        text = safe_files.read_text(path, root=root)
        record = json.loads(text)
        for rel, entry in record.get("notebooks", {}).items():
            if isinstance(entry, dict) and entry.get("commit") is None:
                sources = entry.get("sources")
                found = first_commit_with(sources) if isinstance(sources, dict) else None
                if found is not None:
                    record["notebooks"][rel] = entry | {"commit": found}
        new = json.dumps(record, indent=1) + "\n"
        if new != text:
            safe_files.write_text(path, new, root=root)
            changed.append(path)
    return changed


def write(env: records.Environment, entries: dict[str, dict], today: str) -> Path | None:
    """Merge this run's notebook entries into the environment's notebooks.json; the file
    when it changed. An entry that proves what the kept one proved keeps its date."""
    root = records.records_dir()
    path = root / env.folder / FILE
    exists = os.path.lexists(path)
    old = json.loads(safe_files.read_text(path, root=root)) if exists else {}
    kept = {
        k: v
        for k, v in old.get("notebooks", {}).items()
        if NOTEBOOK.match(k) and (REPO / k).is_file()
    }
    head = records.head_commit(REPO)
    for rel, entry in entries.items():
        if env.leg in records.COMMIT_LEGS and head is not None:
            entry = entry | {"commit": _commit_for(entry, head)}
        before = kept.get(rel)
        proves = {k: entry[k] for k in ("sources", "outputs", "result")}
        if isinstance(before, dict) and {k: before.get(k) for k in proves} == proves:
            if before.get("commit") is None and entry.get("commit") is not None:
                before = before | {"commit": entry["commit"]}
            entry = before
        else:
            entry = entry | {"date": today}
        kept[rel] = {k: entry[k] for k in FIELDS if k in entry}
    record = {"leg": env.leg, "torch": env.torch, "device": env.device}
    if env.python is not None:
        record["python"] = env.python
    record["notebooks"] = dict(sorted(kept.items()))
    text = json.dumps(record, indent=1) + "\n"
    if exists and safe_files.read_text(path, root=root) == text:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    safe_files.write_text(path, text, root=root)
    return path


def entry_problem(env: records.Environment, rel: str, entry, today: str) -> str | None:
    """Why this notebook entry cannot be what a run recorded, or None."""
    if not NOTEBOOK.match(rel):
        return f"{rel!r} is not a notebook (docs/<chapter>.md or docs/labs/<name>.py)"
    if not isinstance(entry, dict):
        return "an entry must be a table of fields"
    sources = entry.get("sources")
    if (
        not isinstance(sources, dict)
        or rel not in sources
        or not all(isinstance(k, str) and SOURCE.match(k) for k in sources)
        or not all(isinstance(v, str) and records.SHA256.match(v) for v in sources.values())
    ):
        return "'sources' must map the notebook and the programs it holds to sha256 hashes"
    if not isinstance(entry.get("outputs"), str) or not records.SHA256.match(entry["outputs"]):
        return "'outputs' must be a sha256 hash"
    if entry.get("result") not in records.RESULTS:
        return f"'result' must be one of {list(records.RESULTS)}"
    if not records._is_date(entry.get("date")):
        return "'date' must be a date written YYYY-MM-DD"
    if entry["date"] > today:
        return f"dated {entry['date']}, after today ({today}): no run has happened then"
    if env.leg in records.COMMIT_LEGS and "commit" not in entry:
        return "names no commit (a CUDA entry names the commit its run was recorded at)"
    commit = entry.get("commit")
    if commit is None:
        return None
    if not isinstance(commit, str) or not records.COMMIT.match(commit):
        return "'commit' must be a full commit id (40 hex digits) or null"
    if not records._known(REPO, commit) or not records._reachable(REPO, commit):
        return f"commit {commit} is not in the history of HEAD"
    for source, recorded in sources.items():
        if _source_at(commit, source) != recorded:
            return f"{source} at commit {commit} does not have its recorded hash"
    day = records._commit_day(REPO, commit)
    if day is not None and entry["date"] < records._day_before(day):
        return f"dated {entry['date']}, before its commit {commit} ({day})"
    return None


def problems(today: str | None = None) -> list[str]:
    """Every reason a notebooks.json cannot stand, each as 'file: why'."""
    root = records.records_dir()
    today = today or dt.date.today().isoformat()
    rules = records.declared()
    found = []
    for path in sorted(root.glob(f"*/{FILE}")):
        where = path.relative_to(root).as_posix()
        try:
            record = json.loads(safe_files.read_text(path, root=root))
        except (OSError, ValueError, RecursionError):
            found.append(f"{where}: not a regular JSON file")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("notebooks"), dict):
            found.append(f"{where}: a record is a table with leg, torch, device and notebooks")
            continue
        env = records.Environment(
            record.get("leg"), record.get("torch"), record.get("device"), record.get("python")
        )
        if not all(isinstance(v, str) for v in (env.leg, env.torch, env.device)):
            found.append(f"{where}: leg, torch and device must be text")
            continue
        why = (
            f"its environment belongs in {env.folder}/"
            if path.parent.name != env.folder
            else rules.why_not(env)
        )
        if why:
            found.append(f"{where}: {why}")
            continue
        for rel, entry in record["notebooks"].items():
            why = entry_problem(env, rel, entry, today)
            if why:
                found.append(f"{where}: {rel}: {why}")
    return found
