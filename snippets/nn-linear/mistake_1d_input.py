# expected-error: RuntimeError
import torch
from torch import nn

torch.manual_seed(0)

line = nn.Linear(1, 1)

# Four x values meant as four samples, but a 1-D tensor reads as ONE sample
# with four features, and this layer takes exactly one feature.
x = torch.tensor([0.0, 1.0, 2.0, 3.0])
print("x shape:", tuple(x.shape), "| in_features:", line.in_features)
print(line(x))
