# expected-error: RuntimeError
import torch
from torch import nn

logits = torch.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]])

# Labels that came from a float array (a CSV column, a NumPy computation...).
# They look like class indices, but their dtype is float32.
targets = torch.tensor([0.0, 2.0])
print("logits:", tuple(logits.shape), logits.dtype)
print("targets:", tuple(targets.shape), targets.dtype)

# The fix is targets.long(); without it the loss refuses to run.
print(f"with .long(): {nn.CrossEntropyLoss()(logits, targets.long()).item():.4f}")
nn.CrossEntropyLoss()(logits, targets)
