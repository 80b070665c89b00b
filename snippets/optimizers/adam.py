import torch
from torch import nn, optim


def run(make_optimizer):
    """Three steps on loss = 100 * a + 0.01 * b, starting from a = b = 0.

    The gradients never change: 100 for a and 0.01 for b, a factor of 10,000.
    """
    a = nn.Parameter(torch.tensor(0.0))
    b = nn.Parameter(torch.tensor(0.0))
    optimizer = make_optimizer([a, b])
    for _ in range(3):
        optimizer.zero_grad()
        loss = 100 * a + 0.01 * b
        loss.backward()
        optimizer.step()
    return a.item(), b.item()


sgd_a, sgd_b = run(lambda params: optim.SGD(params, lr=0.01))
adam_a, adam_b = run(lambda params: optim.Adam(params, lr=0.01))

print("after 3 steps, each starting at 0.0")
print(f"SGD : a = {sgd_a:9.4f}   b = {sgd_b:9.4f}")
print(f"Adam: a = {adam_a:9.4f}   b = {adam_b:9.4f}")
print(f"SGD moved a {abs(sgd_a / sgd_b):.0f} times as far as b")
print(f"Adam moved a {abs(adam_a / adam_b):.0f} times as far as b")
