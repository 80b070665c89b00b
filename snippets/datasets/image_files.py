# varies: ms
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from sklearn.datasets import load_digits
from torch.utils.data import DataLoader, Dataset, TensorDataset, random_split


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


start = time.perf_counter()
write_digits()
print(f"wrote the PNG files in {(time.perf_counter() - start) * 1000:.0f} ms")
for split in ("train", "test"):
    files = sorted(Path("digits", split).glob("*/*.png"))
    print(f"digits/{split}: {len(files)} files, first {files[0]}, last {files[-1]}")


class DigitFiles(Dataset):
    """One PNG file per sample; the label is the name of the file's folder."""

    def __init__(self, root):
        self.paths = sorted(Path(root).glob("*/*.png"))  # only names: no image is read here
        self.reads = 0

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, index):
        path = self.paths[index]
        with Image.open(path) as image:  # the file is read now, when sample `index` is asked for
            pixels = torch.from_numpy(np.array(image))  # (8, 8), uint8
        self.reads += 1
        return pixels.unsqueeze(0), int(path.parent.name)  # (1, 8, 8): one colour channel


train = DigitFiles("digits/train")
print("\nsamples:", len(train), "| files read so far:", train.reads)
image, label = train[0]
print("train[0]:", train.paths[0])
print("image:", tuple(image.shape), image.dtype, "| label:", label, type(label).__name__)
print("pixel values from", image.min().item(), "to", image.max().item())
for row in image[0].tolist():
    print(" ".join(f"{v:3d}" for v in row))
image, label = train[500]
print("train[500]:", train.paths[500], "label:", label, "| files read so far:", train.reads)

# A DataLoader stacks samples into batches: images (N, C, H, W), labels one int64 tensor.
images, labels = next(iter(DataLoader(train, batch_size=32)))
print("\na batch from a DataLoader:", tuple(images.shape), images.dtype)
print("its labels:", tuple(labels.shape), labels.dtype)


def ms_per_pass(dataset):
    """Time one pass over a dataset in batches of 32, as one epoch of training would make."""
    start = time.perf_counter()
    for _images, _labels in DataLoader(dataset, batch_size=32):
        pass
    return (time.perf_counter() - start) * 1000


# Every pass over the files reads and decodes each file again; tensors in memory do not.
samples = [train[i] for i in range(len(train))]  # every file read once, kept in memory
in_memory = TensorDataset(
    torch.stack([image for image, _ in samples]), torch.tensor([label for _, label in samples])
)
print(f"\none pass, reading the files:      {ms_per_pass(train):.0f} ms")
print(f"one pass over tensors in memory: {ms_per_pass(in_memory):.0f} ms")
