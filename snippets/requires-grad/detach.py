import torch

w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = w * 10

# detach() gives a tensor with the same values that is cut off from the graph.
frozen = y.detach()
print("frozen:", frozen, "| requires_grad:", frozen.requires_grad)

# It shares memory with y: it is a view on the same numbers, not a copy.
print("shares memory:", frozen.data_ptr() == y.data_ptr())

# A common use: turning a tracked result into NumPy or a Python list.
print("as list:", y.detach().tolist())
print("as NumPy:", y.detach().numpy())
