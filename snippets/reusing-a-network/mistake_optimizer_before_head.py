import os

import torch
from sklearn.datasets import load_digits
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"
# On a GPU, some gradients are summed in an order that changes from run to run (see
# Reproducibility), and the losses below would differ in their last digit between runs.
torch.use_deterministic_algorithms(True, warn_only=True)

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


def pretrained_weights(path="digits_0_to_4.pt"):
    """The weights pretrain.py saves: read from its file, or trained here exactly as there."""
    if not os.path.exists(path):
        old = labels < 5
        order = torch.randperm(int(old.sum()), generator=torch.Generator().manual_seed(0))
        x_train, y_train = images[old][order[:700]], labels[old][order[:700]]
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
        torch.save(model.state_dict(), path)
    return torch.load(path, map_location=device, weights_only=True)


# The new task: digits 5-9, relabelled 0-4. 10 labelled images per digit to train on,
# picked at random; every other image of 5-9 is for testing.
new = labels >= 5
x_new, y_new = images[new], labels[new] - 5
order = torch.randperm(len(y_new), generator=torch.Generator().manual_seed(0))
few = torch.cat([order[y_new[order] == digit][:10] for digit in range(5)])
is_test = torch.ones(len(y_new), dtype=torch.bool)
is_test[few] = False
x_few, y_few = x_new[few].to(device), y_new[few].to(device)
x_test, y_test = x_new[is_test].to(device), y_new[is_test].to(device)


def train_few(model, optimizer, steps=100):
    """Full-batch steps: all 50 labelled images in every step."""
    model.train()
    for _step in range(steps):
        loss = nn.functional.cross_entropy(model(x_few), y_few)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return loss.item()


def test_accuracy(model):
    model.eval()
    with torch.no_grad():
        return (model(x_test).argmax(dim=1) == y_test).float().mean().item()


def not_in_optimizer(model, optimizer):
    """Names of the parameters that should train but that the optimizer does not hold."""
    held = [p for group in optimizer.param_groups for p in group["params"]]
    return [
        name
        for name, p in model.named_parameters()
        if p.requires_grad and not any(p is q for q in held)
    ]


weights = pretrained_weights()
for mistake in (True, False):
    torch.manual_seed(0)
    model = digits_cnn(5).to(device)
    model.load_state_dict(weights)
    model[:9].requires_grad_(False)
    if mistake:  # the optimizer is built while layer 9 is still the OLD head
        optimizer = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=0.01)
    model[9] = nn.Linear(64, 5).to(device)
    if not mistake:  # the fix: build the optimizer after the model is complete
        optimizer = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=0.01)

    print("the mistake, optimizer built first:" if mistake else "\nthe fix, optimizer built last:")
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    in_optimizer = sum(p.numel() for group in optimizer.param_groups for p in group["params"])
    print(f"  trainable values: {trainable}, values in the optimizer: {in_optimizer}")
    print("  trainable but not in the optimizer:", not_in_optimizer(model, optimizer))
    head_before = model[9].weight.detach().clone()
    losses = [train_few(model, optimizer, steps=1) for _step in range(100)]
    print("  loss at steps 1, 50, 100:", [round(losses[i], 4) for i in (0, 49, 99)])
    print("  head weight changed:", not torch.equal(head_before, model[9].weight))
    print(f"  test accuracy on digits 5-9: {test_accuracy(model):.1%}")
