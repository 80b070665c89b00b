# timeout: 30
import os

import torch
from sklearn.datasets import load_digits
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

digits = load_digits()
images = torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16  # (1797, 1, 8, 8)
labels = torch.tensor(digits.target)


def digits_cnn(n_classes):
    """The digits CNN of Convolutional networks, with n_classes outputs."""
    return nn.Sequential(
        nn.Conv2d(1, 16, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 2 * 2, 64), nn.ReLU(), nn.Linear(64, n_classes),
    )  # fmt: skip


def pretrained_weights(path="digits_0_to_4.pt"):
    """The weights pretrain.py saves: read from its file, or trained here exactly as there."""
    if not os.path.exists(path):
        old = labels < 5
        order = torch.randperm(int(old.sum()), generator=torch.Generator().manual_seed(0))
        x_train, y_train = images[old][order[:700]], labels[old][order[:700]]
        torch.manual_seed(0)
        model = digits_cnn(5).to(device)
        optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
        batch_order = torch.Generator().manual_seed(0)
        train_set = TensorDataset(x_train, y_train)
        loader = DataLoader(train_set, batch_size=64, shuffle=True, generator=batch_order)
        for _epoch in range(5):
            for x, y in loader:
                loss = nn.functional.cross_entropy(model(x.to(device)), y.to(device))
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
        torch.save(model.state_dict(), path)
    return torch.load(path, map_location=device, weights_only=True)


# The new task: digits 5-9, relabelled 0-4. Every other image of 5-9 is for testing.
new = labels >= 5
x_new, y_new = images[new], labels[new] - 5


def draw_few(seed):
    """One draw of the 50 labelled images: 10 per digit, picked at random with this seed."""
    order = torch.randperm(len(y_new), generator=torch.Generator().manual_seed(seed))
    few = torch.cat([order[y_new[order] == digit][:10] for digit in range(5)])
    is_test = torch.ones(len(y_new), dtype=torch.bool)
    is_test[few] = False
    x_few, y_few = x_new[few].to(device), y_new[few].to(device)
    x_test, y_test = x_new[is_test].to(device), y_new[is_test].to(device)
    return x_few, y_few, x_test, y_test


def train_and_test(model, x_few, y_few, x_test, y_test, steps=100):
    """Full-batch Adam steps on what requires a gradient; returns the test accuracy."""
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.Adam(trainable, lr=0.01)
    model.train()
    for _step in range(steps):
        loss = nn.functional.cross_entropy(model(x_few), y_few)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        return (model(x_test).argmax(dim=1) == y_test).float().mean().item()


weights = pretrained_weights()


def build(start, n_frozen, seed=0):
    """The digits CNN with its first n_frozen layers frozen, starting from pretrained
    weights (and a fresh head) or from random ones drawn with this seed."""
    torch.manual_seed(seed)
    model = digits_cnn(5).to(device)
    if start == "pretrained":
        model.load_state_dict(weights)
        model[9] = nn.Linear(64, 5).to(device)
    model[:n_frozen].requires_grad_(False)
    return model


candidates = {  # name: (start, n_frozen)
    "from scratch": ("random", 0),
    "layers 0-8 frozen": ("pretrained", 9),  # the whole body, as in freeze_body.py
    "layers 0-5 frozen": ("pretrained", 6),  # the convolutional layers only
    "control: random 0-5 frozen": ("random", 6),  # untrained convolutions, frozen
}
print("                            trainable  frozen")
for name, (start, n_frozen) in candidates.items():
    model = build(start, n_frozen)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    frozen = sum(p.numel() for p in model.parameters() if not p.requires_grad)
    print(f"{name:26}  {trainable:9d}  {frozen:6d}")

# Each of the four again on five draws: other labelled images, other random weights.
print("\ntest accuracy; draw n: the 50 images and the random weights drawn with seed n")
print(f"{'':26}" + "".join(f"  draw {seed}" for seed in range(5)) + "   lowest  highest")
accuracy = {}
for name, (start, n_frozen) in candidates.items():
    accuracy[name] = [
        train_and_test(build(start, n_frozen, seed), *draw_few(seed)) for seed in range(5)
    ]
    row = "".join(f"  {a:6.1%}" for a in accuracy[name])
    print(f"{name:26}{row}   {min(accuracy[name]):6.1%}   {max(accuracy[name]):6.1%}")
control, pretrained = accuracy["control: random 0-5 frozen"], accuracy["layers 0-5 frozen"]
gains = "".join(f"  {100 * (c - p):+6.1f}" for c, p in zip(control, pretrained, strict=True))
print(f"{'random minus pretrained':26}{gains}  (points)")
