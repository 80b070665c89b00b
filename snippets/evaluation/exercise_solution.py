import torch
from torch import nn, optim
from torch.utils.data import TensorDataset, random_split

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

# The three blobs again, but imbalanced: 80% class 0, 15% class 1, 5% class 2.
gen = torch.Generator().manual_seed(0)
centres = torch.tensor([[0.0, 0.0], [2.0, 0.0], [1.0, 1.7]])
labels = torch.multinomial(torch.tensor([0.80, 0.15, 0.05]), 2000, replacement=True, generator=gen)
features = centres[labels] + torch.randn(2000, 2, generator=gen)
split_gen = torch.Generator().manual_seed(0)
train_set, test_set = random_split(TensorDataset(features, labels), [0.8, 0.2], generator=split_gen)
x_train, y_train = features[train_set.indices].to(device), labels[train_set.indices].to(device)
x_test, y_test = features[test_set.indices].to(device), labels[test_set.indices].to(device)
print("test samples per class:", torch.bincount(y_test, minlength=3).tolist())

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 3)).to(device)
optimizer = optim.Adam(model.parameters(), lr=0.05)
for _step in range(150):
    loss = nn.CrossEntropyLoss()(model(x_train), y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
model.eval()
with torch.no_grad():
    predictions = model(x_test).argmax(dim=1)


def report(name, predictions, targets, C=3):
    confusion = torch.bincount(targets * C + predictions, minlength=C * C).reshape(C, C)
    tp = confusion.diagonal().float()
    # F1 = 2 TP / (2 TP + FP + FN), and 2 TP + FP + FN = column sum + row sum.
    # clamp(min=1) turns 0 / 0, a class never predicted nor present, into 0.
    f1 = 2 * tp / (confusion.sum(dim=0) + confusion.sum(dim=1)).clamp(min=1)
    accuracy = tp.sum().item() / len(targets)
    macro_f1 = f1.mean().item()  # every class counts the same, however rare
    per_class = "  ".join(f"{v:.4f}" for v in f1.tolist())
    print(f"{name:14}  {accuracy:8.1%}  {macro_f1:8.4f}  {per_class}")


print("\n                accuracy  macro F1  F1 of class 0, 1, 2")
report("trained model", predictions, y_test)
report("always class 0", torch.zeros_like(y_test), y_test)
