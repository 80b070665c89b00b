import torch

x = torch.tensor(2.0, requires_grad=True)
y = x**2 + 3 * x  # y = 4 + 6 = 10

y.backward()  # fill x.grad with dy/dx at x = 2

print("y =", y.item())
print("x.grad =", x.grad.item())
print("by hand: dy/dx = 2x + 3 =", 2 * 2.0 + 3)
