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

# Two input channels: each filter has one 3x3 grid per channel, and the sum runs over both.
# Channel 0 and channel 1 hold the same digit here, and the filter's two grids differ.
two = torch.cat([x, x], dim=1)  # (1, 2, 8, 8)
conv2 = nn.Conv2d(2, 1, kernel_size=3, padding=1, bias=False)
with torch.no_grad():
    conv2.weight.copy_(torch.stack([kernel, kernel.T]).reshape(1, 2, 3, 3))  # vertical, horizontal
    out2 = conv2(two)
patches = two[0, :, i - 1 : i + 2, j - 1 : j + 2]  # (2, 3, 3): the patch in both channels
part = (patches * conv2.weight[0]).sum(dim=(1, 2)).tolist()  # one sum per channel
print(f"\ntwo input channels, weight {tuple(conv2.weight.shape)}")
print(f"channel 0 part {part[0]:.4f} + channel 1 part {part[1]:.4f} = {part[0] + part[1]:.4f}")
print(f"out[0, 0, {i}, {j}]                          = {out2[0, 0, i, j].item():.4f}")
