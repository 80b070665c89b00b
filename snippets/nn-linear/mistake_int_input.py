# expected-error: RuntimeError
import numpy as np
import torch
from torch import nn

torch.manual_seed(0)

layer = nn.Linear(3, 2)

# Written without decimal points, these numbers become an integer tensor.
x = torch.tensor([[1, 2, 3], [4, 5, 6]])
print("input dtype: ", x.dtype)
print("weight dtype:", layer.weight.dtype)

# The same mistake with float64 data, which is what NumPy makes by default.
from_numpy = torch.from_numpy(np.array([[1.0, 2.0, 3.0]]))
print("NumPy data dtype:", from_numpy.dtype)
try:
    layer(from_numpy)
except RuntimeError as error:
    print("float64 data:", error)

print(layer(x))  # the int64 data: the program stops here
