import torch
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"


def digits_cnn(n_classes):
    """The digits CNN of Convolutional networks, with n_classes outputs."""
    return nn.Sequential(
        nn.Conv2d(1, 16, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 2 * 2, 64), nn.ReLU(), nn.Linear(64, n_classes),
    )  # fmt: skip


torch.manual_seed(0)
trained = digits_cnn(5).to(device)  # stands in for a trained network
# Saved from the compiled model of Training faster: every key starts with "_orig_mod.".
saved = torch.compile(trained).state_dict()
print("keys in the file:", list(saved)[:2], "...")

torch.manual_seed(1)
model = digits_cnn(5).to(device)
before = model[0].weight.detach().clone()
report = model.load_state_dict(saved, strict=False)  # no error...
print(f"missing: {len(report.missing_keys)} of {len(model.state_dict())} keys", end="")
print(f" | unexpected: {len(report.unexpected_keys)}")
print("the first layer changed:", not torch.equal(before, model[0].weight))  # ...and no load

# The fix: make the names match, then load strictly.
renamed = {name.removeprefix("_orig_mod."): tensor for name, tensor in saved.items()}
print("\nwith the prefix removed:", model.load_state_dict(renamed))
print("the first layer equals the saved one:", torch.equal(model[0].weight, trained[0].weight))
