import torch
from torch import nn, optim

# The simplest valley there is: loss = w ** 2, lowest at w = 0. Start at w = 1.
# The gradient is 2 * w, so each SGD step gives w_new = w - lr * 2 * w.
learning_rates = [0.1, 0.5, 0.9, 1.1]
history = {}
for lr in learning_rates:
    w = nn.Parameter(torch.tensor(1.0))
    optimizer = optim.SGD([w], lr=lr)
    values = [w.item()]
    for _ in range(6):
        optimizer.zero_grad()
        loss = w**2
        loss.backward()
        optimizer.step()
        values.append(w.item())
    history[lr] = values

print("step" + "".join(f"{'lr=' + str(lr):>10}" for lr in learning_rates))
for step in range(7):
    print(f"{step:4}" + "".join(f"{history[lr][step]:10.4f}" for lr in learning_rates))
