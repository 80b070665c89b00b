import os

import torch

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

print("deterministic algorithms:", torch.are_deterministic_algorithms_enabled())
torch.use_deterministic_algorithms(True)
print("deterministic algorithms:", torch.are_deterministic_algorithms_enabled())

# put_ writes values at flat positions. With a repeated position (0 here) the
# result depends on which write lands last, and put_ has no deterministic version.
target = torch.zeros(3)
try:
    target.put_(torch.tensor([0, 0, 2]), torch.tensor([1.0, 2.0, 3.0]))
except RuntimeError as error:
    print("RuntimeError:", str(error).split(",")[0])

# torch.empty normally leaves whatever was in memory; in this mode it writes NaN.
print("torch.empty(3):", torch.empty(3))

# A matrix product on the device, in this mode, with no CUBLAS_WORKSPACE_CONFIG set.
print("CUBLAS_WORKSPACE_CONFIG:", os.environ.get("CUBLAS_WORKSPACE_CONFIG", "not set"))
gen = torch.Generator().manual_seed(0)
a = torch.randn(256, 256, generator=gen).to(device)
b = torch.randn(256, 256, generator=gen).to(device)
print("a @ b, twice: the same bits:", torch.equal(a @ b, a @ b))

# What the installed torch's own documentation of the mode says about that variable.
doc = torch.use_deterministic_algorithms.__doc__
print("its documentation mentions CUBLAS_WORKSPACE_CONFIG:", "CUBLAS_WORKSPACE_CONFIG" in doc)
