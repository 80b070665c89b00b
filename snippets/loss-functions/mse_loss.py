import torch
from torch import nn

# Four house prices (in 100k) and what three different models predicted for them.
targets = torch.tensor([2.0, 3.5, 1.0, 4.0])
far_off = torch.tensor([3.0, 1.5, 2.0, 2.0])
close = torch.tensor([2.2, 3.3, 1.1, 3.8])
exact = torch.tensor([2.0, 3.5, 1.0, 4.0])

loss_fn = nn.MSELoss()  # mean squared error
for name, predictions in [("far off", far_off), ("close", close), ("exact", exact)]:
    loss = loss_fn(predictions, targets)
    print(f"{name:8} loss = {loss.item():.4f}")

# The same number by hand: square each difference, then average.
loss = loss_fn(close, targets)
differences = close - targets
by_hand = (differences**2).mean()
print("differences:", [round(d, 4) for d in differences.tolist()])
print("squared:    ", [round(d, 4) for d in (differences**2).tolist()])
print(f"by hand: {by_hand.item():.4f}  nn.MSELoss: {loss.item():.4f}")

# A loss is a single number: a tensor with shape () that backward() can start from.
print("shape:", tuple(loss.shape), "dtype:", loss.dtype)
