from pathlib import Path

import numpy as np
import torch
from PIL import Image
from sklearn.datasets import load_digits
from torch.utils.data import Dataset, random_split
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
        # Turn by up to 15 degrees and shift by up to 1 pixel, a new draw on every read.
        v2.RandomAffine(degrees=15, translate=(0.125, 0.125), interpolation=BILINEAR),
        v2.ToDtype(torch.float32, scale=True),
        v2.Normalize([MEAN], [STD]),
    ]
)
test_tf = v2.Compose(
    [v2.ToImage(), v2.ToDtype(torch.float32, scale=True), v2.Normalize([MEAN], [STD])]
)


def draw(*images):
    """Print normalised 8x8 images side by side, from dark (" ") to bright ("#")."""
    for row in range(8):
        cells = []
        for image in images:
            brightness = image[0, row] * STD + MEAN  # undo Normalize: back to 0..1
            cells.append("".join(" .:+#"[min(int(v * 5), 4)] * 2 for v in brightness.tolist()))
        print("|" + "|  |".join(cells) + "|")


write_digits()
train = DigitFiles("digits/train", transform=train_tf)
test = DigitFiles("digits/test", transform=test_tf)

torch.manual_seed(0)  # RandomAffine draws its angle and shift from torch's generator
image, label = train[0]
print("train[0]:", type(image).__name__, tuple(image.shape), image.dtype, "| label:", label)
print(f"values from {image.min():.4f} to {image.max():.4f}")
views = [train[0][0] for _ in range(3)]
print("train[0] read twice gives the same image:", torch.equal(views[0], views[1]))
print("test[0] read twice gives the same image: ", torch.equal(test[0][0], test[0][0]))
torch.manual_seed(0)
print("after torch.manual_seed(0) again, train[0] repeats:", torch.equal(train[0][0], image))

print("\nthe file (no augmentation), then three reads of train[0]:")
draw(DigitFiles("digits/train", transform=test_tf)[0][0], *views)
