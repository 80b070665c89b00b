import torch

# The forward pass: ordinary arithmetic on a tracked tensor.
x = torch.tensor(3.0, requires_grad=True)
a = x * x  # 9
b = a + 2 * x  # 15
y = b.sqrt()  # 3.8730

print(f"y = {y.item():.4f}")

# Each result points at the operation that made it; that operation points at
# the operations that made its inputs. Together they are the graph.
print("y.grad_fn:", type(y.grad_fn).__name__)


def walk(fn, depth=0):
    if fn is None:
        return
    print("  " * depth + type(fn).__name__)
    for child, _ in fn.next_functions:
        walk(child, depth + 1)


walk(y.grad_fn)
