# launch: torchrun --standalone --nproc-per-node 2
# timeout: 60
import copy
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


def flat(m):
    """All of a model's weights as one tensor on the CPU."""
    return torch.cat([p.detach().flatten() for p in m.parameters()]).cpu()


# The same 64 points around y = 3x + 1 on every rank. The dataset also returns each
# sample's index, so that the control below can use exactly the same batches.
torch.manual_seed(0)
x = torch.randn(64, 1)
y = 3 * x + 1 + 0.5 * torch.randn(64, 1)
dataset = TensorDataset(torch.arange(64), x, y)

# A different seed on each rank, on purpose: the two copies start apart.
torch.manual_seed(100 + rank)
model = nn.Sequential(nn.Linear(1, 16), nn.ReLU(), nn.Linear(16, 1)).to(device)
before = gather(flat(model)[:3].tolist())
start = copy.deepcopy(model)  # rank 0's copy is the start of the control

# DDP copies rank 0's weights to every rank when it wraps the model.
ddp_model = DDP(model)
after = gather(flat(ddp_model.module)[:3].tolist())

# The sampler gives each rank its own share of the indices; the loader batches it.
per_rank_batch = 8
sampler = DistributedSampler(dataset, shuffle=True, seed=0)
loader = DataLoader(dataset, batch_size=per_rank_batch, sampler=sampler)
optimizer = torch.optim.SGD(ddp_model.parameters(), lr=0.05)

if rank == 0:
    for when, weights in (("before DDP", before), ("after DDP ", after)):
        ranks = " | ".join(
            f"rank {r}: " + " ".join(f"{w:.4f}" for w in ws) for r, ws in enumerate(weights)
        )
        print(f"first 3 weights {when}  {ranks}")
    print(f"samples per rank: {len(sampler)} | batches per rank: {len(loader)}")
    global_batch = per_rank_batch * world_size
    print(f"global batch: {per_rank_batch} per rank x {world_size} ranks = {global_batch}")

seen = []  # the indices of every batch this rank trained on
for epoch in range(3):
    sampler.set_epoch(epoch)  # a new shuffle for every epoch, the same on all ranks
    total = torch.zeros(1)
    for idx, xb, yb in loader:
        seen.append(idx.tolist())
        loss = nn.functional.mse_loss(ddp_model(xb.to(device)), yb.to(device))
        optimizer.zero_grad()
        loss.backward()  # DDP averages the gradients over the ranks during backward
        optimizer.step()
        total += loss.item()
    # The mean loss over all ranks: each rank's sum, summed, divided by the batches.
    dist.all_reduce(total, op=dist.ReduceOp.SUM)
    epoch_indices = gather(sorted(i for batch in seen[-len(loader) :] for i in batch))
    if rank == 0:
        covered = sorted(sum(epoch_indices, [])) == list(range(64))  # all ranks' shares
        mean = total.item() / (world_size * len(loader))
        print(
            f"epoch {epoch}: mean loss {mean:.4f} | the ranks' shares cover all 64 once: {covered}"
        )

# The ranks must end with the same weights: gather them and compare on rank 0.
final = gather(flat(ddp_model.module).tolist())
batches = gather(seen)

if rank == 0:
    # The control: one process, one model, the same start, the same global batches.
    single = start
    single_opt = torch.optim.SGD(single.parameters(), lr=0.05)
    for step in range(len(batches[0])):
        idx = torch.tensor(sum((b[step] for b in batches), []))  # every rank's 8, in rank order
        loss = nn.functional.mse_loss(single(x[idx].to(device)), y[idx].to(device))
        single_opt.zero_grad()
        loss.backward()
        single_opt.step()
    ddp_weights = torch.tensor(final[0])
    rank_gap = max((ddp_weights - torch.tensor(w)).abs().max().item() for w in final[1:])
    diff = (ddp_weights - flat(single)).abs().max().item()
    close = torch.allclose(ddp_weights, flat(single), rtol=1e-5, atol=1e-6)
    print(
        f"steps: {len(batches[0])} | largest difference rank 0 vs the other ranks: {rank_gap:.6f}"
    )
    print(f"DDP vs one process on the same global batches: largest difference {diff:.6f}")
    print(f"torch.allclose(rtol=1e-5, atol=1e-6): {close}")
    # BatchNorm normalises over the batch it is given: under DDP, each rank's share only.
    bn, shares = nn.BatchNorm1d(1), [torch.tensor(b[0]) for b in batches]  # the first step
    bn_gap = (torch.cat([bn(x[i]) for i in shares]) - bn(x[torch.cat(shares)])).abs().max().item()
    print(f"BatchNorm1d, step 0, per rank vs global batch: largest difference {bn_gap:.6f}")
    # nn.SyncBatchNorm normalises over every rank's samples, but only on an accelerator.
    try:
        nn.SyncBatchNorm(1)(x[shares[0]])  # in training mode, with the group running
    except ValueError as error:
        print(f"nn.SyncBatchNorm on CPU tensors: ValueError: {error}", flush=True)

# DDP's wrapper works through the group: free it before the group is destroyed.
del ddp_model
# The other ranks wait here while rank 0 trains the control, then all leave together.
dist.barrier()
dist.destroy_process_group()
