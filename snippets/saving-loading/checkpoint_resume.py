import os
import tempfile

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

torch.manual_seed(0)
features = torch.randn(64, 3)
labels = features @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.3
loader = DataLoader(TensorDataset(features, labels), batch_size=16)  # same order every epoch


def new_model_and_optimizer(seed):
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 1)).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    return model, optimizer


def train_one_epoch(model, optimizer):
    total = 0.0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item()
    return total / len(loader)


with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "checkpoint.pth")

    # First session: train 3 epochs, then save everything needed to continue.
    model, optimizer = new_model_and_optimizer(seed=0)
    for epoch in range(1, 4):
        loss = train_one_epoch(model, optimizer)
        print(f"epoch {epoch}: loss {loss:.4f}")
    checkpoint = {
        "epoch": epoch,
        "model_state_dict": model.state_dict(),
        "optimizer_state_dict": optimizer.state_dict(),
        "loss": loss,
    }
    torch.save(checkpoint, path)
    print("saved checkpoint at epoch", epoch)

    # Later session: fresh objects, then restore them from the file.
    model, optimizer = new_model_and_optimizer(seed=123)  # different random start
    checkpoint = torch.load(path, map_location=device, weights_only=True)
    model.load_state_dict(checkpoint["model_state_dict"])
    optimizer.load_state_dict(checkpoint["optimizer_state_dict"])
    start = checkpoint["epoch"] + 1
    print(f"resumed after epoch {checkpoint['epoch']} (loss {checkpoint['loss']:.4f})")
    model.train()  # training mode again before more training
    for epoch in range(start, start + 3):
        loss = train_one_epoch(model, optimizer)
        print(f"epoch {epoch}: loss {loss:.4f}")

# For comparison: 6 epochs in one go, from the same start.
reference, reference_optimizer = new_model_and_optimizer(seed=0)
for _ in range(6):
    reference_loss = train_one_epoch(reference, reference_optimizer)
print(f"uninterrupted run, epoch 6: loss {reference_loss:.4f}")
pairs = zip(model.parameters(), reference.parameters(), strict=True)
same = all(torch.equal(a, b) for a, b in pairs)
print("same weights as the uninterrupted run:", same)
