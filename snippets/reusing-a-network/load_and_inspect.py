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


# Build the network exactly as it was saved, then pour the weights into it.
weights = pretrained_weights()
model = digits_cnn(5).to(device)
print("load_state_dict:", model.load_state_dict(weights))

# What the 0-4 network says about images of 5-9: it can only answer 0-4.
new = labels >= 5
model.eval()
with torch.no_grad():
    predictions = model(images[new].to(device)).argmax(dim=1).cpu()
print("\ntrue digit   predicted as 0, 1, 2, 3, 4")
for digit in range(5, 10):
    counts = torch.bincount(predictions[labels[new] == digit], minlength=5).tolist()
    print(f"{digit:10d}   {counts}")

# Every key except the head's: strict=True (the default) refuses, strict=False reports.
body_only = {name: tensor for name, tensor in weights.items() if not name.startswith("9.")}
try:
    digits_cnn(5).to(device).load_state_dict(body_only)
except RuntimeError as error:
    print("\nstrict=True:  RuntimeError:", str(error).splitlines()[1].strip())
report = digits_cnn(5).to(device).load_state_dict(body_only, strict=False)
print("strict=False: missing", report.missing_keys, "unexpected", report.unexpected_keys)

# A head of another shape: a size mismatch is an error even with strict=False.
try:
    digits_cnn(10).to(device).load_state_dict(weights, strict=False)
except RuntimeError as error:
    print("\nten outputs, strict=False: RuntimeError:")
    for line in str(error).splitlines():
        print(" ", line.strip())
