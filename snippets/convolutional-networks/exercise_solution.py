import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset, random_split

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"


def make_model():
    """The digits CNN with each Conv2d + MaxPool2d(2) pair replaced by one Conv2d with stride 2."""
    return nn.Sequential(
        nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 32, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.Flatten(),
        nn.Linear(32 * 2 * 2, 64),
        nn.ReLU(),
        nn.Linear(64, 10),
    )


torch.manual_seed(0)
model = make_model().to(device)

# 1. The predictions, written down before running anything.
predicted = [
    ((64, 16, 4, 4), 16 * 1 * 3 * 3 + 16),  # (8 + 2*1 - 3) // 2 + 1 = 4
    ((64, 16, 4, 4), 0),
    ((64, 32, 2, 2), 32 * 16 * 3 * 3 + 32),  # (4 + 2*1 - 3) // 2 + 1 = 2
    ((64, 32, 2, 2), 0),
    ((64, 128), 0),  # 32 * 2 * 2 = 128
    ((64, 64), 128 * 64 + 64),
    ((64, 64), 0),
    ((64, 10), 64 * 10 + 10),
]

# 2. The check: one batch of 64 digits through the layers, one at a time.
digits = load_digits()
images = torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16
labels = torch.tensor(digits.target)
x = images[:64].to(device)
print(f"{'#':>2}  {'layer':8} {'output shape':16} {'params':>6}  prediction")
total = 0
with torch.no_grad():
    for index, (layer, guess) in enumerate(zip(model, predicted, strict=True)):
        x = layer(x)
        params = sum(p.numel() for p in layer.parameters())
        total += params
        ok = "right" if guess == (tuple(x.shape), params) else "WRONG"
        print(f"{index:>2}  {type(layer).__name__:8} {str(tuple(x.shape)):16} {params:>6}  {ok}")
print(f"{'':>2}  {'total':8} {'':16} {total:>6}")


# 3. Train it with the recipe of cnn_vs_mlp.py and test it, unshifted and shifted.
def shift(x, down, right):
    """Move every image by one pixel (down, right in -1, 0, 1); the new border is 0."""
    padded = F.pad(x, (1, 1, 1, 1))
    return padded[:, :, 1 - down : 9 - down, 1 - right : 9 - right]


moves = {"right": (0, 1), "left": (0, -1), "down": (1, 0), "up": (-1, 0)}


def train_and_test(model, seed):
    """Split, train and test with one seed; returns the accuracy unshifted and shifted."""
    split_gen = torch.Generator().manual_seed(seed)
    train_set, test_set = random_split(
        TensorDataset(images, labels), [0.8, 0.2], generator=split_gen
    )
    loader_gen = torch.Generator().manual_seed(seed)
    loader = DataLoader(train_set, batch_size=64, shuffle=True, generator=loader_gen)
    optimizer = optim.Adam(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    for _epoch in range(4):
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)
            loss = loss_fn(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    model.eval()
    x_test, y_test = images[test_set.indices].to(device), labels[test_set.indices].to(device)
    with torch.no_grad():
        accuracies = [
            (model(x).argmax(dim=1) == y_test).float().mean().item()
            for x in [x_test] + [shift(x_test, *move) for move in moves.values()]
        ]
    return accuracies[0], accuracies[1:]


test_acc, shifted = train_and_test(model, seed=0)
mean = sum(shifted) / len(shifted)
columns = "".join(f"{name:>7}" for name in moves)
row = "".join(f"{acc:7.1%}" for acc in shifted)
print(f"\n{'':8}   test images shifted by one pixel")
print(f"{'test acc':>8}   {columns}    mean")
print(f"{test_acc:8.1%}   {row}  {mean:6.1%}")

# The control: seeds 1 to 4 for the split, the starting weights and the order, as in
# the second table of cnn_vs_mlp.py.
print("\nseed  test acc  shifted, mean")
for seed in range(1, 5):
    torch.manual_seed(seed)
    test_acc, shifted = train_and_test(make_model().to(device), seed)
    print(f"{seed:4d}  {test_acc:8.1%}  {sum(shifted) / len(shifted):13.1%}")
