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


# The new task: digits 5-9, relabelled 0-4. 10 labelled images per digit to train on,
# picked at random; every other image of 5-9 is for testing.
new = labels >= 5
x_new, y_new = images[new], labels[new] - 5
order = torch.randperm(len(y_new), generator=torch.Generator().manual_seed(0))
few = torch.cat([order[y_new[order] == digit][:10] for digit in range(5)])
is_test = torch.ones(len(y_new), dtype=torch.bool)
is_test[few] = False
x_few, y_few = x_new[few].to(device), y_new[few].to(device)
x_test, y_test = x_new[is_test].to(device), y_new[is_test].to(device)


def train_few(model, optimizer, steps=100):
    """Full-batch steps: all 50 labelled images in every step."""
    model.train()
    for _step in range(steps):
        loss = nn.functional.cross_entropy(model(x_few), y_few)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return loss.item()


def test_accuracy(model):
    model.eval()
    with torch.no_grad():
        return (model(x_test).argmax(dim=1) == y_test).float().mean().item()


weights = pretrained_weights()


def reused(n_frozen):
    """The pretrained network with a fresh head and its first n_frozen layers frozen."""
    torch.manual_seed(0)
    model = digits_cnn(5).to(device)
    model.load_state_dict(weights)
    model[9] = nn.Linear(64, 5).to(device)
    model[:n_frozen].requires_grad_(False)
    return model


torch.manual_seed(0)
candidates = {
    "from scratch": digits_cnn(5).to(device),
    "layers 0-8 frozen": reused(n_frozen=9),  # the whole body, as in freeze_body.py
    "layers 0-5 frozen": reused(n_frozen=6),  # the convolutional layers only
}
print("                   trainable  frozen  test accuracy")
for name, model in candidates.items():
    trainable = [p for p in model.parameters() if p.requires_grad]
    frozen = sum(p.numel() for p in model.parameters() if not p.requires_grad)
    optimizer = torch.optim.Adam(trainable, lr=0.01)
    train_few(model, optimizer)
    n_trainable = sum(p.numel() for p in trainable)
    print(f"{name:17}  {n_trainable:9d}  {frozen:6d}  {test_accuracy(model):13.1%}")
