import torch
from torch import nn, optim


def validation_losses(x_fit, y_fit, x_val, y_val):
    """Train the over-sized model for 200 epochs; its validation loss after each."""
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


def noisy_curve(n, gen):
    x = torch.rand(n, 1, generator=gen) * 2 - 1
    return x, 2 * x**2 + 0.3 * torch.randn(n, 1, generator=gen)


# The same experiment as the two programs above, on five draws of the data
# (seed 1 is the draw the two programs above use).
print("data   12 points: lowest  epoch 200 | 50 points: lowest  epoch 200")
for seed in range(1, 6):
    x, y = noisy_curve(62, torch.Generator().manual_seed(seed))
    x_more, y_more = noisy_curve(38, torch.Generator().manual_seed(seed + 1))
    x_train, y_train, x_val, y_val = x[:12], y[:12], x[12:], y[12:]
    few = validation_losses(x_train, y_train, x_val, y_val)
    many = validation_losses(
        torch.cat([x_train, x_more]), torch.cat([y_train, y_more]), x_val, y_val
    )
    print(
        f"seed {seed}             {min(few):.4f}     {few[-1]:.4f} |"
        f"            {min(many):.4f}     {many[-1]:.4f}"
    )
