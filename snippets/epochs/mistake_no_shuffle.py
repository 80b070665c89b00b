import torch
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset


def make_blobs(n, gen):
    """n points of class 0 around (-1, 0), then n points of class 1 around (1, 0)."""
    x0 = torch.randn(n, 2, generator=gen) + torch.tensor([-1.0, 0.0])
    x1 = torch.randn(n, 2, generator=gen) + torch.tensor([1.0, 0.0])
    return torch.cat([x0, x1]), torch.cat([torch.zeros(n), torch.ones(n)]).long()


# Training data as it often arrives: sorted by class, all 0s first, then all 1s.
gen = torch.Generator().manual_seed(0)
x_train, y_train = make_blobs(200, gen)
x_test, y_test = make_blobs(200, gen)  # new points from the same blobs, for testing
train_set = TensorDataset(x_train, y_train)
print("first labels:", y_train[:5].tolist(), "| last labels:", y_train[-5:].tolist())


def train_and_test(shuffle, seed=0):
    torch.manual_seed(seed)
    model = nn.Linear(2, 2)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=1.0)
    loader_gen = torch.Generator().manual_seed(seed)
    loader = DataLoader(
        train_set, batch_size=10, shuffle=shuffle, generator=loader_gen, num_workers=0
    )
    for _epoch in range(3):
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    model.eval()
    with torch.no_grad():
        predicted = model(x_test).argmax(dim=1)
    right = [(predicted[y_test == c] == c).sum().item() for c in (0, 1)]
    return right


for shuffle in (False, True):
    right = train_and_test(shuffle)
    print(
        f"shuffle={shuffle!s:5}  class 0: {right[0]:3d}/200  class 1: {right[1]:3d}/200  "
        f"overall: {(right[0] + right[1]) / 400:.0%}"
    )

# The same comparison with five seeds for the model's start and the shuffling.
for shuffle in (False, True):
    overall = [sum(train_and_test(shuffle, seed)) / 400 for seed in range(5)]
    print(f"shuffle={shuffle!s:5}  overall, seeds 0-4:", " ".join(f"{a:.0%}" for a in overall))
