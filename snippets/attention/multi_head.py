import torch
from torch import nn


class MultiHeadByHand(nn.Module):
    """Multi-head self-attention from three projections, reshapes and one output layer."""

    def __init__(self, d_model, heads):
        super().__init__()
        self.heads, self.d_head = heads, d_model // heads
        self.q = nn.Linear(d_model, d_model)
        self.k = nn.Linear(d_model, d_model)
        self.v = nn.Linear(d_model, d_model)
        self.out = nn.Linear(d_model, d_model)

    def split_heads(self, t):
        """(batch, seq, d_model) -> (batch, heads, seq, d_head)."""
        batch, seq, _ = t.shape
        return t.reshape(batch, seq, self.heads, self.d_head).permute(0, 2, 1, 3)

    def merge_heads(self, t):
        """(batch, heads, seq, d_head) -> (batch, seq, d_model)."""
        batch, _, seq, _ = t.shape
        # per_head is contiguous, so after permute its elements are out of reading order:
        # view would fail there, and reshape copies them.
        return t.permute(0, 2, 1, 3).reshape(batch, seq, self.heads * self.d_head)

    def forward(self, x):
        q = self.split_heads(self.q(x))
        k = self.split_heads(self.k(x))
        v = self.split_heads(self.v(x))
        weights = torch.softmax(q @ k.transpose(-2, -1) / self.d_head**0.5, dim=-1)
        per_head = weights @ v  # every head attends on its own: (batch, heads, seq, d_head)
        return self.out(self.merge_heads(per_head)), weights


torch.manual_seed(0)
batch, seq, d_model, heads = 2, 5, 8, 2
x = torch.randn(batch, seq, d_model)
mha = nn.MultiheadAttention(d_model, heads, batch_first=True)
mine = MultiHeadByHand(d_model, heads)

# nn.MultiheadAttention keeps W_q, W_k and W_v stacked in one (3 * d_model, d_model)
# matrix, rows 0-7, 8-15 and 16-23, and its output layer in out_proj.
for name, p in mha.named_parameters():
    print(f"{name:16} {tuple(p.shape)}")
with torch.no_grad():
    for i, layer in enumerate([mine.q, mine.k, mine.v]):
        layer.weight.copy_(mha.in_proj_weight[i * d_model : (i + 1) * d_model])
        layer.bias.copy_(mha.in_proj_bias[i * d_model : (i + 1) * d_model])
    mine.out.weight.copy_(mha.out_proj.weight)
    mine.out.bias.copy_(mha.out_proj.bias)
print("parameters of nn.MultiheadAttention:", sum(p.numel() for p in mha.parameters()))
print("parameters by hand:", sum(p.numel() for p in mine.parameters()))
# The heads share out the d_model numbers instead of each getting d_model of its own.
one_head = nn.MultiheadAttention(d_model, 1, batch_first=True)
print("with 1 head instead of 2:", sum(p.numel() for p in one_head.parameters()))

with torch.no_grad():
    q = mine.q(x)
    split = mine.split_heads(q)
    merged = mine.merge_heads(split)
    print("\nq:", tuple(q.shape), "-> split into heads:", tuple(split.shape))
    print("merged back:", tuple(merged.shape), "| equal to q:", torch.equal(merged, q))

    out, weights = mine(x)
    # Self-attention: the query, the key and the value are all x.
    out_mha, avg_weights = mha(x, x, x)
    print("\noutput by hand:", tuple(out.shape), "| nn.MultiheadAttention:", tuple(out_mha.shape))
    print("same (allclose):", torch.allclose(out, out_mha))

    # The weights it returns are averaged over the heads; they can be had per head too.
    _, head_weights = mha(x, x, x, average_attn_weights=False)
    print("\nweights returned, averaged over heads:", tuple(avg_weights.shape))
    print("with average_attn_weights=False:", tuple(head_weights.shape))
    print("per head same as by hand:", torch.allclose(weights, head_weights))
    print("averaged same as by hand:", torch.allclose(weights.mean(dim=1), avg_weights))

    # Each head has its own projections, so it spreads its attention its own way.
    for h in range(heads):
        row = " ".join(f"{w:.2f}" for w in head_weights[0, h, 0].tolist())
        print(f"head {h}, sentence 0, token 0 attends: {row}")
