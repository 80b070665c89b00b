# expected-error: TypeError
import os
import tempfile

import torch
from torch import nn


class SimpleNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(2, 16)
        self.output = nn.Linear(16, 1)

    def forward(self, x):
        return self.output(torch.relu(self.hidden(x)))


torch.manual_seed(0)
with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "simple_nn.pth")
    torch.save(SimpleNN().state_dict(), path)

    # load_state_dict returns a report on the names, not the model.
    report = SimpleNN().load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    print("load_state_dict returned:", report)

    # The mistake: treating what torch.load returns as the model.
    model = torch.load(path, map_location="cpu", weights_only=True)
    print("torch.load returned:", type(model).__name__, "with keys", list(model.keys()))
    print(model(torch.tensor([[1.0, 2.0]])))
