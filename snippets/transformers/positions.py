import torch
from torch import nn


def sinusoidal(context, d_model):
    """Sine and cosine waves, one pair of columns per frequency, one row per position."""
    positions = torch.arange(context).unsqueeze(1)  # (context, 1)
    # d_model / 2 frequencies (radians per position): 1, 0.1, 0.01, 0.001 for d_model = 8
    freqs = 10000 ** (-torch.arange(0, d_model, 2) / d_model)
    angles = positions * freqs  # (context, d_model / 2), by broadcasting
    pe = torch.zeros(context, d_model)
    pe[:, 0::2] = torch.sin(angles)  # even columns
    pe[:, 1::2] = torch.cos(angles)  # odd columns
    return pe


pe = sinusoidal(32, 8)
print("sinusoidal, 32 positions x 8 numbers; positions 0 to 5:")
for p in range(6):
    print(f"  {p}: " + " ".join(f"{v:5.2f}" for v in pe[p].tolist()))
print(f"smallest value {pe.min().item():.2f}, largest {pe.max().item():.2f}")
# Every position gets a vector of its own: the smallest distance between two different rows.
dist = torch.cdist(pe, pe) + torch.eye(32) * 100  # ignore each row's distance to itself
print(f"closest two positions are {dist.min().item():.2f} apart")

# The dot product of two positions depends only on how far apart they are.
print("\ndot product of position p and p + k")
print("   k" + "".join(f"  {f'p={p}':>5}" for p in (0, 10, 20)))
for k in (1, 2, 4, 8):
    print(f"{k:4d}" + "".join(f"  {(pe[p] @ pe[p + k]).item():5.2f}" for p in (0, 10, 20)))

# Learned: an nn.Embedding with one trainable row per position, 32 of them.
torch.manual_seed(0)
learned = nn.Embedding(32, 8)
print(f"\nlearned: {learned.weight.numel()} parameters here (sinusoidal: none)")
print("position 100, sinusoidal:", " ".join(f"{v:.2f}" for v in sinusoidal(101, 8)[100].tolist()))
try:
    learned(torch.tensor([100]))
except IndexError as error:
    print("position 100, learned: IndexError:", error)
