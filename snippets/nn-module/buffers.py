import torch
from torch import nn


class Standardize(nn.Module):
    """Scales inputs with a mean and spread measured once on training data."""

    def __init__(self, data):
        super().__init__()
        # Buffers: tensors the module owns but the optimizer must not change.
        self.register_buffer("mean", data.mean(dim=0))
        self.register_buffer("std", data.std(dim=0))
        # A non-persistent buffer moves with the module but is not saved.
        self.register_buffer("calls", torch.zeros((), dtype=torch.int64), persistent=False)
        # A plain tensor attribute, for comparison: the module does not register it.
        self.low = data.min(dim=0).values

    def forward(self, x):
        self.calls += 1
        return (x - self.mean) / self.std


torch.manual_seed(0)
train_data = torch.randn(100, 3) * 5 + 10
scale = Standardize(train_data)

print("parameters:", list(scale.parameters()))  # nothing for an optimizer to update
print("buffers:   ", [name for name, _ in scale.named_buffers()])  # "low" is not one
print("state_dict:", list(scale.state_dict()))  # "calls" and "low" are left out
out = scale(train_data)
print(
    "mean after scaling:", out.mean(dim=0).abs().max().item() < 1e-5, "| calls:", scale.calls.item()
)

# Buffers travel with the module, as parameters do; the plain attribute stays behind.
scale.to(torch.float64)
print("after .to(float64):")
print("  mean (buffer):         ", scale.mean.dtype)
print("  calls (buffer, int):   ", scale.calls.dtype)  # .to(float64) converts floats only
print("  low (plain attribute): ", scale.low.dtype)
