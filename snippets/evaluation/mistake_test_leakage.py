import torch
from torch import nn, optim

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"
centres = torch.tensor([[0.0, 0.0], [2.0, 0.0], [1.0, 1.7]])


def make_blobs(n, seed):
    """n points from the three overlapping blobs; each seed gives new points."""
    gen = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 3, (n,), generator=gen)
    return (centres[y] + torch.randn(n, 2, generator=gen)).to(device), y.to(device)


def accuracy(model, x, y):
    with torch.no_grad():
        return (model(x).argmax(dim=1) == y).float().mean().item()


# Twelve candidates: every combination of three hidden sizes and four learning rates.
x_train, y_train = make_blobs(100, seed=0)
candidates = {}
for hidden in (4, 16, 64):
    for lr in (0.003, 0.01, 0.03, 0.1):
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(2, hidden), nn.ReLU(), nn.Linear(hidden, 3)).to(device)
        optimizer = optim.Adam(model.parameters(), lr=lr)
        for _step in range(150):
            loss = nn.CrossEntropyLoss()(model(x_train), y_train)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        model.eval()
        candidates[(hidden, lr)] = model

# Fresh data from the same distribution: what each candidate really achieves.
x_fresh, y_fresh = make_blobs(10000, seed=1)
fresh = {key: accuracy(model, x_fresh, y_fresh) for key, model in candidates.items()}
print(f"best candidate on fresh data: {max(fresh.values()):.1%}\n")

# The mistake: choose the candidate with the best TEST accuracy, then report that
# accuracy. The fix: choose with a validation set, then score the choice on the test set.
# Both are done with 100 different draws of 50 validation and 50 test points.
print("draw  chosen by test  reported  fresh data")
leaked, leaked_fresh, honest, honest_fresh = 0.0, 0.0, 0.0, 0.0
for draw in range(100):
    x_val, y_val = make_blobs(50, seed=1000 + draw)
    x_test, y_test = make_blobs(50, seed=2000 + draw)
    val_acc = {key: accuracy(model, x_val, y_val) for key, model in candidates.items()}
    test_acc = {key: accuracy(model, x_test, y_test) for key, model in candidates.items()}

    by_test = max(test_acc, key=test_acc.get)  # the mistake
    leaked += test_acc[by_test] / 100
    leaked_fresh += fresh[by_test] / 100
    if draw < 5:
        print(f"{draw + 1:4d}  {by_test!s:>14}  {test_acc[by_test]:8.1%}  {fresh[by_test]:10.1%}")

    by_val = max(val_acc, key=val_acc.get)  # the fix
    honest += test_acc[by_val] / 100
    honest_fresh += fresh[by_val] / 100

print("\naverage over 100 draws      reported  fresh data")
print(f"chosen by test (mistake)    {leaked:8.1%}  {leaked_fresh:10.1%}")
print(f"chosen by validation (fix)  {honest:8.1%}  {honest_fresh:10.1%}")
