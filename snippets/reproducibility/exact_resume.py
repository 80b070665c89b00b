import os
import tempfile

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

# 64 points in a square; class 1 when the point lies inside the unit circle.
torch.manual_seed(0)
features = torch.rand(64, 2) * 4 - 2
labels = (features.pow(2).sum(dim=1) < 1).long()
data = TensorDataset(features, labels)


def build(seed):
    """Everything a training session creates before its first epoch."""
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 2)).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.3, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
    generator = torch.Generator().manual_seed(seed)
    loader = DataLoader(data, batch_size=32, shuffle=True, generator=generator, num_workers=0)
    return model, optimizer, scheduler, generator, loader


def train_one_epoch(model, optimizer, scheduler, loader):
    model.train()
    total = 0.0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(x)
    scheduler.step()
    return total / len(data)


# The reference: 6 epochs in one go.
reference, optimizer, scheduler, generator, loader = build(seed=0)
print("uninterrupted run")
for epoch in range(1, 7):
    lr = scheduler.get_last_lr()[0]
    reference_loss = train_one_epoch(reference, optimizer, scheduler, loader)
    print(f"  epoch {epoch}: lr {lr:.3f}, loss {reference_loss:.4f}")

with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "checkpoint.pth")

    # First session: 3 epochs, then save everything the next epochs depend on.
    model, optimizer, scheduler, generator, loader = build(seed=0)
    for _ in range(3):
        train_one_epoch(model, optimizer, scheduler, loader)
    checkpoint = {
        "epoch": 3,
        "model_state_dict": model.state_dict(),
        "optimizer_state_dict": optimizer.state_dict(),
        "scheduler_state_dict": scheduler.state_dict(),  # where the lr schedule stands
        "loader_generator_state": generator.get_state(),  # the order of the next epochs
        "rng_state": torch.get_rng_state(),  # the next dropout masks, on the CPU
    }
    if torch.accelerator.is_available():  # on an accelerator, dropout draws from its generator
        checkpoint["accelerator_rng_state"] = torch.get_device_module(device).get_rng_state()
    torch.save(checkpoint, path)
    print("first session: stopped after epoch 3")

    # Second session: fresh objects from another seed, then everything restored.
    model, optimizer, scheduler, generator, loader = build(seed=123)
    # "cpu": random states must be CPU tensors; load_state_dict moves the rest to the device.
    checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    model.load_state_dict(checkpoint["model_state_dict"])
    optimizer.load_state_dict(checkpoint["optimizer_state_dict"])
    scheduler.load_state_dict(checkpoint["scheduler_state_dict"])
    generator.set_state(checkpoint["loader_generator_state"])
    torch.set_rng_state(checkpoint["rng_state"])
    if "accelerator_rng_state" in checkpoint:
        torch.get_device_module(device).set_rng_state(checkpoint["accelerator_rng_state"])
    print(f"second session: resumed after epoch {checkpoint['epoch']}")
    for epoch in range(checkpoint["epoch"] + 1, 7):
        lr = scheduler.get_last_lr()[0]
        loss = train_one_epoch(model, optimizer, scheduler, loader)
        print(f"  epoch {epoch}: lr {lr:.3f}, loss {loss:.4f}")

print(f"epoch 6 loss: uninterrupted {reference_loss:.4f}, resumed {loss:.4f}")
for (name, a), b in zip(model.named_parameters(), reference.parameters(), strict=True):
    print(f"  {name:8} equal: {torch.equal(a, b)}")
