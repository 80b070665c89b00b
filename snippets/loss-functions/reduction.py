import torch
from torch import nn

logits = torch.tensor(
    [
        [2.0, 0.5, -1.0, 0.0],
        [0.1, 0.2, 0.3, 0.4],
        [-1.0, 3.0, 0.0, 0.5],
    ]
)
targets = torch.tensor([0, 3, 2])

# The same loss with each of the three reductions.
print(f"{'reduction':10} {'shape':6} value")
for reduction in ["mean", "sum", "none"]:
    loss = nn.CrossEntropyLoss(reduction=reduction)(logits, targets)
    values = [round(v, 4) for v in loss.flatten().tolist()]
    shown = values if reduction == "none" else values[0]
    print(f"{reduction:10} {str(tuple(loss.shape)):6} {shown}")

# 'none' keeps one loss per sample; 'mean' and 'sum' are made from those.
per_sample = nn.CrossEntropyLoss(reduction="none")(logits, targets)
print(f"mean of 'none': {per_sample.mean().item():.4f}")
print(f"sum of 'none':  {per_sample.sum().item():.4f}")
print("worst sample:", per_sample.argmax().item())
