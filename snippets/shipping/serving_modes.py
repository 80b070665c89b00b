import torch
from sklearn.datasets import load_digits
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"
# One CPU thread: torch splits a long sum among its threads, so their number moves the
# last digits of a trained model's numbers (see Reproducibility).
torch.set_num_threads(1)


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
model = model.cpu()
print("after training, model.training:", model.training)

# A request: three test digits. In training mode dropout zeroes random numbers, so the
# answer changes between calls, and BatchNorm normalises with this batch's own statistics.
request = x_test[:3]
running_mean = model.norm.running_mean.clone()
with torch.inference_mode():
    first, second = model(request), model(request)
    print("training mode, two calls agree:             ", torch.equal(first, second))
    # Each call also moved BatchNorm's running statistics towards this batch's.
    moved = not torch.equal(running_mean, model.norm.running_mean)
    print("training mode, the calls moved running_mean:", moved)
    try:
        model(request[:1])  # one digit alone: a batch of one has no variance
    except ValueError as error:
        print("training mode, one digit alone:", error)

# Serving: evaluation behaviour (model.eval()) and no autograd (inference_mode).
model.eval()
with torch.inference_mode():
    first, second = model(request), model(request)
    alone = model(request[:1])  # the first digit again, in a batch of its own
print("\neval mode, two calls agree:         ", torch.equal(first, second))
# Within a tolerance: a batch of one may be multiplied by another kernel than a batch
# of three, on the CPU too, which adds up the products in another order and rounds
# differently in the last digits.
print("eval mode, first digit alone agrees:", torch.allclose(alone[0], first[0], atol=1e-5))
print("predicted:", first.argmax(dim=1).tolist(), "| labels:", y_test[:3].tolist())
print("requires_grad:", first.requires_grad, "| inference tensor:", first.is_inference())

# no_grad gives the same numbers; the difference is what the tensors allow afterwards.
with torch.no_grad():
    features_no_grad = model.hidden(x_train)  # 32 numbers per training digit
with torch.inference_mode():
    features_inference = model.hidden(x_train)
print("\nsame features either way:", torch.equal(features_no_grad, features_inference))

# Later, outside both: the first step of training a new head on the kept features,
# a forward pass and backward() (no optimizer step: the head is still untrained).
head = nn.Linear(32, 10)
loss = loss_fn(head(features_no_grad), y_train)
loss.backward()
print(f"new head on no_grad features:   loss {loss.item():.4f} (untrained), backward works")
try:
    loss = loss_fn(head(features_inference), y_train)
except RuntimeError as error:
    print("new head on inference features:", str(error).split(". ")[0])
# The way out the error message suggests: a clone made outside inference mode is an
# ordinary tensor again.
loss = loss_fn(head(features_inference.clone()), y_train)
loss.backward()
print(f"new head on a clone of them:    loss {loss.item():.4f}, backward works")
