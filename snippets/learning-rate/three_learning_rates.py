import torch
from torch import nn, optim

# The problem: learn y = 3x + 1 from 9 points.
x = torch.linspace(-2, 2, 9).unsqueeze(1)
y = 3 * x + 1


def fmt(value):
    """4 decimals for normal numbers, scientific notation for huge ones."""
    return f"{value:11.4f}" if abs(value) < 1e5 else f"{value:11.3e}"


def train(lr, steps=40):
    torch.manual_seed(0)  # every run starts from the same weights
    model = nn.Linear(1, 1)
    optimizer = optim.SGD(model.parameters(), lr=lr)
    losses = []  # losses[k] is the loss after k steps
    for _ in range(steps):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        losses.append(loss.item())
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        losses.append(nn.functional.mse_loss(model(x), y).item())  # after the last step
    return losses, model


learning_rates = [0.01, 0.1, 0.7]
runs = {lr: train(lr) for lr in learning_rates}

print("step " + "".join(f"{'lr=' + str(lr):>11}" for lr in learning_rates))
for step in range(0, 41, 5):
    print(f"{step:4} " + "".join(fmt(runs[lr][0][step]) for lr in learning_rates))

print("after 40 steps:")
for lr, (_, model) in runs.items():
    print(f"lr={lr}: w = {fmt(model.weight.item()).strip()}, b = {fmt(model.bias.item()).strip()}")
