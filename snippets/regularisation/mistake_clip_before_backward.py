import torch
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

# The batch of the clipping example: one broken target makes a huge gradient.
gen = torch.Generator().manual_seed(0)
x = torch.randn(32, 2, generator=gen)
y = x @ torch.tensor([[2.0], [-1.0]]) + 0.5
y[0] = 1000.0
x, y = x.to(device), y.to(device)


def flat(model):
    """All parameters of the model as one long vector (a copy, outside the graph)."""
    return torch.cat([p.detach().flatten() for p in model.parameters()])


def one_step(order):
    """One SGD step, with clip_grad_norm_ called at a different place in each run."""
    torch.manual_seed(0)
    model = nn.Linear(2, 1).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    before = flat(model)

    optimizer.zero_grad()  # the gradients are now None
    loss = nn.functional.mse_loss(model(x), y)
    total = None
    if order == "clip, backward, step":  # the mistake: there is nothing to clip yet
        total = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    loss.backward()
    if order == "backward, clip, step":  # the right place
        total = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    optimizer.step()
    if order == "backward, step, clip":  # the other mistake: the step is already taken
        total = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)

    moved = flat(model) - before
    returned = "-" if total is None else f"{total.item():.4f}"
    print(f"{order:24}  {returned:>8}  {moved.norm().item():11.4f}")


print("order                     returned  step length")
for order in (
    "backward, step (no clip)",
    "clip, backward, step",
    "backward, step, clip",
    "backward, clip, step",
):
    one_step(order)
