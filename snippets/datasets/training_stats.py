from pathlib import Path

import numpy as np
import torch
from PIL import Image
from sklearn.datasets import load_digits
from torch.utils.data import Dataset, random_split
from torchvision.transforms import v2


def write_digits(root="digits"):
    """Write the 1797 digits as PNG files: root/train/<class>/<index>.png and root/test/..."""
    digits = load_digits()
    pixels = (digits.images * 255 / 16).round().astype(np.uint8)  # 0..16 -> 0..255, as in photos
    split_gen = torch.Generator().manual_seed(0)
    train, test = random_split(range(len(pixels)), [0.8, 0.2], generator=split_gen)
    for split, indices in (("train", train), ("test", test)):
        for label in range(10):
            Path(root, split, str(label)).mkdir(parents=True, exist_ok=True)
        for i in indices:
            Image.fromarray(pixels[i]).save(f"{root}/{split}/{digits.target[i]}/{i:04d}.png")


class DigitFiles(Dataset):
    """One PNG file per sample; the label is the name of the file's folder."""

    def __init__(self, root, transform=None):
        self.paths = sorted(Path(root).glob("*/*.png"))
        self.transform = transform

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, index):
        path = self.paths[index]
        with Image.open(path) as image:
            pixels = torch.from_numpy(np.array(image)).unsqueeze(0)  # (1, 8, 8), uint8
        if self.transform is not None:
            pixels = self.transform(pixels)
        return pixels, int(path.parent.name)


write_digits()
# From uint8 pixels 0..255 to float32 values 0..1: the form Normalize and models expect.
to_float = v2.Compose([v2.ToImage(), v2.ToDtype(torch.float32, scale=True)])
train = DigitFiles("digits/train", transform=to_float)
test = DigitFiles("digits/test", transform=to_float)
image, label = train[0]
print("train[0]:", type(image).__name__, tuple(image.shape), image.dtype, "| label:", label)
print(f"values from {image.min():.4f} to {image.max():.4f}")

# Every training image in one tensor (small data: for big data, sum over batches instead).
x_train = torch.stack([train[i][0] for i in range(len(train))])
print("\nall training images:", tuple(x_train.shape))
mean = x_train.mean(dim=(0, 2, 3))  # one number per channel: over images, rows and columns
std = x_train.std(dim=(0, 2, 3))
print(f"training split: mean {mean.item():.4f}  std {std.item():.4f}  <- use these")
x_test = torch.stack([test[i][0] for i in range(len(test))])
print(f"test split:     mean {x_test.mean():.4f}  std {x_test.std():.4f}  (only to compare)")

# Normalize subtracts the mean and divides by the std, channel by channel.
normalize = v2.Normalize(mean.tolist(), std.tolist())
for name, x in (("training", x_train), ("test", x_test)):
    z = normalize(x)
    # z in :z.4f prints a mean a hair below zero, -0.00000001, as 0.0000, not -0.0000.
    print(f"{name} split after Normalize: mean {z.mean():z.4f}  std {z.std():.4f}")
