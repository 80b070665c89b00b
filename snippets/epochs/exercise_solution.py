import copy

import torch
from torch import nn, optim

# The over-fitting setup from this chapter: 12 noisy training points, 50 for validation.
gen = torch.Generator().manual_seed(1)
x = torch.rand(62, 1, generator=gen) * 2 - 1
y = 2 * x**2 + 0.3 * torch.randn(62, 1, generator=gen)
x_train, y_train = x[:12], y[:12]
x_val, y_val = x[12:], y[12:]

torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(1, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 1)
)
loss_fn = nn.MSELoss()
optimizer = optim.Adam(model.parameters(), lr=0.005)

patience = 20  # stop after this many epochs without a new best validation loss
best_val, best_epoch, best_state = float("inf"), 0, None
for epoch in range(1, 201):
    model.train()
    loss = loss_fn(model(x_train), y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

    model.eval()
    with torch.no_grad():
        val_loss = loss_fn(model(x_val), y_val).item()
    if val_loss < best_val:
        # deepcopy: state_dict() holds references to the live weights, which keep changing.
        best_val, best_epoch = val_loss, epoch
        best_state = copy.deepcopy(model.state_dict())
        best_state_not_copied = model.state_dict()  # the mistake, kept to compare
    elif epoch - best_epoch >= patience:
        print(f"stopped at epoch {epoch}: no improvement since epoch {best_epoch}")
        break

print(f"validation loss of the last weights: {val_loss:.4f}")

# Without deepcopy, the "saved" tensors are the live weights: loading them changes nothing.
model.load_state_dict(best_state_not_copied)
model.eval()
with torch.no_grad():
    not_copied = loss_fn(model(x_val), y_val).item()
print(f"after restoring epoch {best_epoch} without deepcopy: {not_copied:.4f}")

model.load_state_dict(best_state)
model.eval()
with torch.no_grad():
    restored = loss_fn(model(x_val), y_val).item()
print(f"validation loss after restoring epoch {best_epoch}: {restored:.4f}")
