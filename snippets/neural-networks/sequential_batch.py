import torch
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

torch.manual_seed(0)
# 3 input features -> 4 hidden neurons -> ReLU -> 2 outputs.
model = nn.Sequential(
    nn.Linear(3, 4),
    nn.ReLU(),
    nn.Linear(4, 2),
)
print(model)

batch = torch.randn(5, 3)  # 5 samples, 3 features each, made on the CPU
model = model.to(device)
batch = batch.to(device)

with torch.no_grad():
    hidden = model[0](batch)  # the layers can be run one at a time, too
    out = model(batch)

print("batch: ", tuple(batch.shape))
print("hidden:", tuple(hidden.shape))
print("output:", tuple(out.shape), "on", out.device.type)
for i, row in enumerate(out.cpu().tolist()):
    print(f"sample {i}: [{row[0]:7.4f}, {row[1]:7.4f}]")
