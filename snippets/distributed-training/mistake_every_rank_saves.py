# launch: torchrun --standalone --nproc-per-node 2
# timeout: 60
import os

import torch
import torch.distributed as dist
from torch import nn

rank = int(os.environ["RANK"])
world_size = int(os.environ["WORLD_SIZE"])
dist.init_process_group("gloo")


def gather(value):
    """A Python value from every rank, as a list in rank order."""
    values = [None] * world_size
    dist.all_gather_object(values, value)
    return values


# The same seed on every rank gives the same weights, as DDP keeps them in training.
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(1, 16), nn.ReLU(), nn.Linear(16, 1))
state = model.state_dict()

# The mistake: the save has no `if rank == 0`, so every rank writes the same file.
torch.save(state, "checkpoint.pth")
wrote = True  # this rank called torch.save
writers = [r for r, w in enumerate(gather(wrote)) if w]  # also waits for every save
with open("checkpoint.pth", "rb") as f:
    data = f.read()  # the bytes both ranks wrote
dist.barrier()  # every rank has read them before the next write begins

# Writing a file starts by emptying it, and only then do the new bytes go in. Here
# rank 1 is the slower writer, and its write is spread out by hand: it writes the
# same bytes in two halves with a barrier between them, so that rank 0 looks at
# the same moment of the write on every run.
if rank == 1:
    file = open("checkpoint.pth", "wb")  # what torch.save does first: the file is now empty
    file.write(data[: len(data) // 2])
    file.flush()
dist.barrier()
if rank == 0:
    print(f"ranks that wrote checkpoint.pth: {writers} | its size: {len(data)} bytes")
    print(f"halfway through rank 1's write: {os.path.getsize('checkpoint.pth')} bytes")
    try:
        torch.load("checkpoint.pth", weights_only=True)
    except RuntimeError as error:
        print("rank 0 loads it: RuntimeError:", str(error).split(". ")[0])
    # Other moments give other errors: just emptied (0 bytes), or a few bytes in.
    for size in (0, 2, 10):
        with open(f"first_{size}_bytes.pth", "wb") as cut:
            cut.write(data[:size])
        try:
            torch.load(f"first_{size}_bytes.pth", weights_only=True)
        except Exception as error:  # which class it is depends on the moment
            first = str(error).split(". ")[0]
            print(f"  its first {size} bytes: {type(error).__name__}: {first!r}")
dist.barrier()
if rank == 1:
    file.write(data[len(data) // 2 :])
    file.close()
dist.barrier()

# The fix: one writer, then a barrier, then every rank may read.
if rank == 0:
    torch.save(state, "checkpoint.pth")
dist.barrier()
loaded = torch.load("checkpoint.pth", weights_only=True)
same = gather(all(torch.equal(loaded[name], state[name]) for name in state))
if rank == 0:
    print("only rank 0 writes, then dist.barrier(): loaded equal on each rank:", same, flush=True)

dist.barrier()  # every rank is done with the group: all leave it together
dist.destroy_process_group()
