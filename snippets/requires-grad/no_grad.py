import torch

w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)

# Outside no_grad, changing a leaf that requires grad in place is refused.
try:
    w -= 0.1
except RuntimeError as error:
    print("w -= 0.1 outside no_grad:", error)

# Normal computation: tracked, because it could be needed for gradients.
tracked = w * 2
print("outside no_grad:", tracked.requires_grad, type(tracked.grad_fn).__name__)

# Inside torch.no_grad() nothing is recorded: use it for evaluation and for
# updating weights by hand.
with torch.no_grad():
    untracked = w * 2
    print("inside no_grad: ", untracked.requires_grad, untracked.grad_fn)
    w -= 0.1  # an in-place update of a leaf is allowed here
print("w after the update:", w)
print("w still requires grad:", w.requires_grad)


# As a decorator, for a whole function.
@torch.no_grad()
def predict(x):
    return x * w


print("predict tracked:", predict(torch.ones(3)).requires_grad)
