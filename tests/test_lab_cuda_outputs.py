"""A lab cell whose GPU numbers fall outside the CUDA tolerance gets its own GPU text,
cell-NN.cuda.out, recorded by running it twice there; the CPU leg and the page ignore it.
These tests need no GPU: they hand the functions the outputs a GPU run would give."""

from __future__ import annotations

from book.notebooks import (
    Cell,
    CellOutput,
    Notebook,
    cells_off_on_cuda,
    cpu_output_files,
    lab_text_problems_on_cuda,
    write_lab_cuda_outputs,
    write_lab_outputs,
)


def lab_with_recorded_cpu_text(tmp_path):
    lab = tmp_path / "demo.py"
    lab.write_text("# %%\nprint(1)\n")
    folder = tmp_path / "demo.outputs"
    folder.mkdir()
    (folder / "cell-02.out").write_text("accuracy 65.5%\n")
    (folder / "cell-03.out").write_text("loss 0.1000\n")
    return lab, folder


def outputs(*texts: str) -> list[CellOutput]:
    cells = [Cell(number=n, source="print()", filename=f"c{n}") for n in (2, 3)]
    return [CellOutput(cell, text, []) for cell, text in zip(cells, texts, strict=True)]


def test_a_cell_outside_the_tolerance_is_recorded_when_two_gpu_runs_agree(tmp_path):
    lab, folder = lab_with_recorded_cpu_text(tmp_path)
    gpu = outputs("accuracy 66.0%\n", "loss 0.1000001\n")  # the second is within tolerance
    assert [out.cell.number for out in cells_off_on_cuda(lab, gpu)] == [2]
    assert write_lab_cuda_outputs(lab, gpu, outputs("accuracy 66.0%\n", "loss 0.1000002\n")) == []
    assert sorted(p.name for p in folder.iterdir()) == [
        "cell-02.cuda.out",
        "cell-02.out",
        "cell-03.out",
    ]
    assert (folder / "cell-02.cuda.out").read_text() == "accuracy 66.0%\n"
    notebook = Notebook(name="demo.py", path=lab, cells=[out.cell for out in gpu], timeout=10)
    assert lab_text_problems_on_cuda(lab, notebook, gpu) == []
    assert cells_off_on_cuda(lab, gpu) == []


def test_a_cell_that_moves_between_gpu_runs_records_nothing(tmp_path):
    lab, folder = lab_with_recorded_cpu_text(tmp_path)
    problems = write_lab_cuda_outputs(
        lab, outputs("accuracy 66.0%\n", "loss 0.1\n"), outputs("accuracy 66.5%\n", "loss 0.1\n")
    )
    assert problems == [f"{lab}, cell 2: printed something else in a second run on the GPU; "
                        "nothing was recorded"]  # fmt: skip
    assert not (folder / "cell-02.cuda.out").exists()


def test_the_recorded_gpu_text_is_compared_exactly_and_survives_a_cpu_recording(tmp_path):
    lab, folder = lab_with_recorded_cpu_text(tmp_path)
    (folder / "cell-02.cuda.out").write_text("accuracy 66.0%\n")
    gpu = outputs("accuracy 65.9%\n", "loss 0.1\n")
    notebook = Notebook(name="demo.py", path=lab, cells=[out.cell for out in gpu], timeout=10)
    [problem] = lab_text_problems_on_cuda(lab, notebook, gpu)
    assert "cell 2" in problem and "cell-02.cuda.out" in problem and "+accuracy 65.9%" in problem
    # A CPU recording rewrites the CPU files and leaves the GPU's text alone; neither
    # the CPU comparison nor the page counts it among the CPU outputs.
    write_lab_outputs(lab, outputs("accuracy 65.4%\n", "loss 0.1\n"))
    assert (folder / "cell-02.cuda.out").read_text() == "accuracy 66.0%\n"
    assert [p.name for p in cpu_output_files(folder)] == ["cell-02.out", "cell-03.out"]
