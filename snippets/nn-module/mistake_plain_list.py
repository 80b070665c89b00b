import torch
from torch import nn


class DeepNet(nn.Module):
    def __init__(self):
        super().__init__()
        # A plain Python list: nn.Module does not look inside it.
        self.hidden = [nn.Linear(4, 4) for _ in range(3)]
        self.head = nn.Linear(4, 1)

    def forward(self, x):
        for layer in self.hidden:
            x = torch.relu(layer(x))
        return self.head(x)


torch.manual_seed(0)
model = DeepNet()
x = torch.randn(64, 4)
y = (x**2).sum(dim=1, keepdim=True)  # a curved target: fitting it needs the hidden layers
out = model(x)
print("the model runs: output shape", tuple(out.shape))
print(model)  # but the hidden layers are missing from the printout

expected = 3 * (4 * 4 + 4) + (4 * 1 + 1)
counted = sum(p.numel() for p in model.parameters())
print("expected parameters:", expected, "| counted:", counted)

# An optimizer is built from model.parameters(): this is all it will ever update.
print("tensors an optimizer would update:", len(list(model.parameters())))
print("state_dict keys:")
for key in model.state_dict():
    print("  ", key)

# Train by hand for 500 steps, updating what model.parameters() lists, as an
# optimizer would.
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

# .to() converts only what is registered: the head, not the layers in the list.
model = model.to(torch.float64)
print("head dtype:  ", model.head.weight.dtype)
print("hidden dtype:", model.hidden[0].weight.dtype)
