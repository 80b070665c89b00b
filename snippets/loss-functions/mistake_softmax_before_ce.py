import torch
from torch import nn

loss_fn = nn.CrossEntropyLoss()
target = torch.tensor([0])  # the right answer is class 0

print("confident and RIGHT: the loss should be close to 0")
print(f"{'logit of class 0':>16} | {'raw logits':>10} | {'softmax first':>13}")
for big in [2.0, 5.0, 10.0, 20.0]:
    logits = torch.tensor([[big, 0.0, 0.0]])
    right = loss_fn(logits, target)
    wrong = loss_fn(torch.softmax(logits, dim=1), target)  # the mistake
    print(f"{big:16.1f} | {right.item():10.4f} | {wrong.item():13.4f}")

print()
print("confident and WRONG: the gradient should push hard (size of the gradient)")
print(f"{'logit of class 1':>16} | {'raw logits':>10} | {'softmax first':>13}")
for big in [2.0, 5.0, 10.0, 20.0]:
    logits = torch.tensor([[0.0, big, 0.0]], requires_grad=True)
    loss_fn(logits, target).backward()
    right = logits.grad.norm()

    logits.grad = None
    loss_fn(torch.softmax(logits, dim=1), target).backward()
    wrong = logits.grad.norm()
    print(f"{big:16.1f} | {right.item():10.4f} | {wrong.item():13.4f}")
