import torch
from torch import nn

# 300 points in 2-D, in 3 classes: the class is the largest of three fixed scores.
torch.manual_seed(0)
x = torch.randn(300, 2)
y = (x @ torch.tensor([[1.0, -1.0, 0.0], [0.0, 1.0, -1.0]])).argmax(dim=1)

loss_fn = nn.CrossEntropyLoss()
learning_rate = 1.0
models = {}
for name in ["raw logits", "softmax first"]:
    torch.manual_seed(1)  # the same starting weights for both models
    models[name] = nn.Linear(2, 3)

print(f"{'step':>4} | {'raw logits':>10} | {'softmax first':>13}")
for step in range(1001):
    losses = []
    for name, model in models.items():
        logits = model(x)
        if name == "softmax first":
            logits = torch.softmax(logits, dim=1)  # the mistake
        loss = loss_fn(logits, y)
        loss.backward()
        with torch.no_grad():  # one step of gradient descent, by hand
            for p in model.parameters():
                p -= learning_rate * p.grad
                p.grad = None
        losses.append(loss.item())
    if step % 200 == 0:
        print(f"{step:4d} | {losses[0]:10.4f} | {losses[1]:13.4f}")

with torch.no_grad():
    for name, model in models.items():
        accuracy = (model(x).argmax(dim=1) == y).float().mean().item()
        print(f"accuracy, {name}: {accuracy:.2f}")
