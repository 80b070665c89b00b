import torch
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

# A clean regression batch, y = 2 * x1 - x2 + 0.5, and a copy with one broken target.
gen = torch.Generator().manual_seed(0)
x = torch.randn(32, 2, generator=gen)
y = x @ torch.tensor([[2.0], [-1.0]]) + 0.5
y_broken = y.clone()
y_broken[0] = 1000.0  # one bad label is enough for a huge gradient
x, y, y_broken = x.to(device), y.to(device), y_broken.to(device)
loss_fn = nn.MSELoss()


def flat(model):
    """All parameters of the model as one long vector (a copy, outside the graph)."""
    return torch.cat([p.detach().flatten() for p in model.parameters()])


def grad_norm(model):
    """The norm of all gradients together, as if they were one long vector."""
    return torch.cat([p.grad.flatten() for p in model.parameters()]).norm().item()


# For comparison: the gradient of the same starting model on the clean batch.
torch.manual_seed(0)
model = nn.Linear(2, 1).to(device)
loss_fn(model(x), y).backward()
print(f"gradient norm on the clean batch: {grad_norm(model):.4f}\n")

for max_norm in (None, 1.0):
    torch.manual_seed(0)
    model = nn.Linear(2, 1).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    before = flat(model)
    with torch.no_grad():
        clean_before = loss_fn(model(x), y).item()

    loss = loss_fn(model(x), y_broken)
    optimizer.zero_grad()
    loss.backward()
    if max_norm is None:
        print("without clipping")
        print(f"  gradient norm:             {grad_norm(model):.4f}")
    else:
        total = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=max_norm)
        print(f"with clip_grad_norm_(max_norm={max_norm})")
        print(f"  returned (norm before):    {total.item():.4f}")
        print(f"  gradient norm after:       {grad_norm(model):.4f}")
    optimizer.step()

    moved = flat(model) - before
    with torch.no_grad():
        clean_after = loss_fn(model(x), y).item()
    print(f"  length of the step:        {moved.norm().item():.4f}")
    print(f"  clean loss before / after: {clean_before:.4f} / {clean_after:.4f}")
