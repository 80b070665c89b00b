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

# Exported with an example batch of 32 and nothing else said, the batch size is fixed.
example = x_test[:32]
fixed = torch.export.export(model, (example,))
shape = [node for node in fixed.graph.nodes if node.op == "placeholder"][-1].meta["val"].shape
print("input x in the graph:", shape)
program = fixed.module()
with torch.inference_mode():
    print("batch of 32:", tuple(program(example).shape))
    try:
        program(x_test[:5])
    except AssertionError as error:
        print("batch of 5: ", type(error).__name__, "-", error)

# A Dim names a dimension that may change; dynamic_shapes says which one it is:
# for the argument x, dimension 0.
batch = torch.export.Dim("batch", min=1, max=1024)
dynamic = torch.export.export(model, (example,), dynamic_shapes={"x": {0: batch}})
shape = [node for node in dynamic.graph.nodes if node.op == "placeholder"][-1].meta["val"].shape
print("\ninput x in the graph:", shape)  # the batch size is now a symbol
print("range of the batch size:", list(dynamic.range_constraints.values()))
program = dynamic.module()
with torch.inference_mode():
    for size in (1, 5, 297):
        same = torch.allclose(program(x_test[:size]), model(x_test[:size]))
        print(f"batch of {size:3}: matches the model: {same}")
    try:
        program(torch.cat([x, x])[:2000])
    except AssertionError as error:
        print("batch of 2000:", type(error).__name__, "-", error)

# The example batch itself must not have size 1: export treats sizes 0 and 1 as
# special and fixes them, which contradicts the Dim.
try:
    torch.export.export(model, (x_test[:1],), dynamic_shapes={"x": {0: batch}})
except Exception as error:
    print("\nexample batch of 1:", type(error).__name__, "-", str(error).splitlines()[0])
    print(str(error).splitlines()[1].strip().split(". ")[0])
