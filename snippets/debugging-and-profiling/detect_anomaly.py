import inspect
import re
import warnings

import torch
from torch import nn

torch.manual_seed(0)
embed = nn.Linear(4, 2)  # maps each sample to a point in 2-D
a = torch.randn(6, 4)
b = a + 0.1 * torch.randn(6, 4)  # b[i] is a slightly changed copy of a[i]: pull the pairs together
b[3] = a[3]  # a duplicate in the data: sample 3 is paired with itself


def distance(u, v):
    """Euclidean distance between the rows of u and v, written out by hand."""
    return ((u - v) ** 2).sum(dim=1).sqrt()


loss = distance(embed(a), embed(b)).mean()
print(f"loss: {loss.item():.4f}, finite: {torch.isfinite(loss).item()}")
print("distance of pair 3:", distance(embed(a), embed(b))[3].item())
loss.backward()
for name, param in embed.named_parameters():
    finite = torch.isfinite(param.grad).all().item()
    nans = torch.isnan(param.grad).sum().item()
    print(f"{name:6} gradient finite: {finite}, nan in {nans} of {param.grad.numel()} entries")

# The same forward and backward in anomaly mode. It records where each operation of the
# forward pass was called, and checks every backward function's result for nan.
embed.zero_grad()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")  # keep the warnings to print their key lines below
    with torch.autograd.detect_anomaly():
        loss = distance(embed(a), embed(b)).mean()
        try:
            loss.backward()
        except RuntimeError as error:
            print("\nRuntimeError:", error)

# Anomaly mode warns once when it starts, and once more with the traceback of the
# forward call. Show each warning's first line, and the traceback's frames that are in
# this program's own code (the others are inside torch).
this_program = inspect.currentframe().f_code.co_filename
for warning in caught:
    message = str(warning.message)
    print("warning:", message.splitlines()[0])
    frames = re.findall(r'File "(.*)", line (\d+), in (.*)\n\s*(.*)', message)
    for path, line, function, code in frames:
        if path == this_program:
            print(f"  line {line}, in {function}: {code}")

# Why pow and not sqrt: backward runs the line from right to left. sqrt's gradient at 0
# is inf, which is not nan; pow's backward then multiplies it by 2 * (u - v), which is 0.
zero = torch.tensor(0.0, requires_grad=True)
zero.sqrt().backward()
print(f"\ngradient of sqrt at 0: {zero.grad.item()}, times 0: {(zero.grad * 0).item()}")

# A norm whose backward pass gives 0 at a length of 0, where the length has no
# derivative (PyTorch chooses 0 there): the same loss, and finite gradients.
embed.zero_grad()
loss = torch.linalg.vector_norm(embed(a) - embed(b), dim=1).mean()
loss.backward()
print(f"\nwith vector_norm: loss {loss.item():.4f}")
print("gradients finite:", all(torch.isfinite(p.grad).all().item() for p in embed.parameters()))

# Why: pair 3's difference u - v has length 0, where the length has no derivative.
# vector_norm's backward gives 0 there; the hand-written distance gives nan.
by_hand = torch.zeros(1, 2, requires_grad=True)  # a difference of length 0
distance(by_hand, torch.zeros(1, 2)).sum().backward()
with_norm = torch.zeros(1, 2, requires_grad=True)
torch.linalg.vector_norm(with_norm, dim=1).sum().backward()
print(
    f"gradient at a difference of length 0: by hand {by_hand.grad[0].tolist()}, "
    f"with vector_norm {with_norm.grad[0].tolist()}"
)
