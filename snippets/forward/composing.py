import torch
from torch import nn

torch.manual_seed(0)


class Block(nn.Module):
    """Linear + ReLU, with the block's input added back to its output."""

    def __init__(self, size):
        super().__init__()
        self.linear = nn.Linear(size, size)
        self.relu = nn.ReLU()

    def forward(self, x):
        return x + self.relu(self.linear(x))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(4, 8)
        self.block1 = Block(8)  # a module of our own, used like any layer
        self.block2 = Block(8)
        self.out = nn.Linear(8, 2)

    def forward(self, x):
        x = self.inp(x)
        x = self.block1(x)
        x = self.block2(x)
        return self.out(x)


model = Net()
print(model)

x = torch.randn(5, 4)
print("output shape:", tuple(model(x).shape))

# Parameters of the inner modules belong to the outer model too.
for name, p in model.named_parameters():
    if name.startswith("block1"):
        print(f"{name:20} {tuple(p.shape)}")
print("total parameters:", sum(p.numel() for p in model.parameters()))
