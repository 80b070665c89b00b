import torch
from torch import nn, optim

# The data of this chapter's regression, trained on twice from the same start:
# once correctly, once without optimizer.zero_grad().
torch.manual_seed(0)
x = torch.rand(100, 1) * 2 - 1
y = 3 * x + 1 + 0.1 * torch.randn(100, 1)


def train(clear_gradients):
    torch.manual_seed(1)  # both runs start from the same weights (not the regression's)
    model = nn.Linear(1, 1)
    loss_fn = nn.MSELoss()
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    losses = {}
    for step in range(1, 101):
        loss = loss_fn(model(x), y)
        if clear_gradients:
            optimizer.zero_grad()
        loss.backward()  # without zero_grad, this ADDS to the old gradients
        optimizer.step()
        losses[step] = loss.item()
    return model, losses


good_model, good = train(clear_gradients=True)
bad_model, bad = train(clear_gradients=False)

print("step  with zero_grad  without")
for step in (1, 5, 10, 20, 40, 60, 80, 100):
    print(f"{step:4d}  {good[step]:13.4f}  {bad[step]:7.4f}")
print(f"with zero_grad: w={good_model.weight.item():.2f}  b={good_model.bias.item():.2f}")
print(f"without:        w={bad_model.weight.item():.2f}  b={bad_model.bias.item():.2f}")
