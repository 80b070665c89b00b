from pathlib import Path

import numpy as np
import torch
from PIL import Image
from sklearn.datasets import load_digits
from torch.utils.data import Dataset, random_split
from torchvision.datasets import ImageFolder
from torchvision.transforms import v2

BILINEAR = v2.InterpolationMode.BILINEAR


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


MEAN, STD = 0.3049, 0.3756  # of the training split, as training_stats.py printed them
train_tf = v2.Compose(
    [
        v2.ToImage(),
        v2.RandomAffine(degrees=15, translate=(0.125, 0.125), interpolation=BILINEAR),
        v2.ToDtype(torch.float32, scale=True),
        v2.Normalize([MEAN], [STD]),
    ]
)
test_tf = v2.Compose(
    [v2.ToImage(), v2.ToDtype(torch.float32, scale=True), v2.Normalize([MEAN], [STD])]
)


def open_gray(path):
    """Open an image file as one gray channel (PIL mode "L")."""
    with Image.open(path) as image:
        return image.convert("L")


write_digits()
# ImageFolder: one sub-folder per class, classes sorted by folder name.
test = ImageFolder("digits/test", transform=test_tf)
print("classes:", test.classes)
print("class_to_idx:", test.class_to_idx)
print("samples:", len(test), "| first:", test.samples[0])
image, label = test[0]
print("test[0]:", tuple(image.shape), image.dtype, "| label:", label)
copies = torch.equal(image[0], image[1]) and torch.equal(image[0], image[2])
print("its three channels are copies of one another:", copies)

# The default loader converts every file to RGB. Open gray files as gray instead.
test = ImageFolder("digits/test", transform=test_tf, loader=open_gray)
image, label = test[0]
print("\nwith loader=open_gray:", tuple(image.shape), image.dtype, "| label:", label)
mine = DigitFiles("digits/test", transform=test_tf)
same = all(
    torch.equal(test[i][0], mine[i][0]) and test[i][1] == mine[i][1] for i in range(len(mine))
)
print("same samples as DigitFiles, all", len(mine), "of them:", same)

# The training folder, with the augmenting transform: a new random view on every read.
torch.manual_seed(0)
train = ImageFolder("digits/train", transform=train_tf, loader=open_gray)
print("\ntraining samples:", len(train))
print("train[0] read twice gives the same image:", torch.equal(train[0][0], train[0][0]))

# Class names are folder names sorted as strings, whatever they mean: "10" before "9".
print()
for root, folders in (("numbers", ["9", "10"]), ("pets", ["dog", "cat"])):
    for name in folders:
        Path(root, name).mkdir(parents=True, exist_ok=True)
        Image.fromarray(np.zeros((8, 8), dtype=np.uint8)).save(f"{root}/{name}/blank.png")
    print(f"folders {folders}: class_to_idx {ImageFolder(root).class_to_idx}")
