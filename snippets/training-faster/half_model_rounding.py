import torch
from sklearn.datasets import load_digits
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"
device_type = torch.device(device).type

# A weight of 1.0 and an update of 0.0001, a thousand times over.
for dtype in (torch.float32, torch.float16):
    w = torch.tensor(1.0, dtype=dtype)
    for _ in range(1000):
        w += 0.0001
    print(f"1.0 + 0.0001, 1000 times, in {str(dtype).removeprefix('torch.')}: {w.item():.4f}")
print(f"half the gap after 1.0 in float16: {torch.finfo(torch.float16).eps / 2:.8f}")

digits = load_digits()
x = (torch.tensor(digits.data, dtype=torch.float32) / 16).to(device)
y = torch.tensor(digits.target).to(device)


def train(optimizer_class, half=False, autocast=False, seed=0, **settings):
    """50 steps; returns the loss, the mean size of step 1's change to the first layer,
    and the share of its weights with a gradient that the step left unchanged (mean)."""
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10)).to(device)
    if half:
        model = model.half()  # the mistake: float16 weights, and no float32 copy of them
    optimizer = optimizer_class(model.parameters(), **settings)
    scaler = torch.amp.GradScaler(device_type, enabled=autocast)
    weight, lost = model[0].weight, []
    for step in range(50):
        with torch.autocast(device_type, dtype=torch.float16, enabled=autocast):
            loss = nn.functional.cross_entropy(model(x.half() if half else x), y)
        optimizer.zero_grad()
        scaler.scale(loss).backward()
        before = weight.detach().clone()
        scaler.step(optimizer)
        scaler.update()
        change = (weight.detach() - before).float().abs()
        if step == 0:
            first_change = change.mean().item()
        has_grad = weight.grad != 0
        lost.append(((change == 0) & has_grad).sum().item() / has_grad.sum().item())
    return loss.item(), first_change, sum(lost) / len(lost)


SGD, Adam = torch.optim.SGD, torch.optim.Adam
runs = {
    "SGD, float32": train(SGD, lr=0.1),
    "SGD, float32, seed 1": train(SGD, seed=1, lr=0.1),
    "SGD, .half()": train(SGD, half=True, lr=0.1),
    "Adam eps=1e-4, float32": train(Adam, lr=0.001, eps=1e-4),
    "Adam eps=1e-4, .half()": train(Adam, half=True, lr=0.001, eps=1e-4),
    "Adam, float32": train(Adam, lr=0.001),
    "Adam, float32, seed 1": train(Adam, seed=1, lr=0.001),
    "Adam, autocast + scaler": train(Adam, autocast=True, lr=0.001),
}
print("\n                         loss at step 50      step 1 changes a weight by  updates lost")
for name, (loss, first_change, lost) in runs.items():
    print(f"{name:25}  {loss:.4f}               {first_change:.2e}                {lost:6.1%}")
