import importlib.resources

import sklearn.datasets
import torch
import torch.nn.functional as F
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"
# One CPU thread: torch splits a long sum among its threads, so their number moves the
# last digits of a trained model's numbers (see Reproducibility).
torch.set_num_threads(1)

# The text: scikit-learn's descriptions of its datasets, the reStructuredText files
# that ship inside the package (BSD-3-Clause), joined in name order.
descr = importlib.resources.files(sklearn.datasets) / "descr"
names = sorted(f.name for f in descr.iterdir() if f.name.endswith(".rst"))
text = "\n".join((descr / name).read_text(encoding="utf-8") for name in names)
chars = sorted(set(text))  # a character vocabulary, as in Text as tensors
stoi = {c: i for i, c in enumerate(chars)}
data = torch.tensor([stoi[c] for c in text])
split = int(0.9 * len(data))
train_ids, val_ids = data[:split], data[split:]  # validation: the last 10% of the text
V, CONTEXT, BATCH = len(chars), 32, 32


class SelfAttention(nn.Module):
    """Multi-head self-attention; causal only with causal=True (False is the mistake)."""

    def __init__(self, d_model, heads, causal):
        super().__init__()
        self.heads, self.causal = heads, causal
        self.qkv = nn.Linear(d_model, 3 * d_model)  # W_q, W_k and W_v in one layer
        self.out = nn.Linear(d_model, d_model)

    def forward(self, x):
        batch, seq, d_model = x.shape
        q, k, v = self.qkv(x).chunk(3, dim=-1)  # three (batch, seq, d_model) tensors
        # split into heads: (batch, heads, seq, d_head)
        q, k, v = (t.reshape(batch, seq, self.heads, -1).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=self.causal)
        return self.out(y.transpose(1, 2).reshape(batch, seq, d_model))  # merge the heads


class Block(nn.Module):
    """A pre-norm transformer block: x + attn(LN(x)), then x + MLP(LN(x))."""

    def __init__(self, d_model, heads, causal):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = SelfAttention(d_model, heads, causal)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(
            nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model)
        )

    def forward(self, x):
        x = x + self.attn(self.ln1(x))  # the tokens exchange information
        return x + self.mlp(self.ln2(x))  # each token is worked on by itself


class TinyGPT(nn.Module):
    """A decoder-only language model: embeddings, blocks, a final LayerNorm, a head."""

    def __init__(self, vocab_size, d_model=32, heads=2, blocks=2, context=32, causal=True):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Embedding(context, d_model)  # learned: one vector per position
        self.blocks = nn.Sequential(*[Block(d_model, heads, causal) for _ in range(blocks)])
        self.ln_f = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size)  # a score for every character

    def forward(self, ids):  # ids: (batch, seq), seq at most context
        positions = torch.arange(ids.shape[1], device=ids.device)
        x = self.tok(ids) + self.pos(positions)  # (batch, seq, d_model)
        return self.head(self.ln_f(self.blocks(x)))  # (batch, seq, vocab_size)


def get_batch(gen):
    """BATCH random windows of the training text; the targets are the inputs moved by one."""
    starts = torch.randint(len(train_ids) - CONTEXT, (BATCH, 1), generator=gen)
    windows = train_ids[starts + torch.arange(CONTEXT + 1)]  # (BATCH, CONTEXT + 1)
    return windows[:, :-1].to(device), windows[:, 1:].to(device)


# Validation: the held-out text cut into windows of CONTEXT characters; every character
# but the first and the last few (which do not fill a window) is a target once.
n = (len(val_ids) - 1) // CONTEXT
val_x = val_ids[: n * CONTEXT].reshape(n, CONTEXT)
val_y = val_ids[1 : n * CONTEXT + 1].reshape(n, CONTEXT)


def val_loss(model):
    with torch.no_grad():
        logits = model(val_x.to(device))
        return F.cross_entropy(logits.reshape(-1, V), val_y.to(device).reshape(-1)).item()


def train(causal):
    """The recipe of train_text.py; causal=False is the mistake."""
    torch.manual_seed(0)
    model = TinyGPT(V, causal=causal).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.01)
    gen = torch.Generator().manual_seed(0)
    losses = []
    for _step in range(150):
        x, y = get_batch(gen)
        loss = F.cross_entropy(model(x).reshape(-1, V), y.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, sum(losses[-30:]) / 30


# The character after a window, from the window only: about 600 windows, 7 apart.
starts = torch.arange(0, len(val_ids) - CONTEXT, 7)
windows = val_ids[starts.unsqueeze(1) + torch.arange(CONTEXT + 1)]  # (611, CONTEXT + 1)


def next_char_loss(model):
    """The loss as generation meets it: the last position's logits, no future to see."""
    with torch.no_grad():
        logits = model(windows[:, :-1].to(device))[:, -1]  # the last position only
        return F.cross_entropy(logits, windows[:, -1].to(device)).item()


# The control: the bigram model of train_text.py, measured on the same targets.
pairs = torch.bincount(train_ids[:-1] * V + train_ids[1:], minlength=V * V)
counts = (pairs + 1).reshape(V, V).float()  # row: the character before, column: the next
log_probs = (counts / counts.sum(dim=1, keepdim=True)).log()
bigram_val = -log_probs[val_x, val_y].mean().item()
bigram_next = -log_probs[windows[:, -2], windows[:, -1]].mean().item()


def moved_by_the_future(model):
    """Change the character at position 10: how far do the logits at positions 0-9 move?"""
    x = val_x[:1].clone()
    changed = x.clone()
    changed[0, 10] = (changed[0, 10] + 1) % V
    with torch.no_grad():
        before, after = model(x.to(device))[0, :10], model(changed.to(device))[0, :10]
    return (before - after).abs().max().item()


def greedy(model, prompt, length=50):
    ids = torch.tensor([[stoi[c] for c in prompt]], device=device)
    with torch.no_grad():
        for _ in range(length):
            next_id = model(ids[:, -CONTEXT:])[0, -1].argmax()
            ids = torch.cat([ids, next_id.view(1, 1)], dim=1)
    return "".join(chars[i] for i in ids[0].tolist())


right, right_train_loss = train(causal=True)
wrong, wrong_train_loss = train(causal=False)  # the mistake

rows = [  # the last number is the bigram's, where it has one
    ("train loss (mean of the last 30 batches)", right_train_loss, wrong_train_loss),
    ("val loss, every position of a window", val_loss(right), val_loss(wrong), bigram_val),
    (
        "val loss, the character after a window",
        next_char_loss(right),
        next_char_loss(wrong),
        bigram_next,
    ),
    ("position 10 changed: 0-9 move by", moved_by_the_future(right), moved_by_the_future(wrong)),
]
print(f"{'':40} {'causal mask':>11} {'no mask':>9} {'bigram':>8}")
for name, *numbers in rows:
    print(f"{name:40} {numbers[0]:11.4f} {numbers[1]:9.4f}", end="")
    print(f" {numbers[2]:8.4f}" if len(numbers) == 3 else "")

print("\ngreedy, causal mask:", repr(greedy(right, "The data")))
print("greedy, no mask:    ", repr(greedy(wrong, "The data")))

# Careful: F.scaled_dot_product_attention reads a boolean mask the other way round (True
# where a query may look), and given nn.MultiheadAttention's `future` triangle it raises
# nothing. With equal scores and the identity as values, each output row is a row of weights.
future = torch.triu(torch.ones(4, 4, dtype=torch.bool), diagonal=1)
zeros = torch.zeros(1, 4, 8)
weights = F.scaled_dot_product_attention(zeros, zeros, torch.eye(4)[None], attn_mask=future)
print("\nthe `future` triangle passed to F.scaled_dot_product_attention, weights per query:")
for query, row in enumerate(weights[0].tolist()):
    print(f"  position {query}: " + " ".join(f"{w:.2f}" for w in row))
