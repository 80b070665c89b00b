import torch

t = torch.arange(12).reshape(3, 4)
print(t)

print("row 0:      ", t[0])
print("column 1:   ", t[:, 1])
print("element 2,3:", t[2, 3])
print("last row:   ", t[-1])
print("rows 0-1, columns 1-2:")
print(t[0:2, 1:3])

# A boolean mask picks the elements where the condition holds.
mask = t % 2 == 0
print("even numbers:", t[mask])

# Basic indexing (integers and slices) gives a view: writing through it changes t.
first_row = t[0]
first_row[0] = 100
print("after writing through the view:", t[0])

# Advanced indexing (a mask or a list of indices) gives a copy: t stays as it was.
picked = t[[0, 2]]
picked[0, 1] = -1
print("after writing into the copy:   ", t[0])

# .item() turns a one-element tensor into a Python number.
print("as Python int:", t[1, 1].item(), type(t[1, 1].item()).__name__)
