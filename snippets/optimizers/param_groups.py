import torch
from torch import nn, optim

torch.manual_seed(0)
body = nn.Sequential(nn.Linear(4, 8), nn.ReLU())  # say, a part that was trained before
head = nn.Linear(8, 2)  # a new part that should learn faster
model = nn.Sequential(body, head)

# Each dict is one parameter group. A group without "lr" uses the default lr.
optimizer = optim.SGD(
    [
        {"params": body.parameters(), "lr": 0.001},
        {"params": head.parameters()},
    ],
    lr=0.1,
    momentum=0.9,
)

for i, group in enumerate(optimizer.param_groups):
    shapes = [tuple(p.shape) for p in group["params"]]
    print(f"group {i}: lr={group['lr']} momentum={group['momentum']} params={shapes}")

# The lr lives in the group: changing it there changes the next steps.
optimizer.param_groups[1]["lr"] = 0.05
print("lrs now:", [group["lr"] for group in optimizer.param_groups])

# One step moves the head far more than the body.
before = [body[0].weight.detach().clone(), head.weight.detach().clone()]
x, y = torch.randn(16, 4), torch.randint(0, 2, (16,))
optimizer.zero_grad()
nn.functional.cross_entropy(model(x), y).backward()
optimizer.step()
body_moved = (body[0].weight - before[0]).abs()
head_moved = (head.weight - before[1]).abs()
print(f"largest change, body weight: {body_moved.max():.1e}  head weight: {head_moved.max():.1e}")

# A first step with momentum is lr * grad, so change / grad is the lr each group used.
body_lr = body_moved.sum() / body[0].weight.grad.abs().sum()
head_lr = head_moved.sum() / head.weight.grad.abs().sum()
print(f"lr used by this step: body {body_lr:.4f}  head {head_lr:.4f}")
