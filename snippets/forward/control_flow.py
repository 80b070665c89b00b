import torch
from torch import nn

torch.manual_seed(0)


class Tower(nn.Module):
    def __init__(self, depth):
        super().__init__()
        # nn.ModuleList (not a plain list) so the model finds these layers' parameters.
        self.hidden = nn.ModuleList(nn.Linear(4, 4) for _ in range(depth))
        self.out = nn.Linear(4, 1)

    def forward(self, x, return_hidden=False):
        if x.ndim == 1:  # a single sample: give it a batch dimension
            x = x.unsqueeze(0)
        for layer in self.hidden:  # an ordinary Python loop
            x = torch.relu(layer(x))
        y = self.out(x)
        if return_hidden:  # extra arguments to model(...) arrive here
            return y, x
        return y


model = Tower(depth=3)
print("hidden layers:", len(model.hidden))

batch = torch.randn(6, 4)
print("batch of 6:   ", tuple(model(batch).shape))
print("one sample:   ", tuple(model(batch[0]).shape))

y, hidden = model(batch, return_hidden=True)
print("with hidden:  ", tuple(y.shape), tuple(hidden.shape))
