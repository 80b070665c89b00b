from pathlib import Path

import numpy as np
import torch
from PIL import Image
from sklearn.datasets import load_digits
from torch.utils.data import DataLoader, Dataset, get_worker_info, random_split
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


class WhichWorker(Dataset):
    """A dataset's samples, each with the id and seed of the worker process that loaded it."""

    def __init__(self, dataset):
        self.dataset = dataset

    def __len__(self):
        return len(self.dataset)

    def __getitem__(self, index):
        info = get_worker_info()  # None in the main process, a WorkerInfo in a worker
        image, label = self.dataset[index]
        return image, label, info.id, info.seed


MEAN, STD = 0.3049, 0.3756  # of the training split, as training_stats.py printed them
train_tf = v2.Compose(
    [
        v2.ToImage(),
        v2.RandomAffine(degrees=15, translate=(0.125, 0.125), interpolation=BILINEAR),
        v2.ToDtype(torch.float32, scale=True),
        v2.Normalize([MEAN], [STD]),
    ]
)


def first_batches(loader, device, count=4):
    """The first batches of one pass: worker, its seed, first labels, pinned?, pixel sum."""
    rows = []
    for images, labels, workers, seeds in loader:
        pinned = images.is_pinned()  # page-locked? Only with pin_memory, where pinning works
        images = images.to(device, non_blocking=True)  # from pinned memory, the copy can overlap
        if torch.accelerator.is_available():
            # Only on CUDA is a non-blocking copy sure to be done before later work uses it.
            torch.accelerator.synchronize()
        # The pixel sum is a fingerprint: another angle or shift would change it.
        pixel_sum = images.sum().item()
        rows.append((workers[0].item(), seeds[0].item(), labels[:8].tolist(), pinned, pixel_sum))
        if len(rows) == count:
            break  # stop early: the loader shuts its workers down
    return rows


def make_loader(dataset):
    return DataLoader(
        dataset,
        batch_size=32,
        shuffle=True,
        num_workers=2,  # two worker processes read and transform the files
        generator=torch.Generator().manual_seed(0),  # the order and every worker's seed
        pin_memory=torch.accelerator.is_available(),  # page-locked batches (not on MPS: it warns)
    )


if __name__ == "__main__":  # worker processes may import this file again: run nothing then
    device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"
    write_digits()
    print("get_worker_info() in the main process:", get_worker_info())
    train = WhichWorker(DigitFiles("digits/train", transform=train_tf))
    loader = make_loader(train)
    epochs = [first_batches(loader, device), first_batches(loader, device)]
    for number, epoch in enumerate(epochs, start=1):
        print(f"\nepoch {number}")
        print("worker   seed of the worker  first labels                pinned  pixel sum")
        for worker, seed, labels, pinned, pixel_sum in epoch:
            print(f"{worker:6d}  {seed:19d}  {str(labels):26}  {pinned!s:6}  {pixel_sum:9.2f}")

    # A new loader whose generator has the same seed repeats the order and the augmentation.
    again = make_loader(train)
    print("\nnew loader, same seed, same first batches:", first_batches(again, device) == epochs[0])
