import warnings

import torch
from torch import nn

# A model that is exactly right: y = 2 * x. Its loss should be 0.
model = nn.Linear(1, 1)
with torch.no_grad():
    model.weight.fill_(2.0)
    model.bias.fill_(0.0)

x = torch.tensor([[1.0], [2.0], [3.0], [4.0]])  # 4 samples, 1 feature: (4, 1)
y = torch.tensor([2.0, 4.0, 6.0, 8.0])  # 4 targets, but shape (4,)

predictions = model(x)
print("predictions:", tuple(predictions.shape), "targets:", tuple(y.shape))

loss_fn = nn.MSELoss()
# Catch the warnings to print them here (Python's own rules for showing them
# stay as they are), over three steps of what could be a training loop and a smaller
# last batch.
with warnings.catch_warnings(record=True) as caught:
    for _ in range(3):
        wrong = loss_fn(predictions, y)  # (4, 1) against (4,) broadcasts to (4, 4)
    loss_fn(predictions[:3], y[:3])  # a last batch of 3: (3, 1) against (3,)
print("warnings in 3 steps of 4 samples and 1 of 3:", len(caught))
for w in caught:
    print(f"{w.category.__name__}: {str(w.message).split('. ')[0]}")

right = loss_fn(predictions, y.unsqueeze(1))  # both (4, 1)
print(f"loss, (4, 1) vs (4,):   {wrong.item():.4f}")
print(f"loss, (4, 1) vs (4, 1): {right.item():.4f}")
print("differences compared:", (predictions - y).numel(), "instead of", y.numel())
