# launch: torchrun --standalone --nproc-per-node 2
# timeout: 60
import copy
import os

import torch
import torch.distributed as dist
from torch import nn

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


# Every rank draws the same 16 points around y = 3x + 1 (same seed, on the CPU)
# and builds the same model. Then each keeps only its own share of the batch.
torch.manual_seed(0)
x = torch.randn(16, 1)
y = 3 * x + 1 + 0.5 * torch.randn(16, 1)
model = nn.Sequential(nn.Linear(1, 8), nn.ReLU(), nn.Linear(8, 1)).to(device)
start = copy.deepcopy(model)  # the weights before any step, for the controls
per_rank = len(x) // world_size  # 8 samples each
share = slice(rank * per_rank, (rank + 1) * per_rank)  # rank 0: 0-7, rank 1: 8-15
xb, yb = x[share].to(device), y[share].to(device)

# Each rank computes the loss and the gradients on its own 8 samples only.
loss = nn.functional.mse_loss(model(xb), yb)
loss.backward()
own_grads = [p.grad.clone() for p in model.parameters()]  # kept for the last part
own = gather(model[2].bias.grad.item())  # the output bias: one number, easy to follow

# Average the gradients by hand: sum each gradient over the ranks, then divide by
# the number of ranks. all_reduce works in place, so every rank gets the result.
for p in model.parameters():
    dist.all_reduce(p.grad, op=dist.ReduceOp.SUM)
    p.grad /= world_size
averaged = gather(model[2].bias.grad.item())

if rank == 0:
    print(f"samples per rank: {per_rank} | ranks: {world_size} | global batch: {len(x)}")
    print("output bias gradient on each rank, own samples:", " ".join(f"{g:.4f}" for g in own))
    print("after all_reduce(SUM) and / world_size:        ", " ".join(f"{g:.4f}" for g in averaged))

    # The control: one process, one model, all 16 samples in one batch.
    single = copy.deepcopy(start)
    nn.functional.mse_loss(single(x.to(device)), y.to(device)).backward()
    print(f"one process, all 16 samples in one batch:       {single[2].bias.grad.item():.4f}")
    pairs = list(zip(model.parameters(), single.parameters(), strict=True))
    diff = max((p.grad - q.grad).abs().max().item() for p, q in pairs)
    close = all(torch.allclose(p.grad, q.grad, rtol=1e-5, atol=1e-6) for p, q in pairs)
    print(f"all {len(pairs)} gradients: largest difference {diff:.6f}, allclose: {close}")

# One step of gradient descent on every rank, with the averaged gradients. As a
# control, a second copy steps with each rank's own gradients, as if there were no
# all_reduce. Then the ranks compare their weights.
lone = copy.deepcopy(start)
with torch.no_grad():
    for p in model.parameters():
        p -= 0.1 * p.grad
    for p, own_grad in zip(lone.parameters(), own_grads, strict=True):
        p -= 0.1 * own_grad


def flat(m):
    """All of a model's weights as one list of Python floats."""
    return torch.cat([p.detach().flatten() for p in m.parameters()]).tolist()


with_average, without = gather(flat(model)), gather(flat(lone))
if rank == 0:
    gap = max(abs(a - b) for a, b in zip(*with_average, strict=True))
    gap_lone = max(abs(a - b) for a, b in zip(*without, strict=True))
    print("after one step, largest difference between the ranks' weights:")
    print(f"  averaged gradients:                  {gap:.6f}")
    print(f"  each rank's own, without all_reduce: {gap_lone:.6f}", flush=True)

dist.barrier()  # every rank is done with the group: all leave it together
dist.destroy_process_group()
