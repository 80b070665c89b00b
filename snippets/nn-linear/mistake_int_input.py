# expected-error: RuntimeError
import torch
from torch import nn

torch.manual_seed(0)

layer = nn.Linear(3, 2)

# Written without decimal points, these numbers become an integer tensor.
x = torch.tensor([[1, 2, 3], [4, 5, 6]])
print("input dtype: ", x.dtype)
print("weight dtype:", layer.weight.dtype)
print(layer(x))
