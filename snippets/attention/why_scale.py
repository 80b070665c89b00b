import math

import torch

torch.manual_seed(0)

# 1. The spread of a dot product of two random vectors grows with their length d.
# Each of its d terms q_i * k_i has variance 1; the terms are independent, so their
# variances add up to d, and the standard deviation is sqrt(d).
print(f"{'d':>5}  {'std of q.k':>10}  {'sqrt(d)':>7}  {'std of q.k / sqrt(d)':>20}")
for d in [4, 64, 1024]:
    q = torch.randn(10_000, d)
    k = torch.randn(10_000, d)
    dots = (q * k).sum(dim=-1)  # 10000 dot products
    print(
        f"{d:>5}  {dots.std().item():>10.1f}  {math.sqrt(d):>7.1f}  "
        f"{(dots / math.sqrt(d)).std().item():>20.2f}"
    )

# 2. What that does to the softmax: 2000 queries, each against the same 8 keys.
# A random upstream gradient plays the part of the layers above; we look at how
# much of it gets through the softmax to the scores.
print(f"\n{'d':>5}  {'scores':>8}  {'largest weight':>14}", end="")
print(f"  {'rows > 0.99':>11}  {'mean |grad|':>11}")
for d in [4, 64, 1024]:
    q = torch.randn(2000, d)
    k = torch.randn(8, d)
    upstream = torch.randn(2000, 8)
    for name, scale in [("unscaled", 1.0), ("scaled", 1 / math.sqrt(d))]:
        scores = (q @ k.T * scale).requires_grad_()
        weights = torch.softmax(scores, dim=-1)
        (weights * upstream).sum().backward()
        largest = weights.max(dim=-1).values
        print(
            f"{d:>5}  {name:>8}  {largest.mean().item():>14.2f}  "
            f"{(largest > 0.99).float().mean().item():>11.0%}  "
            f"{scores.grad.abs().mean().item():>11.3f}"
        )
