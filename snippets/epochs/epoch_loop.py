import torch
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset, random_split

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

# 500 points in 2-D; the label says whether a point lies inside a circle.
gen = torch.Generator().manual_seed(0)
features = torch.rand(500, 2, generator=gen) * 2 - 1
labels = (features.pow(2).sum(dim=1) < 0.5).long()
train_set, val_set = random_split(TensorDataset(features, labels), [400, 100], generator=gen)
val_loader = DataLoader(val_set, batch_size=50, num_workers=0)  # no need to shuffle


def train(model, epochs=10):
    """Train for some epochs, printing the training and validation results of each."""
    # Each run gets its own seeded shuffle, so both runs see the same batches.
    shuffle = torch.Generator().manual_seed(1)
    train_loader = DataLoader(
        train_set, batch_size=32, shuffle=True, generator=shuffle, num_workers=0
    )
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=0.02)
    print("epoch  train loss  val loss  val accuracy")
    for epoch in range(1, epochs + 1):
        # Training: one pass over the training set, one step per batch.
        model.train()
        total, count = 0.0, 0
        for xb, yb in train_loader:
            xb, yb = xb.to(device), yb.to(device)  # batches come out on the CPU
            loss = loss_fn(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(xb)  # weight by batch size: the last batch is smaller
            count += len(xb)
        train_loss = total / count

        # Validation: data the model never trains on, no gradients, no steps.
        model.eval()
        total, correct = 0.0, 0
        with torch.no_grad():
            for xb, yb in val_loader:
                xb, yb = xb.to(device), yb.to(device)
                logits = model(xb)
                total += loss_fn(logits, yb).item() * len(xb)
                correct += (logits.argmax(dim=1) == yb).sum().item()
        val_loss = total / len(val_set)
        print(f"{epoch:5d}  {train_loss:10.4f}  {val_loss:8.4f}  {correct / len(val_set):12.0%}")


torch.manual_seed(0)
print("with a hidden layer:")
train(nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2)).to(device))

# The control: no hidden layer, so the boundary between the classes is a straight line.
torch.manual_seed(0)
print("without a hidden layer:")
train(nn.Linear(2, 2).to(device))
