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
# 120 examples to train on, 40 to choose the best epoch with (validation), and the
# same 40 test examples as the chapter, looked at once, at the very end.
features, targets = features.to(device), targets.to(device)
train_x, val_x, test_x = features[:120], features[120:160], features[160:]
train_y, val_y, test_y = targets[:120], targets[120:160], targets[160:]
train_loader = DataLoader(TensorDataset(train_x, train_y), batch_size=16, shuffle=True)


class SimpleNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(2, 16)
        self.output = nn.Linear(16, 1)

    def forward(self, x):
        return self.output(torch.relu(self.hidden(x)))


def loss_on(model, x, y):
    model.eval()
    with torch.no_grad():
        return loss_fn(model(x), y).item()


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
        current = loss_on(model, val_x, val_y)
        if current < best:
            best = current
            torch.save(
                {"epoch": epoch, "model_state_dict": model.state_dict(), "val_loss": current},
                path,
            )
            print(f"epoch {epoch:2d}: validation loss {current:.4f}  (best so far, saved)")
        else:
            print(f"epoch {epoch:2d}: validation loss {current:.4f}")

    checkpoint = torch.load(path, map_location=device, weights_only=True)

# The control: the last epoch's model, which no choice picked, on both sets.
last_val, last_test = loss_on(model, val_x, val_y), loss_on(model, test_x, test_y)
print(f"last epoch (20), not chosen: validation loss {last_val:.4f}, test loss {last_test:.4f}")

best_model = SimpleNN().to(device)
best_model.load_state_dict(checkpoint["model_state_dict"])
print(f"best checkpoint: epoch {checkpoint['epoch']}, validation loss {checkpoint['val_loss']:.4f}")
print(f"validation loss of the reloaded model: {loss_on(best_model, val_x, val_y):.4f}")
# Only now, with the choice made, the test set: an estimate nothing was tuned on.
print(f"test loss of the chosen model: {loss_on(best_model, test_x, test_y):.4f}")
