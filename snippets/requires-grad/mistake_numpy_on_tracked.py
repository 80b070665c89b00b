# expected-error: RuntimeError
import torch

w = torch.tensor([0.5, 1.5], requires_grad=True)
scores = w * 2
print("scores:", scores)
print(scores.numpy())  # NumPy cannot carry the graph along
