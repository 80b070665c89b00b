# launch: torchrun --standalone --nproc-per-node 2
# timeout: 60
import os
from collections import Counter

import torch
import torch.distributed as dist
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

rank = int(os.environ["RANK"])
world_size = int(os.environ["WORLD_SIZE"])
dist.init_process_group("gloo")


def gather(value):
    """A Python value from every rank, as a list in rank order."""
    values = [None] * world_size
    dist.all_gather_object(values, value)
    return values


# A model set by hand to the line the points come from: its error is the noise.
model = nn.Linear(1, 1)
with torch.no_grad():
    model.weight.fill_(3.0)
    model.bias.fill_(1.0)


def evaluate(loader):
    """The mean squared error over all ranks' samples, their number, and the indices seen twice."""
    sums = torch.zeros(2)  # the squared errors and the number of samples, on this rank
    seen = []
    with torch.no_grad():
        for idx, xb, yb in loader:
            sums[0] += ((model(xb) - yb) ** 2).sum()
            sums[1] += len(xb)
            seen += idx.tolist()
    dist.all_reduce(sums, op=dist.ReduceOp.SUM)  # now the totals of all ranks
    counts = Counter(sum(gather(seen), []))
    return (
        sums[0].item() / sums[1].item(),
        int(sums[1].item()),
        [i for i, c in counts.items() if c > 1],
    )


for n in (50, 51):
    # n test points around y = 3x + 1, the same on every rank.
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(n, 1, generator=gen)
    y = 3 * x + 1 + 0.5 * torch.randn(n, 1, generator=gen)
    index = torch.arange(n)

    # 2. Each rank evaluates the share its DistributedSampler gives it.
    dataset = TensorDataset(index, x, y)
    sampler = DistributedSampler(dataset, shuffle=False)
    with_sampler = evaluate(DataLoader(dataset, batch_size=8, sampler=sampler))

    # 4. The fix: each rank takes every world_size-th sample by slicing, which never pads.
    share = slice(rank, None, world_size)
    sliced = evaluate(DataLoader(TensorDataset(index[share], x[share], y[share]), batch_size=8))

    if rank == 0:
        # 3. The control: one process, the whole test set in one batch.
        with torch.no_grad():
            single = nn.functional.mse_loss(model(x), y).item()
        print(f"{n} test points, one process: MSE {single:.4f} over {n} samples")
        for name, (mse, count, twice) in (
            ("DistributedSampler", with_sampler),
            ("slicing", sliced),
        ):
            print(
                f"  {name:18}  MSE {mse:.4f} over {count} samples, counted twice: {twice},"
                f" difference {abs(mse - single):.6f}",
                flush=True,
            )

dist.barrier()  # every rank is done with the group: all leave it together
dist.destroy_process_group()
