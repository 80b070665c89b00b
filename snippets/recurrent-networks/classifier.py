import torch
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset, random_split

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

# The task: does a sequence of 20 token ids contain the id 7 anywhere?
# Ids run from 1 to 29 (0 stays reserved for <pad>), so a sequence misses 7 with
# probability (28/29)**20, about one half: the two classes are about equally common.
gen = torch.Generator().manual_seed(0)
ids = torch.randint(1, 30, (1200, 20), generator=gen)
labels = (ids == 7).any(dim=1).long()  # 1 if a 7 is there
print("sequences:", tuple(ids.shape), "| share with a 7:", f"{labels.float().mean().item():.3f}")

train_set, val_set = random_split(
    TensorDataset(ids, labels), [0.8, 0.2], generator=torch.Generator().manual_seed(0)
)
x_train, y_train = ids[train_set.indices].to(device), labels[train_set.indices].to(device)
x_val, y_val = ids[val_set.indices].to(device), labels[val_set.indices].to(device)


class GRUClassifier(nn.Module):
    def __init__(self, vocab_size=30, dim=16, hidden=32, classes=2):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, dim, padding_idx=0)
        self.gru = nn.GRU(dim, hidden, batch_first=True)
        self.head = nn.Linear(hidden, classes)

    def forward(self, ids):
        output, h_n = self.gru(self.emb(ids))  # h_n: (1, batch, hidden)
        return self.head(h_n[-1])  # classify from the memory after the last token


def accuracy(model, x, y):
    with torch.no_grad():
        return (model(x).argmax(dim=1) == y).float().mean().item()


# The control: always answer the class that is commoner in the training set.
majority = y_train.float().mean().round().long()
print(f"majority-class baseline: val acc {(y_val == majority).float().mean().item():.3f}")

torch.manual_seed(0)
model = GRUClassifier().to(device)
optimizer = optim.Adam(model.parameters(), lr=0.003)
loss_fn = nn.CrossEntropyLoss()
loader_gen = torch.Generator().manual_seed(0)
loader = DataLoader(train_set, batch_size=64, shuffle=True, generator=loader_gen)

print("\nepoch  loss    train acc  val acc")
for epoch in range(1, 5):
    model.train()
    for xb, yb in loader:
        xb, yb = xb.to(device), yb.to(device)
        loss = loss_fn(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    train_acc, val_acc = accuracy(model, x_train, y_train), accuracy(model, x_val, y_val)
    print(f"{epoch:5d}  {loss.item():.4f}  {train_acc:9.3f}  {val_acc:7.3f}")

# Checks you can read: where the 7 sits should not matter.
tests = {
    "7 first": [7] + [3] * 19,
    "7 last": [3] * 19 + [7],
    "7 in the middle": [5] * 10 + [7] + [5] * 9,
    "no 7": list(range(8, 28)),
}
with torch.no_grad():
    for name, seq in tests.items():
        answer = model(torch.tensor([seq]).to(device)).argmax(dim=1).item()
        print(f"{name:16} -> {'has a 7' if answer == 1 else 'no 7'}")
