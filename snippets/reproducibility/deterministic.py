import os
import warnings

import torch

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

# Floating-point addition depends on the order of the terms.
print("(0.1 + 0.2) + 0.3 == 0.1 + (0.2 + 0.3):", (0.1 + 0.2) + 0.3 == 0.1 + (0.2 + 0.3))
print(f"  {(0.1 + 0.2) + 0.3!r} and {0.1 + (0.2 + 0.3)!r}")

print("deterministic algorithms:", torch.are_deterministic_algorithms_enabled())
torch.use_deterministic_algorithms(True)
print("deterministic algorithms:", torch.are_deterministic_algorithms_enabled())

# put_ writes values at flat positions. With a repeated position (0 here) the
# result depends on which write lands last, and put_ has no deterministic version.
target = torch.zeros(3)
positions, values = torch.tensor([0, 0, 2]), torch.tensor([1.0, 2.0, 3.0])
try:
    target.put_(positions, values)
except RuntimeError as error:
    sentences = str(error).split(". ")
    print("RuntimeError:", sentences[0].split(",")[0])
    print("  the message goes on:", sentences[1])

# warn_only=True: an operation without a deterministic version runs, with a warning.
torch.use_deterministic_algorithms(True, warn_only=True)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")  # record every warning
    target.put_(positions, values)
print("with warn_only=True, put_ runs; warning:", str(caught[0].message).split(",")[0])
torch.use_deterministic_algorithms(True)  # errors again from here on

# torch.empty normally leaves whatever was in memory; in this mode it writes NaN.
print("torch.empty(3):", torch.empty(3))

# A matrix product on the device, in this mode, with no CUBLAS_WORKSPACE_CONFIG set.
print("CUBLAS_WORKSPACE_CONFIG:", os.environ.get("CUBLAS_WORKSPACE_CONFIG", "not set"))
gen = torch.Generator().manual_seed(0)
a = torch.randn(256, 256, generator=gen).to(device)
b = torch.randn(256, 256, generator=gen).to(device)
print(f"a @ b on {device}, twice: the same bits:", torch.equal(a @ b, a @ b))

# What the installed torch's own documentation of the mode says about that variable.
doc = torch.use_deterministic_algorithms.__doc__
print("its documentation mentions CUBLAS_WORKSPACE_CONFIG:", "CUBLAS_WORKSPACE_CONFIG" in doc)
