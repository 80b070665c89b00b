import math

import torch
import torch.nn.functional as F


def padded_attention(q, k, v, is_real):
    """Scaled dot-product attention that ignores padded keys.

    q, k, v: (batch, seq, d); is_real: (batch, seq), True for real tokens.
    """
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])  # (batch, seq, seq)
    # Every query must skip the same keys: (batch, 1, seq) broadcasts over the queries.
    scores = scores.masked_fill(~is_real.unsqueeze(1), float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights


torch.manual_seed(0)
batch, seq, d = 3, 6, 8
lengths = torch.tensor([6, 4, 1])  # real tokens per sequence; the rest is padding
is_real = torch.arange(seq) < lengths.unsqueeze(1)  # (3, 6)
q, k, v = torch.randn(batch, seq, d), torch.randn(batch, seq, d), torch.randn(batch, seq, d)
print("is_real:")
for row in is_real.tolist():
    print("  " + " ".join("1" if x else "0" for x in row))

out, weights = padded_attention(q, k, v, is_real)
# A boolean attn_mask is True where attention is allowed: the same is_real, per key.
out_torch = F.scaled_dot_product_attention(q, k, v, attn_mask=is_real.unsqueeze(1))
print("\nsame as F.scaled_dot_product_attention (allclose):", torch.allclose(out, out_torch))

pad_keys = ~is_real.unsqueeze(1).expand(batch, seq, seq)
print("weights on padded keys all exactly 0:", bool((weights[pad_keys] == 0).all()))
print("rows sum to 1:", torch.allclose(weights.sum(dim=-1), torch.ones(batch, seq)))
print("sequence 1, query 0:", " ".join(f"{w:.2f}" for w in weights[1, 0].tolist()))

# The padded positions' keys and values can hold anything: the real outputs do not move.
k_noisy, v_noisy = k.clone(), v.clone()
k_noisy[~is_real] = 100.0
v_noisy[~is_real] = -100.0
out_noisy, _ = padded_attention(q, k_noisy, v_noisy, is_real)
print(
    "real outputs unchanged by garbage in the padding:",
    torch.allclose(out[is_real], out_noisy[is_real]),
)

# Control: without the mask, the same garbage changes the outputs of the padded sequences.
out_plain, _ = padded_attention(q, k, v, torch.ones(batch, seq, dtype=torch.bool))
out_plain_noisy, _ = padded_attention(q, k_noisy, v_noisy, torch.ones(batch, seq, dtype=torch.bool))
print("without the mask, unchanged:", torch.allclose(out_plain[is_real], out_plain_noisy[is_real]))
