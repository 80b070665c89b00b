import warnings

import torch
from torch import nn


class Rescale(nn.Module):
    """The first step of a digits model that accepts pixels from 0 to 16 (as in
    load_digits) or already from 0 to 1: a Python `if` looks at the data."""

    def forward(self, x):
        if x.max() > 1:  # pixels from 0 to 16: bring them to 0..1
            x = x / 16
        return x


model = Rescale()
raw = torch.tensor([[0.0, 8.0, 16.0, 4.0]])  # four pixels of a digit, from 0 to 16
scaled = torch.tensor([[0.0, 0.5, 1.0, 0.25]])  # the same pixels, already from 0 to 1
print("model(raw):     ", model(raw).tolist())
print("model(scaled):  ", model(scaled).tolist())

# TorchScript's two entry points. torch.jit.script compiles the Python source;
# the tracer runs forward once, on the example, and records the tensor operations
# it sees. The `if` is plain Python: only the branch taken is recorded.
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    torch.jit.script(model)
    traced = torch.jit.trace(model, (raw,))
for message in dict.fromkeys(str(warning.message).split(". ")[0] for warning in caught):
    print("warning:", message)
print("traced(raw):    ", traced(raw).tolist())
print("traced(scaled): ", traced(scaled).tolist(), "<- divided by 16 again")
code, constants = traced.code_with_constants  # the traced code, and the constants it names
print("the traced code, whole:")
print(code.strip())
print("its constants:", {name: int(value) for name, value in constants.const_mapping.items()})

# torch.export refuses to guess: the branch depends on the values of x.
try:
    torch.export.export(model, (raw,))
except RuntimeError as error:
    print("\ntorch.export:", type(error).__name__)
    print(str(error).splitlines()[0])


# torch.cond puts both branches into the graph; the data picks one at run time.
class RescaleCond(nn.Module):
    def forward(self, x):
        # A branch may not return its input itself: the one that changes nothing clones it.
        return torch.cond(x.max() > 1, lambda x: x / 16, lambda x: x.clone(), (x,))


program = torch.export.export(RescaleCond(), (raw,)).module()
print("\nwith torch.cond, exported:")
print("program(raw):   ", program(raw).tolist())
print("program(scaled):", program(scaled).tolist())


# The same, but the branch that changes nothing returns x itself.
class RescaleCondAlias(nn.Module):
    def forward(self, x):
        return torch.cond(x.max() > 1, lambda x: x / 16, lambda x: x, (x,))


try:
    torch.export.export(RescaleCondAlias(), (raw,))
except RuntimeError as error:
    print("\na branch that returns x itself:", type(error).__name__)
    message = str(error)  # long, and worded a little differently across releases
    print(message[message.index("Encountered aliasing") :].splitlines()[0])
    print(message[message.index("Hint: Replace") :].splitlines()[0])
