"""The status shown beside a program never claims more than a record proves."""

from __future__ import annotations

import importlib.util

from harness.catalog import REPO
from harness.record import content_hash

spec = importlib.util.spec_from_file_location(
    "verification_hook", REPO / "overrides" / "hooks" / "verification.py"
)
hook = importlib.util.module_from_spec(spec)
spec.loader.exec_module(hook)

PROGRAM = "snippets/tensors/creating.py"


def record(leg, device, sha, result="passed", output=None):
    entry = {"sha256": sha, "result": result, "seconds": 0.1, "date": "2026-01-02"}
    if output is not None:
        entry["output"] = output
    return {"leg": leg, "torch": "2.11.0+cu130", "device": device, "snippets": {PROGRAM: entry}}


def test_matching_records_are_shown_with_device_and_version():
    sha = content_hash(REPO / PROGRAM)
    line = hook.status_html(PROGRAM, [record("cpu", "x", sha), record("cuda", "NVIDIA H200", sha)])
    assert "Verified on CPU (torch 2.11.0, 2026-01-02)" in line
    assert "Verified on CUDA (NVIDIA H200, torch 2.11.0, 2026-01-02)" in line


def test_a_changed_program_is_not_yet_verified_on_cuda():
    sha = content_hash(REPO / PROGRAM)
    line = hook.status_html(PROGRAM, [record("cpu", "x", sha), record("cuda", "GPU", "0" * 64)])
    assert "Not yet verified on CUDA for this version" in line
    assert "Verified on CUDA" not in line


def test_a_failed_run_proves_nothing():
    sha = content_hash(REPO / PROGRAM)
    line = hook.status_html(PROGRAM, [record("cuda", "GPU", sha, result="failed")])
    assert "Not yet verified on CUDA for this version" in line
    assert "Not yet verified on CPU for this version" in line


def test_measurements_are_shown_only_from_a_matching_gpu_record():
    sha = content_hash(REPO / PROGRAM)
    good = record("cuda", "GPU A", sha, output="matmul: 1.0 ms\n")
    stale = record("cuda", "GPU B", "1" * 64, output="matmul: 9.0 ms\n")
    blocks = hook.measured_outputs(PROGRAM, [good, stale])
    assert blocks == [("Output on GPU A (torch 2.11.0, 2026-01-02)", "matmul: 1.0 ms\n")]
