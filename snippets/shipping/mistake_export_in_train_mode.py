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
model = model.cpu()  # the training loop ends in training mode, and model.eval() is missing
# A copy of the trained weights and statistics, for the fix at the end.
trained = {name: tensor.clone() for name, tensor in model.state_dict().items()}

# The mistake: export straight after training. Nothing fails.
example = x_test[:32].clone()
batch = torch.export.Dim("batch", min=1, max=1024)
exported = torch.export.export(model, (example,), dynamic_shapes={"x": {0: batch}})
program = exported.module()
print("exported without model.eval(): no error")

# Sign 1: the graph records the training behaviour. batch_norm's 6th argument and
# dropout's 3rd say whether they run as in training.
for node in exported.graph.nodes:
    if node.target == torch.ops.aten.batch_norm.default:
        print("batch_norm node, training:", node.args[5])
    if node.target == torch.ops.aten.dropout.default:
        print("dropout node, training:   ", node.args[2])

# Sign 2: the same digits give other answers each time, and not the model's.
model.eval()  # the reference: the model itself, in evaluation mode
running_mean = model.norm.running_mean.clone()
with torch.inference_mode():
    reference = model(x_test)
    first, second = program(x_test), program(x_test)
print("\ntwo calls of the program agree:   ", torch.equal(first, second))
matches = [torch.allclose(call, reference) for call in (first, second)]
print("calls 1 and 2 match the model in eval:", matches)
# The program shares its tensors with the model, and in training mode BatchNorm
# updates its running statistics at every call: the model's own buffers moved.
moved = not torch.equal(running_mean, model.norm.running_mean)
print("the calls changed model.norm.running_mean:", moved)
# One digit per call, as a server gets them: a batch of one is its own mean, so BatchNorm
# gives its bias whatever the digit is, and the digit is lost.
with torch.inference_mode():
    one_by_one = torch.cat([program(x_test[i : i + 1]) for i in range(len(x_test))])
calls = [("model in eval mode", reference), ("call 1", first), ("call 2", second)]
for name, logits in [*calls, ("one digit per call", one_by_one)]:
    accuracy = (logits.argmax(dim=1) == y_test).float().mean().item()
    print(f"test accuracy, {name:18}: {accuracy:.1%}")

# Sign 3: the program cannot be switched to evaluation afterwards.
try:
    program.eval()
except NotImplementedError as error:
    print("\nprogram.eval():", type(error).__name__, "-", error)

# The fix: the trained statistics back (the calls above moved them), model.eval()
# first, then export again.
model.load_state_dict(trained)
model.eval()
fixed = torch.export.export(model, (example,), dynamic_shapes={"x": {0: batch}}).module()
with torch.inference_mode():
    matches = torch.equal(fixed(x_test), model(x_test))
    accuracy = (fixed(x_test).argmax(dim=1) == y_test).float().mean().item()
print("after model.eval(), the program matches the model:", matches)
print(f"test accuracy of the fixed program: {accuracy:.1%}")
