"""Programs started by torch's launcher (`# launch: torchrun ...`): run as the page shows,
inside the same sandbox, every process confined and reaped."""

from __future__ import annotations

import pytest
from conftest import run_program

from book.syntax import parse_directives

# Two processes that meet by name (torchrun --standalone rendezvous on localhost),
# add their ranks, try the outside network, and leave a process behind.
TWO_RANKS = """\
    # launch: torchrun --standalone --nproc-per-node 2
    import socket
    import subprocess

    import torch
    import torch.distributed as dist

    dist.init_process_group("gloo")
    rank = dist.get_rank()
    total = torch.tensor([float(rank + 1)])
    dist.all_reduce(total)
    try:
        socket.create_connection(("192.0.2.1", 80), timeout=2)
        outside = "reached"
    except OSError as error:
        outside = type(error).__name__
    if rank == 1:  # outlives its worker, unless the pid namespace ends it
        subprocess.Popen(["sleep", "600"], start_new_session=True)
    rows = [None, None]
    dist.all_gather_object(rows, (rank, dist.get_world_size(), total.item(), outside))
    if rank == 0:
        for row in rows:
            print(*row)
    dist.destroy_process_group()
    """


def test_a_launched_program_runs_every_process_in_the_sandbox(runner, tmp_path):
    result, problems = run_program(runner, tmp_path, TWO_RANKS)
    assert problems == [], result.stderr[-2000:]
    assert result.stdout == "0 2 3.0 OSError\n1 2 3.0 OSError\n"
    assert result.seconds < 40  # the process left sleeping ended with the namespace


def test_a_failing_process_fails_the_launched_program(runner, tmp_path):
    source = """\
        # launch: torchrun --standalone --nproc-per-node 2
        import os

        if os.environ["RANK"] == "1":
            raise ValueError("rank 1 fails")
        print("rank", os.environ["RANK"], "done")
        """
    result, problems = run_program(runner, tmp_path, source)
    assert result.exit_code != 0
    assert "ValueError: rank 1 fails" in result.stderr
    assert problems, "a run whose worker failed must not pass"


@pytest.mark.parametrize(
    "header",
    [
        "# launch: torchrun --nproc-per-node 2",
        "# launch: torchrun --standalone --nproc-per-node 9",
        "# launch: torchrun --standalone --nproc-per-node 2 --rdzv-endpoint evil:1",
        "# launch: python -m torch.distributed.run --standalone --nproc-per-node 2",
    ],
)
def test_only_the_launcher_command_a_page_shows_is_accepted(header):
    found = parse_directives(f"{header}\nprint(1)\n", "snippets/demo/launched.py")
    [problem] = found.problems
    assert problem.startswith("snippets/demo/launched.py:1: '# launch:")
    assert found.launch is None


def test_a_launched_program_declares_no_expected_error():
    header = "# launch: torchrun --standalone --nproc-per-node 2\n# expected-error: ValueError\n"
    found = parse_directives(header, "snippets/demo/launched.py")
    [problem] = found.problems
    assert "'# launch:' and '# expected-error:' together" in problem


def test_the_launch_command_is_what_a_reader_types():
    found = parse_directives("# launch: torchrun --standalone --nproc-per-node 2\n", "p.py")
    assert found.launch == ("--standalone", "--nproc-per-node", "2")
    assert found.launch_command == "torchrun --standalone --nproc-per-node 2"


def test_a_chapter_notebook_saves_a_launched_program_and_starts_it_with_torchrun(runner, tmp_path):
    """In a notebook a launched program is two cells, %%writefile and !torchrun, as a
    reader runs it in Jupyter or Colab; the harness runs them as the Python they stand
    for, and the launch cell prints what the program prints."""
    from book.notebooks import from_notebook, notebook_problems, run_notebook
    from book.site.chapter_notebooks import build_notebook

    program = tmp_path / "snippets" / "demo" / "ranks.py"
    program.parent.mkdir(parents=True)
    program.write_text(
        "# launch: torchrun --standalone --nproc-per-node 2\n"
        "import os\n\n"
        'print("rank", os.environ["RANK"], "of", os.environ["WORLD_SIZE"]) '
        'if os.environ["RANK"] == "0" else None\n'
    )
    nb = build_notebook("# Demo\n\n<<< snippets/demo/ranks.py\n", root=tmp_path)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.source.split("\n", 1)[0] for c in code] == [
        "%%writefile ranks.py",
        "!torchrun --standalone --nproc-per-node 2 ranks.py",
    ]
    assert code[0].source.split("\n", 1)[1] == program.read_text().strip("\n")
    notebook = from_notebook(nb, "notebooks/demo.ipynb", tmp_path / "demo.ipynb")
    assert [c.program for c in notebook.cells] == [None, "snippets/demo/ranks.py"]
    result = run_notebook(runner, notebook)
    assert notebook_problems(notebook, result) == [], result.stderr[-2000:]
    assert result.stdout == "Writing ranks.py\nrank 0 of 2\n"


def test_the_page_shows_the_launch_command_the_harness_runs(tmp_path, monkeypatch):
    """Under a launched program the page shows the command, read from the same header
    the harness starts it with: the two cannot disagree."""
    from book.site import program_blocks
    from book.syntax import program_lines

    program = tmp_path / "snippets" / "demo" / "ranks.py"
    program.parent.mkdir(parents=True)
    program.write_text("# launch: torchrun --standalone --nproc-per-node 2\nprint(1)\n")
    monkeypatch.setattr(program_blocks, "REPO", tmp_path)
    [line] = program_lines("<<< snippets/demo/ranks.py\n", "docs/demo.md")
    shown = program_blocks.expand(line, [], program_blocks.Marks(), "docs/demo.md")
    at = shown.index('```shell title="Run it with"')
    assert shown[at + 1] == "torchrun --standalone --nproc-per-node 2 ranks.py"
    assert shown.index('```text title="Output"') > at


def test_the_gpu_check_does_not_read_a_launchers_report(tmp_path):
    """On the CUDA leg a program that picks the device must allocate GPU memory, read from
    its process's report; a launched program's workers write none, so it is not judged
    by the launcher's empty one (the workers' own output is still compared)."""
    from book.catalog import load_snippet
    from book.judge import cuda_problems
    from book.run.runner import RunResult

    idiom = (
        "device = torch.accelerator.current_accelerator() if torch.accelerator.is_available()"
        ' else "cpu"\n'
    )
    plain = tmp_path / "plain.py"
    plain.write_text("import torch\n" + idiom)
    launched = tmp_path / "launched.py"
    header = "# launch: torchrun --standalone --nproc-per-node 2\n"
    launched.write_text(header + "import torch\n" + idiom)
    for path, flagged in ((plain, True), (launched, False)):
        result = RunResult(path=path, stdout="", stderr="", exit_code=0, seconds=1, timed_out=False)
        assert bool(cuda_problems(load_snippet(path), result)) == flagged


def test_gloo_connection_lines_of_torch_2_10_are_left_out_even_interleaved():
    """torch 2.10's gloo prints a connection line per process, in pieces that interleave
    in any order; what is compared and recorded is the program's own output."""
    from book.compare import expected_text

    tail = " is connected to 1 peer ranks. Expected number of connected peer ranks is : 1\n"
    program = "world size: 2\n1.5 and 15.0\n"
    for printed in (
        "[Gloo] Rank 0" + tail + "[Gloo] Rank 1" + tail,
        "[Gloo] Rank 0[Gloo] Rank 1" + tail + tail,
        interleaved(),
        # Seen in a torch 2.10 run: one message's text split in two by the other's,
        # and the last number after the first line break.
        "[Gloo] Rank 0 is connected to 1 peer ranks. [Gloo] Rank Expected number of "
        "connected peer ranks is : 1 is connected to 1 peer ranks. Expected number of "
        "connected peer ranks is : 1\n1\n",
    ):
        assert expected_text(printed + program, None) == program
    # A whole line later on, as when one process's write reached the pipe late.
    late = "[Gloo] Rank 0" + tail + "world size: 2\n" + "[Gloo] Rank 1" + tail + "1.5 and 15.0\n"
    assert expected_text(late, None) == program
    # Not whole messages: the output is left as it is.
    broken = "[Gloo] Rank 0 is connected\n" + program
    assert expected_text(broken, None) == broken
    assert expected_text(program + broken, None) == program + broken
    own = "rank 0: [Gloo] Rank 1 is my text\n"
    assert expected_text(own, None) == own


def interleaved() -> str:
    """Two processes' connection messages, piece by piece, as gloo's writes can mix."""
    expected = " peer ranks. Expected number of connected peer ranks is : "
    one = ["[Gloo] Rank ", "0", " is connected to ", "1", expected, "1", "\n"]
    two = ["[Gloo] Rank ", "1", " is connected to ", "1", expected, "1", "\n"]
    order = [(one, 0), (two, 0), (two, 1), (one, 1), (one, 2), (two, 2), (two, 3)]
    order += [(one, 3), (one, 4), (one, 5), (one, 6), (two, 4), (two, 5), (two, 6)]
    return "".join(pieces[i] for pieces, i in order)


def test_the_known_ddp_abort_is_recognised_only_by_its_marker_and_program():
    """A DDP program's abort at exit is named; another program's, or another error, is not."""
    from book.upstream import DDP_EXIT_ABORT, known_crash

    ddp = "snippets/distributed-training/ddp_training.py"
    aborted = "rank 0 printed\nterminate called without an active exception\n"
    assert known_crash([ddp], aborted) is DDP_EXIT_ABORT
    assert known_crash([ddp], "RuntimeError: connection reset\n") is None
    assert known_crash(["snippets/distributed-training/first_group.py"], aborted) is None


def test_a_run_cut_short_is_told_from_one_that_printed_something_else(tmp_path):
    """The start of the golden output is a run stopped early; any other text is not."""
    from book.catalog import load_snippet
    from book.judge import cut_short
    from book.run.runner import RunResult

    program = tmp_path / "program.py"
    program.write_text("print('one')\nprint('two')\n")
    program.with_suffix(".out").write_text("one\ntwo\n")
    snippet = load_snippet(program)

    def run(stdout):
        return RunResult(path=program, stdout=stdout, stderr="", exit_code=1, seconds=0.1,
                         timed_out=False)  # fmt: skip

    assert cut_short(snippet, run("one\n"), "cpu", None)
    assert cut_short(snippet, run(""), "cpu", None)
    assert not cut_short(snippet, run("one\nthree\n"), "cpu", None)
    assert not cut_short(snippet, run("one\ntwo\n"), "cuda", None)  # GPU: numbers compared
