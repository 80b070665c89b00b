# expected-error: RuntimeError
import torch
from torch import nn

loss_fn = nn.CrossEntropyLoss()
logits = torch.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]])
classes = torch.tensor([0, 2])  # the right shape: (N,)
print(f"indices {tuple(classes.shape)}: {loss_fn(logits, classes).item():.4f}")

# One-hot rows as floats are read as class probabilities: same loss, no error.
one_hot = nn.functional.one_hot(classes, num_classes=3)
print(f"one-hot float {tuple(one_hot.shape)}: {loss_fn(logits, one_hot.float()).item():.4f}")

# As one_hot makes them, the rows are long integers: not probabilities.
try:
    loss_fn(logits, one_hot)
except RuntimeError as error:
    print(f"one-hot {one_hot.dtype}: {error}")

# A column of indices, shape (N, 1), often comes out of a DataFrame or a
# label.unsqueeze(1). It is neither of the two accepted forms.
column = classes.unsqueeze(1)
print("column:", tuple(column.shape), column.dtype)
loss_fn(logits, column)
