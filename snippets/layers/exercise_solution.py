import torch
from torch import nn

torch.manual_seed(0)

# A batch of 16 grayscale images of 8x8 pixels: (batch, channels, height, width).
images = torch.randn(16, 1, 8, 8)

model = nn.Sequential(
    nn.Flatten(),  # (16, 1, 8, 8) -> (16, 64): 1 * 8 * 8 = 64 features
    nn.Linear(64, 32),  # 64 * 32 weights + 32 biases = 2080
    nn.ReLU(),
    nn.Linear(32, 10),  # 32 * 10 weights + 10 biases = 330
)

x = images
print(f"{'layer':8} {'output shape':14} {'params':>6}")
for layer in model:
    x = layer(x)
    params = sum(p.numel() for p in layer.parameters())
    print(f"{type(layer).__name__:8} {str(tuple(x.shape)):14} {params:>6}")

print("total parameters:", sum(p.numel() for p in model.parameters()))
print("by hand:         ", (64 * 32 + 32) + (32 * 10 + 10))
