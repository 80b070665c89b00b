import torch

w = torch.tensor([0.5, -1.0], requires_grad=True)  # something to learn
data = torch.tensor([3.0, 4.0])  # something given

# One tracked input is enough: the result is tracked.
out = (w * data).sum()
print("w * data tracked:", out.requires_grad)

# Only untracked inputs: nothing to track.
print("data * 2 tracked:", (data * 2).requires_grad)

# Switching tracking on for an existing tensor, in place (note the underscore).
data.requires_grad_()
print("data tracked now:", data.requires_grad)

# Comparisons give bool tensors, which are never tracked.
print("w > 0:", w > 0, "tracked:", (w > 0).requires_grad)
