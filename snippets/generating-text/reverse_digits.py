import torch
import torch.nn.functional as F
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

# The task: "381920=" -> "029183". Ids 0-9 are the digits, 10 is "=".
N, EQ = 6, 10
gen = torch.Generator().manual_seed(0)
# 6000 different numbers below 10**6 (randperm never repeats one): 5000 to train on,
# 1000 held out, none of which the model ever sees in training.
numbers = torch.randperm(10**N, generator=gen)[:6000]
digits = torch.stack([numbers // 10**i % 10 for i in reversed(range(N))], dim=1)  # (6000, 6)
seqs = torch.cat([digits, torch.full((6000, 1), EQ), digits.flip(1)], dim=1)  # (6000, 13)
train_seqs, test_seqs = seqs[:5000], seqs[5000:]
print("a training sequence:", "".join("0123456789="[i] for i in train_seqs[0].tolist()))
print(f"train {len(train_seqs)}, held out {len(test_seqs)}, in both:", end=" ")
print(len(set(map(tuple, train_seqs.tolist())) & set(map(tuple, test_seqs.tolist()))))


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


def answer(model, prompts):
    """Greedy decoding: append the most likely digit N times, then return those N digits."""
    ids = prompts.to(device)
    with torch.no_grad():
        for _ in range(N):
            next_id = model(ids)[:, -1].argmax(dim=-1, keepdim=True)
            ids = torch.cat([ids, next_id], dim=1)
    return ids[:, N + 1 :].cpu()


def accuracy(model):
    predicted = answer(model, test_seqs[:, : N + 1])  # the digits and "=" only
    right = predicted == test_seqs[:, N + 1 :]
    return right.all(dim=1).float().mean().item(), right.float().mean().item()


torch.manual_seed(0)
model = TinyGPT(vocab_size=11, context=2 * N + 1).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=0.01)
batch_gen = torch.Generator().manual_seed(1)

print(f"\n{'step':>4}  {'loss':>6}  {'held-out strings right':>22}  {'digits right':>12}")
exact, per_digit = accuracy(model)
print(f"{0:4d}  {'':6}  {exact:22.3f}  {per_digit:12.3f}")  # the untrained control
for step in range(1, 61):
    batch = train_seqs[torch.randint(len(train_seqs), (64,), generator=batch_gen)].to(device)
    logits = model(batch[:, :-1])  # (64, 12, 11): position t predicts token t + 1
    # The loss counts the answer only: positions N..2N-1 predict the N reversed digits.
    # (The question's digits are random, and its "=" always stands at position N.)
    loss = F.cross_entropy(logits[:, N:].reshape(-1, 11), batch[:, N + 1 :].reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step in (10, 20, 60):
        exact, per_digit = accuracy(model)
        print(f"{step:4d}  {loss.item():6.4f}  {exact:22.3f}  {per_digit:12.3f}")

print()
for seq in test_seqs[:3]:
    prompt = "".join(str(i) for i in seq[:N].tolist())
    got = "".join(str(i) for i in answer(model, seq[: N + 1].unsqueeze(0))[0].tolist())
    print(f"{prompt}= -> {got}  ({'right' if got == prompt[::-1] else 'wrong'})")

# Which position does each answer digit look at? F.scaled_dot_product_attention returns
# no weights, so block 1's are recomputed by hand, for the 1000 held-out strings.
with torch.no_grad():
    ids = test_seqs[:, :-1].to(device)  # the 12 input positions
    x = model.tok(ids) + model.pos(torch.arange(2 * N, device=device))
    attn = model.blocks[0].attn
    q, k, v = attn.qkv(model.blocks[0].ln1(x)).chunk(3, dim=-1)
    q, k, v = (t.reshape(len(ids), 2 * N, attn.heads, -1).transpose(1, 2) for t in (q, k, v))
    scores = q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5  # (1000, heads, 12, 12)
    future = torch.triu(torch.ones(2 * N, 2 * N, dtype=torch.bool, device=device), diagonal=1)
    weights = scores.masked_fill(future, float("-inf")).softmax(dim=-1)
    sdpa = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    same = torch.allclose(weights @ v, sdpa, atol=1e-4)  # equal up to float rounding
print("\nblock 1's weights, recomputed: the output of F.scaled_dot_product_attention?", same)
print("where each answer digit looks most, mean weight over the held-out strings")
mean = weights.mean(dim=0).cpu()  # (heads, 12, 12)
for j in range(N):
    looks = [
        f"head {h}: position {w.argmax().item()} ({w.max().item():.2f})"
        for h, w in enumerate(mean[:, N + j])
    ]
    print(f"  answer digit {j} (at position {N + j}): " + ", ".join(looks))
