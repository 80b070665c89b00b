# expected-error: RuntimeError
import torch
import torch.nn.functional as F

torch.manual_seed(0)
# What TinyGPT returns for a batch of 2 windows: a score for each of the 92 characters
# at each of the 32 positions, and the 32 targets of each window.
batch, T, V = 2, 32, 92
logits = torch.randn(batch, T, V)
targets = torch.randint(V, (batch, T))

# Right: 64 predictions of one character each. F.cross_entropy wants the scores as
# (N, classes) and the targets as (N,).
loss = F.cross_entropy(logits.reshape(-1, V), targets.reshape(-1))
# Also right: the classes in dimension 1, (batch, V, T), its layout for sequences.
also = F.cross_entropy(logits.transpose(1, 2), targets)
print(f"reshaped: {loss.item():.4f} | transposed: {also.item():.4f}")

# Wrong and silent: with as many positions as characters, (batch, T, V) passes the
# shape check. Dimension 1 is read as the classes: every "class" is a position.
# A perfect model, a score of 10 on each right character and 0 elsewhere, shows it.
n = V  # 92 positions
square_targets = torch.randint(V, (batch, n))
perfect = 10 * F.one_hot(square_targets, V).float()  # (batch, 92 positions, 92 scores)
uniform = torch.zeros(batch, n, V)  # the control, a model that knows nothing: all equal
print()
for name, scores in (("a perfect model", perfect), ("a uniform model", uniform)):
    right = F.cross_entropy(scores.reshape(-1, V), square_targets.reshape(-1))
    wrong = F.cross_entropy(scores, square_targets)
    print(f"{name}, {n} positions: right {right.item():.4f} | passed as it is {wrong.item():.4f}")

# Wrong and loud: the usual case, where the two sizes differ.
print(f"\n{T} positions and {V} characters, passed as it is:")
F.cross_entropy(logits, targets)
