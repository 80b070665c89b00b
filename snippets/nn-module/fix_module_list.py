import torch
from torch import nn


class DeepNet(nn.Module):
    def __init__(self):
        super().__init__()
        # nn.ModuleList is a list that registers every module put in it.
        self.hidden = nn.ModuleList([nn.Linear(4, 4) for _ in range(3)])
        self.head = nn.Linear(4, 1)

    def forward(self, x):
        for layer in self.hidden:  # iterate it like a normal list
            x = torch.relu(layer(x))
        return self.head(x)


torch.manual_seed(0)
model = DeepNet()
x = torch.randn(64, 4)  # the same starting weights and data as the plain list
y = (x**2).sum(dim=1, keepdim=True)
print(model)

counted = sum(p.numel() for p in model.parameters())
print("counted parameters:", counted)

# An optimizer is built from model.parameters(): this is all it will ever update.
print("tensors an optimizer would update:", len(list(model.parameters())))
print("state_dict keys:")
for key in model.state_dict():
    print("  ", key)

# The same 500 steps of training by hand as for the plain list.
first_hidden = model.hidden[0].weight.clone()
for step in range(501):
    loss = ((model(x) - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        for p in model.parameters():
            p -= 0.05 * p.grad
            p.grad = None
    if step % 100 == 0:
        print(f"step {step:3d}: loss {loss.item():.4f}")
print("first hidden layer changed:", not torch.equal(first_hidden, model.hidden[0].weight))

model = model.to(torch.float64)
print("hidden dtype:", model.hidden[0].weight.dtype)
