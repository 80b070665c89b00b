import torch


def f(p):
    # f(x, y) = (x - 1)^2 + 2 * (y + 2)^2, smallest at (1, -2)
    return (p[0] - 1) ** 2 + 2 * (p[1] + 2) ** 2


p = torch.tensor([0.0, 0.0], requires_grad=True)

# 1. The gradient at the start, from autograd and from finite differences.
f(p).backward()
h = 1e-3
with torch.no_grad():
    estimate = [
        (f(p + torch.tensor([h, 0.0])) - f(p - torch.tensor([h, 0.0]))) / (2 * h),
        (f(p + torch.tensor([0.0, h])) - f(p - torch.tensor([0.0, h]))) / (2 * h),
    ]
print("autograd:         ", [round(g, 2) for g in p.grad.tolist()])
print("finite difference:", [round(g.item(), 2) for g in estimate])

# 2. Gradient descent: 30 steps with learning rate 0.1.
p.grad = None
for step in range(1, 31):
    loss = f(p)
    loss.backward()
    with torch.no_grad():
        p -= 0.1 * p.grad
    p.grad = None
    if step % 10 == 0:
        x, y = p.tolist()
        print(f"step {step:2d}: x = {x:.4f}, y = {y:.4f}, f = {f(p).item():.4f}")
