import torch
from torch import nn, optim

# Data from the line y = 2x - 1.
x = torch.tensor([[0.0], [1.0], [2.0], [3.0]])
y = 2 * x - 1

torch.manual_seed(0)
model = nn.Linear(1, 1)
loss_fn = nn.MSELoss()
optimizer = optim.SGD(model.parameters(), lr=0.05)  # it holds the model's parameters

for step in range(201):
    optimizer.zero_grad()  # 1. clear the gradients of the previous step
    loss = loss_fn(model(x), y)  # 2. forward pass and loss
    loss.backward()  # 3. fill .grad of every parameter
    optimizer.step()  # 4. change every parameter using its .grad
    if step % 40 == 0:
        print(f"step {step:3}: loss {loss.item():.4f}")

print(f"weight {model.weight.item():.4f}  bias {model.bias.item():.4f}")
