import torch

t = torch.arange(6)  # tensor([0, 1, 2, 3, 4, 5]), shape (6,)

# view and reshape regroup the same elements; neither copies when it can avoid it.
print("view(2, 3):", t.view(2, 3).tolist())
print("reshape(3, 2):", t.reshape(3, 2).tolist())

# unsqueeze adds a dimension of size 1, squeeze removes dimensions of size 1.
column = t.unsqueeze(1)
print("unsqueeze(1):", tuple(t.shape), "->", tuple(column.shape))
print("unsqueeze(0):", tuple(t.shape), "->", tuple(t.unsqueeze(0).shape))
print("squeeze(1):  ", tuple(column.shape), "->", tuple(column.squeeze(1).shape))

# permute reorders dimensions; .T swaps the two dimensions of a matrix.
images = torch.zeros(8, 28, 28, 3)  # a batch stored as (batch, height, width, channels)
print("permute(0, 3, 1, 2):", tuple(images.permute(0, 3, 1, 2).shape))
m = t.view(2, 3)
print("m.T:", m.T.tolist())

# After permute or .T the elements are no longer in reading order in memory, so
# flattening cannot be a view: view refuses, reshape copies.
print("m.T is contiguous:", m.T.is_contiguous())
print("m.T.reshape(6):", m.T.reshape(6).tolist())
try:
    m.T.view(6)
except RuntimeError as error:
    print("m.T.view(6) fails:", str(error).split(".")[0])
