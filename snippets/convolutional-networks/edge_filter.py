import torch
from sklearn.datasets import load_digits
from torch import nn

digits = load_digits()
image = torch.tensor(digits.images[0], dtype=torch.float32) / 16  # a 0, values 0..1
x = image.reshape(1, 1, 8, 8)


def show(grid):
    for row in grid.tolist():
        print(" ".join(f"{v:5.2f}" for v in row))


print("the image, label", digits.target[0])
show(image)

# A vertical-edge detector: right column minus left column.
# It is large where the image gets brighter from left to right, negative where it gets darker.
kernel = torch.tensor([[-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0]])
conv = nn.Conv2d(1, 1, kernel_size=3, padding=1, bias=False)
with torch.no_grad():
    conv.weight.copy_(kernel.reshape(1, 1, 3, 3))  # weight shape (out, in, k, k)
    out = conv(x)
print("\nafter the filter, shape", tuple(out.shape))
show(out[0, 0])

# One output pixel by hand: the 3x3 patch centred on it, times the kernel, summed.
# With padding=1, output pixel (i, j) is centred on image pixel (i, j).
i, j = 4, 1
patch = image[i - 1 : i + 2, j - 1 : j + 2]
print(f"\npatch around pixel ({i}, {j}):")
show(patch)
print(f"sum(patch * kernel) = {(patch * kernel).sum().item():.4f}")
print(f"out[0, 0, {i}, {j}]     = {out[0, 0, i, j].item():.4f}")
