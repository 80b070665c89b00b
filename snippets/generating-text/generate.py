import importlib.resources

import sklearn.datasets
import torch
import torch.nn.functional as F
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

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


torch.manual_seed(0)
model = TinyGPT(V).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=0.01)
gen = torch.Generator().manual_seed(0)
for _step in range(150):  # the training of train_text.py, without the printing
    x, y = get_batch(gen)
    loss = F.cross_entropy(model(x).reshape(-1, V), y.reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print(f"trained as in train_text.py, val loss {val_loss(model):.4f}")


def next_scores(ids):
    """The scores for the character after ids, from its last CONTEXT characters."""
    with torch.no_grad():
        return model(ids[:, -CONTEXT:])[0, -1]  # the last position's logits: (V,)


def generate(prompt, length, temperature=0.0, top_k=None, generator=None):
    """Extend the prompt by length characters, one at a time."""
    ids = torch.tensor([[stoi[c] for c in prompt]], device=device)
    for _ in range(length):
        logits = next_scores(ids)
        if temperature == 0:  # greedy: always the most likely character
            next_id = logits.argmax()
        else:
            logits = logits / temperature
            if top_k is not None:  # keep the k best, drop the rest
                kth_best = torch.topk(logits, top_k).values[-1]
                logits = logits.masked_fill(logits < kth_best, float("-inf"))
            probs = torch.softmax(logits, dim=-1).cpu()  # the generator draws on the CPU
            next_id = torch.multinomial(probs, 1, generator=generator)
        ids = torch.cat([ids, next_id.view(1, 1).to(device)], dim=1)
    return "".join(chars[i] for i in ids[0].tolist())


def show(name, sample):
    print(f"{name:22} {sample!r}")  # !r shows a line break as \n


prompt = "The data"
ids = torch.tensor([[stoi[c] for c in prompt]], device=device)
logits = next_scores(ids)
print(f"\nafter {prompt!r}, the five likeliest next characters")
for temperature in (0.5, 1.0, 1.5):
    probs = torch.softmax(logits / temperature, dim=-1)
    values, indices = torch.topk(probs, 5)  # the 5 largest, and where they are
    top = zip(values.tolist(), indices.tolist(), strict=True)
    pairs = "  ".join(f"{chars[i]!r} {p:.2f}" for p, i in top)
    print(f"  temperature {temperature}: {pairs}")

print()
show("greedy", generate(prompt, 60))
for temperature in (0.5, 1.0, 1.5):
    sample = generate(prompt, 60, temperature, generator=torch.Generator().manual_seed(0))
    show(f"temperature {temperature}", sample)
sample = generate(prompt, 60, 1.5, top_k=5, generator=torch.Generator().manual_seed(0))
show("temperature 1.5, top-5", sample)
sample = generate(prompt, 60, 1.0, generator=torch.Generator().manual_seed(1))
show("temperature 1.0, seed 1", sample)
sample = generate(prompt, 60, 1.0, generator=torch.Generator().manual_seed(0))
show("temperature 1.0, seed 0", sample)  # the same seed again: the same sample
