import torch

w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = w * 10

# detach() gives a tensor with the same values that is cut off from the graph.
frozen = y.detach()
print("frozen:", frozen, "| requires_grad:", frozen.requires_grad)

# A common use: turning a tracked result into NumPy or a Python list.
print("as list:", y.detach().tolist())
print("as NumPy:", y.detach().numpy())

# It shares memory with y: it is a view on the same numbers, not a copy.
print("shares memory:", frozen.data_ptr() == y.data_ptr())

# So writing into the detached tensor changes y as well...
frozen[0] = 5.0
print("y after frozen[0] = 5:", y)

# ...while .detach().clone() is a separate copy that leaves y alone.
copy = y.detach().clone()
copy[1] = 0.0
print("y after copy[1] = 0:  ", y)
