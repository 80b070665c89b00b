# expected-error: RuntimeError
import torch
from torch import nn

torch.manual_seed(0)
model = nn.Linear(2, 1)
x_new = torch.randn(3, 2)

# Evaluating without torch.no_grad(): autograd still records everything.
model.eval()
predictions = model(x_new)
print("requires_grad:", predictions.requires_grad)

# Handing the predictions to NumPy (for plotting, saving, ...) fails.
print(predictions.numpy())
