import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)

# Fix 1: reduce to one number first. A loss is usually a sum or a mean.
y = x**2
y.sum().backward()
print("after y.sum().backward():", x.grad)

# Fix 2: pass gradient= with the same shape as y: one weight per output.
# A tensor of ones gives the same result as .sum().
x.grad = None
y = x**2
y.backward(gradient=torch.ones_like(y))
print("gradient=ones:           ", x.grad)

# Other weights scale each output's share: here the mean (each output weighs 1/3).
x.grad = None
y = x**2
y.backward(gradient=torch.full_like(y, 1 / 3))
print("gradient=1/3 each:       ", x.grad.round(decimals=4))
