import numpy as np
import torch
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

torch.manual_seed(0)
model = nn.Linear(2, 1).to(device)
x = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]).to(device)
pred = model(x)  # on `device`, and part of the autograd graph

# A single number: .item() gives a plain Python float, wherever the tensor lives.
mean = pred.mean().item()
print(f"mean prediction: {mean:.4f} ({type(mean).__name__})")

# Several numbers as Python lists: .tolist() also copies to the CPU.
print("as a list:", [round(v, 4) for v in pred.squeeze(1).tolist()])

# For NumPy: leave the graph, come back to the CPU, then convert.
array = pred.detach().cpu().numpy()
print("as NumPy:", type(array).__name__, array.dtype, array.shape)
print("rounded:", np.round(array.ravel(), 4))

# .numpy() itself only accepts a CPU tensor.
try:
    pred.detach().numpy()
    print(".numpy() without .cpu(): works here, the tensor is on the CPU")
except TypeError as error:
    print(".numpy() without .cpu(): TypeError:", error)

# .cpu() on its own keeps a tensor; use it to keep results after training.
kept = pred.detach().cpu()
print("kept tensor on:", kept.device.type, "| requires_grad:", kept.requires_grad)
