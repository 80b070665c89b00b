import torch
from sklearn.datasets import load_digits
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"
device_type = torch.device(device).type

digits = load_digits()
x = (torch.tensor(digits.data, dtype=torch.float32) / 16).to(device)
y = torch.tensor(digits.target).to(device)


def train(dtype, seed=0, scale=True):
    """30 steps of Adam; dtype is float32 (no autocast), bfloat16 or float16 (autocast).

    scale=False leaves out float16's gradient scaler: the control for what it does."""
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 10)).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    mixed = dtype != torch.float32
    # float16 needs a gradient scaler; bfloat16 and float32 do not. With enabled=False,
    # the scaler's three calls below do no more than loss.backward() and optimizer.step().
    scaler = torch.amp.GradScaler(device_type, enabled=dtype == torch.float16 and scale)
    losses = []
    for _step in range(30):
        with torch.autocast(device_type, dtype=dtype, enabled=mixed):
            loss = nn.functional.cross_entropy(model(x), y)  # only the forward pass
        optimizer.zero_grad()
        scaler.scale(loss).backward()  # backward outside the block
        scaler.step(optimizer)
        scaler.update()
        losses.append(loss.item())
    with torch.no_grad():
        accuracy = (model(x).argmax(dim=1) == y).float().mean().item()
    return torch.tensor(losses), accuracy


runs = {
    "float32": train(torch.float32),
    "float32, seed 1": train(torch.float32, seed=1),  # the control: another start
    "bfloat16": train(torch.bfloat16),
    "float16 + scaler": train(torch.float16),
    "float16, no scaler": train(torch.float16, scale=False),  # the control for the scaler
}
reference = runs["float32"][0]
print("run                 step 1   step 10  step 30  accuracy  largest difference from float32")
for name, (losses, accuracy) in runs.items():
    difference = (losses - reference).abs().max()
    print(
        f"{name:18}  {losses[0]:.4f}   {losses[9]:.4f}   {losses[29]:.4f}   {accuracy:6.1%}"
        f"    {difference:.4f}"
    )
