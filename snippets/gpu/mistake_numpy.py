# expected-error: RuntimeError
import torch

# A model's output takes part in autograd: it requires grad.
w = torch.tensor([2.0, -1.0], requires_grad=True)
x = torch.tensor([3.0, 4.0])
y = w * x
print("y requires grad:", y.requires_grad)

# The fix, for later: y.detach().cpu().numpy()
print("fixed:", y.detach().cpu().numpy())

# The mistake: asking NumPy for a tensor that is still in the graph.
print(y.numpy())
