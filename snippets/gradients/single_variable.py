import torch

# y = x^2 at x = 2. By hand: dy/dx = 2x = 4.
x = torch.tensor(2.0, requires_grad=True)
y = x**2
y.backward()
print("y at x = 2:", y.item())
print("x.grad:", x.grad.item())

# The gradient is a rate: nudge x by a small step and y changes by about
# gradient * step.
step = 0.01
y_nudged = (2.0 + step) ** 2
print(f"y at x = {2.0 + step}: {y_nudged:.4f}")
print(f"actual change:    {y_nudged - y.item():.4f}")
print(f"gradient * step:  {x.grad.item() * step:.4f}")
