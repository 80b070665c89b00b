import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(3, 4),
    nn.BatchNorm1d(4),  # keeps running statistics: buffers, not parameters
    nn.ReLU(),
    nn.Linear(4, 1),
)

state = model.state_dict()
print(f"{'key':<26} shape")
for key, value in state.items():
    print(f"{key:<26} {tuple(value.shape)}")

params = {name for name, _ in model.named_parameters()}
print("parameters:", len(params), "| state_dict entries:", len(state))
print("in state_dict but not a parameter:", [k for k in state if k not in params])

# A fresh model with the same layout can take these values.
copy = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 1))
print(copy.load_state_dict(state))
model.eval()
copy.eval()
x = torch.randn(2, 3)
with torch.no_grad():
    print("same outputs:", torch.equal(model(x), copy(x)))
