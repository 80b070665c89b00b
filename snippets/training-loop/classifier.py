import torch
from torch import nn, optim

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"


def make_blobs(n, gen):
    """n points per class: class 0 around (-1, -1), class 1 around (1, 1)."""
    x0 = torch.randn(n, 2, generator=gen) + torch.tensor([-1.0, -1.0])
    x1 = torch.randn(n, 2, generator=gen) + torch.tensor([1.0, 1.0])
    x = torch.cat([x0, x1])
    y = torch.cat([torch.zeros(n), torch.ones(n)]).long()  # class indices, int64
    return x, y


# A dedicated, seeded generator makes the data the same on every run.
gen = torch.Generator().manual_seed(0)
x, y = make_blobs(200, gen)
x, y = x.to(device), y.to(device)
print("inputs:", tuple(x.shape), x.dtype, "| labels:", tuple(y.shape), y.dtype)

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2)).to(device)
loss_fn = nn.CrossEntropyLoss()  # takes raw scores (logits) and class indices
optimizer = optim.SGD(model.parameters(), lr=0.1)

for step in range(1, 101):
    logits = model(x)  # shape (400, 2): one score per class
    loss = loss_fn(logits, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step == 1 or step % 20 == 0:
        correct = (logits.argmax(dim=1) == y).sum().item()
        print(f"step {step:3d}  loss {loss.item():.4f}  accuracy {correct / len(y):.1%}")

# Judge the model on points it has never seen, with gradient tracking off.
x_test, y_test = make_blobs(100, gen)
x_test, y_test = x_test.to(device), y_test.to(device)
model.eval()
with torch.no_grad():
    correct = (model(x_test).argmax(dim=1) == y_test).sum().item()
print(f"test accuracy: {correct}/{len(y_test)} = {correct / len(y_test):.1%}")

# A control: the straight line x1 + x2 = 0, halfway between the two centres.
for name, points, labels in (("training", x, y), ("test", x_test, y_test)):
    line_says = (points.sum(dim=1) > 0).long()  # class 1 on the side of (1, 1)
    right = (line_says == labels).sum().item()
    print(f"line x1 + x2 = 0, {name} points: {right}/{len(labels)} = {right / len(labels):.1%}")
