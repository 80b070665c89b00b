import torch
from torch import nn, optim

# The over-fitting setup: the same 12 training points and the same 50 for validation.
gen = torch.Generator().manual_seed(1)
x = torch.rand(62, 1, generator=gen) * 2 - 1
y = 2 * x**2 + 0.3 * torch.randn(62, 1, generator=gen)
x_train, y_train = x[:12], y[:12]
x_val, y_val = x[12:], y[12:]

# 38 more training points from the same curve, with the same noise.
more = torch.Generator().manual_seed(2)
x_more = torch.rand(38, 1, generator=more) * 2 - 1
y_more = 2 * x_more**2 + 0.3 * torch.randn(38, 1, generator=more)


def validation_losses(x_fit, y_fit):
    """Train the same over-sized model for 200 epochs; its validation loss after each."""
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Linear(1, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 1)
    )
    loss_fn = nn.MSELoss()
    optimizer = optim.Adam(model.parameters(), lr=0.005)
    losses = []
    for _epoch in range(200):
        model.train()
        loss = loss_fn(model(x_fit), y_fit)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        model.eval()
        with torch.no_grad():
            losses.append(loss_fn(model(x_val), y_val).item())
    return losses


runs = {
    "12 points": validation_losses(x_train, y_train),
    "50 points": validation_losses(torch.cat([x_train, x_more]), torch.cat([y_train, y_more])),
}
print("validation loss      lowest  at epoch  epoch 200")
for name, losses in runs.items():
    lowest = min(losses)
    print(f"trained on {name}  {lowest:8.4f}  {losses.index(lowest) + 1:8d}  {losses[-1]:9.4f}")
