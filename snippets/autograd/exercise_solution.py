import torch

# Exercise: f(a, b) = a * b + sin(a) at a = 1.0, b = 4.0.
a = torch.tensor(1.0, requires_grad=True)
b = torch.tensor(4.0, requires_grad=True)
f = a * b + torch.sin(a)
f.backward()

# By hand: df/da = b + cos(a), df/db = a
print(f"autograd: df/da = {a.grad.item():.4f}, df/db = {b.grad.item():.4f}")
print(f"by hand:  df/da = {4.0 + torch.cos(torch.tensor(1.0)).item():.4f}, df/db = {1.0:.4f}")
