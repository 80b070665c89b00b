# launch: torchrun --standalone --nproc-per-node 2
# timeout: 60
import os

import torch
import torch.distributed as dist
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


# 16 samples whose value is their index, so a batch shows which samples it holds.
dataset = TensorDataset(torch.arange(16))

# The control: one process and a shuffling DataLoader, as in the earlier chapters.
plain = DataLoader(dataset, batch_size=4, shuffle=True, generator=torch.Generator().manual_seed(0))
plain_epochs = [[batch.tolist() for (batch,) in plain] for _epoch in range(3)]
if rank == 0:
    print("one process, DataLoader(shuffle=True)")
    for epoch, batches in enumerate(plain_epochs):
        print(f"  epoch {epoch}: first batch {batches[0]}")
    print(f"  different orders in 3 epochs: {len({str(e) for e in plain_epochs})}")

sampler = DistributedSampler(dataset, shuffle=True, seed=0)
loader = DataLoader(dataset, batch_size=4, sampler=sampler)
for title, call_set_epoch in (("without set_epoch", False), ("with set_epoch(epoch)", True)):
    epochs = []  # per epoch: the batches of every rank, in rank order
    for epoch in range(3):
        if call_set_epoch:
            sampler.set_epoch(epoch)
        epochs.append(gather([batch.tolist() for (batch,) in loader]))
    if rank == 0:
        print(title)
        for epoch, (rank0, rank1) in enumerate(epochs):
            print(f"  epoch {epoch}: rank 0 first batch {rank0[0]} | rank 1 first batch {rank1[0]}")
        # Whole epochs, every batch of both ranks: how many different orders were there?
        print(f"  different orders in 3 epochs: {len({str(e) for e in epochs})}", flush=True)

dist.barrier()  # every rank is done with the group: all leave it together
dist.destroy_process_group()
