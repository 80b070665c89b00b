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
    accuracy = (model(x_test).argmax(dim=1) == y_test).float().mean().item()
print(f"test accuracy of the model: {accuracy:.1%}")

# Export: run forward once on an example batch and record every operation it does.
example = x_test[:32]
exported = torch.export.export(model, (example,))
print("\nexport gives:", type(exported).__name__)

# The graph: one node per input (parameters, buffers, then x), one per operation,
# and the output.
# The graph signature says which parameter or buffer each input node stands for.
inputs = {spec.arg.name: spec for spec in exported.graph_signature.input_specs}
print(f"\n{'node':27} {'op':14} what")
for node in exported.graph.nodes:
    if node.op == "placeholder":
        spec = inputs[node.name]
        what = f"{spec.kind.name.lower()} {spec.target or ''}".strip()
    else:  # an operation: the function called and the nodes it takes (other arguments left out)
        takes = [arg.name for arg in node.all_input_nodes]
        what = f"{node.target}({', '.join(takes)})"
    print(f"{node.name:27} {node.op:14} {what}")

# The program holds the weights too: the very same tensor objects as the model's
# state_dict (keep_vars=True gives the parameter objects themselves; without it,
# state_dict gives new tensor objects that share the parameters' memory).
own = model.state_dict(keep_vars=True)
print("\nstate_dict entries:", len(exported.state_dict), "| model:", len(own))
print("the same tensor objects:", all(exported.state_dict[name] is own[name] for name in own))

# .module() turns it back into something you call like the model.
program = exported.module()
with torch.inference_mode():
    same = torch.equal(program(example), model(example))
print("program(example) equals model(example):", same)
