# expected-error: RuntimeError
import torch
from sklearn.datasets import load_digits
from torch import nn

digits = load_digits()
images = torch.tensor(digits.images, dtype=torch.float32) / 16  # (1797, 8, 8): no channel
conv = nn.Conv2d(1, 16, kernel_size=3, padding=1)
print("conv.weight:        ", tuple(conv.weight.shape), "-> expects input (N, 1, H, W)")

# The fix: add the channel dimension, (N, 8, 8) -> (N, 1, 8, 8).
batch = images[:64].unsqueeze(1)
print("with unsqueeze(1):  ", tuple(batch.shape), "->", tuple(conv(batch).shape))

# A single image without its channel passes silently: (1, 8, 8) reads as one
# unbatched (C, H, W) image with 1 channel, and the output has no batch dimension.
one = images[:1]
print("one image, no fix:  ", tuple(one.shape), "->", tuple(conv(one).shape))

# The mistake: 64 images without their channel read as ONE image with 64 channels.
batch = images[:64]
print("64 images, no fix:  ", tuple(batch.shape))
conv(batch)
