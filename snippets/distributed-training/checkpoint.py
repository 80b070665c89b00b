# launch: torchrun --standalone --nproc-per-node 2
# timeout: 60
import os

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

rank = int(os.environ["RANK"])
world_size = int(os.environ["WORLD_SIZE"])
# gloo on the CPU: the two processes share this machine's cores. The section
# "On GPUs and on several machines" says what changes on GPUs.
device = torch.device("cpu")
dist.init_process_group("gloo")


def gather(value):
    """A Python value from every rank, as a list in rank order."""
    values = [None] * world_size
    dist.all_gather_object(values, value)
    return values


def make_model():
    return nn.Sequential(nn.Linear(1, 16), nn.ReLU(), nn.Linear(16, 1))


# One epoch of DDP training on the points around y = 3x + 1.
torch.manual_seed(0)
x = torch.randn(64, 1)
y = 3 * x + 1 + 0.5 * torch.randn(64, 1)
dataset = TensorDataset(x, y)
ddp_model = DDP(make_model().to(device))
sampler = DistributedSampler(dataset, shuffle=True, seed=0)
loader = DataLoader(dataset, batch_size=8, sampler=sampler)
optimizer = torch.optim.SGD(ddp_model.parameters(), lr=0.05)
for epoch in range(1):
    sampler.set_epoch(epoch)
    for xb, yb in loader:
        loss = nn.functional.mse_loss(ddp_model(xb.to(device)), yb.to(device))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

# The wrapper's state_dict puts "module." in front of every name; the model inside
# the wrapper, ddp_model.module, has the names a plain model has.
if rank == 0:
    print("ddp_model.state_dict():       ", list(ddp_model.state_dict())[:2])
    print("ddp_model.module.state_dict():", list(ddp_model.module.state_dict())[:2])
    report = make_model().load_state_dict(ddp_model.state_dict(), strict=False)
    print(
        f"a plain model loading the wrapper's names: {len(report.missing_keys)} missing,"
        f" {len(report.unexpected_keys)} unexpected"
    )

# Every rank holds the same weights, so one copy is enough: rank 0 writes it.
wrote = False  # whether this rank called torch.save, reported below
if rank == 0:
    checkpoint = {
        "epoch": epoch,
        "model": ddp_model.module.state_dict(),
        "optimizer": optimizer.state_dict(),
    }
    torch.save(checkpoint, "checkpoint.pth")
    wrote = True
# Nobody reads the file before rank 0 has finished writing it.
dist.barrier()

# Every rank loads it into a fresh model, seeded differently on each rank so that
# the check below means something. map_location puts the tensors on this rank's device.
torch.manual_seed(100 + rank)
fresh = make_model().to(device)
different = not torch.equal(fresh[0].weight, ddp_model.module[0].weight)
loaded = torch.load("checkpoint.pth", map_location=device, weights_only=True)
result = fresh.load_state_dict(loaded["model"])
pairs = zip(fresh.parameters(), ddp_model.module.parameters(), strict=True)
equal = all(torch.equal(p, q) for p, q in pairs)
total = sum(p.sum().item() for p in fresh.parameters())

reports = gather((different, str(result), equal, loaded["epoch"], total))
writers = [r for r, w in enumerate(gather(wrote)) if w]
if rank == 0:
    for r, (diff, res, same, ep, tot) in enumerate(reports):
        print(
            f"rank {r}: fresh model differed: {diff} | {res} | epoch {ep}"
            f" | equal to the trained model: {same} | sum of weights {tot:.4f}"
        )
    files = sorted(f for f in os.listdir() if f.endswith(".pth"))
    print(f"ranks that wrote: {writers} | files written: {files}", flush=True)

# DDP's wrapper works through the group: free it before the group is destroyed.
del ddp_model
dist.barrier()  # every rank is done with the group: all leave it together
dist.destroy_process_group()
