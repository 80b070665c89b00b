import torch
from torch import nn
from torch.optim.lr_scheduler import CosineAnnealingLR, LinearLR, SequentialLR

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

x = torch.linspace(-2, 2, 9).unsqueeze(1).to(device)
y = 3 * x + 1

torch.manual_seed(0)
model = nn.Linear(1, 1).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

# Epochs 0 to 3: start at 0.1 * lr and climb in equal steps towards the full lr.
warmup = LinearLR(optimizer, start_factor=0.1, end_factor=1.0, total_iters=4)
# Then 8 epochs of a half cosine from the full lr down to eta_min.
cosine = CosineAnnealingLR(optimizer, T_max=8, eta_min=0.0)
# SequentialLR hands over from one scheduler to the next at each milestone (an epoch).
scheduler = SequentialLR(optimizer, schedulers=[warmup, cosine], milestones=[4])

print("epoch  lr      loss")
for epoch in range(12):
    lr = scheduler.get_last_lr()[0]  # the lr this epoch trains with
    loss = nn.functional.mse_loss(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    scheduler.step()  # once per epoch, after optimizer.step()
    print(f"{epoch:5d}  {lr:.4f}  {loss.item():.4f}")
