import os
import tempfile

import torch
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

torch.manual_seed(0)
features = torch.randn(200, 2)
targets = features @ torch.tensor([[3.0], [-2.0]]) + 1.0 + 0.1 * torch.randn(200, 1)
# The data set is tiny, so it is moved to the device once instead of batch by batch.
train_x, test_x = features[:160].to(device), features[160:].to(device)
train_y, test_y = targets[:160].to(device), targets[160:].to(device)
train_loader = DataLoader(TensorDataset(train_x, train_y), batch_size=16, shuffle=True)


class SimpleNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(2, 16)
        self.output = nn.Linear(16, 1)

    def forward(self, x):
        return self.output(torch.relu(self.hidden(x)))


def test_loss(model):
    model.eval()
    with torch.no_grad():
        return loss_fn(model(test_x), test_y).item()


model = SimpleNN().to(device)
loss_fn = nn.MSELoss()
optimizer = optim.SGD(model.parameters(), lr=0.05)

with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "best.pth")
    best = float("inf")
    for epoch in range(1, 21):
        model.train()
        for x_batch, y_batch in train_loader:
            loss = loss_fn(model(x_batch), y_batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        current = test_loss(model)
        if current < best:
            best = current
            torch.save(
                {"epoch": epoch, "model_state_dict": model.state_dict(), "test_loss": current},
                path,
            )
            print(f"epoch {epoch:2d}: test loss {current:.4f}  (best so far, saved)")
        else:
            print(f"epoch {epoch:2d}: test loss {current:.4f}")

    checkpoint = torch.load(path, map_location=device, weights_only=True)

best_model = SimpleNN().to(device)
best_model.load_state_dict(checkpoint["model_state_dict"])
print(f"best checkpoint: epoch {checkpoint['epoch']}, test loss {checkpoint['test_loss']:.4f}")
print(f"test loss of the reloaded model: {test_loss(best_model):.4f}")
print(f"test loss of the final model:    {test_loss(model):.4f}")
