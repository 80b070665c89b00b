import torch
from torch import nn

torch.manual_seed(0)
model = nn.Linear(4, 3)
x = torch.randn(1000, 4)  # 1000 samples ...
y = x[:, :3].argmax(dim=1)  # ... whose class is their largest of the first 3 features

# The same model and data; only the batch size and the reduction change.
print("batch size | gradient size, 'mean' | gradient size, 'sum'")
for batch_size in [10, 100, 1000]:
    sizes = []
    for reduction in ["mean", "sum"]:
        loss_fn = nn.CrossEntropyLoss(reduction=reduction)
        loss_fn(model(x[:batch_size]), y[:batch_size]).backward()
        sizes.append(model.weight.grad.norm().item())
        model.weight.grad = None  # backward() adds to .grad: clear it for the next run
        model.bias.grad = None
    print(f"{batch_size:10d} | {sizes[0]:21.4f} | {sizes[1]:20.4f}")
