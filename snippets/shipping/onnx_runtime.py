# timeout: 120
from pathlib import Path

import numpy as np
import onnx
import onnxruntime
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

# Export to ONNX with the exporter built on torch.export (dynamo=True), the batch dynamic.
batch = torch.export.Dim("batch", min=1, max=1024)
path = Path("digits.onnx")  # in the working directory
torch.onnx.export(
    model,
    (x_test[:32],),
    path,
    dynamo=True,
    dynamic_shapes={"x": {0: batch}},
    external_data=False,  # weights inside the .onnx file, not in a second file beside it
    verbose=False,  # no progress report on stdout
)
print("ONNX operators:", [node.op_type for node in onnx.load(path).graph.node])

# ONNX Runtime runs the file with no PyTorch at all: NumPy arrays in, NumPy arrays out.
session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
source, target = session.get_inputs()[0], session.get_outputs()[0]
print(f"input  {source.name!r}: {source.shape} {source.type}")
print(f"output {target.name!r}: {target.shape} {target.type}")

for size in (1, 297):
    images = x_test[:size]
    (logits,) = session.run(None, {"x": images.numpy()})
    with torch.inference_mode():
        expected = model(images).numpy()
    # The ONNX graph folds BatchNorm into the first layer (other numbers, rounded again),
    # and another runtime may add up in another order: use a tolerance.
    close = np.allclose(logits, expected, rtol=1e-4, atol=1e-5)
    same_classes = (logits.argmax(axis=1) == expected.argmax(axis=1)).all()
    print(
        f"batch of {size:3}: output {logits.shape}, close to PyTorch: {close}, "
        f"same predicted classes: {same_classes}"
    )

path.unlink()  # leave the working directory as it was
