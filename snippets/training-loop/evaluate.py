import torch
from torch import nn

torch.manual_seed(0)
# Dropout behaves differently in training and in evaluation, so it shows why
# model.eval() matters.
model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Dropout(p=0.5), nn.Linear(8, 2))
x = torch.randn(4, 2)

# Plain call: autograd records the computation, ready for a backward pass.
print("model.training:", model.training)
out = model(x)
print("plain call       requires_grad:", out.requires_grad, "| grad_fn:", out.grad_fn.name())
print("two calls give the same output:", torch.equal(model(x), model(x)))  # dropout is random

# no_grad alone stops recording, but dropout still drops: layers are in training mode.
with torch.no_grad():
    print("no_grad, training mode, two calls the same:", torch.equal(model(x), model(x)))

# model.eval() alone switches the layers, but autograd still records.
model.eval()
print("model.training:", model.training)
out = model(x)
print("eval, no no_grad requires_grad:", out.requires_grad, "| grad_fn:", out.grad_fn.name())
print("two calls give the same output:", torch.equal(model(x), model(x)))

# Both together: evaluation behaviour, and nothing recorded.
with torch.no_grad():
    out = model(x)
print("eval and no_grad requires_grad:", out.requires_grad, "| grad_fn:", out.grad_fn)

# inference_mode: like no_grad, with even less bookkeeping.
with torch.inference_mode():
    out = model(x)
print("inference_mode   requires_grad:", out.requires_grad, "| is_inference:", out.is_inference())
print("predicted classes:", out.argmax(dim=1).tolist())

# Back to training before the next training step.
model.train()
print("model.training:", model.training)
