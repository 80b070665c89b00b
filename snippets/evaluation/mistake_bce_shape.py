# expected-error: ValueError
import torch
from torch import nn

torch.manual_seed(0)
model = nn.Linear(2, 1)  # a binary classifier: one logit per sample
x = torch.randn(4, 2)
targets = torch.tensor([1.0, 0.0, 0.0, 1.0])  # one float target per sample

logits = model(x)
print("logits: ", tuple(logits.shape))
print("targets:", tuple(targets.shape))

loss_fn = nn.BCEWithLogitsLoss()
# The fix: drop the logits' extra dimension (or give the targets one with unsqueeze(1)).
print(f"with logits.squeeze(1): {loss_fn(logits.squeeze(1), targets).item():.4f}")
print(f"with targets.unsqueeze(1): {loss_fn(logits, targets.unsqueeze(1)).item():.4f}")
# The targets must be floats too: integer targets stop with another error.
try:
    loss_fn(logits.squeeze(1), torch.tensor([1, 0, 0, 1]))
except RuntimeError as error:
    print("with integer targets: RuntimeError:", error)
loss_fn(logits, targets)
