import numpy as np
import torch

# torch.from_numpy shares memory with the array: no copy is made.
array = np.array([1.0, 2.0, 3.0])
shared = torch.from_numpy(array)
array[0] = 100.0
print("after changing the array:", shared)
print("dtype follows NumPy:", shared.dtype)  # NumPy's default is float64

# .numpy() shares memory the other way round.
t = torch.ones(3)
view = t.numpy()
t.add_(1)  # in-place operations end in an underscore
print("after changing the tensor:", view)

# torch.tensor always copies, so later changes do not travel.
copied = torch.tensor(array)
array[1] = -1.0
print("copy is unaffected:", copied)
