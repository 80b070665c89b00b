# expected-error: RuntimeError
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x**2  # three outputs, one per input
print("y:", y.detach(), "shape:", tuple(y.shape))

# backward() with no argument only works for a single number.
y.backward()
