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


leaves = []  # every AccumulateGrad node the walk reaches, once per edge


def walk(fn, depth=0):
    if fn is None:
        return
    print("  " * depth + type(fn).__name__)
    if type(fn).__name__ == "AccumulateGrad":
        leaves.append(fn)
    for child, _ in fn.next_functions:
        walk(child, depth + 1)


walk(y.grad_fn)

# x is used three times (twice in x * x, once in 2 * x): three edges, one node.
print(f"AccumulateGrad printed {len(leaves)} times, distinct nodes: {len(set(leaves))}")
print("that node holds x:", leaves[0].variable is x)
