# expected-error: RuntimeError
import torch

# Asked for at creation, the request is refused at once.
try:
    torch.tensor([0, 2, 1], requires_grad=True)
except RuntimeError as error:
    print("torch.tensor(..., requires_grad=True):", error)

# Class labels are whole numbers, so this tensor is int64 ...
labels = torch.tensor([0, 2, 1])
print("dtype:", labels.dtype)

# ... and gradients only exist for floating point (and complex) numbers.
labels.requires_grad_()
