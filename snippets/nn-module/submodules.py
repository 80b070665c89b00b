import torch
from torch import nn


class Block(nn.Module):
    """A reusable piece: a linear layer followed by a ReLU."""

    def __init__(self, n_in, n_out):
        super().__init__()
        self.linear = nn.Linear(n_in, n_out)
        self.act = nn.ReLU()

    def forward(self, x):
        return self.act(self.linear(x))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.block1 = Block(4, 8)  # a module inside a module
        self.block2 = Block(8, 8)
        self.head = nn.Linear(8, 2)

    def forward(self, x):
        return self.head(self.block2(self.block1(x)))


torch.manual_seed(0)
model = Net()
print(model)

print("direct children:", [name for name, _ in model.named_children()])
print("parameter names:")
for name, p in model.named_parameters():
    print(f"  {name:<20} {tuple(p.shape)}")

out = model(torch.randn(3, 4))
print("output shape:", tuple(out.shape))
