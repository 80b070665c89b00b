import torch
from sklearn.datasets import load_digits
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"
device_type = torch.device(device).type

digits = load_digits()
x = (torch.tensor(digits.data, dtype=torch.float32) / 16).to(device)
y = torch.tensor(digits.target).to(device)


def make_model():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10)).to(device)


# The mistake: turn the whole model, and the data, into float16.
model = make_model().half()
optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
for step in range(1, 4):
    loss = nn.functional.cross_entropy(model(x.half()), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    broken = (~model[0].weight.isfinite()).sum().item()  # NaN or infinite
    print(f"model.half(), step {step}: loss {loss.item():.4f}, broken weights: {broken} of 8192")
print("Adam's eps, 1e-8, in float16:", torch.tensor(1e-8, dtype=torch.float16).item())

# The fix: float32 weights, float16 only inside autocast, and a gradient scaler.
model = make_model()
optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
scaler = torch.amp.GradScaler(device_type)
for step in range(1, 51):
    with torch.autocast(device_type, dtype=torch.float16):
        loss = nn.functional.cross_entropy(model(x), y)
    optimizer.zero_grad()
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
    if step in (1, 2, 3, 50):
        print(f"autocast + scaler, step {step}: loss {loss.item():.4f}")
print("weights:", model[0].weight.dtype, "| scale:", scaler.get_scale())
