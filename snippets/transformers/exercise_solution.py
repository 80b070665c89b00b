import torch
import torch.nn.functional as F
from torch import nn


class SelfAttention(nn.Module):
    """Causal multi-head self-attention, as in Attention from scratch."""

    def __init__(self, d_model, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d_model, 3 * d_model)  # W_q, W_k and W_v in one layer
        self.out = nn.Linear(d_model, d_model)

    def forward(self, x):
        batch, seq, d_model = x.shape
        q, k, v = self.qkv(x).chunk(3, dim=-1)  # three (batch, seq, d_model) tensors
        # split into heads: (batch, heads, seq, d_head)
        q, k, v = (t.reshape(batch, seq, self.heads, -1).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.out(y.transpose(1, 2).reshape(batch, seq, d_model))  # merge the heads


class Block(nn.Module):
    """A pre-norm transformer block: x + attn(LN(x)), then x + MLP(LN(x))."""

    def __init__(self, d_model, heads):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = SelfAttention(d_model, heads)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(
            nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model)
        )

    def forward(self, x):
        x = x + self.attn(self.ln1(x))  # the tokens exchange information
        return x + self.mlp(self.ln2(x))  # each token is worked on by itself


class TinyGPT(nn.Module):
    """A decoder-only language model: embeddings, blocks, a final LayerNorm, a head."""

    def __init__(self, vocab_size, d_model=32, heads=2, blocks=2, context=32, tied=False):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Embedding(context, d_model)  # learned: one vector per position
        self.blocks = nn.Sequential(*[Block(d_model, heads) for _ in range(blocks)])
        self.ln_f = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size)  # a score for every token
        if tied:  # the head reuses the token embedding's matrix: one tensor, two uses
            self.head.weight = self.tok.weight

    def forward(self, ids):  # ids: (batch, seq), seq at most context
        positions = torch.arange(ids.shape[1], device=ids.device)
        x = self.tok(ids) + self.pos(positions)  # (batch, seq, d_model)
        return self.head(self.ln_f(self.blocks(x)))  # (batch, seq, vocab_size)


def count(module):
    return sum(p.numel() for p in module.parameters())


def by_formula(V, d, T, n_blocks, tied):
    """The parameter count of TinyGPT, from the formulas of model.py."""
    head = V if tied else d * V + V  # tied: only the head's bias is new
    return V * d + T * d + n_blocks * (12 * d * d + 13 * d) + 2 * d + head


# The size of the smallest GPT-2: a vocabulary of 50257 tokens, d_model 768, 12 heads,
# 12 blocks and a context of 1024 tokens.
V, d, T, n_blocks, heads = 50257, 768, 1024, 12, 12

# Prediction, before running: the blocks hold 12 * (12*d*d + 13*d) = 85,054,464, the
# token embedding and the head about 38.6 million each, so the blocks are about half.

# On the "meta" device a tensor has a shape and a dtype but no values, and nothing
# is allocated for it: the model is built in an instant.
with torch.device("meta"):
    untied = TinyGPT(V, d, heads, n_blocks, T)
    tied = TinyGPT(V, d, heads, n_blocks, T, tied=True)
weight = untied.tok.weight
print("a weight on the meta device:", weight.device, tuple(weight.shape), weight.dtype)
try:
    weight[0, 0].item()
except RuntimeError as error:  # a shape and a dtype, no values
    print("its first value:", error)
print(f"float32 weights it would hold: {count(untied) * 4 / 1e6:.0f} MB")

for name, model, is_tied in (("untied", untied, False), ("tied", tied, True)):
    total = count(model)
    print(f"\n{name}: by formula {by_formula(V, d, T, n_blocks, is_tied):,}, counted {total:,}")
    parts = {
        "token embedding": count(model.tok),
        "position embedding": count(model.pos),
        "blocks": count(model.blocks),
    }
    # What the head adds: when tied, its weight is already counted with the embedding.
    parts["head (what is new)"] = total - sum(parts.values()) - count(model.ln_f)
    for part, n in parts.items():
        print(f"  {part:20} {n:>11,}  {n / total:6.1%}")

# parameters() yields a shared tensor once: the tied head's weight is the embedding's.
print("\ntied: head.weight is tok.weight:", tied.head.weight is tied.tok.weight)
tensors_tied, tensors_untied = len(list(tied.parameters())), len(list(untied.parameters()))
print(f"tensors in parameters(): tied {tensors_tied} | untied {tensors_untied}")

# The chapter's model for comparison: there the token embedding and the head are a fifth.
small = TinyGPT(92)  # V=92 characters, d_model 32, as in model.py
share = (count(small.tok) + count(small.head)) / count(small)
print(f"\nthe chapter's model: token embedding and head {share:.1%} of {count(small):,}")
