import torch
from torch import nn, optim

model = nn.Linear(1, 1)
with torch.no_grad():  # start from known values, so the numbers are easy to follow
    model.weight.fill_(0.5)
    model.bias.fill_(0.0)

x = torch.tensor([[2.0]])
y = torch.tensor([[3.0]])
optimizer = optim.SGD(model.parameters(), lr=0.01)
lr = optimizer.param_groups[0]["lr"]  # the optimizer keeps its settings here

optimizer.zero_grad()
loss = nn.MSELoss()(model(x), y)  # (0.5 * 2 + 0 - 3) ** 2 = 4
loss.backward()
w, b = model.weight.item(), model.bias.item()
w_grad, b_grad = model.weight.grad.item(), model.bias.grad.item()
print(f"loss {loss.item():.4f}")
print(f"weight {w:.4f}  grad {w_grad:.4f}")
print(f"bias   {b:.4f}  grad {b_grad:.4f}")

optimizer.step()
print(f"after step: weight {model.weight.item():.4f}  bias {model.bias.item():.4f}")
print(f"by hand:    weight {w - lr * w_grad:.4f}  bias {b - lr * b_grad:.4f}")
print(f"new loss {nn.MSELoss()(model(x), y).item():.4f}")
