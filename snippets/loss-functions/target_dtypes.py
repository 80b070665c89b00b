import torch
from torch import nn

loss_fn = nn.CrossEntropyLoss()
logits = torch.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]])

# The same two class indices in four integer dtypes.
for dtype in [torch.int64, torch.uint8, torch.int32, torch.int16]:
    targets = torch.tensor([0, 2], dtype=dtype)
    try:
        print(f"{str(dtype):12} accepted, loss {loss_fn(logits, targets).item():.4f}")
    except RuntimeError as error:
        print(f"{str(dtype):12} refused: {error}")
