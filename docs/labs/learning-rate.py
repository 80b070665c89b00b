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
# # Choosing a learning rate
#
# The learning rate is the size of the step the optimizer takes against the gradient.
# It is the setting that most often decides whether training works at all:
#
# - **too small**, and the loss falls so slowly that training seems stuck;
# - **about right**, and the loss falls quickly and settles;
# - **too large**, and every step overshoots the minimum by more than the last one: the
#   loss *grows*, and the weights swing further and further until they become `inf`
#   or `nan`. This is called **divergence**.
#
# In this lab you train the same model on the same data three times, changing nothing
# but the learning rate, and look at all three loss curves on one plot.

# %%
import math

import matplotlib.pyplot as plt
import torch
from torch import nn

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
COLORS = {0.01: "#42a5f5", 0.3: "#66bb6a", 0.9: "#f4511e"}

# %% [markdown]
# ## One problem, one training function
#
# The data are points around the line *y* = 3*x* + 1. The function `train` builds a fresh
# `nn.Linear(1, 1)` and trains it with plain SGD for 40 steps. It reseeds the random
# generator first, so every run starts from **the same initial weights**: the only
# difference between runs is the learning rate. It returns the loss and the weight
# at the start (step 0) and after every step.

# %%
torch.manual_seed(0)
x = torch.rand(100, 1) * 4 - 2
y = 3 * x + 1 + 0.5 * torch.randn(100, 1)


def train(learning_rate, steps=40):
    """Train a fresh nn.Linear(1, 1); its loss and weight at the start and after every step."""
    torch.manual_seed(1)  # the same starting weights for every learning rate
    model = nn.Linear(1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
    loss_fn = nn.MSELoss()
    with torch.no_grad():
        losses, weights = [loss_fn(model(x), y).item()], [model.weight.item()]
    for _ in range(steps):
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        with torch.no_grad():  # the loss after this step's update, not the one before it
            losses.append(loss_fn(model(x), y).item())
        weights.append(model.weight.item())
    return losses, weights


runs = {lr: train(lr) for lr in COLORS}
for lr, (losses, weights) in runs.items():
    print(
        f"lr={lr:<5} start: loss {losses[0]:.3f}, w = {weights[0]:.4f} | "
        f"after 1 step {losses[1]:.3f} | after 40 steps {losses[40]:.4g}, w = {weights[40]:.4g}"
    )

# The noise level: even the true line scores this much on these noisy points.
with torch.no_grad():
    print(f"loss of the true line y = 3x + 1 itself: {nn.functional.mse_loss(3 * x + 1, y):.4f}")

# %% [markdown]
# ## Three loss curves on one plot
#
# The losses span many orders of magnitude, so the y axis is **logarithmic**: equal
# distances on it are equal factors. Here each labelled grid line is 100 times the one
# below it: 10⁻¹, 10¹, 10³ and so on, up to 10¹⁵.
#
# On a log scale a loss that shrinks by the same factor at every step is a straight
# line going down, and one that grows by the same factor is a straight line going up.

# %%
# figure: Training loss per step for three learning rates, on a log scale. The y axis is
#   labelled at 10 to the -1, 10 to the 1 and so on up to 10 to the 15, a factor of 100
#   from one grid line to the next. All three curves start at the same loss, 9.861, at
#   step 0. With lr = 0.01 (blue) the loss falls slowly to 1.5; with lr = 0.3 (green) it
#   is below 1 after the first step (0.870) and levels off near 0.1978; with lr = 0.9
#   (orange) it jumps to 16.929 and then climbs in a straight line to about 4 times 10
#   to the 14th.
fig, ax = plt.subplots(figsize=(7, 4))
for lr, (losses, _) in runs.items():
    ax.plot(range(len(losses)), losses, color=COLORS[lr], linewidth=2, label=f"lr = {lr}")
ax.set_yscale("log")
ax.set_xlabel("step")
ax.set_ylabel("training loss (log scale)")
ax.set_title("The same model, three learning rates")
ax.grid(True, which="both")
ax.legend()
plt.show()

# %% [markdown]
# - With **lr = 0.01** the loss falls steadily but slowly: after 40 steps it is still
#   1.5, far above lr = 0.3's 0.1978.
# - With **lr = 0.3** the loss drops to the noise level within a few steps and stays
#   there. The noise level is what no straight line can fit: the true line itself has a
#   loss of 0.2079 on these points. The runs that converge settle at 0.1978, a little
#   lower, because the line they find is fitted to these 100 points, noise included.
# - With **lr = 0.9** the loss goes *up*, step after step, by a nearly constant factor.
#   That straight rising line on a log plot is what divergence looks like.
#
# ## Longer runs
#
# Are lr = 0.01 and lr = 0.9 only a matter of time? The next cell trains both for 400
# steps instead of 40.

# %%
slow, _ = train(0.01, steps=400)
print("lr=0.01 loss after", ", ".join(f"{n} steps {slow[n]:.4f}" for n in (40, 100, 200, 400)))
wild, wild_weights = train(0.9, steps=400)
first_inf = next(n for n, loss in enumerate(wild) if math.isinf(loss))
first_nan = next(n for n, loss in enumerate(wild) if math.isnan(loss))
print(
    f"lr=0.9  loss is inf from step {first_inf}, nan from step {first_nan}; w = {wild_weights[-1]}"
)

# %% [markdown]
# The small learning rate gets there: after 400 steps lr = 0.01 is at 0.1978 too, where
# lr = 0.3 was within 40 steps. It only costs steps. The large one does not get there:
# its loss grows until it no longer fits in a `float32` and becomes `inf` (at step 104),
# then `nan` (at step 221), and the weight ends as `nan` too. A run in that state cannot
# recover.
#
# ## What divergence does to a weight
#
# The loss only tells you *that* something goes wrong. Following the weight `w` shows
# *how*: with a large learning rate each step jumps over the best value (close to 3)
# and lands further away on the other side.

# %%
# figure: The weight w over the first 8 steps, for three learning rates. A dashed line
#   marks the best slope, about 3. All three start from the same w, 0.5, at step 0. With
#   lr = 0.3 (green) w is 2.5 after the first step and 2.9 from the third on; with
#   lr = 0.01 (blue) it creeps up from 0.6 to 1.0; with lr = 0.9 (orange) it jumps above
#   and below 3 with growing swings, 6.3, -2.1, 10.2, -7.9, 18.9 and -20.9, and leaves the
#   chart at step 7 (38.2).
first = 8  # the first steps are enough to see the pattern
for lr, (_, weights) in runs.items():
    print(
        f"lr={lr:<5} w at steps 0 to {first}:", " ".join(f"{w:.1f}" for w in weights[: first + 1])
    )

fig, ax = plt.subplots(figsize=(7, 4))
for lr, (_, weights) in runs.items():
    steps = range(first + 1)
    ax.plot(steps, weights[: first + 1], color=COLORS[lr], marker="o", label=f"lr = {lr}")
ax.axhline(3, color=GREY, linestyle="--", linewidth=1, label="best slope, about 3")
ax.set_ylim(-25, 30)
ax.set_xlabel("step")
ax.set_ylabel("weight w")
ax.set_title("The weight during training")
ax.grid(True)
ax.legend(loc="upper right")
plt.show()

# %% [markdown]
# The green curve (lr = 0.3) approaches 3 within a few steps and stays there. The
# blue one (lr = 0.01) creeps towards it. The orange one (lr = 0.9) zig-zags: above
# 3, below, above again, each swing larger than the last, until it leaves the plot.
#
# ## How large is too large?
#
# A sweep over many learning rates, each trained for the same 40 steps, shows the
# whole picture at once. The final loss falls as the learning rate grows, until a
# threshold where training suddenly stops working.

# %%
# figure: The loss after 40 steps against the learning rate, both on log scales. Each of
#   the 16 rates from 0.001 to 1 is a dot: the loss falls from 8.092 to about 0.2 as the
#   rate grows to about 0.04, stays flat at 0.1978 up to 0.631, then shoots up to about
#   3 times 10 to the 20th at a rate of 1.
sweep = torch.logspace(-3, 0, 16).tolist()  # 16 values from 0.001 to 1
final = []
print("learning rate  loss after 40 steps  steps to get below 0.2")
for lr in sweep:
    losses, _ = train(lr)
    final.append(losses[-1])
    below = next((str(n) for n, loss in enumerate(losses) if loss < 0.2), "never")
    verdict = "  diverged: the loss grew" if losses[-1] > losses[0] else ""
    print(f"{lr:13.4f}  {losses[-1]:19.4g}  {below:>22}{verdict}")

fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(sweep, final, color="#ab47bc", marker="o")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("learning rate (log scale)")
ax.set_ylabel("loss after 40 steps (log scale)")
ax.set_title("Final loss against learning rate")
ax.grid(True, which="both")
plt.show()

# %% [markdown]
# Every rate from 0.0631 to 0.631 ends at the same loss: the good rates are not one
# value but a plateau a factor of 10 wide, with divergence just above it (lr = 1). After
# 40 steps they all look alike; the last column tells them apart. From 28 steps at
# 0.0631, the steps needed fall to 3 at 0.3981, then rise again to 14 at 0.631, next to
# the edge.
#
# That is why a common recipe is to try values spaced by factors of about 3 or 10
# (0.001, 0.003, 0.01, 0.03, ...): one of them lands on the plateau. Then look closer
# around the best one, and stay a little below the edge: the fastest rate here, 0.3981,
# is not the largest one that still works, 0.631.
#
# ## Exercise: the same sweep with Adam
#
# Write `train_adam(learning_rate)`: the same as `train`, with `torch.optim.Adam` in
# place of `torch.optim.SGD`, returning the loss after the 40th step. Print it for
# learning rates 0.001, 0.01, 0.1, 1 and 10. Where does Adam diverge?


# %% tags=["solution"]
def train_adam(learning_rate, steps=40):
    """The loss after the last step, and the weight at the start and at the end."""
    torch.manual_seed(1)  # the same starting weights as train()
    model = nn.Linear(1, 1)
    start_w = model.weight.item()
    optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)
    loss_fn = nn.MSELoss()
    for _ in range(steps):
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()
    with torch.no_grad():
        return loss_fn(model(x), y).item(), start_w, model.weight.item()


for lr in [0.001, 0.01, 0.1, 1.0, 10.0]:
    loss, start_w, end_w = train_adam(lr)
    print(
        f"Adam, lr={lr:<6} loss after 40 steps {loss:10.4g}   w from {start_w:.4f} to {end_w:.4f}"
    )

# %% [markdown] tags=["solution"]
# Adam does not diverge anywhere in this range. It divides each step by a running
# estimate of the gradient's size, so a step moves each weight by roughly the
# learning rate, however large the gradient: with lr = 10 it ends worse than with 0.1
# or 1, but it does not blow up the way SGD did at 0.9. The small rates show the other
# side: with lr = 0.001, 40 steps of about 0.001 each move `w` from 0.5153 to 0.5552,
# by about 0.04, far from the best slope near 3. With Adam, the learning rate is about
# how far each step goes.

# %% [markdown]
# ## Try it yourself
#
# - Make the noise larger (`2.0 * torch.randn(...)`) and run the sweep again. Does the
#   plateau of good learning rates move, or only the loss it ends at?
# - Give `train` an SGD with `momentum=0.9`. Where does the sweep diverge now?
