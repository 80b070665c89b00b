import torch
from torch import nn, optim

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"


def make_data(n, gen):
    """A 1-D two-class problem: about 30% positives around x = 1, negatives around x = -1."""
    y = (torch.rand(n, generator=gen) < 0.3).float()  # float targets: 0.0 or 1.0
    x = (2 * y - 1 + torch.randn(n, generator=gen)).unsqueeze(1)  # shape (n, 1)
    return x, y


gen = torch.Generator().manual_seed(0)
x_train, y_train = make_data(600, gen)
x_val, y_val = make_data(400, gen)
x_train, y_train = x_train.to(device), y_train.to(device)
x_val, y_val = x_val.to(device), y_val.to(device)

torch.manual_seed(0)
model = nn.Linear(1, 1).to(device)  # one logit per sample
loss_fn = nn.BCEWithLogitsLoss()  # sigmoid and binary cross-entropy in one step
optimizer = optim.Adam(model.parameters(), lr=0.1)
for _step in range(200):
    logits = model(x_train).squeeze(1)  # (600, 1) -> (600,), the shape of y_train
    loss = loss_fn(logits, y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print(f"final training loss: {loss.item():.4f}")

model.eval()
with torch.no_grad():
    logits = model(x_val).squeeze(1)
probs = torch.sigmoid(logits)  # probability of the positive class, between 0 and 1
print("first logits:       ", [round(v, 2) for v in logits[:5].tolist()])
print("first probabilities:", [round(v, 2) for v in probs[:5].tolist()])
print("first targets:      ", y_val[:5].tolist())

print("\nthreshold  predicted positive  precision  recall")
for threshold in (0.3, 0.5, 0.7):
    predicted = probs >= threshold
    actual = y_val == 1
    tp = (predicted & actual).sum().item()
    precision = tp / predicted.sum().item()  # of the samples called positive, how many are
    recall = tp / actual.sum().item()  # of the positive samples, how many were found
    print(f"{threshold:9.1f}  {predicted.sum().item():18d}  {precision:9.4f}  {recall:6.4f}")
print("positives in the validation set:", int(y_val.sum().item()))
