import torch

w = torch.tensor(2.0, requires_grad=True)


def model(x):
    # An ordinary Python if: which operations run depends on the data.
    if x > 0:
        return w * x
    return w**2


for x in [3.0, -1.0]:
    y = model(torch.tensor(x))
    y.backward()
    print(f"x = {x:4}: graph ends in {type(y.grad_fn).__name__}, dy/dw = {w.grad.item()}")
    w.grad = None


def power(n):
    # An ordinary Python loop: the graph gets one multiplication per turn.
    y = w
    for _ in range(n - 1):
        y = y * w
    return y


for n in [2, 3]:
    y = power(n)
    y.backward()
    print(f"n = {n}: y = {' * '.join(['w'] * n)}, dy/dw = {w.grad.item()}")
    w.grad = None

# The same input twice: two forward passes, two separate graphs.
first = model(torch.tensor(3.0))
second = model(torch.tensor(3.0))
print("same graph node both times:", first.grad_fn is second.grad_fn)
