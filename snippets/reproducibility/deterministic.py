import torch

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
