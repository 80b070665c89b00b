import torch
from torch import nn

# A classifier's raw outputs ("logits") for 3 samples and 4 classes: shape (N, C).
logits = torch.tensor(
    [
        [2.0, 0.5, -1.0, 0.0],  # leans towards class 0
        [0.1, 0.2, 0.3, 0.4],  # undecided
        [-1.0, 3.0, 0.0, 0.5],  # leans towards class 1
    ]
)
# The right answers: one class index per sample, shape (N,), dtype long.
targets = torch.tensor([0, 3, 2])
print("logits:", tuple(logits.shape), logits.dtype)
print("targets:", tuple(targets.shape), targets.dtype)

loss_fn = nn.CrossEntropyLoss()
loss = loss_fn(logits, targets)
print(f"nn.CrossEntropyLoss: {loss.item():.4f}")

# By hand: softmax turns each row into probabilities, then the loss of a sample
# is -log(probability given to the right class). The batch loss is their mean.
probabilities = torch.softmax(logits, dim=1)
print("softmax of sample 0:", [round(p, 4) for p in probabilities[0].tolist()])
right = probabilities[torch.arange(3), targets]
print("probability of the right class:", [round(p, 4) for p in right.tolist()])
per_sample = -torch.log(right)
print("-log of it:                    ", [round(x, 4) for x in per_sample.tolist()])
print(f"by hand: {per_sample.mean().item():.4f}")
