import torch
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

# A small body with the two layers that behave differently in training mode.
torch.manual_seed(0)
body = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.5)).to(device)
body.requires_grad_(False)  # frozen: no parameter requires a gradient
print("parameters that require a gradient:", sum(p.requires_grad for p in body.parameters()))
x = torch.randn(16, 4).to(device)

for mode, switch in (("train", body.train), ("eval", body.eval)):
    switch()
    running_mean = body[1].running_mean.clone()  # a buffer: no optimizer touches it
    first, second = body(x), body(x)
    print(f"\nfrozen, {mode}() mode:")
    print(
        "  BatchNorm's running mean changed:", not torch.equal(running_mean, body[1].running_mean)
    )
    print("  two passes over the same batch agree:", torch.equal(first, second))
