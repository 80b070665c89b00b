import torch

# From Python data: the values you write are the values you get.
x = torch.tensor([1.0, 2.0, 3.0])
print(x)

# Nested lists become a 2-D tensor: one inner list per row.
m = torch.tensor([[1, 2, 3], [4, 5, 6]])
print(m)

# Common constructors: fill with a value, or count.
print(torch.zeros(2, 3))
print(torch.ones(3))
print(torch.arange(0, 10, 2))
print(torch.linspace(0, 1, steps=5))

# Random numbers: seed first, so every run prints the same values.
torch.manual_seed(0)
print(torch.rand(2, 2))  # uniform: every value between 0 and 1
print(torch.randn(2, 2))  # normal: centred on 0, and negative values too
