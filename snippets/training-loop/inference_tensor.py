# expected-error: RuntimeError
import torch
from torch import nn

torch.manual_seed(0)
model = nn.Linear(2, 2)
x = torch.randn(4, 2)
with torch.inference_mode():
    out = model(x)  # an inference tensor
print("out is an inference tensor:", out.is_inference())

# Later, outside inference_mode, a computation that autograd records.
w = torch.ones(2, requires_grad=True)
total = out + w  # the backward pass of + needs nothing of out: this works
print("out + w works, requires_grad:", total.requires_grad)
product = out * w  # the backward pass of * needs out itself: saving it fails
