"""The verification record: what ran, where, with which result. Written by test runs only."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
from pathlib import Path

from .catalog import REPO

RECORDS = REPO / "verification"


def content_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def machine(leg: str) -> dict:
    """Torch version and device name of this run (asked in the test process, never a child)."""
    import torch

    if leg == "cuda" and torch.cuda.is_available():
        device = torch.cuda.get_device_name(0)
        cuda = torch.version.cuda
    else:
        device = _cpu_name()
        cuda = None
    return {
        "leg": leg,
        "torch": torch.__version__,
        "cuda": cuda,
        "device": device,
        "python": platform.python_version(),
    }


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def record_path(info: dict) -> Path:
    # "2.11.0+cu130" -> "2.11.0-cu130": plain characters travel everywhere.
    version = info["torch"].replace("+", "-")
    return RECORDS / f"{info['leg']}-torch-{version}.json"


def write(info: dict, results: dict[str, dict]) -> Path:
    """Merge this run's results into the record for this leg and torch version."""
    path = record_path(info)
    record = json.loads(path.read_text()) if path.exists() else {"snippets": {}}
    today = dt.date.today().isoformat()
    snippets = {k: v for k, v in record["snippets"].items() if (REPO / k).exists()}
    for rel, entry in results.items():
        snippets[rel] = entry | {"date": today}
    record = info | {"updated": today, "snippets": dict(sorted(snippets.items()))}
    RECORDS.mkdir(exist_ok=True)
    path.write_text(json.dumps(record, indent=1, sort_keys=False) + "\n")
    return path


def load_all() -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(RECORDS.glob("*.json"))]
