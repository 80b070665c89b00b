# timeout: 300
import torch
import torch.nn.functional as F
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"
# One CPU thread: torch splits a long sum among its threads, so their number moves the
# last digits, and 300 steps grow that into other scores (see Reproducibility).
torch.set_num_threads(1)

# The task: "381920=" -> "029183". Ids 0-9 are the digits, 10 is "=".
N, EQ = 6, 10
gen = torch.Generator().manual_seed(0)
# 6000 different numbers below 10**6 (randperm never repeats one): 5000 to train on,
# 1000 held out, none of which the model ever sees in training.
numbers = torch.randperm(10**N, generator=gen)[:6000]
digits = torch.stack([numbers // 10**i % 10 for i in reversed(range(N))], dim=1)  # (6000, 6)
seqs = torch.cat([digits, torch.full((6000, 1), EQ), digits.flip(1)], dim=1)  # (6000, 13)
train_seqs, test_seqs = seqs[:5000], seqs[5000:]


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

    def __init__(self, vocab_size, d_model=32, heads=2, blocks=2, context=32, positions=True):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, d_model)
        # Step 1: positions=False leaves the position embedding out.
        self.pos = nn.Embedding(context, d_model) if positions else None
        self.blocks = nn.Sequential(*[Block(d_model, heads) for _ in range(blocks)])
        self.ln_f = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size)  # a score for every character

    def forward(self, ids):  # ids: (batch, seq), seq at most context
        x = self.tok(ids)  # (batch, seq, d_model)
        if self.pos is not None:
            x = x + self.pos(torch.arange(ids.shape[1], device=ids.device))
        return self.head(self.ln_f(self.blocks(x)))  # (batch, seq, vocab_size)


def answer(model, prompts):
    """Greedy decoding: append the most likely digit N times, then return those N digits."""
    ids = prompts.to(device)
    with torch.no_grad():
        for _ in range(N):
            next_id = model(ids)[:, -1].argmax(dim=-1, keepdim=True)
            ids = torch.cat([ids, next_id], dim=1)
    return ids[:, N + 1 :].cpu()


def accuracy(model):
    """Whole strings right, and the share right of each of the N answer digits."""
    predicted = answer(model, test_seqs[:, : N + 1])  # the digits and "=" only
    right = predicted == test_seqs[:, N + 1 :]
    return right.all(dim=1).float().mean().item(), right.float().mean(dim=0)


# Step 2, the prediction, written down before running: without positions the model loses the
# context * d_model = 13 * 32 numbers of its position embedding. Only the causal mask is
# left to tell where a digit stands (position t sees t + 1 tokens), so it should learn
# the reversal much more slowly, if at all.
predicted_difference = -(2 * N + 1) * 32

# Step 3, the check: the same recipe as reverse_digits.py, with and without positions, trained
# for 300 steps instead of 60 to see whether the model without positions catches up.
SHOW = (20, 60, 150, 300)
results = {}
for name, positions in (("with positions", True), ("without positions", False)):
    torch.manual_seed(0)
    model = TinyGPT(vocab_size=11, context=2 * N + 1, positions=positions).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.01)
    batch_gen = torch.Generator().manual_seed(1)  # the same batches for both models
    row = {}
    for step in range(1, SHOW[-1] + 1):
        batch = train_seqs[torch.randint(len(train_seqs), (64,), generator=batch_gen)].to(device)
        logits = model(batch[:, :-1])
        loss = F.cross_entropy(logits[:, N:].reshape(-1, 11), batch[:, N + 1 :].reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step in SHOW:
            row[step] = accuracy(model)
    results[name] = (sum(p.numel() for p in model.parameters()), row)

print(f"{'':18} {'params':>6}   strings right after " + ", ".join(map(str, SHOW)) + " steps")
for name, (params, row) in results.items():
    print(f"{name:18} {params:6d}   " + "  ".join(f"{row[s][0]:.3f}" for s in SHOW))
difference = results["without positions"][0] - results["with positions"][0]
print(f"parameters, difference: {difference} (predicted {predicted_difference})")

# Step 4, the control: two ways to answer that know the question's digits but not their order.
question, target = test_seqs[:, :N], test_seqs[:, N + 1 :]
counts = torch.stack([(question == d).sum(dim=1) for d in range(10)], dim=1)  # (1000, 10)
random_digit = counts.gather(1, target) / N  # the chance that a random question digit is right
most_frequent = target == counts.argmax(dim=1, keepdim=True)

print("\nshare right of each answer digit")
shares = [
    ("with positions, 60 steps", results["with positions"][1][60][1]),
    ("with positions, 300 steps", results["with positions"][1][300][1]),
    ("without positions, 60 steps", results["without positions"][1][60][1]),
    ("without positions, 300 steps", results["without positions"][1][300][1]),
    ("order-blind: a random question digit", random_digit.mean(dim=0)),
    ("order-blind: its most frequent digit", most_frequent.float().mean(dim=0)),
]
for name, share in shares:
    print(f"{name:37} " + " ".join(f"{v:.2f}" for v in share.tolist()))
