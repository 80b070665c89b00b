import math

import torch
import torch.nn.functional as F


def attention(q, k, v):
    """Scaled dot-product attention by hand: softmax(q @ k^T / sqrt(d)) @ v."""
    d = q.shape[-1]
    # transpose(-2, -1) swaps the last two dimensions: k.T for each sequence of the batch.
    scores = q @ k.transpose(-2, -1) / math.sqrt(d)  # (batch, seq, seq)
    weights = torch.softmax(scores, dim=-1)  # over the keys
    return weights @ v, weights


torch.manual_seed(0)
batch, seq, d = 2, 5, 8
q = torch.randn(batch, seq, d)
k = torch.randn(batch, seq, d)
v = torch.randn(batch, seq, d)

out, weights = attention(q, k, v)
print("q, k, v:", tuple(q.shape))
print("weights:", tuple(weights.shape), "| output:", tuple(out.shape))
row_sums = weights.sum(dim=-1)
print("every row of weights sums to 1:", torch.allclose(row_sums, torch.ones(batch, seq)))

# PyTorch's version takes the same three tensors and returns only the output.
out_torch = F.scaled_dot_product_attention(q, k, v)
print("\nF.scaled_dot_product_attention:", tuple(out_torch.shape))
print("same as by hand (allclose):", torch.allclose(out, out_torch))

# The values can have another size than the queries and keys: the output takes theirs.
v_wide = torch.randn(batch, seq, 3)
out_wide = F.scaled_dot_product_attention(q, k, v_wide)
print("\nvalues of size 3 ->", tuple(out_wide.shape))
print("same as by hand (allclose):", torch.allclose(attention(q, k, v_wide)[0], out_wide))

# The tiny example of queries_keys_values.py had no scale: scale=1.0 turns it off.
keys = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [-1.0, 0.0]])
queries = torch.tensor([[2.0, 0.0], [0.0, 2.0], [1.0, 1.0], [0.0, 0.0]])
values = torch.tensor([[10.0, 0.0], [0.0, 10.0], [5.0, 5.0], [0.0, 0.0]])
for scale in [1.0, None]:
    tiny = F.scaled_dot_product_attention(queries, keys, values, scale=scale)
    name = "scale=1.0:" if scale else "default scale 1/sqrt(2):"
    print(f"\ntiny example, {name}")
    for row in tiny.tolist():
        print("  " + " ".join(f"{x:6.2f}" for x in row))
