import torch
from sklearn.datasets import load_digits
from torch import nn

# One 8x8 digit as a batch of one image with one channel: (N, C, H, W) = (1, 1, 8, 8).
digits = load_digits()
image = torch.tensor(digits.images[0], dtype=torch.float32) / 16  # pixel values 0..16 -> 0..1
x = image.unsqueeze(0).unsqueeze(0)  # add the batch and the channel dimension
print("label:", digits.target[0], "| input shape (N, C, H, W):", tuple(x.shape))

torch.manual_seed(0)
print(f"\n{'out':>3} {'k':>2} {'stride':>6} {'padding':>7}  {'output shape':14} {'formula':>7}")
for out_channels, k, stride, padding in [
    (4, 3, 1, 0),  # a 3x3 window fits in 6 positions along each side
    (4, 3, 1, 1),  # one ring of zeros around the image keeps 8x8
    (4, 3, 2, 1),  # stride 2: the window jumps two pixels, about half the size
    (4, 3, 2, 0),  # (8 - 3) / 2 = 2.5 steps: the // rounds down, the last column is left out
    (8, 5, 1, 0),  # a bigger window fits fewer times
    (8, 8, 1, 0),  # a window as large as the image: one position
]:
    conv = nn.Conv2d(1, out_channels, kernel_size=k, stride=stride, padding=padding)
    y = conv(x)
    size = (8 + 2 * padding - k) // stride + 1  # (H + 2*padding - kernel) // stride + 1
    print(f"{out_channels:>3} {k:>2} {stride:>6} {padding:>7}  {str(tuple(y.shape)):14} {size:>7}")

# Each output channel has one k x k filter per input channel, and one bias.
conv = nn.Conv2d(in_channels=3, out_channels=16, kernel_size=3)
print("\nConv2d(3, 16, kernel_size=3)")
print("weight:", tuple(conv.weight.shape), "| bias:", tuple(conv.bias.shape))
print("parameters:", sum(p.numel() for p in conv.parameters()))
print("by hand:   ", 16 * 3 * 3 * 3 + 16)

# The parameter count does not depend on the image size; the output size does.
small, large = torch.rand(2, 3, 8, 8), torch.rand(2, 3, 32, 32)
print("8x8 images:  ", tuple(small.shape), "->", tuple(conv(small).shape))
print("32x32 images:", tuple(large.shape), "->", tuple(conv(large).shape))
