import torch
from torch import nn

# Exercise: a classifier sorted 4 emails into spam (0), work (1) or personal (2).
logits = torch.tensor(
    [
        [0.5, 2.5, 0.0],
        [3.0, -1.0, 0.5],
        [0.2, 0.1, 0.3],
        [1.5, 0.0, -2.0],
    ]
)
labels = torch.tensor([1.0, 0.0, 2.0, 2.0])  # read from a file as floats

# 1. Make the labels usable by CrossEntropyLoss and compute the mean loss.
targets = labels.long()
loss = nn.CrossEntropyLoss()(logits, targets)
print(f"mean loss: {loss.item():.4f}")

# 2. One loss per email, and the email the model is most wrong about.
per_email = nn.CrossEntropyLoss(reduction="none")(logits, targets)
print("per email:", [round(v, 4) for v in per_email.tolist()])
print("worst email:", per_email.argmax().item())

# 3. Check the mean by hand with log_softmax.
log_probs = torch.log_softmax(logits, dim=1)
by_hand = -log_probs[torch.arange(4), targets].mean()
print(f"by hand:   {by_hand.item():.4f}")

# 4. The predicted class of each email (largest logit) and the accuracy.
predicted = logits.argmax(dim=1)
print("predicted:", predicted.tolist(), "true:", targets.tolist())
print(f"accuracy: {(predicted == targets).float().mean().item():.2f}")
