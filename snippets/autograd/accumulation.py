import torch

w = torch.tensor(1.0, requires_grad=True)

# Each backward() ADDS to .grad; it does not replace it.
for step in range(3):
    loss = 5 * w  # dloss/dw = 5 every time
    loss.backward()
    print(f"after backward {step + 1}: w.grad = {w.grad.item()}")

# Reset before computing the next gradient. Training loops do this every step.
w.grad = None
loss = 5 * w
loss.backward()
print("after resetting and one backward:", w.grad.item())

w.grad.zero_()  # the in-place alternative
print("after zero_():", w.grad.item())
