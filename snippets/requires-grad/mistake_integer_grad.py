# expected-error: RuntimeError
import torch

# Class labels are whole numbers, so this tensor is int64 ...
labels = torch.tensor([0, 2, 1])
print("dtype:", labels.dtype)

# ... and gradients only exist for floating point (and complex) numbers.
labels.requires_grad_()
