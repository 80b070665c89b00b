import torch

# Exercise: which of these tensors are tracked, and which are leaves?
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0])
c = a + b
d = c.detach()
with torch.no_grad():
    e = a * 2
f = torch.tensor([1.0, 2.0]).requires_grad_()

for name, t in {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f}.items():
    print(f"{name}: requires_grad={t.requires_grad!s:5}  is_leaf={t.is_leaf}")
