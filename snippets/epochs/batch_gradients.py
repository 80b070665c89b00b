import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

# 1000 points around the line y = 3x + 1, and a model that has not learned yet.
torch.manual_seed(0)
x = torch.randn(1000, 1)
y = 3 * x + 1 + 0.5 * torch.randn(1000, 1)
model = nn.Linear(1, 1)


def weight_gradient(xb, yb):
    """The gradient of the loss on these samples, for the model's one weight."""
    model.zero_grad()
    nn.functional.mse_loss(model(xb), yb).backward()
    return model.weight.grad.item()


print(f"full gradient, all 1000 samples: {weight_gradient(x, y):8.4f}")

gen = torch.Generator().manual_seed(0)
loader = DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True, generator=gen, num_workers=0)
gradients, sizes = [], []  # one gradient per batch, and how many samples it had
for xb, yb in loader:
    gradients.append(weight_gradient(xb, yb))
    sizes.append(len(xb))
print("first 5 batch gradients, 32 samples each:", " ".join(f"{g:.4f}" for g in gradients[:5]))
print(
    f"over all {len(gradients)} batches: lowest {min(gradients):.4f}, highest {max(gradients):.4f}"
)
low = gradients.index(min(gradients))
print(f"the lowest comes from batch {low + 1} of {len(gradients)}, with {sizes[low]} samples")
