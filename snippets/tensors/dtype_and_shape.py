import torch

floats = torch.tensor([1.0, 2.0, 3.0])
ints = torch.tensor([1, 2, 3])
print("floats:", floats.dtype)  # Python floats become float32
print("ints:  ", ints.dtype)  # Python ints become int64

# Convert explicitly when you need another type.
print("as float:", ints.to(torch.float32))
print("as half: ", floats.to(torch.float16).dtype)

# A tensor's shape: one number per dimension.
images = torch.zeros(8, 3, 28, 28)  # 8 images, 3 colour channels, 28x28 pixels
print("shape:", images.shape)
print("dimensions:", images.ndim, "| elements:", images.numel())

# reshape keeps the elements and changes how they are grouped.
row = torch.arange(6)
print(row.reshape(2, 3))
print(row.reshape(3, -1).shape)  # -1 means "work this one out"

# The number of elements must stay the same: 6 elements cannot fill (4, 2).
try:
    row.reshape(4, 2)
except RuntimeError as error:
    print("reshape(4, 2) fails:", error)
