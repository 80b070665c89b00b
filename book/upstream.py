"""Failures that come from a known PyTorch bug, recognised by their exact signature.

A run that shows one is reported as an expected failure (and recorded as failed),
never as a pass: the reader saw it fail. Any other failure of the same program fails
the test as usual, so the list hides nothing but the one bug it names.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UpstreamCrash:
    """A crash with a known cause outside the book, and the stderr line that marks it."""

    marker: str
    reason: str


# A DistributedDataParallel model keeps the gloo process group, and its worker threads,
# alive after destroy_process_group() (pytorch/pytorch#107298). When such a thread lets
# go of a collective's tensors while Python is already shutting down, it cannot take
# the GIL, Python ends the thread, and C++ aborts: the process dies by SIGABRT at its
# end, with "terminate called without an active exception", and torchrun stops the
# other process, which may not have printed its last lines yet. Seen on a 2-core
# machine in about 1 run in 30 of each program below (a core dump's backtrace:
# ProcessGroupGloo::runLoop -> ~AsyncAllgatherWork -> decref -> take_gil ->
# pthread_exit -> std::terminate, while the main thread was in Py_FinalizeEx).
DDP_EXIT_ABORT = UpstreamCrash(
    marker="terminate called without an active exception",
    reason="PyTorch bug: a DDP process can abort at exit, after its output "
    "(pytorch/pytorch#107298; see book/upstream.py)",
)

# Programs that train with DistributedDataParallel and so can end this way.
CRASHES_OF = {
    "snippets/distributed-training/ddp_training.py": DDP_EXIT_ABORT,
    "snippets/distributed-training/checkpoint.py": DDP_EXIT_ABORT,
}


def known_crash(programs: list[str], stderr: str) -> UpstreamCrash | None:
    """The known crash one of these programs is prone to, when stderr shows its marker."""
    for program in programs:
        crash = CRASHES_OF.get(program)
        if crash is not None and crash.marker in stderr:
            return crash
    return None
