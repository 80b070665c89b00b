"""The mark shown beside a program never claims more than a record proves about that file
and that output, and a page cannot show a program under another program's name."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from book import records, syntax
from book.catalog import REPO
from book.records import Environment, content_hash, entry_for
from book.site.program_blocks import (
    Marks,
    expand_page,
    gpu_outputs,
    measured_outputs,
    status_html,
)

PROGRAM = "snippets/tensors/creating.py"
OUTPUT = "snippets/tensors/creating.out"
CPU = Environment("cpu", "2.13.0+cpu", "CPU")
GPU = Environment("cuda", "2.11.0+cu130", "NVIDIA H200")
# Entries are dated today: a run cannot be dated before the commit it names, nor after today.
TODAY = dt.date.today().isoformat()


def committed(program: str) -> str:
    """A commit at which program had the content it has now (a CUDA entry names one)."""
    commit = records.first_commit_with(program, content_hash(REPO / program))
    if commit is None:
        pytest.skip(f"{program} as it is now is in no commit of this repository's history")
    return commit


def proving(env, program=PROGRAM, output=OUTPUT, result="passed", date=TODAY, **extra):
    entry = {
        "program": content_hash(REPO / program),
        "output": content_hash(REPO / output),
        "result": result,
        "date": date,
    }
    if env.leg == "cuda":
        entry["commit"] = committed(program)
    return env, {program: entry | extra}


def test_matching_records_are_shown_with_device_and_version():
    line = status_html(PROGRAM, [proving(CPU), proving(GPU)])
    assert f"Verified on CPU (torch 2.13.0, {TODAY})" in line
    assert f"Verified on CUDA (NVIDIA H200, torch 2.11.0, {TODAY})" in line


def test_a_changed_program_is_not_yet_verified():
    env, programs = proving(GPU)
    programs[PROGRAM]["program"] = "0" * 64
    line = status_html(PROGRAM, [proving(CPU), (env, programs)])
    assert "Not yet verified on CUDA for this version" in line
    assert "Verified on CUDA" not in line


def test_an_edited_output_is_not_yet_verified(tmp_path, monkeypatch):
    """A hand-edited .out loses its mark: the record names the output's hash too."""
    chapter = tmp_path / "snippets" / "demo"
    chapter.mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_bytes((REPO / "pyproject.toml").read_bytes())
    (chapter / "shows.py").write_text("print(1 + 1)\n")
    (chapter / "shows.out").write_text("2\n")
    monkeypatch.setattr(records, "REPO", tmp_path)
    rel = "snippets/demo/shows.py"
    entry = entry_for(chapter / "shows.py", chapter / "shows.out", passed=True) | {"date": TODAY}
    found = [(CPU, {rel: entry})]
    assert "Verified on CPU" in status_html(rel, found)
    (chapter / "shows.out").write_text("3\n")  # what no run printed
    line = status_html(rel, found)
    assert "Not yet verified on CPU for this version" in line and "Verified on CPU" not in line


def test_a_failed_run_proves_nothing():
    line = status_html(PROGRAM, [proving(GPU, result="failed")])
    assert "Not yet verified on CUDA for this version" in line
    assert "Not yet verified on CPU for this version" in line


def test_a_record_proves_only_its_own_leg():
    line = status_html(PROGRAM, [proving(Environment("cpu", "2.13.0+cpu", "CPU"))])
    assert "Not yet verified on CUDA" in line


def test_measurements_are_shown_only_from_a_matching_gpu_record():
    good = proving(GPU, measured="matmul: 1.0 ms\n")
    env, stale = proving(Environment("cuda", "2.11.0", "GPU B"), measured="matmul: 9.0 ms\n")
    stale[PROGRAM]["program"] = "1" * 64
    blocks = measured_outputs(PROGRAM, [good, (env, stale)])
    assert blocks == [(f"Output on NVIDIA H200 (torch 2.11.0, {TODAY})", "matmul: 1.0 ms\n")]


def test_a_forged_title_cannot_be_written():
    """The old two-part block (a title naming one file, an include of another) is refused
    with the page and line: only the one-line form shows programs."""
    forged = (
        "# A page\n\n"
        '```python title="snippets/tensors/creating.py"\n'
        '--8<-- "snippets/tensors/indexing.py"\n'
        "```\n"
    )
    with pytest.raises(syntax.SyntaxProblem) as caught:
        expand_page(forged, "docs/forged.md", [])
    assert str(caught.value).startswith("docs/forged.md:4: a program is shown with one line")


def test_a_program_line_shows_the_file_it_names_and_nothing_else():
    page = f"# A page\n\n!!! note\n\n    <<< {PROGRAM}\n\n    <<< {PROGRAM}#nothing\n"
    marks = Marks()
    text = expand_page(page, "docs/p.md", [proving(CPU)], marks)
    assert f'    ```python title="{PROGRAM}"\n    --8<-- "{PROGRAM}"\n' in text
    assert f'    ```text title="Output"\n    --8<-- "{OUTPUT}"\n' in text
    assert 'class="verification"' not in text  # the mark is put in once the page is HTML
    assert marks.fill(text, "docs/p.md").count('class="verification"') == 1  # not the excerpt
    assert f'title="{PROGRAM} (nothing)"' in text


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("<<< snippets/tensors/missing.py", "docs/p.md:3: '<<< snippets/tensors/missing.py'"),
        ("<<< docs/index.md", "docs/p.md:3: '<<< docs/index.md' must name a program"),
    ],
)
def test_a_bad_program_line_stops_the_build_with_page_and_line(line, message):
    with pytest.raises(syntax.SyntaxProblem) as caught:
        expand_page(f"# A page\n\n{line}\n", "docs/p.md", [])
    assert str(caught.value).startswith(message), caught.value


def test_recording_again_rewrites_nothing(tmp_path):
    entries = {PROGRAM: entry_for(REPO / PROGRAM, REPO / OUTPUT, passed=True)}
    first = records.write(CPU, entries, "2026-01-01", root=tmp_path)
    [path] = first
    assert records.write(CPU, entries, "2026-02-02", root=tmp_path) == []
    assert json.loads(path.read_text())["programs"][PROGRAM]["date"] == "2026-01-01"
    failed = {PROGRAM: entry_for(REPO / PROGRAM, REPO / OUTPUT, passed=False)}
    assert records.write(CPU, failed, "2026-03-03", root=tmp_path) == [path]
    assert path.relative_to(tmp_path).parts == ("cpu-torch-2.13.0-cpu", "tensors.json")


def test_a_gpus_own_output_is_shown_only_while_a_record_vouches_for_it():
    """Where a GPU printed something else (its .cuda.out), the page shows that output
    under the CPU one, titled with the GPU that printed it; a record naming another
    output, or another program, shows nothing."""
    program = "snippets/regularisation/weight_decay.py"
    cuda = "snippets/regularisation/weight_decay.cuda.out"
    [(title, text)] = gpu_outputs(program, [proving(GPU, program=program, output=cuda)])
    assert title.startswith("Output on a GPU (NVIDIA H200, torch 2.11.0, ")
    assert text == (REPO / cuda).read_text()
    env, programs = proving(GPU, program=program, output=cuda)
    programs[program]["output"] = "0" * 64
    assert gpu_outputs(program, [(env, programs)]) == []
    assert gpu_outputs(program, [proving(CPU, program=program)]) == []
