import torch
from torch import nn


class TwoLayerNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(3, 5)  # a layer: its weight and bias are registered
        self.out = nn.Linear(5, 1)
        self.scale = nn.Parameter(torch.ones(1))  # a bare learnable tensor: registered too
        self.offset = torch.zeros(1)  # a plain tensor: NOT a parameter

    def forward(self, x):
        return self.out(torch.relu(self.hidden(x))) * self.scale + self.offset


torch.manual_seed(0)
model = TwoLayerNet()

for name, p in model.named_parameters():
    print(f"{name:<14} shape {str(tuple(p.shape)):<7} requires_grad={p.requires_grad}")

total = sum(p.numel() for p in model.parameters())
print("number of parameter tensors:", len(list(model.parameters())))
print("number of values:", total)  # 15 + 5 + 5 + 1 + 1
print("is offset a parameter?", any(p is model.offset for p in model.parameters()))
