import torch

# A tensor you create yourself, asking PyTorch to track it.
x = torch.tensor(2.0, requires_grad=True)
print("x:", x)
print("x.requires_grad:", x.requires_grad, "| x.is_leaf:", x.is_leaf)

# A result computed from x is tracked too, and remembers how it was made.
y = x * 3 + 1
print("y:", y)
print("y.requires_grad:", y.requires_grad, "| y.is_leaf:", y.is_leaf)
print("y.grad_fn:", type(y.grad_fn).__name__)

# Tensors are not tracked unless you ask: the default is False.
plain = torch.tensor([1.0, 2.0])
print("plain.requires_grad:", plain.requires_grad, "| plain.is_leaf:", plain.is_leaf)
