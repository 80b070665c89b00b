import zipfile
from pathlib import Path

import torch
from sklearn.datasets import load_digits
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"


class DigitsMLP(nn.Module):
    """A small digits classifier with both layers that behave differently in training
    and in evaluation: BatchNorm1d and Dropout."""

    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(64, 32)
        self.norm = nn.BatchNorm1d(32)
        self.drop = nn.Dropout(0.2)
        self.out = nn.Linear(32, 10)

    def forward(self, x):
        return self.out(self.drop(torch.relu(self.norm(self.hidden(x)))))


digits = load_digits()
x = torch.tensor(digits.data, dtype=torch.float32) / 16  # (1797, 64): one 8x8 image per row
y = torch.tensor(digits.target)
x_train, y_train, x_test, y_test = x[:1500], y[:1500], x[1500:], y[1500:]

torch.manual_seed(0)
model = DigitsMLP().to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
loss_fn = nn.CrossEntropyLoss()
xb, yb = x_train.to(device), y_train.to(device)
for _step in range(100):  # full batch: all 1500 training images at every step
    loss = loss_fn(model(xb), yb)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
model = model.cpu().eval()  # the exported program, its weights and its inputs: all on the CPU
with torch.inference_mode():
    expected = model(x_test)

# Export with a dynamic batch, then write the graph and the weights into one file.
# The file keeps the example input too: clone it, or a slice of x_test would bring
# the storage of all of x along with it.
batch = torch.export.Dim("batch", min=1, max=1024)
example = x_test[:32].clone()
exported = torch.export.export(model, (example,), dynamic_shapes={"x": {0: batch}})
path = Path("digits.pt2")  # in the working directory
torch.export.save(exported, path)
print(f"saved {path}: {path.stat().st_size / 1000:.0f} kB")

# A .pt2 file is a zip archive: the graph as JSON, one file per tensor, the example.
with zipfile.ZipFile(path) as archive:
    # name inside the archive (without the leading "digits/") -> size in bytes
    files = {info.filename.split("/", 1)[1]: info.file_size for info in archive.infolist()}
print("graph:        ", [name for name in files if name.startswith("models/")])
weights = [name for name in files if name.startswith("data/weights/weight_")]
print("weights:      ", len(weights), "files,", sum(files[name] for name in weights), "bytes")
print("example input:", [name for name in files if name.startswith("data/sample_inputs/")])

# Loading needs neither the class nor the model: the file holds the graph itself.
del model, DigitsMLP  # gone from this program, to show that loading does not use them
loaded = torch.export.load(path)
print("loaded:", type(loaded).__name__)
program = loaded.module()
with torch.inference_mode():
    predictions = program(x_test)
print("same outputs as the model on the 297 test digits:", torch.equal(predictions, expected))
accuracy = (predictions.argmax(dim=1) == y_test).float().mean().item()
print(f"test accuracy of the loaded program: {accuracy:.1%}")
print("predicted:", predictions[:10].argmax(dim=1).tolist())
print("labels:   ", y_test[:10].tolist())

path.unlink()  # leave the working directory as it was
