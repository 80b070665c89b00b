import os
import tempfile

import torch
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

torch.manual_seed(0)
x = torch.randn(64, 3).to(device)
y = (x @ torch.tensor([[1.0], [-2.0], [0.5]]).to(device)) + 0.3


def new_model_and_optimizer(seed):
    torch.manual_seed(seed)
    model = nn.Linear(3, 1).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    return model, optimizer


def train(model, optimizer, epochs):
    for _ in range(epochs):
        loss = nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return loss.item()


# The uninterrupted reference: 10 epochs in one go.
reference, reference_optimizer = new_model_and_optimizer(seed=0)
print(f"uninterrupted, 10 epochs: loss {train(reference, reference_optimizer, 10):.4f}")

with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "checkpoint.pth")
    model, optimizer = new_model_and_optimizer(seed=0)
    train(model, optimizer, 5)
    torch.save(
        {
            "epoch": 5,
            "model_state_dict": model.state_dict(),
            "optimizer_state_dict": optimizer.state_dict(),
        },
        path,
    )

    for restore_optimizer in (True, False):
        model, optimizer = new_model_and_optimizer(seed=1)
        checkpoint = torch.load(path, map_location=device, weights_only=True)
        model.load_state_dict(checkpoint["model_state_dict"])
        if restore_optimizer:
            optimizer.load_state_dict(checkpoint["optimizer_state_dict"])
        loss = train(model, optimizer, 10 - checkpoint["epoch"])
        same = torch.equal(model.weight, reference.weight)
        print(f"resumed, optimizer restored={restore_optimizer}: loss {loss:.4f}, same: {same}")
