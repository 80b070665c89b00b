import torch
from torch import nn, optim
from torch.utils.data import TensorDataset, random_split

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

# The same blobs, split and chosen model (hidden = 4) as in three_way_split.py.
gen = torch.Generator().manual_seed(0)
centres = torch.tensor([[0.0, 0.0], [2.0, 0.0], [1.0, 1.7]])
labels = torch.randint(0, 3, (1200,), generator=gen)
features = centres[labels] + torch.randn(1200, 2, generator=gen)
split_gen = torch.Generator().manual_seed(0)
train_set, val_set, test_set = random_split(
    TensorDataset(features, labels), [0.6, 0.2, 0.2], generator=split_gen
)
x_train, y_train = features[train_set.indices].to(device), labels[train_set.indices].to(device)
x_test, y_test = features[test_set.indices].to(device), labels[test_set.indices].to(device)

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 3)).to(device)
optimizer = optim.Adam(model.parameters(), lr=0.05)
loss_fn = nn.CrossEntropyLoss()
for _step in range(150):
    model.train()
    loss = loss_fn(model(x_train), y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

model.eval()
with torch.no_grad():
    predictions = model(x_test).argmax(dim=1)
print(f"test accuracy: {(predictions == y_test).float().mean().item():.1%}")

C = 3
# Each (true, predicted) pair gets its own number, true * C + predicted;
# counting those numbers and folding them into C rows gives the matrix.
confusion = torch.bincount(y_test * C + predictions, minlength=C * C).reshape(C, C)
print("\nrows: true class, columns: predicted class")
print("        pred 0  pred 1  pred 2")
for c in range(C):
    print(f"true {c}", "".join(f"{n:8d}" for n in confusion[c].tolist()))

correct = confusion.diagonal().float()  # true positives of each class
precision = correct / confusion.sum(dim=0)  # column sums: predicted as c
recall = correct / confusion.sum(dim=1)  # row sums: truly c
f1 = 2 * precision * recall / (precision + recall)

print("\nclass  precision  recall      f1  support")
for c in range(C):
    print(
        f"{c:5d}  {precision[c].item():9.4f}  {recall[c].item():6.4f}  {f1[c].item():6.4f}"
        f"  {confusion[c].sum().item():7d}"
    )
print(f"accuracy from the matrix: {correct.sum().item() / confusion.sum().item():.1%}")
