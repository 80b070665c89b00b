import torch
from torch import nn


class SimpleNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(3, 4)
        self.output = nn.Linear(4, 1)

    def forward(self, x):
        return self.output(torch.relu(self.hidden(x)))


torch.manual_seed(0)
model = SimpleNN()

# A model's state_dict maps each parameter's name to its tensor.
print("model state_dict:")
for name, tensor in model.state_dict().items():
    print(f"  {name:14s} {tuple(tensor.shape)}")

# A layer with buffers: BatchNorm's running statistics are in its state_dict too.
print("BatchNorm1d state_dict:", list(nn.BatchNorm1d(4).state_dict().keys()))

# An optimizer has one too: its settings and its internal state.
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
print("optimizer keys:", list(optimizer.state_dict().keys()))
group = optimizer.state_dict()["param_groups"][0]
print("lr:", group["lr"], "| momentum:", group["momentum"], "| params:", group["params"])
print("state before a step:", len(optimizer.state_dict()["state"]), "entries")

# After one step, momentum keeps a running buffer for every parameter.
loss = model(torch.randn(8, 3)).pow(2).mean()
loss.backward()
optimizer.step()
state = optimizer.state_dict()["state"]
print("state after a step: ", len(state), "entries, e.g.", list(state[0].keys()))
