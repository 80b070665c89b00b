"""Verification records: what ran, in which environment, with which result. Data, not logs.

A record binds a result to content: each entry names a program by the hashes of
its file and of the output the page shows under it (the recorded ``.out``, or the
``.cuda.out`` the CUDA leg compared with), and the environment that ran it (leg,
torch version, device). The mark on a page is derived from these and nothing
else, so editing the program or its output by hand, or an output that no run
produced, shows "Not yet verified".

Layout: ``verification/<leg>-torch-<version>/<chapter>.json``, one file per
chapter, so two changes to different chapters never touch the same file. A file
changes only when an entry's content, result or environment changes: rerunning
the tests rewrites nothing (the date of an entry is when it last changed), and
timings go to ``test-artifacts/``, never here.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from .catalog import REPO

RECORDS = REPO / "verification"
# The build reads records from here instead when set (the test command builds the
# site from this run's record, written under test-artifacts/).
RECORDS_ENV = "BOOK_RECORDS"


def content_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def records_dir() -> Path:
    return Path(os.environ.get(RECORDS_ENV) or RECORDS)


@dataclass(frozen=True)
class Environment:
    """Where a run happened: what a verified mark names."""

    leg: str  # cpu or cuda
    torch: str  # torch.__version__, e.g. 2.13.0+cpu
    device: str  # the GPU's name on the CUDA leg, "CPU" on the CPU leg

    @property
    def folder(self) -> str:
        # "2.11.0+cu130" -> "2.11.0-cu130": plain characters travel everywhere.
        return f"{self.leg}-torch-{self.torch.replace('+', '-')}"

    @property
    def torch_release(self) -> str:
        return self.torch.split("+", 1)[0]


def this_environment(leg: str) -> Environment:
    """Torch version and device of this run (asked in the test process, never a child)."""
    import torch

    if leg == "cuda" and torch.cuda.is_available():
        device = torch.cuda.get_device_name(0)
    else:
        device = "CPU"
    return Environment(leg, torch.__version__, device)


def entry_for(program: Path, shown_output: Path, passed: bool) -> dict:
    return {
        "program": content_hash(program),
        "output": content_hash(shown_output) if shown_output.exists() else None,
        "result": "passed" if passed else "failed",
    }


def chapter_of(rel: str) -> str:
    """snippets/<chapter>/<name>.py -> <chapter>."""
    return rel.split("/")[1]


def write(env: Environment, entries: dict[str, dict], today: str, root: Path | None = None):
    """Merge this run's entries into the records of this environment; changed files.

    An entry whose hashes and result are unchanged keeps its date, so a file is
    rewritten only when something it proves changed. Entries of programs that no
    longer exist are dropped.
    """
    folder = (root or records_dir()) / env.folder
    by_chapter: dict[str, dict[str, dict]] = {}
    for rel, entry in entries.items():
        by_chapter.setdefault(chapter_of(rel), {})[rel] = entry
    changed = []
    for chapter, new in sorted(by_chapter.items()):
        path = folder / f"{chapter}.json"
        old = json.loads(path.read_text()) if path.exists() else {}
        programs = {k: v for k, v in old.get("programs", {}).items() if (REPO / k).exists()}
        for rel, entry in new.items():
            kept = programs.get(rel, {})
            # What a run measured (`# varies:`) is kept with the entry it came with; a
            # new measurement alone does not rewrite the record.
            proves = {k: v for k, v in entry.items() if k != "measured"}
            same = {k: kept.get(k) for k in proves} == proves
            programs[rel] = kept if same else entry | {"date": today}
        record = {
            "leg": env.leg,
            "torch": env.torch,
            "device": env.device,
            "programs": dict(sorted(programs.items())),
        }
        text = json.dumps(record, indent=1) + "\n"
        if not path.exists() or path.read_text() != text:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            changed.append(path)
    return changed


@dataclass(frozen=True)
class Proof:
    """One record entry that proves a program block as it is now."""

    env: Environment
    date: str
    measured: str | None = None  # the output a `# varies:` program printed there


def load_all(root: Path | None = None) -> list[tuple[Environment, dict[str, dict]]]:
    """(environment, {program: entry}) for every record file."""
    found = []
    for path in sorted((root or records_dir()).glob("*/*.json")):
        record = json.loads(path.read_text())
        env = Environment(record["leg"], record["torch"], record["device"])
        found.append((env, record["programs"]))
    return found


def shown_output_path(program: Path, leg: str, release: str | None = None) -> Path:
    """The output a run on this leg (and torch release, "2.10") was compared with: the
    release's own output where one is recorded, else the page's ``.out``."""
    cuda = program.with_suffix(".cuda.out")
    if leg == "cuda" and cuda.exists():
        return cuda
    if release is not None:
        own = program.with_suffix(f".torch-{release}.out")
        if own.exists():
            return own
    return program.with_suffix(".out")


def release_of(torch_version: str) -> str:
    """ "2.10.0+cpu" -> "2.10": outputs differ between releases, not patch versions."""
    return ".".join(torch_version.split("+", 1)[0].split(".")[:2])


def proofs(rel: str, leg: str, records: list[tuple[Environment, dict[str, dict]]]) -> list[Proof]:
    """Every passed entry of this leg whose hashes match the files as they are now."""
    program = REPO / rel
    if not program.exists():
        return []
    want_program = content_hash(program)
    found = []
    for env, programs in records:
        entry = programs.get(rel)
        if env.leg != leg or not entry or entry.get("result") != "passed":
            continue
        output = shown_output_path(program, leg, release_of(env.torch))
        want_output = content_hash(output) if output.exists() else None
        if entry.get("program") == want_program and entry.get("output") == want_output:
            found.append(Proof(env, entry["date"], entry.get("measured")))
    return found
