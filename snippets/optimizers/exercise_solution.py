import torch
from torch import nn, optim

# Exercise: SGD with momentum written by hand, next to optim.SGD(momentum=0.9).
x = torch.tensor([[1.0], [2.0], [3.0]])
y = 2 * x
lr, mu = 0.02, 0.9

# The library version.
model = nn.Linear(1, 1, bias=False)
with torch.no_grad():
    model.weight.fill_(0.0)
optimizer = optim.SGD(model.parameters(), lr=lr, momentum=mu)

# The hand-written version: a plain tensor and a velocity.
w = torch.tensor(0.0, requires_grad=True)
velocity = torch.tensor(0.0)

print("step | optim.SGD w | by hand w | velocity")
for step in range(1, 11):
    optimizer.zero_grad()
    nn.functional.mse_loss(model(x), y).backward()
    optimizer.step()

    loss = ((w * x - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():  # the update itself must not be recorded by autograd
        velocity = mu * velocity + w.grad
        w -= lr * velocity
    w.grad = None  # what zero_grad() does for the optimizer

    print(f"{step:4} | {model.weight.item():11.4f} | {w.item():9.4f} | {velocity.item():8.4f}")

print("same result:", torch.allclose(model.weight.detach().squeeze(), w.detach()))
