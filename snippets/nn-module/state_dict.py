import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(3, 4),
    nn.BatchNorm1d(4),  # keeps running statistics: buffers, not parameters
    nn.ReLU(),
    nn.Linear(4, 1),
)

# Five batches in training mode: BatchNorm updates its running statistics.
model.train()
with torch.no_grad():
    for _ in range(5):
        model(torch.randn(8, 3) * 2 + 1)

state = model.state_dict()
print(f"{'key':<26} shape")
for key, value in state.items():
    print(f"{key:<26} {tuple(value.shape)}")

params = {name for name, _ in model.named_parameters()}
print("parameters:", len(params), "| state_dict entries:", len(state))
print("in state_dict but not a parameter:", [k for k in state if k not in params])
print("1.num_batches_tracked:", state["1.num_batches_tracked"].item())

# A fresh model with the same layout can take these values.
copy = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 1))
print(copy.load_state_dict(state))
model.eval()
copy.eval()
x = torch.randn(2, 3)
with torch.no_grad():
    print("same outputs:", torch.equal(model(x), copy(x)))

# A state dict that lacks a key is refused, but only after the keys that are
# there have been copied: the model is left half loaded.
other = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 1))
print("before: 0.weight as in the state:", torch.equal(other[0].weight, state["0.weight"]))
incomplete = {key: value for key, value in state.items() if key != "1.running_mean"}
try:
    other.load_state_dict(incomplete)
except RuntimeError as error:
    print(str(error).splitlines()[-1].strip())
print("after the error: 0.weight as in the state:", torch.equal(other[0].weight, state["0.weight"]))
fresh_mean = torch.equal(other[1].running_mean, torch.zeros(4))
print("after the error: 1.running_mean still fresh:", fresh_mean)

# Which buffers matter? Replace one at a time with a fresh layer's value.
fresh = nn.BatchNorm1d(4).state_dict()
for name in ("running_mean", "running_var", "num_batches_tracked"):
    copy.load_state_dict(state | {f"1.{name}": fresh[name]})
    with torch.no_grad():
        print(f"fresh 1.{name}: same outputs:", torch.equal(model(x), copy(x)))
