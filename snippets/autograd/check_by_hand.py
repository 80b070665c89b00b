import torch

# One data point and a one-weight model: prediction = w * x_in.
x_in, target = 2.0, 7.0
w = torch.tensor(1.5, requires_grad=True)

prediction = w * x_in
loss = (prediction - target) ** 2  # (3 - 7)^2 = 16
loss.backward()

# Chain rule by hand: d/dw (w*x - t)^2 = 2 * (w*x - t) * x
by_hand = 2 * (1.5 * x_in - target) * x_in

print(f"loss           = {loss.item():.4f}")
print(f"autograd dL/dw = {w.grad.item():.4f}")
print(f"by hand  dL/dw = {by_hand:.4f}")
print("they agree:", torch.isclose(w.grad, torch.tensor(by_hand)).item())
