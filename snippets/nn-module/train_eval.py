import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(4, 4),
    nn.Dropout(p=0.5),  # in training, zero each value with probability 0.5
)
dropout = model[1]
print("a new module starts in training mode:", model.training)

# Dropout alone, on a row of ones, so its effect is easy to read.
x = torch.ones(1, 8)
model.train()
print(f"after train(): model.training={model.training}, dropout.training={dropout.training}")
print("  call 1:", dropout(x))  # kept values are scaled by 1 / (1 - p) = 2
print("  call 2:", dropout(x))  # a new random pattern on every call

model.eval()  # sets the flag on the module AND on every submodule
print(f"after eval():  model.training={model.training}, dropout.training={dropout.training}")
print("  call 1:", dropout(x))  # dropout does nothing in evaluation mode
print("  call 2:", dropout(x))

# The whole model: repeatable in evaluation mode, random in training mode.
inputs = torch.randn(2, 4)
with torch.no_grad():
    print("two eval passes equal: ", torch.equal(model(inputs), model(inputs)))
    model.train()
    print("two train passes equal:", torch.equal(model(inputs), model(inputs)))

# eval() changes how layers behave, not whether autograd records: no_grad() does that.
model.eval()
print("eval(), output tracked:          ", model(inputs).requires_grad)
with torch.no_grad():
    print("eval() + no_grad, output tracked:", model(inputs).requires_grad)
