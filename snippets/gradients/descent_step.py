import torch

# Data that follows y = 2 * x exactly. The model is prediction = w * x,
# and w starts at the wrong value.
xs = torch.tensor([1.0, 2.0, 3.0])
ys = torch.tensor([2.0, 4.0, 6.0])
w = torch.tensor(0.5, requires_grad=True)
learning_rate = 0.05

print("step |      w |   loss | w.grad")
for step in range(6):
    loss = ((w * xs - ys) ** 2).mean()
    loss.backward()
    print(f"{step:4d} | {w.item():6.4f} | {loss.item():6.4f} | {w.grad.item():7.4f}")

    # Move w a small step AGAINST the gradient. no_grad: the update itself
    # must not be recorded as part of the next computation.
    with torch.no_grad():
        w -= learning_rate * w.grad
    w.grad = None  # backward() adds to .grad, so clear it before the next step
