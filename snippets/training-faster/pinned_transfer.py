import torch
from torch.utils.data import DataLoader, TensorDataset

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"
print("device:", torch.device(device).type)


def wait():
    """Block until the accelerator, if there is one, has done all queued work."""
    if torch.accelerator.is_available():
        torch.accelerator.synchronize()


torch.manual_seed(0)
data = TensorDataset(torch.randn(1000, 64), torch.randint(0, 10, (1000,)))
# pin_memory=True makes the loader put each batch in page-locked ("pinned") memory,
# which an accelerator can copy from in the background (on Apple's MPS the loader
# turns it off with a warning). Without an accelerator there is nothing to pin for.
loader = DataLoader(data, batch_size=250, pin_memory=torch.accelerator.is_available())
batches = iter(loader)
batch, labels = next(batches)
print("batch pinned:", batch.is_pinned())

# To the device: non_blocking=True returns at once and lets the copy run in the background.
x = batch.to(device, non_blocking=True)
print("a copy was made:", x is not batch)  # on the CPU, .to() returns the same tensor
next_batch, next_labels = next(batches)  # meanwhile the CPU goes on: here, the next batch
# On CUDA, work queued after the copy waits for it by itself. PyTorch promises that only
# for CUDA, so a program meant for any accelerator waits before it uses x.
wait()
row_sums = x.sum(dim=1)

# Back to the CPU: a non-blocking copy may still be in flight when Python moves on.
result = row_sums.to("cpu", non_blocking=True)
wait()  # on every accelerator: without it, `result` may not hold the values yet
print("first row sums:", [round(v, 4) for v in result[:3].tolist()])
print("checked against the CPU batch:", torch.allclose(result, batch.sum(dim=1), atol=1e-5))
