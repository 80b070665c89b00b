import torch
import torch.nn.functional as F
from torch import nn


def show(name, matrix):
    print(name)
    for row in matrix.tolist():
        print("  " + " ".join(f"{v:5.2f}" for v in row))


# The tiny example of queries_keys_values.py, with no scale (scale=1.0) so that the
# unmasked weights are the ones printed there.
keys = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [-1.0, 0.0]])
queries = torch.tensor([[2.0, 0.0], [0.0, 2.0], [1.0, 1.0], [0.0, 0.0]])

# F.scaled_dot_product_attention returns only the output, weights @ values. With the
# identity matrix as the values, weights @ I = weights: the output IS the weight matrix.
eye = torch.eye(4)
show("no mask", F.scaled_dot_product_attention(queries, keys, eye, scale=1.0))

# 1. Causal mask: position i may look at positions 0..i, never at later ones.
causal = F.scaled_dot_product_attention(queries, keys, eye, scale=1.0, is_causal=True)
show("\nis_causal=True", causal)

# By hand: True above the diagonal marks the future; its scores become -inf,
# and softmax gives exp(-inf) = 0 to them.
future = torch.triu(torch.ones(4, 4, dtype=torch.bool), diagonal=1)
print("\nfuture (True = masked out):")
for row in future.tolist():
    print("  " + " ".join("T" if x else "." for x in row))
scores = (queries @ keys.T).masked_fill(future, float("-inf"))
by_hand = torch.softmax(scores, dim=-1)
show("by hand with masked_fill(-inf)", by_hand)
print("same as is_causal=True:", torch.allclose(by_hand, causal))

# The same mask as attn_mask: a boolean attn_mask is True where attention is ALLOWED,
# the opposite of `future`: the lower triangle, diagonal included.
allowed = torch.tril(torch.ones(4, 4, dtype=torch.bool))
with_mask = F.scaled_dot_product_attention(queries, keys, eye, attn_mask=allowed, scale=1.0)
print("attn_mask=tril(...) same as is_causal=True:", torch.allclose(with_mask, causal))

# 2. Padding mask: two sentences of token ids, padded with id 0 to the same length.
PAD = 0
ids = torch.tensor([[5, 7, 2, PAD], [4, 9, PAD, PAD]])
is_real = ids != PAD  # (2, 4): True for real tokens
torch.manual_seed(0)
embed = nn.Embedding(10, 4)
with torch.no_grad():
    x = embed(ids)  # (2, 4, 4); queries, keys and values all come from x here

# Each query row must ignore the padded keys: (2, 1, 4) broadcasts over the 4 queries.
key_mask = is_real.unsqueeze(1)
values = torch.eye(4).expand(2, 4, 4)  # identity values again, to read the weights
padded = F.scaled_dot_product_attention(x, x, values, attn_mask=key_mask)
show("\nsentence 1 (2 real tokens, 2 padding), attn_mask=is_real", padded[1])

scores = x @ x.transpose(-2, -1) / 2.0  # sqrt(d) = sqrt(4) = 2
by_hand = torch.softmax(scores.masked_fill(~key_mask, float("-inf")), dim=-1)
print("by hand with masked_fill(-inf) same:", torch.allclose(by_hand, padded))
print("weights on padded keys all exactly 0:", bool((padded[~key_mask.expand(2, 4, 4)] == 0).all()))
