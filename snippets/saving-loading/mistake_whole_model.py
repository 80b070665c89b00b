import os
import pickle
import tempfile

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
with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "whole_model.pth")
    torch.save(model, path)  # the mistake: the whole object, not its state_dict

    try:
        torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:
        reason = str(error).split("WeightsUnpickler error: ")[1].split(" was not")[0]
        print("refused:", type(error).__name__, "-", reason)

    # Even trusted, the file needs the class under its old name. Say it was renamed:
    RenamedNN = SimpleNN
    del SimpleNN
    try:
        torch.load(path, map_location="cpu", weights_only=False)  # our own file, so trusted
    except AttributeError as error:
        print("after renaming the class:", type(error).__name__, "-", str(error).split(" on ")[0])
    SimpleNN = RenamedNN

    # The fix: save the state_dict, and load it into a model you build yourself.
    torch.save(model.state_dict(), path)
    fresh = SimpleNN()
    print(fresh.load_state_dict(torch.load(path, map_location="cpu", weights_only=True)))
