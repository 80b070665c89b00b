import csv
from collections import Counter
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from sklearn.datasets import load_digits
from torch.utils.data import DataLoader, Dataset, random_split
from torchvision.datasets import ImageFolder
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


class CsvImages(Dataset):
    """Images listed in a CSV file of `file,label` rows; file names relative to the CSV's folder."""

    def __init__(self, csv_path, transform=None):
        folder = Path(csv_path).parent
        with open(csv_path, newline="") as f:
            rows = list(csv.DictReader(f))  # names and labels only: no image is read here
        self.paths = [folder / row["file"] for row in rows]
        self.labels = [int(row["label"]) for row in rows]
        self.transform = transform

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, index):
        with Image.open(self.paths[index]) as image:
            pixels = torch.from_numpy(np.array(image)).unsqueeze(0)  # (1, 8, 8), uint8
        if self.transform is not None:
            pixels = self.transform(pixels)
        return pixels, self.labels[index]


write_digits()
# 1. One row per training image; the label comes from the name of its folder.
with open("digits/train.csv", "w", newline="") as f:
    writer = csv.writer(f)
    writer.writerow(["file", "label"])
    for path in sorted(Path("digits/train").glob("*/*.png")):
        writer.writerow([path.relative_to("digits").as_posix(), path.parent.name])
print("\n".join(Path("digits/train.csv").read_text().splitlines()[:3]))

# 2. The dataset reads the CSV once and one image per sample.
MEAN, STD = 0.3049, 0.3756
to_input = v2.Compose(
    [v2.ToImage(), v2.ToDtype(torch.float32, scale=True), v2.Normalize([MEAN], [STD])]
)
train = CsvImages("digits/train.csv", transform=to_input)
image, label = train[0]
print("samples:", len(train), "| train[0]:", tuple(image.shape), image.dtype, "| label:", label)

# 3. Count the samples of each class batch by batch, as a loader delivers them.
counts = Counter()
for _images, labels in DataLoader(train, batch_size=256, num_workers=0):
    counts.update(labels.tolist())  # every image was opened and transformed on the way
print("per class:", [counts[label] for label in range(10)], "| total:", counts.total())
print("same counts as ImageFolder:", counts == Counter(ImageFolder("digits/train").targets))
