# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # A tiny transformer
#
# This lab puts Part III together. You build a small **decoder-only transformer**, a
# stack of blocks of causal self-attention that reads a sequence and predicts, at
# every position, the token that comes next. You train it on real English text, one
# character at a time, and then look at what it learned in three ways:
#
# - the **learning curves**: the loss on the training and validation text as training
#   goes on, against three yardsticks: a uniform guess, character frequencies and a
#   bigram model;
# - the **attention weights** of one head, as a heat map over a short string: where
#   each character looks, and what the causal mask forbids;
# - **samples**: text the model writes itself, greedily and at three temperatures.
#
# It puts together what [Text as tensors](../../text-as-tensors/),
# [Attention from scratch](../../attention/),
# [A transformer, block by block](../../transformers/) and
# [Generating text](../../generating-text/) built piece by piece.

# %%
import math
import re
from importlib.resources import files

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)
# One CPU thread: torch splits a long sum among its threads, so their number moves the
# last digits, and training grows them into other losses and samples (see Reproducibility).
torch.set_num_threads(1)

# %% tags=["remove-cell"]
# Figure style, left out of the page: transparent figures with mid-grey text and
# axes read well on a light and a dark background.
GREY = "#777777"
plt.rcParams.update(
    {
        "figure.facecolor": "none",
        "axes.facecolor": "none",
        "savefig.facecolor": "none",
        "text.color": GREY,
        "axes.labelcolor": GREY,
        "axes.edgecolor": GREY,
        "xtick.color": GREY,
        "ytick.color": GREY,
        "grid.color": GREY,
        "grid.alpha": 0.3,
        "legend.frameon": False,
    }
)
BLUE, ORANGE = "#42a5f5", "#f4511e"

# %% [markdown]
# ## The text
#
# The model needs text, and nothing may be downloaded. scikit-learn ships a
# description of each of its data sets in the folder `sklearn/datasets/descr/` of the
# package, written in reStructuredText: plain text with a little markup, such as a row
# of dashes under a title and fields written `:Name: value`. The files are part of
# scikit-learn and come under its licence, the
# [BSD 3-Clause licence](https://github.com/scikit-learn/scikit-learn/blob/main/COPYING).
# The book's own runs use scikit-learn 1.9.1 (`pip install scikit-learn==1.9.1` gives
# the same text). Another version may ship other descriptions, and then every number
# below comes out different.
#
# `importlib.resources.files` finds a package's folder wherever it is installed. The
# cell joins all the `.rst` files in the order of their names into one string.

# %%
descr = files("sklearn.datasets") / "descr"
names = sorted(path.name for path in descr.iterdir() if path.name.endswith(".rst"))
text = "".join((descr / name).read_text(encoding="utf-8") for name in names)
print(f"{len(names)} files, {len(text)} characters")
print("\n".join(text.splitlines()[:8]))  # the first 8 lines

# %% [markdown]
# ## Characters, ids, and a validation part
#
# The model reads characters, as in [Text as tensors](../../text-as-tensors/): the
# vocabulary is the sorted set of the characters of the text, and `encode` and
# `decode` turn a string into ids and back.
#
# The last 10% of the text is held out as the **validation** part. The model never
# trains on it, so its loss there says how well the model predicts text it has not
# seen. Since the files are joined in order, that part is the end of one file and the
# whole of the last one, printed below.

# %%
chars = sorted(set(text))
stoi = {ch: i for i, ch in enumerate(chars)}
itos = {i: ch for ch, i in stoi.items()}
vocab_size = len(chars)


def encode(s):
    return [stoi[ch] for ch in s]


def decode(ids):
    return "".join(itos[i] for i in ids)


data = torch.tensor(encode(text))
split = int(0.9 * len(data))
train_ids, val_ids = data[:split], data[split:]
print("vocabulary size:", vocab_size)
print("training characters:", len(train_ids), "| validation characters:", len(val_ids))

start = 0
for name in names:
    size = len((descr / name).read_text(encoding="utf-8"))
    if start + size > split:
        print(f"validation: {min(start + size - split, size)} of the {size} characters of {name}")
    start += size

# %% [markdown]
# ## What the model learns from
#
# A training example is a **window** of the text. With a **context** of 32 characters,
# a window of 33 consecutive ids gives the input `x` (the first 32) and the target `y`
# (the last 32, the same characters shifted by one). At every position the target is
# the next character, so one window holds 32 predictions: from 1 character of context
# at the first position to 32 at the last.
#
# `windows` draws `count` windows at random starting points. Adding the offsets
# `0, 1, ..., 32` to a column of starting points makes a `(count, 33)` table of
# positions, and indexing the ids with it reads all the windows at once. A seeded
# `torch.Generator` makes the draw the same on every run.

# %%
CONTEXT = 32
offsets = torch.arange(CONTEXT + 1)


def windows(ids, count, generator):
    starts = torch.randint(len(ids) - CONTEXT, (count,), generator=generator)
    rows = ids[starts.unsqueeze(1) + offsets]
    return rows[:, :-1], rows[:, 1:]


x, y = windows(train_ids, 1, torch.Generator().manual_seed(0))
print("x:", repr(decode(x[0].tolist())))
print("y:", repr(decode(y[0].tolist())))

# %% [markdown]
# ## The model
#
# Three classes, from the inside out:
#
# - `CausalSelfAttention` is the multi-head attention of
#   [Attention from scratch](../../attention/), written by hand: one `nn.Linear` makes
#   the queries, keys and values, reshapes split them into 4 heads, and a causal mask
#   (`torch.triu` above the diagonal, filled with `-inf`) keeps each position from
#   seeing the ones after it. It keeps its last attention weights in `self.weights`,
#   so that we can draw them later.
# - `Block` is a **pre-norm** block: it normalises its input with `nn.LayerNorm`
#   before the attention and before the MLP, and adds what each one returns to its
#   input: `x + attn(ln1(x))`, then `x + mlp(ln2(x))`. The additions are the
#   **residual** connections. The MLP widens each position's vector to 4 times its
#   width (from 64 to 256 numbers), applies `nn.GELU` (a smooth cousin of ReLU) and
#   narrows it back to 64.
# - `TinyTransformer` adds a learned **position embedding** (one vector per position
#   0 to 31, an `nn.Embedding` over positions) to each character's embedding, since
#   attention by itself hardly sees where each character stands (only its causal
#   mask gives a hint; see A transformer, block by block). It runs 2 blocks,
#   normalises once more and maps every position to 92 logits with a linear **head**:
#   one score for each character of the vocabulary.
#
# The cell also asks the untrained model about the window above. The **uniform guess**
# gives each of the 92 characters the same probability, 0.0109, and its cross-entropy
# is `-ln(1/92) = ln(92)`: the loss of a model that knows nothing. The untrained model
# knows nothing either, but its probabilities are uneven, from 0.0013 to 0.0787, set
# by its random initial weights rather than by the text.


# %%
class CausalSelfAttention(nn.Module):
    def __init__(self, d_model, heads, context):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.out = nn.Linear(d_model, d_model)
        future = torch.triu(torch.ones(context, context, dtype=torch.bool), diagonal=1)
        self.register_buffer("future", future, persistent=False)

    def forward(self, x):
        batch, seq, d_model = x.shape
        d_head = d_model // self.heads
        # (batch, seq, 3 * d_model) -> queries, keys and values of (batch, heads, seq, d_head)
        q, k, v = self.qkv(x).reshape(batch, seq, 3, self.heads, d_head).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-2, -1) / math.sqrt(d_head)
        scores = scores.masked_fill(self.future[:seq, :seq], float("-inf"))
        weights = scores.softmax(dim=-1)
        self.weights = weights.detach()  # (batch, heads, seq, seq), for the heat map
        out = (weights @ v).permute(0, 2, 1, 3).reshape(batch, seq, d_model)
        return self.out(out)


class Block(nn.Module):
    def __init__(self, d_model, heads, context):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = CausalSelfAttention(d_model, heads, context)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(
            nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model)
        )

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class TinyTransformer(nn.Module):
    def __init__(self, vocab_size, d_model=64, heads=4, blocks=2, context=CONTEXT):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab_size, d_model)
        self.position_embedding = nn.Embedding(context, d_model)
        self.blocks = nn.ModuleList(Block(d_model, heads, context) for _ in range(blocks))
        self.ln_f = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size)

    def forward(self, ids):
        positions = torch.arange(ids.shape[1])
        x = self.token_embedding(ids) + self.position_embedding(positions)
        for block in self.blocks:
            x = block(x)
        return self.head(self.ln_f(x))


model = TinyTransformer(vocab_size)
print("parameters:", sum(p.numel() for p in model.parameters()))
with torch.no_grad():
    probs = model(x).softmax(dim=-1)
print(f"untrained: probabilities from {probs.min():.4f} to {probs.max():.4f}")
print(f"uniform guess: 1/{vocab_size} = {1 / vocab_size:.4f}")
print(f"its loss: ln({vocab_size}) = {math.log(vocab_size):.4f}")

# %% [markdown]
# ## Training
#
# Each step trains on a batch of 32 random windows of the training part, with `AdamW`
# from [Regularisation and stable training](../../regularisation/). Every 25 steps,
# `evaluate` measures the loss on the whole validation part and on every 9th window of
# the training part. `all_windows` cuts a part into consecutive windows that overlap
# by one character, so that every character after the first (but for the last few,
# that fill no window) is a target exactly once: 1210 windows of the training part and
# 134 of the validation part. To save time, the training loss uses only every 9th
# window, 135 windows spread evenly over the part. No window is drawn at random, so the
# points of a curve differ only because the model changed.
# `evaluate` runs in `eval()` mode and under `torch.no_grad()`.
#
# The loss is the cross-entropy over all 32 positions of every window: the logits of
# shape `(batch, 32, 92)` and the targets of shape `(batch, 32)` are flattened into
# `batch * 32` predictions of one character each.
#
# The numbers on this page come from one run on a CPU; the lab never moves the model or
# the data to a GPU. Another CPU, another number of threads or another build of torch
# adds the same numbers in another order, so the losses you get can differ in the last
# digits.


# %%
def all_windows(ids):
    """The part cut into consecutive windows: window k holds the ids 32k to 32k + 32."""
    count = (len(ids) - 1) // CONTEXT
    rows = ids[torch.arange(count).unsqueeze(1) * CONTEXT + offsets]
    return rows[:, :-1], rows[:, 1:]


train_x, train_y = all_windows(train_ids)
# The training part is 9 times longer: every 9th window, spread evenly over it, stands in for it.
eval_sets = {"train": (train_x[::9], train_y[::9]), "validation": all_windows(val_ids)}
print({name: tuple(x.shape) for name, (x, y) in eval_sets.items()})


def loss_of(model, x, y):
    logits = model(x)
    return F.cross_entropy(logits.reshape(-1, vocab_size), y.reshape(-1))


def evaluate(model):
    model.eval()
    with torch.no_grad():
        losses = {name: loss_of(model, x, y).item() for name, (x, y) in eval_sets.items()}
    model.train()
    return losses


def train(model, steps, every=25):
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)
    generator = torch.Generator().manual_seed(0)
    history = {0: evaluate(model)}
    for step in range(1, steps + 1):
        x, y = windows(train_ids, 32, generator)
        loss = loss_of(model, x, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % every == 0:
            history[step] = evaluate(model)
    return history


history = train(model, steps=400)
for step in (0, 100, 200, 300, 400):
    losses = history[step]
    print(f"step {step:4d}: train {losses['train']:.4f}, validation {losses['validation']:.4f}")

# %% [markdown]
# ## Learning curves
#
# Three yardsticks tell whether a loss is good. The first is `ln(92)`, printed above:
# the loss of the uniform guess, a model that knows nothing. The other two need no
# training, only counting in the training part:
#
# - **character frequencies**: every character gets the probability of how often it
#   occurs, whatever came before it;
# - a **bigram model** predicts each character from the one just before it and nothing
#   else, with the frequencies of the pairs of characters.
#
# A pair that never occurs in the training part would get the probability 0, and an
# infinite loss the first time it turns up in the validation part. So every count gets
# a small number `alpha` added. How small matters: adding 1 to each of the 92 counts
# of a row drowns the real counts of a rare character. The cell chooses `alpha` on the
# training part alone: it counts the pairs of the first 90% of that part and keeps the
# `alpha` that predicts the last 10% best. The validation part has no say in the
# choice.
#
# The two yardsticks are scored on exactly the predictions the transformer's
# validation loss is measured on: the targets `y` of the 134 validation windows, each
# after its character `x`.


# %%
def log_frequencies(counts, alpha):
    """Log-probabilities from counts, with `alpha` added to every count (the last dim)."""
    counts = counts.float() + alpha
    return (counts / counts.sum(dim=-1, keepdim=True)).log()


def pair_counts(ids):
    """counts[a, b]: how often character b follows character a in ids."""
    pairs = torch.bincount(ids[:-1] * vocab_size + ids[1:], minlength=vocab_size**2)
    return pairs.reshape(vocab_size, vocab_size)


# Choose alpha on the training part alone: count the pairs of its first 90%, and score
# each alpha on the pairs of its last 10%.
cut = int(0.9 * len(train_ids))
fit, check = train_ids[:cut], train_ids[cut:]
scores = {}
for alpha in (1, 0.3, 0.1, 0.03, 0.01):
    scores[alpha] = -log_frequencies(pair_counts(fit), alpha)[check[:-1], check[1:]].mean().item()
    print(f"alpha {alpha}: loss {scores[alpha]:.4f} on the last 10% of the training part")
alpha = min(scores, key=scores.get)
print("chosen alpha:", alpha)

# The yardsticks, counted on the whole training part and scored on the same validation
# targets as the transformer: y of every validation window, after the character x.
val_x, val_y = eval_sets["validation"]
char_counts = torch.bincount(train_ids, minlength=vocab_size)
unigram_loss = -log_frequencies(char_counts, alpha)[val_y].mean().item()
bigram_loss = -log_frequencies(pair_counts(train_ids), alpha)[val_x, val_y].mean().item()
add_one_loss = -log_frequencies(pair_counts(train_ids), 1)[val_x, val_y].mean().item()
print(f"validation loss: character frequencies alone {unigram_loss:.4f}")
print(f"                 bigram model, alpha {alpha}: {bigram_loss:.4f}")
print(f"                 bigram model, alpha 1: {add_one_loss:.4f}")

# %% [markdown]
# `alpha` 0.1 predicts the held-back end of the training part best. With it the bigram
# model scores 2.66 on the validation targets; with `alpha` 1 it scores 2.72, so the
# heavy smoothing alone costs 0.06. Character frequencies alone score 3.45: knowing
# which characters are common takes the loss from 4.52 to 3.45, and knowing the last
# character takes it on to 2.66. A transformer that beats 2.66 predicts better than
# these counts of pairs. That alone does not prove that it uses more than the last
# character, and this lab does not test it: the exercise at the end switches heads
# off, which shows what they do, not what the model reads.
#
# The curves start at 4.65 (training) and 4.64 (validation), a little above
# `ln(92)`, 4.52, not at it. The untrained model's uneven probabilities are the reason:
# a guess that is uneven at random, not because of the text, costs more on average
# than the even one.
#
# Both losses then fall fast. The cell below prints that the validation loss is below
# both bigram models at every step after step 50. After 400 steps it is 2.08, well
# below the bigram model's 2.66.
#
# The validation loss covers the whole validation part, so it holds no luck of a
# draw. The training loss uses every 9th window. At step 400 it is 1.72 there and 1.71
# on all 1210 windows, so there leaving out the other windows moves it by about 0.01.
# That is the only step the cell checks, so read the small differences between the
# two curves as rough.
#
# The gap, validation minus training, is -0.01 at step 0, 0.12 at steps 50 and 100,
# 0.18 at step 200, 0.26 at step 300 and 0.36 at step 400. A positive gap means that
# the model predicts the text it trained on better than text it has never seen. Part
# of that can come from the two texts differing, the last 10% of the file against
# the rest; what shows the model fitting its training text is the gap growing: it is
# the same at steps 50 and 100, and from step 200 on it grows.
#
# Near the end the validation loss does not fall evenly: it rises from 2.15 at step
# 275 to 2.18 at step 325, then falls again, to 2.08 at step 400. Over-fitting, as
# [Regularisation and stable training](../../regularisation/) defines it, would show
# as a validation loss that turns upward and stays up; here it still falls at the
# end, so training longer could still help for a while.

# %%
# figure: Learning curves of the tiny transformer over 400 steps. The cross-entropy loss
#   on every 9th window of the training part (blue) and on the whole validation part
#   (orange), measured every 25 steps. Both start at 4.65 and 4.64, just above a dashed
#   line at ln(92) = 4.52, the uniform guess, and drop steeply, through a dash-dotted
#   line at 3.45, character frequencies. After step 50 the validation curve is below a
#   dotted line at 2.66, the bigram model. After step 0, where it is 0.01 below, the
#   validation curve runs above the training curve, 0.12 apart at steps 50 and 100,
#   and from step 200 on the two part further:
#   the validation curve rises a little from step 275 to 325 and falls again; after
#   400 steps the training loss is 1.72 and the validation loss 2.08.
steps = list(history)
train_curve = [history[step]["train"] for step in steps]
val_curve = [history[step]["validation"] for step in steps]
for name, level in ((f"alpha {alpha}", bigram_loss), ("alpha 1", add_one_loss)):
    last_above = max(step for step in steps if history[step]["validation"] >= level)
    print(f"validation loss below the bigram model's ({name}) at every step after {last_above}")
for step in (0, 50, 100, 200, 300, 400):
    gap = history[step]["validation"] - history[step]["train"]
    print(f"step {step}: validation minus training loss = {gap:.2f}")
late = [f"{history[step]['validation']:.2f}" for step in steps if step >= 250]
print("validation loss at steps 250, 275, ..., 400:", ", ".join(late))
with torch.no_grad():
    whole = loss_of(model, train_x, train_y).item()
print(f"step 400, training loss on all 1210 windows: {whole:.4f}")
print(f"                        on every 9th window: {history[400]['train']:.4f}")

fig, ax = plt.subplots(figsize=(7, 3.8))
ax.plot(steps, train_curve, color=BLUE, linewidth=2, label="training")
ax.plot(steps, val_curve, color=ORANGE, linewidth=2, label="validation")
uniform_loss = math.log(vocab_size)
ax.axhline(uniform_loss, color=GREY, linestyle="--", linewidth=1)
ax.text(steps[-1], uniform_loss, f"ln({vocab_size}): uniform guess", ha="right", va="bottom")
ax.axhline(unigram_loss, color=GREY, linestyle="-.", linewidth=1)
ax.text(steps[-1], unigram_loss, "character frequencies", ha="right", va="bottom")
ax.axhline(bigram_loss, color=GREY, linestyle=":", linewidth=1)
ax.text(steps[-1], bigram_loss, "bigram model", ha="right", va="bottom")
ax.set_xlabel("step")
ax.set_ylabel("cross-entropy loss")
ax.grid(True)
ax.legend(loc="upper right", bbox_to_anchor=(1, 0.88))
fig.tight_layout()
plt.show()

# %% [markdown]
# ## What one head looks at
#
# Each block has 4 heads, and each head has its own attention weights: for every
# position (the **query**), how much it takes from each position it may see (the
# **keys**). Training decides what each head looks for. The first cell below measures
# it for all 8 heads on the 134 validation windows, with three numbers per head: the
# mean weight a position gives to itself, to the character just before it, and to the
# one two before. The untrained model, built again from the same seed, is the control.
#
# The untrained heads all look alike: about 0.10 on the character before, the 0.10
# that spreading the weight evenly over the visible positions would give (the first
# line). After training, head 0 of block 0 has one job: it puts 0.96 of its weight on
# the character just before and only 0.04 on the character itself, and most of that
# 0.04 is the first position, which can only look at itself: its weight of 1 alone
# adds 1/32 = 0.03 to the mean over the 32 positions. Heads 1 and 2 of
# the same block lean two characters back (0.31 and 0.40). The heads of block 1 put at
# most 0.18 on any of the three, and their three add up to less than a half: most of
# their weight goes further back, to positions the table does not show.
#
# A head that looks at the character before hands each position a copy of that
# character's value. After block 0, each position carries its own character, the one
# before it (from head 0) and part of the one before that (from heads 1 and 2), so the
# layers above can predict from more than one character.


# %%
def attention_weights(model, x):
    """The attention weights of every block for ids x: (blocks, batch, heads, seq, seq)."""
    model.eval()
    with torch.no_grad():
        model(x)
    return torch.stack([block.attn.weights for block in model.blocks])


def weight_back(weights, back):
    """Per head: the mean weight a position gives the position `back` steps before it."""
    return weights.diagonal(-back, dim1=-2, dim2=-1).mean(dim=(0, -1))


# Spread evenly, position i gives 1 / (i + 1) to each position it sees (positions 1 to 31
# have a character before them).
print(f"spread evenly: {(1 / torch.arange(2, CONTEXT + 1)).mean():.2f} on the character before")
torch.manual_seed(0)
untrained = TinyTransformer(vocab_size)
for name, net in (("trained", model), ("untrained", untrained)):
    weights = attention_weights(net, val_x)
    print(f"{name}, mean weight on the character itself / 1 before / 2 before:")
    for b, block_weights in enumerate(weights):
        same, one, two = (weight_back(block_weights, back) for back in (0, 1, 2))
        heads = [f"{same[h]:.2f} / {one[h]:.2f} / {two[h]:.2f}" for h in range(len(same))]
        print(f"  block {b}: " + " | ".join(f"head {h}: {w}" for h, w in enumerate(heads)))

# %% [markdown]
# The heat map below draws head 0 of block 0 for one string, "Number of Instances: 150".
# Each row is a query, the character doing the looking, and holds its weights over the
# keys, the characters of the columns.
#
# The triangle above the diagonal is the causal mask: there `masked_fill` put `-inf`
# into the scores, and the softmax turned them into weights of exactly 0. The cell
# prints their total, 0.0000, and checks that every row still sums to 1. The first
# row has a single allowed cell: the first character can only look at itself, with a
# weight of 1.00.
#
# Below the diagonal the head does its job: a dark line just under the diagonal, each
# character looking at the one before it, with 0.96 on average on this string. The
# weakest, 0.72 in this run, is the 1 of 150 looking at the space before it.

# %%
# figure: Attention weights of head 0 of block 0 on the string Number of Instances: 150. A 24
#   by 24 heat map with the characters of the string on both axes (spaces drawn as an
#   open box), the query on the vertical axis and the key on the horizontal one; the
#   colour runs from white for 0 to dark orange for 1. The triangle above the diagonal,
#   where the causal mask allows no weight, is grey. The top-left cell, the first
#   character looking at itself, is 1.00. Below the diagonal almost everything is white,
#   and a dark line runs just under it: each character looks at the one before it, 0.96
#   on average. The palest cell of that line, 0.72, is the 1 of 150 looking at the space
#   before it.
string = "Number of Instances: 150"
head = attention_weights(model, torch.tensor([encode(string)]))[0, 0, 0]
print(f"weight above the diagonal: {head.triu(diagonal=1).sum():.4f}")
print("every row sums to 1:", torch.allclose(head.sum(dim=-1), torch.ones(len(string))))
print(f"{string[0]!r}, the first character, on itself: {head[0, 0]:.2f}")
before = head.diagonal(-1)  # before[i]: the weight that character i + 1 gives character i
print(f"mean weight on the character before: {before.mean():.2f}")
i = before.argmin().item()
print(f"lowest: {before[i]:.2f}, from {string[i + 1]!r} (position {i + 1}) to {string[i]!r}")

labels = [ch if ch != " " else "␣" for ch in string]  # a space, made visible
fig, ax = plt.subplots(figsize=(5.6, 5.2))
# The masked cells hold 0 like any small weight: drawn as nan, in grey, they stand out.
masked = head.masked_fill(model.blocks[0].attn.future[: len(string), : len(string)], torch.nan)
image = ax.imshow(masked, cmap=plt.colormaps["Oranges"].with_extremes(bad=GREY), vmin=0, vmax=1)
ax.set_xticks(range(len(string)), labels)
ax.set_yticks(range(len(string)), labels)
ax.set_xlabel("key: the character looked at")
ax.set_ylabel("query: the character looking")
ax.set_title("Block 0, head 0")
fig.colorbar(image, ax=ax, shrink=0.8, label="attention weight")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Samples
#
# To write text, the model starts from a **prompt** and repeats one step: predict the
# next character from the last 32 (`ids[:, -CONTEXT:]`, the most it can see), choose
# one, append it. How to choose is the question:
#
# - **greedy**: always the most likely character, `argmax`;
# - **sampling**: draw a character at random with the model's probabilities, with
#   [`torch.multinomial`](https://docs.pytorch.org/docs/stable/generated/torch.multinomial.html)
#   and a seeded `torch.Generator`. The seed fixes the random numbers, not the text:
#   the characters they pick depend on the model's probabilities, and those differ in
#   the last digits on another machine (see Training). A small difference can tip one
#   choice, and every character after it changes, so your samples and the counts below
#   will differ from the ones of this run;
# - **temperature**: before the softmax, divide the logits by a number `T`. Below 1 it
#   makes large logits stand out more and sharpens the probabilities; above 1 it
#   flattens them. `T = 1` leaves them as the model gives them.
#
# The first cell shows temperature on one prediction. After "Number of Instanc" the
# model gives "e" 0.74 as it is; temperature 0.5 raises that to 0.98, and temperature
# 1.5 lowers it to 0.46, giving the other characters more of a chance. It also prints
# how much probability the 87 characters outside the top 5 hold together: 0.001 at
# temperature 0.5, 0.078 at 1.0 and 0.268 at 1.5.


# %%
def generate(model, prompt, length, temperature, generator, count=8):
    """`count` continuations of `prompt`, one character at a time; temperature 0 is greedy."""
    ids = torch.tensor([encode(prompt)] * count)
    model.eval()
    with torch.no_grad():
        for _ in range(length):
            logits = model(ids[:, -CONTEXT:])[:, -1]  # the last position predicts what comes next
            if temperature == 0:
                next_ids = logits.argmax(dim=-1, keepdim=True)
            else:
                probs = (logits / temperature).softmax(dim=-1)
                next_ids = torch.multinomial(probs, 1, generator=generator)
            ids = torch.cat([ids, next_ids], dim=1)
    return [decode(row.tolist()) for row in ids]


context = "Number of Instanc"
with torch.no_grad():
    logits = model(torch.tensor([encode(context)]))[0, -1]
for temperature in (0.5, 1.0, 1.5):
    values, indices = (logits / temperature).softmax(dim=-1).topk(5)
    top_3 = ", ".join(f"{itos[indices[j].item()]!r} {values[j]:.2f}" for j in range(3))
    rest = 1 - values.sum()  # the 87 characters outside the top 5, together
    print(f"after {context!r}, temperature {temperature}: {top_3} | all but the top 5: {rest:.3f}")

# %% [markdown]
# Each line of the next cell measures samples by their words: how many different
# words they write, and what share of the words is **known**, that is, occurs as a
# word somewhere in the training text. Only runs of 3 or more letters count as words
# here. A single letter proves little: the cell prints that 35 of the 51 letters of
# the vocabulary occur on their own in the training text, so a stray letter would
# often count as known.
#
# The yardstick is real text the model never trained on: 63% of the words of the
# validation part are known. Each temperature draws 40 samples. The cell prints the
# share for all 40 and for each of 5 groups of 8: the spread between the groups shows
# how much of a share is chance. In this run:
#
# - **Greedy** decoding has no randomness, so one sample is all there is. It falls
#   into a loop: 42 words, only 3 different ones, "the fold fold from the fold ...".
#   Always taking the likeliest character leads back to the same place.
# - At **temperature 0.5**, 53% of the words are known, and 49% to 58% in each group,
#   not far below the 63% of the validation text: common words ("the", "set",
#   "values", "features") with invented ones in between.
# - At **1.0** the share falls to 17%, and to 12% to 19% in the groups: far below 0.5
#   in every group. The model's own probabilities, no longer sharpened, let unlikely
#   characters in (0.078 outside the top 5 in the example above), and words come out
#   misspelled.
# - At **1.5** it is 5%, with groups from 2% to 6%. Each group is below the same group
#   at 1.0, by 6 points or more (6% against 12%).
#
# The first samples at 1.0 and 1.5 both begin "The NI": both come from a generator
# seeded with 0, so they draw the same random numbers, and `torch.multinomial` can turn
# the same random numbers into the same character at both temperatures, until one
# choice differs and the two texts part. None of the samples reads as English: the
# greedy one loops on a few words, and the higher the temperature, the fewer of the
# text's words and the more invented ones (the shares above). That is as far as a
# model of 114012 parameters gets in 400 steps on 38748 characters.

# %%
train_words = set(re.findall(r"[A-Za-z]+", decode(train_ids.tolist())))


def words_of(samples, prompt="The "):
    """The words of 3 or more letters that the samples wrote after the prompt."""
    return [w for s in samples for w in re.findall(r"[A-Za-z]{3,}", s[len(prompt) :])]


def known_share(words):
    """The share of the words that occur in the training text."""
    return sum(word in train_words for word in words) / len(words)


# Why single letters are left out: many of them occur on their own in the training text.
letters = [ch for ch in chars if ch.isascii() and ch.isalpha()]
short = sum(ch in train_words for ch in letters)
print(f"single letters that occur as words in the training text: {short} of {len(letters)}")
# The yardstick: the words of real text that the model never trained on.
val_known = known_share(words_of([decode(val_ids.tolist())], prompt=""))
print(f"the validation text: {val_known:.0%} known")
samples = generate(model, "The ", 200, 0, None, count=1)  # greedy: no randomness, one sample
words = words_of(samples)
known = known_share(words)
print(f"--- greedy: {len(words)} words, {len(set(words))} different, {known:.0%} known")
print(samples[0])
for temperature in (0.5, 1.0, 1.5):
    # 40 samples in one batch; 5 groups of 8 show how much a share varies by chance.
    samples = generate(model, "The ", 200, temperature, torch.Generator().manual_seed(0), count=40)
    words = words_of(samples)
    groups = [f"{known_share(words_of(samples[g : g + 8])):.0%}" for g in range(0, 40, 8)]
    print(f"--- temperature {temperature}, 40 samples:", len(words), "words,", end=" ")
    print(len(set(words)), "different")
    print(f"    known: {known_share(words):.0%}; in each group of 8 samples: {', '.join(groups)}")
    print(samples[0])

# %% [markdown]
# ## Exercise
#
# The table says that head 0 of block 0 looks at the character before. Does the model
# need it? Find out by switching off one head at a time and measuring the loss.
#
# A head's output reaches the rest of the model only through the attention's output
# layer, `attn.out`. Its input is the 4 heads' outputs side by side, so columns
# `16 * h` to `16 * h + 15` of `attn.out.weight` are the ones that read head `h`. Set
# those columns to zero under `torch.no_grad()`, call `evaluate(model)`, and put the
# columns back. Do it for each of the 8 heads, and compare with the intact model. Which
# head does the model miss most, and how does the validation loss without it compare
# with the bigram model's?

# %% tags=["solution"]
intact = evaluate(model)
print(f"intact model:       train {intact['train']:.4f}, validation {intact['validation']:.4f}")
d_head = 64 // 4  # d_model // heads: each head hands on 16 numbers
for b, block in enumerate(model.blocks):
    weight = block.attn.out.weight
    for h in range(4):
        columns = slice(h * d_head, (h + 1) * d_head)  # where head h enters attn.out
        saved = weight[:, columns].clone()
        with torch.no_grad():
            weight[:, columns] = 0
        losses = evaluate(model)
        with torch.no_grad():
            weight[:, columns] = saved
        rise = losses["validation"] - intact["validation"]
        print(
            f"block {b}, head {h} off: train {losses['train']:.4f}, "
            f"validation {losses['validation']:.4f} ({rise:+.4f})"
        )
print(f"all heads back on:  validation {evaluate(model)['validation']:.4f}")
print(f"bigram model:       validation {bigram_loss:.4f} (alpha {alpha})")
print(f"                    validation {add_one_loss:.4f} (alpha 1)")

# %% [markdown] tags=["solution"]
# The intact model is the control: 2.08 on the validation part, and 2.08 again once
# every head is back on, so the experiment leaves the model as it found it.
#
# Without head 0 of block 0 the validation loss rises by 0.68, to 2.76, and the
# training loss rises from 1.72 to 2.50. Every other head costs 0.06 at most, and head
# 1 of block 1 almost nothing (0.0033). The head of the heat map is the one the model
# needs most. Without it the model predicts worse even than the bigram model: 2.76
# against 2.66, and against 2.72 for the bigram model with `alpha` 1. Yet it still has
# what the bigram model uses, each position's own character, which reaches the layers
# above through the residual connections. What it lost is what the head handed on,
# mostly the character before. So the rise above the bigram model's loss does not mean
# that the model lost the character the bigram model sees: it means that the layers
# above were trained to rely on that head, and do worse when it falls silent.

# %% [markdown]
# ## Try it yourself
#
# - Train for 800 steps instead of 400 and redraw the learning curves. Does the
#   validation loss keep falling, and what happens to the gap?
# - Give the model a third block (`blocks=3`). Does its validation loss after 400
#   steps fall below the 2-block model's? Train each with three or more seeds: one
#   run of each cannot tell a small difference from the seed's. A longer context
#   (`CONTEXT = 64`) is harder to compare: each batch of 32 windows then holds twice
#   as many predictions, and the validation loss averages over positions with up to
#   63 characters before them, so it changes even for the same model. Halve the
#   batch to keep the characters per step the same.
# - Add top-k sampling, from [Generating text](../../generating-text/), to
#   `generate`, and compare `known_share` at temperature 1.5 with and without it.
