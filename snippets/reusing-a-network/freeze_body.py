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
torch.manual_seed(0)  # after pretrained_weights(), which may or may not have drawn numbers
model = digits_cnn(5).to(device)
model.load_state_dict(weights)
model[9] = nn.Linear(64, 5).to(device)  # a fresh head for the new digits
model[:9].requires_grad_(False)  # freeze the body: layers 0 to 8

trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
frozen = sum(p.numel() for p in model.parameters() if not p.requires_grad)
print(f"trainable parameters: {trainable}, frozen: {frozen}")
for name, p in model.named_parameters():
    print(f"  {name:9} requires_grad={p.requires_grad}")

# Give the optimizer only what should train.
optimizer = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=0.01)
print(f"\ntraining images: {len(y_few)}, test images: {len(y_test)}")
print("steps  training loss  test accuracy on 5-9")
for steps in (100, 200, 300):
    loss = train_few(model, optimizer, steps=100)  # 100 more steps each time
    print(f"{steps:5d}  {loss:13.4f}  {test_accuracy(model):20.1%}")

# The body's weights are exactly the loaded ones; the head's are new.
print("\nsame as loaded:")
for name, tensor in model.state_dict().items():
    print(f"  {name:9} {torch.equal(tensor, weights[name])}")
print("body gradients:", model[0].weight.grad, model[7].weight.grad)
