import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset, random_split

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

digits = load_digits()
images = torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16  # (1797, 1, 8, 8)
labels = torch.tensor(digits.target)


def split(seed):
    """An 80/20 split of the digits, drawn with this seed."""
    split_gen = torch.Generator().manual_seed(seed)
    train_set, test_set = random_split(
        TensorDataset(images, labels), [0.8, 0.2], generator=split_gen
    )
    x_test, y_test = images[test_set.indices].to(device), labels[test_set.indices].to(device)
    return train_set, x_test, y_test


def make_cnn():
    return nn.Sequential(
        nn.Conv2d(1, 16, kernel_size=3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(16, 32, kernel_size=3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(32 * 2 * 2, 64),
        nn.ReLU(),
        nn.Linear(64, 10),
    )


def make_mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))


def train(model, train_set, seed):
    """The same recipe for both models: Adam, 4 epochs, batches of 64, same shuffling."""
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


def accuracy(model, x, y):
    with torch.no_grad():
        return (model(x).argmax(dim=1) == y).float().mean().item()


def shift(x, down, right):
    """Move every image by one pixel (down, right in -1, 0, 1); the new border is 0."""
    padded = F.pad(x, (1, 1, 1, 1))  # one ring of zeros: (N, 1, 10, 10)
    return padded[:, :, 1 - down : 9 - down, 1 - right : 9 - right]


moves = {"right": (0, 1), "left": (0, -1), "down": (1, 0), "up": (-1, 0)}


def run(make, seed):
    """Split, initialise, train and test with one seed: parameters and test accuracies."""
    train_set, x_test, y_test = split(seed)
    torch.manual_seed(seed)
    model = make().to(device)
    train(model, train_set, seed)
    shifted = [accuracy(model, shift(x_test, *move), y_test) for move in moves.values()]
    params = sum(p.numel() for p in model.parameters())
    return params, accuracy(model, x_test, y_test), shifted, sum(shifted) / len(shifted)


train_set, _, y_test = split(0)
print("train:", len(train_set), "images | test:", len(y_test), "images")
print(f"\n{'':25}  test images shifted by one pixel")
columns = "".join(f"{name:>7}" for name in moves)
print(f"{'model':5}  {'params':>6}  {'test acc':>8}   {columns}    mean")
for name, make in (("MLP", make_mlp), ("CNN", make_cnn)):
    params, test_acc, shifted, mean = run(make, seed=0)
    row = "".join(f"{acc:7.1%}" for acc in shifted)
    print(f"{name:5}  {params:6d}  {test_acc:8.1%}   {row}  {mean:6.1%}")

# The control: the same comparison with other seeds for the split, the weights and the order.
print("\n        test acc        shifted, mean")
print("seed    MLP    CNN       MLP    CNN")
for seed in range(1, 5):
    _, mlp_test, _, mlp_mean = run(make_mlp, seed)
    _, cnn_test, _, cnn_mean = run(make_cnn, seed)
    print(f"{seed:4d}  {mlp_test:5.1%}  {cnn_test:5.1%}     {mlp_mean:5.1%}  {cnn_mean:5.1%}")
