import torch
from torch import nn, optim
from torch.utils.data import TensorDataset, random_split

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

# 1200 points from three overlapping Gaussian blobs: a 3-class problem.
gen = torch.Generator().manual_seed(0)
centres = torch.tensor([[0.0, 0.0], [2.0, 0.0], [1.0, 1.7]])
labels = torch.randint(0, 3, (1200,), generator=gen)
features = centres[labels] + torch.randn(1200, 2, generator=gen)
data = TensorDataset(features, labels)

# Three parts, no sample in two of them: 60% to fit, 20% to choose, 20% to report.
split_gen = torch.Generator().manual_seed(0)
train_set, val_set, test_set = random_split(data, [0.6, 0.2, 0.2], generator=split_gen)
for name, part in (("train", train_set), ("validation", val_set), ("test", test_set)):
    counts = torch.bincount(labels[part.indices], minlength=3).tolist()
    print(f"{name:10}  {len(part):4d} samples  per class: {counts}")
all_indices = train_set.indices + val_set.indices + test_set.indices
print("distinct indices:", len(set(all_indices)), "of", len(all_indices))

x_train, y_train = features[train_set.indices].to(device), labels[train_set.indices].to(device)
x_val, y_val = features[val_set.indices].to(device), labels[val_set.indices].to(device)
x_test, y_test = features[test_set.indices].to(device), labels[test_set.indices].to(device)


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        return (model(x).argmax(dim=1) == y).float().mean().item()


def fit(hidden):
    """Fit: train one model on the training set only (full batches, the data is small)."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, hidden), nn.ReLU(), nn.Linear(hidden, 3)).to(device)
    optimizer = optim.Adam(model.parameters(), lr=0.05)
    loss_fn = nn.CrossEntropyLoss()
    for _step in range(150):
        model.train()
        loss = loss_fn(model(x_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model


# Choose: compare a few hidden sizes on the validation set.
print("\nhidden  train acc  val acc")
models = {}
for hidden in (1, 4, 64):
    models[hidden] = fit(hidden)
    train_acc = accuracy(models[hidden], x_train, y_train)
    val_acc = accuracy(models[hidden], x_val, y_val)
    print(f"{hidden:6d}  {train_acc:9.1%}  {val_acc:7.1%}")
best = max(models, key=lambda h: accuracy(models[h], x_val, y_val))
print("chosen by validation: hidden =", best)

# Report: the test set is used once, for the chosen model only.
print(f"test accuracy of the chosen model: {accuracy(models[best], x_test, y_test):.1%}")
