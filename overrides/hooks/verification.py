"""MkDocs hook: show, under each program, what the verification records prove about it.

A status is derived only from files in verification/, which test runs write.
A program whose content hash differs from a record's is not covered by it.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PROGRAM_FENCE = re.compile(r'^(?P<indent>\s*)```python title="(?P<path>snippets/[^"]+\.py)"\s*$')
OUTPUT_INCLUDE = re.compile(r'^\s*-{1,}8<-{1,}\s+"(?P<path>snippets/[^"]+)\.out"\s*$')


def _records() -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((REPO / "verification").glob("*.json"))]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _torch(record: dict) -> str:
    return record["torch"].split("+", 1)[0]


def status_html(rel: str, records: list[dict]) -> str:
    """One line of status for the program at rel."""
    digest = _sha(REPO / rel)
    parts = []
    for leg, label in (("cpu", "CPU"), ("cuda", "CUDA")):
        proven = [
            r
            for r in records
            if r["leg"] == leg
            and r["snippets"].get(rel, {}).get("sha256") == digest
            and r["snippets"][rel]["result"] == "passed"
        ]
        if proven:
            best = max(proven, key=lambda r: r["snippets"][rel]["date"])
            device = f"{html.escape(best['device'])}, " if leg == "cuda" else ""
            date = best["snippets"][rel]["date"]
            parts.append(
                f'<span class="verified">Verified on {label} ({device}torch {_torch(best)}, '
                f"{date})</span>"
            )
        else:
            parts.append(
                f'<span class="unverified">Not yet verified on {label} for this version</span>'
            )
    return '<span class="verification">' + " · ".join(parts) + "</span>"


def measured_outputs(rel: str, records: list[dict]) -> list[str]:
    """Outputs recorded on GPUs for programs that report measurements."""
    digest, blocks = _sha(REPO / rel), []
    for r in records:
        entry = r["snippets"].get(rel)
        if r["leg"] != "cuda" or not entry or "output" not in entry:
            continue
        if entry["sha256"] != digest or entry["result"] != "passed":
            continue
        title = f"Output on {r['device']} (torch {_torch(r)}, {entry['date']})"
        blocks.append((title, entry["output"]))
    return blocks


def on_page_markdown(markdown: str, page, config, files) -> str:
    records = _records()
    lines = markdown.split("\n")
    out: list[str] = []
    pending: tuple[str, str] | None = None  # (program path, indent) awaiting its output block
    in_output = False
    for line in lines:
        out.append(line)
        m = PROGRAM_FENCE.match(line)
        if m:
            pending = (m["path"], m["indent"])
            continue
        if pending and OUTPUT_INCLUDE.match(line):
            in_output = True
            continue
        if pending and in_output and line.strip() == "```":
            rel, indent = pending
            out.append("")
            out.append(indent + status_html(rel, records))
            for title, text in measured_outputs(rel, records):
                out.append("")
                out.append(f'{indent}```text title="{title}"')
                out.extend(indent + t for t in text.rstrip("\n").split("\n"))
                out.append(f"{indent}```")
            pending, in_output = None, False
    return "\n".join(out)
