import torch

# y = x^2 at x = 2. By hand: dy/dx = 2x = 4.
x = torch.tensor(2.0, requires_grad=True)
y = x**2
y.backward()
print("y at x = 2:", y.item())
print("x.grad:", x.grad.item())

# The gradient is a rate: nudge x by a small step and y changes by about
# gradient * step. The same check with larger steps shows how far "about" goes.
print("  step | actual change | gradient * step")
for step in [0.01, 0.1, 1.0]:
    y_nudged = (2.0 + step) ** 2
    print(f"{step:6} | {y_nudged - y.item():13.4f} | {x.grad.item() * step:15.4f}")
