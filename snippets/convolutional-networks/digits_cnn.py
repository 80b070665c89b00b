import torch
from sklearn.datasets import load_digits
from torch import nn

digits = load_digits()
images = torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16  # (1797, 1, 8, 8)

torch.manual_seed(0)
model = nn.Sequential(
    nn.Conv2d(1, 16, kernel_size=3, padding=1),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(16, 32, kernel_size=3, padding=1),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(32 * 2 * 2, 64),
    nn.ReLU(),
    nn.Linear(64, 10),
)

# Send one batch of 64 digits through the layers one at a time.
x = images[:64]
print(f"{'#':>2}  {'layer':10} {'output shape':16} {'params':>6}")
print("-" * 38)
print(f"{'':>2}  {'(input)':10} {tuple(x.shape)}")
total = 0
with torch.no_grad():
    for index, layer in enumerate(model):
        x = layer(x)
        params = sum(p.numel() for p in layer.parameters())
        total += params
        print(f"{index:>2}  {type(layer).__name__:10} {str(tuple(x.shape)):16} {params:>6}")
print("-" * 38)
print(f"{'':>2}  {'total':10} {'':16} {total:>6}")

print("\nby hand:")
print("conv 1:  ", 16 * 1 * 3 * 3 + 16)
print("conv 2:  ", 32 * 16 * 3 * 3 + 32)
print("linear 1:", 128 * 64 + 64)
print("linear 2:", 64 * 10 + 10)
