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
#   goes on, against two yardsticks, a uniform guess and a bigram model;
# - the **attention weights** of one head, as a heat map over a short string: where
#   each character looks, and what the causal mask forbids;
# - **samples**: text the model writes itself, greedily and at three temperatures.
#
# It puts together what [Text as tensors](../../text-as-tensors/),
# [Attention from scratch](../../attention/) and
# [A transformer, block by block](../../transformers/) built piece by piece.

# %%
import math
import re
from importlib.resources import files

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)

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
# The book pins scikit-learn 1.9.1, so the text is the same on every machine.
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
#   **residual** connections. The MLP widens each position's vector 4 times, applies
#   `nn.GELU` (a smooth cousin of ReLU) and narrows it back.
# - `TinyTransformer` adds a learned **position embedding** (one vector per position
#   0 to 31, an `nn.Embedding` over positions) to each character's embedding, since
#   attention by itself does not see the order of the positions. It runs 2 blocks,
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
# `evaluate` measures the loss on two fixed sets of 128 windows, one from each part,
# drawn once before training. It runs in `eval()` mode and under `torch.no_grad()`, on
# the same windows every time, so the points of a curve differ only because the model
# changed.
#
# The loss is the cross-entropy over all 32 positions of every window: the logits of
# shape `(batch, 32, 92)` and the targets of shape `(batch, 32)` are flattened into
# `batch * 32` predictions of one character each.

# %%
eval_generator = torch.Generator().manual_seed(1)
eval_sets = {
    "train": windows(train_ids, 128, eval_generator),
    "validation": windows(val_ids, 128, eval_generator),
}


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
# Two yardsticks tell whether a loss is good. The first is `ln(92)`, printed above: the
# loss of the uniform guess, where training starts. The second needs no training: a
# **bigram model** predicts each character from the one just before it and nothing
# else, with the frequencies of the pairs of characters in the training part. A
# transformer that only beats the uniform guess has learned which characters are
# frequent; one that beats the bigram model uses more than the last character.

# %%
# The yardstick that needs no training: a bigram model predicts each character from
# the one before it alone, with the frequencies of character pairs in the training
# part. Every count gets 1 added, so that a pair it never saw is not impossible.
pairs = torch.bincount(train_ids[:-1] * vocab_size + train_ids[1:], minlength=vocab_size**2)
bigram = (pairs.reshape(vocab_size, vocab_size) + 1).float()
bigram_log_probs = (bigram / bigram.sum(dim=1, keepdim=True)).log()
bigram_loss = -bigram_log_probs[val_ids[:-1], val_ids[1:]].mean().item()
print(f"bigram model, validation loss: {bigram_loss:.4f}")

# %% [markdown]
# The curves start at 4.65 (training) and 4.63 (validation), a little above
# `ln(92)`, 4.52. The untrained model's uneven probabilities are the reason: a guess
# that is uneven at random, not because of the text, costs more on average than the
# even one.
#
# Both losses then fall fast, and the validation loss is below the bigram model's 2.72
# from step 50 on. After 400 steps it is 2.07: the transformer predicts from more than
# the last character.
#
# Up to step 100 the two curves run together: there the validation loss is even a
# little lower, and the gap, validation minus training, is -0.02. Then they part: the
# training loss keeps falling faster, and the gap grows to 0.10 at step 200 and 0.37
# at step 400. The model learns things about the training text that do not carry over
# to the validation part, which is mostly the description of the wine data, a file it
# has never seen. The validation loss still falls at the
# end (from 2.14 at step 300 to 2.07), so training longer could still help for a
# while. Over-fitting, as [Regularisation and stable training](../../regularisation/)
# defines it, would show as a validation loss that turns upward.

# %%
# figure: Learning curves of the tiny transformer over 400 steps. The cross-entropy loss
#   on the fixed training windows (blue) and validation windows (orange), measured every
#   25 steps. Both start at 4.65 and 4.63, just above a dashed line at ln(92) = 4.52, the
#   uniform guess, and drop steeply; the validation curve is below a dotted line at
#   2.72, the bigram model, from step 50 on. The two curves run together up to step 100,
#   then part: after 400 steps the training loss is 1.70 and the validation loss 2.07.
steps = list(history)
train_curve = [history[step]["train"] for step in steps]
val_curve = [history[step]["validation"] for step in steps]
below = next(step for step in steps if history[step]["validation"] < bigram_loss)
print(f"validation loss below the bigram model's from step {below} on")
for step in (100, 200, 300, 400):
    gap = history[step]["validation"] - history[step]["train"]
    print(f"step {step}: validation minus training loss = {gap:.4f}")

fig, ax = plt.subplots(figsize=(7, 3.8))
ax.plot(steps, train_curve, color=BLUE, linewidth=2, label="training")
ax.plot(steps, val_curve, color=ORANGE, linewidth=2, label="validation")
uniform_loss = math.log(vocab_size)
ax.axhline(uniform_loss, color=GREY, linestyle="--", linewidth=1)
ax.text(steps[-1], uniform_loss, f"ln({vocab_size}): uniform guess", ha="right", va="bottom")
ax.axhline(bigram_loss, color=GREY, linestyle=":", linewidth=1)
ax.text(steps[-1], bigram_loss, "bigram model (validation)", ha="right", va="bottom")
ax.set_xlabel("step")
ax.set_ylabel("cross-entropy loss")
ax.grid(True)
ax.legend(loc="center right")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## What one head looks at
#
# Each block has 4 heads, and each head has its own attention weights: for every
# position (the **query**), how much it takes from each position it may see (the
# **keys**). Training decides what each head looks for. The first cell below measures
# it for all 8 heads on the 128 validation windows, with three numbers per head: the
# mean weight a position gives to itself, to the character just before it, and to the
# one two before. The untrained model, built again from the same seed, is the control.
#
# The untrained heads all look alike: about 0.10 on the character before, the 0.10
# that spreading the weight evenly over the visible positions would give (the first
# line). After training, head 0 of block 0 has one job: it puts 0.95 of its weight on
# the character just before and only 0.04 on the character itself. Head 2 of the same
# block leans two characters back (0.39). The heads of block 1 put at most 0.19 on any
# of the three, and their three add up to less than a half: most of their weight goes
# further back, to positions the table does not show.
#
# A head that looks at the character before hands each position a copy of that
# character's value. After block 0, each position carries its own character and the
# one before it, and the layers above can predict from two characters, not one.


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
val_x = eval_sets["validation"][0]
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
# weakest, 0.72, is the 1 of 150 looking at the space before it.

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
#   and a seeded `torch.Generator`, so the draw is the same on every run;
# - **temperature**: before the softmax, divide the logits by a number `T`. Below 1 it
#   makes large logits stand out more and sharpens the probabilities; above 1 it
#   flattens them. `T = 1` leaves them as the model gives them.
#
# The first cell shows temperature on one prediction. After "Number of Instanc" the
# model gives "e" 0.74 as it is; temperature 0.5 raises that to 0.98, and temperature
# 1.5 lowers it to 0.46, giving the other characters more of a chance. It also prints
# how much probability the 87 characters outside the top 5 hold together: 0.001 at
# temperature 0.5, 0.077 at 1.0 and 0.265 at 1.5.


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
# Each line of the next cell measures the samples by their words (the runs of
# letters): how many of them occur somewhere in the training text, and how many
# different words there are. A real word has a good chance to occur; a made-up one
# almost none.
#
# - **Greedy** decoding has no randomness, so one sample is all there is. It falls
#   into a loop: 43 words, only 4 different ones, "the fold the the from the fold ...".
#   Always taking the likeliest character leads back to the same place.
# - At **temperature 0.5** the 8 samples use 113 different words, and 63% of the words
#   occur in the training text: short common words ("the", "set", "and", "are") with
#   invented ones in between.
# - At **1.0** that falls to 35%, and at **1.5** to 23%: the flattened probabilities let
#   unlikely characters in, and digits, brackets and capitals land in the middle of
#   words.
#
# The samples at 1.0 and 1.5 begin alike ("The NoJ=N"): both come from a generator
# seeded with 0, so they draw the same random numbers, and while the two distributions
# are close those numbers pick the same characters. None of the samples reads as
# English: they have the look of the text, its short and indented lines, more than its
# words. That is as far as a model of 114012 parameters gets in 400 steps on 38748
# characters.

# %%
train_words = set(re.findall(r"[A-Za-z]+", decode(train_ids.tolist())))


def word_stats(samples, prompt="The "):
    """How many of the words the samples wrote occur in the training text, and how many differ."""
    words = [w for s in samples for w in re.findall(r"[A-Za-z]+", s[len(prompt) :])]
    known = sum(word in train_words for word in words) / len(words)
    different = len(set(words))
    return f"{known:.0%} of {len(words)} words occur in the training text, {different} different"


samples = generate(model, "The ", 200, 0, None, count=1)  # greedy: no randomness, one sample
print(f"--- greedy: {word_stats(samples)}")
print(samples[0])
for temperature in (0.5, 1.0, 1.5):
    samples = generate(model, "The ", 200, temperature, torch.Generator().manual_seed(0))
    print(f"--- temperature {temperature}, 8 samples: {word_stats(samples)}; the first:")
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
print(f"bigram model:       validation {bigram_loss:.4f}")

# %% [markdown] tags=["solution"]
# The intact model is the control: 2.07 on the validation windows, and 2.07 again once
# every head is back on, so the experiment leaves the model as it found it.
#
# Without head 0 of block 0 the validation loss rises by 0.62, to 2.69, nearly the
# bigram model's 2.72, and the training loss rises from 1.70 to 2.56. Every other head
# costs 0.06 at most, and head 1 of block 1 almost nothing (0.0014). The head of the
# heat map is the one the model needs most: without the head that hands each position
# the character before, it predicts little better than a bigram model, which sees the
# current character alone.

# %% [markdown]
# ## Try it yourself
#
# - Train for 800 steps instead of 400 and redraw the learning curves. Does the
#   validation loss keep falling, and what happens to the gap?
# - Give the model a third block (`blocks=3`) or a longer context (`CONTEXT = 64`).
#   Which of the two lowers the validation loss more, for the same number of steps?
# - Add top-k sampling, from [A transformer, block by block](../../transformers/), to
#   `generate`, and compare `word_stats` at temperature 1.5 with and without it.
