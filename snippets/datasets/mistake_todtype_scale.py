from pathlib import Path

import numpy as np
import torch
from PIL import Image
from sklearn.datasets import load_digits
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset, random_split
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


def open_gray(path):
    """Open an image file as one gray channel (PIL mode "L")."""
    with Image.open(path) as image:
        return image.convert("L")


MEAN, STD = 0.3049, 0.3756  # of the training split, computed on values 0..1
pipelines = {
    # The mistake: ToDtype without scale=True only changes the dtype; values stay 0..255.
    "ToDtype(float32)": v2.Compose(
        [v2.ToImage(), v2.ToDtype(torch.float32), v2.Normalize([MEAN], [STD])]
    ),
    # The fix: scale=True also divides by 255, so values are 0..1 as MEAN and STD assume.
    "ToDtype(float32, scale=True)": v2.Compose(
        [v2.ToImage(), v2.ToDtype(torch.float32, scale=True), v2.Normalize([MEAN], [STD])]
    ),
}


def read_pixels(root):
    """Every image under root as stored in its file (uint8, 0..255), and every label."""
    folder = ImageFolder(root, transform=v2.ToImage(), loader=open_gray)
    samples = [folder[i] for i in range(len(folder))]
    return torch.stack([image for image, _ in samples]), torch.tensor([y for _, y in samples])


write_digits()
device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"
train_pixels, y_train = read_pixels("digits/train")  # (1438, 1, 8, 8), uint8
test_pixels, y_test = read_pixels("digits/test")
y_test = y_test.to(device)

# Without any ToDtype, Normalize refuses uint8 images: that mistake is loud.
try:
    v2.Normalize([MEAN], [STD])(train_pixels)
except TypeError as error:
    print("Normalize on uint8:", error)


def train(x_train, x_test, seed, show=False):
    """The same small network, five epochs of Adam; returns the last test accuracy."""
    loader = DataLoader(
        TensorDataset(x_train, y_train),
        batch_size=64,
        shuffle=True,
        generator=torch.Generator().manual_seed(seed),
    )
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Flatten(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10)).to(device)
    optimizer = optim.Adam(model.parameters(), lr=0.01)
    for epoch in range(1, 6):
        model.train()
        total = 0.0
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)
            loss = nn.functional.cross_entropy(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(xb)
        model.eval()
        with torch.no_grad():
            accuracy = (model(x_test).argmax(dim=1) == y_test).float().mean().item()
        if show:
            mean_loss = total / len(x_train)
            print(f"epoch {epoch}  training loss {mean_loss:.4f}  test accuracy {accuracy:.1%}")
    return accuracy


inputs = {}
for name, transform in pipelines.items():
    # Nothing in these pipelines is random: one call transforms all the images at once.
    x_train, x_test = transform(train_pixels), transform(test_pixels).to(device)
    inputs[name] = x_train, x_test
    print(f"\n{name}: training inputs from {x_train.min():.4f} to {x_train.max():.4f}")
    train(x_train, x_test, seed=0, show=True)

# The control: other seeds for the starting weights and the order of the batches.
print("\ntest accuracy after epoch 5, seeds 1 to 4:")
for name, (x_train, x_test) in inputs.items():
    row = "  ".join(f"{train(x_train, x_test, seed):.1%}" for seed in range(1, 5))
    print(f"{name:28}  {row}")
