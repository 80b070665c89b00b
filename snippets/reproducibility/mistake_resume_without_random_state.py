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


def resume(path, random_states, scheduler_state):
    """A new session: the same script, the same seed, then the checkpoint."""
    model, optimizer, scheduler, generator, loader = build(seed=0)
    checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    model.load_state_dict(checkpoint["model_state_dict"])
    optimizer.load_state_dict(checkpoint["optimizer_state_dict"])
    if scheduler_state:
        scheduler.load_state_dict(checkpoint["scheduler_state_dict"])
    if random_states:
        generator.set_state(checkpoint["loader_generator_state"])
        torch.set_rng_state(checkpoint["rng_state"])
        if "accelerator_rng_state" in checkpoint:
            torch.get_device_module(device).set_rng_state(checkpoint["accelerator_rng_state"])
    # Right after loading: the lr the optimizer will use, and the one the scheduler reports.
    on_resume = (optimizer.param_groups[0]["lr"], scheduler.get_last_lr())
    lrs = []
    for _ in range(checkpoint["epoch"] + 1, 7):
        lrs.append(f"{optimizer.param_groups[0]['lr']:.3f}")  # the lr this epoch trains with
        loss = train_one_epoch(model, optimizer, scheduler, loader)
    return model, loss, lrs, on_resume


def same_weights(a, b):
    return all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))


with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "checkpoint.pth")

    # Train 3 epochs, save a full checkpoint, then carry on: the uninterrupted run.
    reference, optimizer, scheduler, generator, loader = build(seed=0)
    for _ in range(3):
        train_one_epoch(reference, optimizer, scheduler, loader)
    checkpoint = {
        "epoch": 3,
        "model_state_dict": reference.state_dict(),
        "optimizer_state_dict": optimizer.state_dict(),
        "scheduler_state_dict": scheduler.state_dict(),
        "loader_generator_state": generator.get_state(),
        "rng_state": torch.get_rng_state(),
    }
    if torch.accelerator.is_available():
        checkpoint["accelerator_rng_state"] = torch.get_device_module(device).get_rng_state()
    torch.save(checkpoint, path)
    lrs = []
    for _ in range(4, 7):
        lrs.append(f"{optimizer.param_groups[0]['lr']:.3f}")  # the lr this epoch trains with
        reference_loss = train_one_epoch(reference, optimizer, scheduler, loader)
    print("epoch 6 loss, and the lr of epochs 4 to 6")
    print(f"  {'uninterrupted:':26} {reference_loss:.4f} | lr {' '.join(lrs)}")

    on_resume = {}
    for label, random_states, scheduler_state in [
        ("resumed with everything:", True, True),
        ("resumed, no random states:", False, True),
        ("resumed, no scheduler:", True, False),
    ]:
        model, loss, lrs, on_resume[label] = resume(path, random_states, scheduler_state)
        same = same_weights(model, reference)
        print(f"  {label:26} {loss:.4f} | lr {' '.join(lrs)} | same weights: {same}")

    print("\nright after loading: the optimizer's lr, and scheduler.get_last_lr()")
    for label in ("resumed with everything:", "resumed, no scheduler:"):
        optimizer_lr, last_lr = on_resume[label]
        reported = [round(lr, 3) for lr in last_lr]
        print(f"  {label:26} optimizer {optimizer_lr:.3f} | get_last_lr() {reported}")
