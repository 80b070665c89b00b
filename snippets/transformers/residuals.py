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
    """One transformer block, with the residual connections and the LayerNorms switchable."""

    def __init__(self, d_model, heads):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = SelfAttention(d_model, heads)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(
            nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model)
        )

    def forward(self, x, residual, norm):
        ln1 = self.ln1 if norm else nn.Identity()
        ln2 = self.ln2 if norm else nn.Identity()
        if residual:
            x = x + self.attn(ln1(x))
            return x + self.mlp(ln2(x))
        x = self.attn(ln1(x))
        return self.mlp(ln2(x))


def run(seed, depth=32, show=(1, 4, 16, 32)):
    torch.manual_seed(seed)
    blocks = nn.ModuleList([Block(32, heads=2) for _ in range(depth)])
    x0 = torch.randn(8, 32, 32)  # 8 sequences of 32 tokens, std 1
    upstream = torch.randn(8, 32, 32)  # a random gradient from the layers above
    print(f"seed {seed}, std of the input {x0.std().item():.2f}")
    print(f"{'std after block':>27}" + "".join(f"{n:>7}" for n in show), end="")
    print(f"   {'token spread':>12}   {'max |grad|, block 1':>19}  {'block 32':>8}")
    # The same blocks, so the same weights, in every row: only the wiring differs.
    for name, residual, norm in [
        ("no residual, no norm", False, False),
        ("no residual, LayerNorm", False, True),
        ("residual, no norm", True, False),
        ("residual + LayerNorm", True, True),
    ]:
        x, stds = x0, []
        for i, block in enumerate(blocks, start=1):
            x = block(x, residual, norm)
            if i in show:
                stds.append(x.std().item())
        # How different the tokens' vectors still are after the last block: the spread of
        # each feature across the 256 tokens, averaged. 0 would mean the input is forgotten.
        spread = x.std(dim=(0, 1)).mean().item()
        blocks.zero_grad()
        (x * upstream).sum().backward()
        # The largest entry of the gradient (a norm would square entries of 1e-39 first,
        # and the squares are too small for float32: they round to 0).
        first = blocks[0].mlp[0].weight.grad.abs().max().item()
        last = blocks[-1].mlp[0].weight.grad.abs().max().item()
        print(f"  {name:25}" + "".join(f"{s:7.2f}" for s in stds), end="")
        print(f"   {spread:12.1e}   {first:19.1e}  {last:8.1e}")


run(seed=0)
print()
run(seed=1)  # the control: other weights, other data
