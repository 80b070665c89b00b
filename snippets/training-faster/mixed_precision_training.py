import torch
from sklearn.datasets import load_digits
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"
device_type = torch.device(device).type
use_cuda = device_type == "cuda"
low = torch.float16 if use_cuda else torch.bfloat16

digits = load_digits()
x = (torch.tensor(digits.data, dtype=torch.float32) / 16).to(device)
y = torch.tensor(digits.target).to(device)


def train(mixed):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 10)).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    # float16 needs a gradient scaler; bfloat16 does not. With enabled=False, the
    # scaler's three calls below do nothing more than loss.backward() and optimizer.step().
    scaler = torch.amp.GradScaler(device_type, enabled=mixed and use_cuda)
    losses = []
    for _step in range(30):
        with torch.autocast(device_type, dtype=low, enabled=mixed):
            loss = nn.functional.cross_entropy(model(x), y)  # only the forward pass
        optimizer.zero_grad()
        scaler.scale(loss).backward()  # backward outside the block
        scaler.step(optimizer)
        scaler.update()
        losses.append(loss.item())
    with torch.no_grad():
        accuracy = (model(x).argmax(dim=1) == y).float().mean().item()
    return torch.tensor(losses), accuracy


full_losses, full_acc = train(mixed=False)
mixed_losses, mixed_acc = train(mixed=True)
print("step   float32   mixed")
for step in (0, 9, 19, 29):
    print(f"{step + 1:4d}   {full_losses[step]:.4f}    {mixed_losses[step]:.4f}")
print(f"training accuracy: {full_acc:.1%} float32, {mixed_acc:.1%} mixed")
print(f"largest loss difference: {(full_losses - mixed_losses).abs().max():.4f}")
print("close (atol=0.01):", torch.allclose(full_losses, mixed_losses, atol=0.01))
