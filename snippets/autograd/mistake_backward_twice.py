# expected-error: RuntimeError
import torch

w = torch.tensor(2.0, requires_grad=True)
loss = (w * 3).exp()

loss.backward()
print("first backward: w.grad =", round(w.grad.item(), 4))

# The graph's saved values are freed after backward(), so a second pass over
# the same graph fails. Recompute the loss instead (a new forward pass).
loss.backward()
