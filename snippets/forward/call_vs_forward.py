import torch
from torch import nn

torch.manual_seed(0)


class LinearModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(3, 1)

    def forward(self, x):
        return self.linear(x)


model = LinearModel()
calls = {"model": 0, "model.linear": 0}


def count_model(module, inputs, output):
    calls["model"] += 1  # a forward hook runs after forward, with its output


def count_linear(module, inputs, output):
    calls["model.linear"] += 1


handle_model = model.register_forward_hook(count_model)
handle_linear = model.linear.register_forward_hook(count_linear)

x = torch.randn(4, 3)
a = model(x)
print("after model(x):        ", calls)
b = model.forward(x)
print("after model.forward(x):", calls)
print("same numbers either way:", torch.equal(a, b))

# Hooks stay until you remove them through the handle you were given.
handle_model.remove()
handle_linear.remove()
model(x)
print("after removing hooks:  ", calls)


# A forward hook that returns something replaces the module's output with it.
def clip_negative(module, inputs, output):
    return torch.relu(output)  # say, a tool that clips negative predictions


model.register_forward_hook(clip_negative)
with torch.no_grad():
    print("model(x):        ", [round(v, 4) for v in model(x).squeeze(1).tolist()])
    print("model.forward(x):", [round(v, 4) for v in model.forward(x).squeeze(1).tolist()])
    print("same numbers either way:", torch.equal(model(x), model.forward(x)))
