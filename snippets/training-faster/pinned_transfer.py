import torch
from torch.utils.data import DataLoader, TensorDataset

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"
use_cuda = torch.device(device).type == "cuda"
print("device:", torch.device(device).type)

torch.manual_seed(0)
data = TensorDataset(torch.randn(1000, 64), torch.randint(0, 10, (1000,)))
# pin_memory=True makes the loader put each batch in page-locked ("pinned") memory,
# which a GPU can copy from in the background. Without a GPU there is nothing to pin for.
loader = DataLoader(data, batch_size=250, pin_memory=use_cuda)
batch, labels = next(iter(loader))
print("batch pinned:", batch.is_pinned())

# To the device: non_blocking=True returns at once and lets the copy run in the
# background. Work queued on the device afterwards waits for it, so this is safe.
x = batch.to(device, non_blocking=True)
print("a copy was made:", x is not batch)  # on the CPU, .to() returns the same tensor
row_sums = x.sum(dim=1)

# Back to the CPU: a non-blocking copy may still be in flight when Python moves on.
# Wait for the device before reading the result on the CPU.
result = row_sums.to("cpu", non_blocking=True)
if use_cuda:
    torch.cuda.synchronize()  # without this, `result` may not hold the values yet
print("first row sums:", [round(v, 4) for v in result[:3].tolist()])
print("checked against the CPU batch:", torch.allclose(result, batch.sum(dim=1), atol=1e-5))
