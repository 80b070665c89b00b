import torch
from torch import nn

torch.manual_seed(0)
model = nn.Linear(4, 3)  # 4 features in, one score for each of 3 classes out
x = torch.randn(5, 4)  # a batch of 5 samples
y = torch.tensor([0, 2, 1, 1, 0])  # their classes

logits = model(x)
loss = nn.CrossEntropyLoss()(logits, y)
print("logits:", tuple(logits.shape), "loss:", tuple(loss.shape), f"{loss.item():.4f}")
print("grad before backward:", model.weight.grad)

# backward() starts at the loss and fills .grad of every parameter.
loss.backward()
for name, p in model.named_parameters():
    print(f"{name}: shape {tuple(p.shape)}, grad shape {tuple(p.grad.shape)}")
print("weight.grad row 0:", [round(g, 4) for g in model.weight.grad[0].tolist()])
