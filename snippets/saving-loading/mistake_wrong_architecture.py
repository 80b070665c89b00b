# expected-error: RuntimeError
import os
import tempfile

import torch
from torch import nn


class SimpleNN(nn.Module):  # the class as it was when the file was saved
    def __init__(self, hidden_size):
        super().__init__()
        self.hidden = nn.Linear(3, hidden_size)
        self.output = nn.Linear(hidden_size, 1)

    def forward(self, x):
        return self.output(torch.relu(self.hidden(x)))


torch.manual_seed(0)
with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "model.pth")
    torch.save(SimpleNN(hidden_size=4).state_dict(), path)

    # Months later the class has changed: its output layer is now called head,
    # and the model is built with a wider hidden layer.
    class SimpleNN(nn.Module):
        def __init__(self, hidden_size):
            super().__init__()
            self.hidden = nn.Linear(3, hidden_size)
            self.head = nn.Linear(hidden_size, 1)

        def forward(self, x):
            return self.head(torch.relu(self.hidden(x)))

    model = SimpleNN(hidden_size=8)
    state = torch.load(path, map_location="cpu", weights_only=True)
    print("names in the file: ", list(state.keys()))
    print("names in the model:", list(model.state_dict().keys()))
    model.load_state_dict(state)
