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

# How much of the gap between validation and test is noise? Two controls.
chosen = models[best]
test_acc = accuracy(chosen, x_test, y_test)

# 1. The noise of one score: a test set is one random draw of 240 points. Score the chosen
#    model on 1000 fresh test sets of 240 points each, drawn from the same blobs.
fresh_gen = torch.Generator().manual_seed(1)
fresh_labels = torch.randint(0, 3, (240_000,), generator=fresh_gen)
fresh_features = centres[fresh_labels] + torch.randn(240_000, 2, generator=fresh_gen)
x_fresh, y_fresh = fresh_features.to(device), fresh_labels.to(device)
with torch.no_grad():
    right = (chosen(x_fresh).argmax(dim=1) == y_fresh).float()
scores = right.reshape(1000, 240).mean(dim=1)  # one accuracy per fresh test set
low, high = scores.sort().values[[25, 974]].tolist()  # the middle 95% of the 1000 scores
p = right.mean().item()  # the accuracy on all 240000 points: close to the true one
print("\nthe chosen model on 1000 fresh test sets of 240 points each:")
print(f"  the middle 95% of its scores: {low:.1%} to {high:.1%}")
print(f"  standard deviation: {100 * scores.std().item():.1f} points")
print(f"  sqrt(p * (1 - p) / 240) with p = {p:.3f}: {100 * (p * (1 - p) / 240) ** 0.5:.1f} points")
# The formula needs no fresh data: the test score itself, in place of p, gives the same.
q = test_acc
print(f"  the same with the test score, p = {q:.3f}: {100 * (q * (1 - q) / 240) ** 0.5:.1f} points")


# 2. A rule that chose nothing: with these blobs (equally likely classes, equal spread)
#    the best any classifier can do is to answer the class of the nearest centre.
def nearest_centre(x):
    return ((x.unsqueeze(1) - centres.to(device)) ** 2).sum(dim=2).argmin(dim=1)


def rule_accuracy(x, y):
    return (nearest_centre(x) == y).float().mean().item()


print("\n                     validation   test   240000 fresh")
print(
    f"chosen model            {accuracy(chosen, x_val, y_val):6.1%}  {test_acc:6.1%}  "
    f"{right.mean().item():12.1%}"
)
print(
    f"nearest centre (best)   {rule_accuracy(x_val, y_val):6.1%}  "
    f"{rule_accuracy(x_test, y_test):6.1%}  {rule_accuracy(x_fresh, y_fresh):12.1%}"
)
