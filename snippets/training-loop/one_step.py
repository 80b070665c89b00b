import torch
from torch import nn, optim

# One pass through the five steps, printing what each step changes.
torch.manual_seed(0)
model = nn.Linear(1, 1)
loss_fn = nn.MSELoss()
optimizer = optim.SGD(model.parameters(), lr=0.1)

x = torch.tensor([[1.0], [2.0]])
y = torch.tensor([[4.0], [7.0]])  # y = 3x + 1

print(f"start:      w={model.weight.item():.4f}  b={model.bias.item():.4f}")

# 1. Forward: the model turns inputs into predictions.
pred = model(x)
print("forward:    predictions", [round(p, 4) for p in pred.squeeze(1).tolist()])

# 2. Loss: one number that says how wrong the predictions are.
loss = loss_fn(pred, y)
print(f"loss:       {loss.item():.4f}")

# 3. zero_grad: clear the gradients left over from the previous step.
optimizer.zero_grad()
print("zero_grad:  weight.grad is", model.weight.grad)

# 4. Backward: autograd fills .grad of every parameter.
loss.backward()
w_grad, b_grad = model.weight.grad.item(), model.bias.grad.item()
print(f"backward:   weight.grad={w_grad:.4f}  bias.grad={b_grad:.4f}")

# 5. Step: the optimizer moves each parameter against its gradient.
optimizer.step()
print(f"step:       w={model.weight.item():.4f}  b={model.bias.item():.4f}")

# Running forward again with the new parameters gives a smaller loss.
print(f"new loss:   {loss_fn(model(x), y).item():.4f}")

# On the next step, zero_grad() finds a gradient and removes it: .grad is None again.
optimizer.zero_grad()
print("zero_grad again: weight.grad is", model.weight.grad)
