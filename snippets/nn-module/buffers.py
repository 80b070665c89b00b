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

    def forward(self, x):
        self.calls += 1
        return (x - self.mean) / self.std


torch.manual_seed(0)
train_data = torch.randn(100, 3) * 5 + 10
scale = Standardize(train_data)

print("parameters:", list(scale.parameters()))  # nothing for an optimizer to update
print("buffers:   ", [name for name, _ in scale.named_buffers()])
print("state_dict:", list(scale.state_dict()))  # "calls" is left out
out = scale(train_data)
print(
    "mean after scaling:", out.mean(dim=0).abs().max().item() < 1e-5, "| calls:", scale.calls.item()
)

# Buffers travel with the module, as parameters do; a plain attribute would not.
scale.to(torch.float64)
print("buffer dtype after .to(float64):", scale.mean.dtype)
