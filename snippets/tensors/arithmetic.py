import torch

a = torch.tensor([1.0, 2.0, 3.0])
b = torch.tensor([10.0, 20.0, 30.0])

# Element by element: position i of the result uses position i of each input.
print("a + b =", a + b)
print("a * b =", a * b)
print("a ** 2 =", a**2)

# Reductions turn many numbers into one.
print("sum:", a.sum(), "mean:", a.mean())

# Matrix multiplication is @, not *.
w = torch.tensor([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]])  # shape (2, 3)
print("w @ a =", w @ a)  # (2, 3) @ (3,) -> (2,)

# Broadcasting: a smaller tensor is repeated along missing or size-1 dimensions.
grid = torch.zeros(3, 4)
row = torch.tensor([1.0, 2.0, 3.0, 4.0])  # shape (4,)   -> added to every row
col = torch.tensor([[10.0], [20.0], [30.0]])  # shape (3, 1) -> added to every column
print(grid + row)
print(grid + col)
print((row + col).shape)
