import importlib.resources

import sklearn.datasets
import torch
import torch.nn.functional as F
from torch import nn

# The text the model will read: scikit-learn's descriptions of its datasets, the
# reStructuredText files that ship inside the package, joined in name order.
descr = importlib.resources.files(sklearn.datasets) / "descr"
names = sorted(f.name for f in descr.iterdir() if f.name.endswith(".rst"))
text = "\n".join((descr / name).read_text(encoding="utf-8") for name in names)
chars = sorted(set(text))  # a character vocabulary, as in Text as tensors


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

    def __init__(self, vocab_size, d_model=32, heads=2, blocks=2, context=32):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Embedding(context, d_model)  # learned: one vector per position
        self.blocks = nn.Sequential(*[Block(d_model, heads) for _ in range(blocks)])
        self.ln_f = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size)  # a score for every character

    def forward(self, ids):  # ids: (batch, seq), seq at most context
        positions = torch.arange(ids.shape[1], device=ids.device)
        x = self.tok(ids) + self.pos(positions)  # (batch, seq, d_model)
        return self.head(self.ln_f(self.blocks(x)))  # (batch, seq, vocab_size)


torch.manual_seed(0)
V, d, T = len(chars), 32, 32
model = TinyGPT(V, d_model=d, context=T)


def count(module):
    return sum(p.numel() for p in module.parameters())


block = model.blocks[0]
rows = [
    ("token embedding", model.tok, f"V*d = {V}*{d}", V * d),
    ("position embedding", model.pos, f"T*d = {T}*{d}", T * d),
    ("each block", block, "12*d*d + 13*d", 12 * d * d + 13 * d),
    ("  ln1", block.ln1, "2*d (weight, bias)", 2 * d),
    ("  attention", block.attn, "4*d*d + 4*d", 4 * d * d + 4 * d),
    ("  ln2", block.ln2, "2*d", 2 * d),
    ("  MLP", block.mlp, "8*d*d + 5*d", 8 * d * d + 5 * d),
    ("final LayerNorm", model.ln_f, "2*d", 2 * d),
    ("head", model.head, f"d*V + V = {d}*{V} + {V}", d * V + V),
]
print(f"vocabulary V = {V} characters, d_model d = {d}, context T = {T}, 2 blocks of 2 heads\n")
print(f"{'part':20} {'formula':26} {'by formula':>10} {'counted':>8}")
for name, module, formula, by_hand in rows:
    print(f"{name:20} {formula:26} {by_hand:>10} {count(module):>8}")

parts = [model.tok, model.pos, *model.blocks, model.ln_f, model.head]
print(f"\nsum of the parts (2 blocks): {sum(count(m) for m in parts)}")
print(f"sum of p.numel():            {sum(p.numel() for p in model.parameters())}")

ids = torch.randint(V, (2, T))
print("\nids", tuple(ids.shape), "-> logits", tuple(model(ids).shape))
