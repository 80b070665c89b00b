import torch
from sklearn.datasets import load_digits
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

digits = load_digits()
images = torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16  # (1797, 1, 8, 8)
labels = torch.tensor(digits.target)


def digits_cnn(n_classes):
    """The digits CNN of Convolutional networks, with n_classes outputs."""
    return nn.Sequential(
        nn.Conv2d(1, 16, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 2 * 2, 64), nn.ReLU(), nn.Linear(64, n_classes),
    )  # fmt: skip


# The old task: digits 0-4 only. 700 images to train on, the rest held out.
old = labels < 5
order = torch.randperm(int(old.sum()), generator=torch.Generator().manual_seed(0))
x_train, y_train = images[old][order[:700]], labels[old][order[:700]]
x_held, y_held = images[old][order[700:]], labels[old][order[700:]]
print(f"digits 0-4: {int(old.sum())} images, {len(y_train)} to train, {len(y_held)} held out")

# Mini-batches of 64 in a shuffled order drawn from a generator of their own.
torch.manual_seed(0)
model = digits_cnn(5).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
batch_order = torch.Generator().manual_seed(0)
train_set = TensorDataset(x_train, y_train)
loader = DataLoader(train_set, batch_size=64, shuffle=True, generator=batch_order)
for _epoch in range(5):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x.to(device)), y.to(device))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
torch.save(model.state_dict(), "digits_0_to_4.pt")

model.eval()
with torch.no_grad():
    predictions = model(x_held.to(device)).argmax(dim=1)
accuracy = (predictions == y_held.to(device)).float().mean().item()
print(f"held-out accuracy on digits 0-4: {accuracy:.1%}")

print("\nsaved to digits_0_to_4.pt:")
for name, tensor in torch.load("digits_0_to_4.pt", map_location=device, weights_only=True).items():
    print(f"  {name:9} {tuple(tensor.shape)}")
