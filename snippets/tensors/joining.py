import torch

a = torch.tensor([[1, 2], [3, 4]])  # shape (2, 2)
b = torch.tensor([[5, 6]])  # shape (1, 2)

# cat joins along an existing dimension: the other dimensions must match.
print("cat dim 0:", torch.cat([a, b], dim=0).tolist())
print("cat dim 1:", torch.cat([a, a], dim=1).tolist())

# stack adds a new dimension: every tensor must have the same shape.
x = torch.tensor([1, 2, 3])
y = torch.tensor([4, 5, 6])
print("stack dim 0:", tuple(torch.stack([x, y]).shape), torch.stack([x, y]).tolist())
print("stack dim 1:", tuple(torch.stack([x, y], dim=1).shape), torch.stack([x, y], dim=1).tolist())

# A typical use: collect one result per batch in a list, join them at the end.
batches = [torch.zeros(4, 3), torch.zeros(4, 3), torch.zeros(2, 3)]
print("all predictions:", tuple(torch.cat(batches).shape))
