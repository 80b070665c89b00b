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
# difference between runs is the learning rate.

# %%
torch.manual_seed(0)
x = torch.rand(100, 1) * 4 - 2
y = 3 * x + 1 + 0.5 * torch.randn(100, 1)


def train(learning_rate, steps=40):
    """Train a fresh nn.Linear(1, 1); its loss and its weight after every step."""
    torch.manual_seed(1)  # the same starting weights for every learning rate
    model = nn.Linear(1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
    loss_fn = nn.MSELoss()
    losses, weights = [], []
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
        f"lr={lr:<5} loss after 1 step {losses[0]:10.3f}, after 40 steps {losses[-1]:12.4g}, "
        f"w = {weights[-1]:.4g}"
    )

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
#   from one grid line to the next. With lr = 0.01 (blue) the loss falls slowly from
#   about 9 to 1.5; with lr = 0.3 (green) it is below 1 after the first step (0.870) and
#   levels off near 0.1978; with lr = 0.9 (orange) it climbs in a straight line from
#   about 17 to about 4 times 10 to the 14th.
fig, ax = plt.subplots(figsize=(7, 4))
for lr, (losses, _) in runs.items():
    ax.plot(range(1, len(losses) + 1), losses, color=COLORS[lr], linewidth=2, label=f"lr = {lr}")
ax.set_yscale("log")
ax.set_xlabel("step")
ax.set_ylabel("training loss (log scale)")
ax.set_title("The same model, three learning rates")
ax.grid(True, which="both")
ax.legend()
plt.show()

# %% [markdown]
# - With **lr = 0.01** the loss falls steadily but slowly: after 40 steps it is still
#   far above the others. More steps would get there; it only costs time.
# - With **lr = 0.3** the loss drops to the noise level within a few steps and stays
#   there.
# - With **lr = 0.9** the loss goes *up*, step after step, by a nearly constant factor.
#   That straight rising line on a log plot is what divergence looks like. Trained for
#   longer, the numbers would overflow to `inf` and then `nan`.
#
# ## What divergence does to a weight
#
# The loss only tells you *that* something goes wrong. Following the weight `w` shows
# *how*: with a large learning rate each step jumps over the best value (close to 3)
# and lands further away on the other side.

# %%
# figure: The weight w over the first 8 steps, for three learning rates. A dashed line
#   marks the best slope, about 3. With lr = 0.3 (green) w is 2.5 after the first step
#   and 2.9 from the third on; with lr = 0.01 (blue) it creeps up from 0.6 to 1.0; with
#   lr = 0.9 (orange) it jumps above and below 3 with growing swings, 6.3, -2.1, 10.2,
#   -7.9, 18.9 and -20.9, and leaves the chart at step 7 (38.2).
first = 8  # the first steps are enough to see the pattern
for lr, (_, weights) in runs.items():
    print(f"lr={lr:<5} w after steps 1 to {first}:", " ".join(f"{w:.1f}" for w in weights[:first]))

fig, ax = plt.subplots(figsize=(7, 4))
for lr, (_, weights) in runs.items():
    steps = range(1, first + 1)
    ax.plot(steps, weights[:first], color=COLORS[lr], marker="o", label=f"lr = {lr}")
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
for lr in sweep:
    losses, _ = train(lr)
    final.append(losses[-1])
    verdict = "diverged: the loss grew" if losses[-1] > losses[0] else ""
    print(f"lr={lr:.4f}  loss after 40 steps {losses[-1]:10.4g}  {verdict}")

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
# The best learning rates sit just below the point where the loss shoots up. That is
# why a common recipe is to try values spaced by factors of about 3 or 10 (0.001,
# 0.003, 0.01, 0.03, ...), keep the largest one whose loss still falls smoothly, and
# lower it when the loss curve starts to jump around.
#
# ## Exercise: the same sweep with Adam
#
# Write `train_adam(learning_rate)`: the same as `train`, with `torch.optim.Adam` in
# place of `torch.optim.SGD`, returning the loss after the 40th step. Print it for
# learning rates 0.001, 0.01, 0.1, 1 and 10. Where does Adam diverge?


# %% tags=["solution"]
def train_adam(learning_rate, steps=40):
    torch.manual_seed(1)  # the same starting weights as train()
    model = nn.Linear(1, 1)
    optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)
    loss_fn = nn.MSELoss()
    for _ in range(steps):
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()
    with torch.no_grad():
        return loss_fn(model(x), y).item()


for lr in [0.001, 0.01, 0.1, 1.0, 10.0]:
    print(f"Adam, lr={lr:<6} loss after 40 steps {train_adam(lr):10.4g}")

# %% [markdown] tags=["solution"]
# Adam does not diverge anywhere in this range. It divides each step by a running
# estimate of the gradient's size, so a step moves each weight by roughly the
# learning rate, however large the gradient: with lr = 10 it ends worse than with 0.1
# or 1, but it does not blow up the way SGD did at 0.9. The small rates show the other
# side: 40 steps of about 0.001 each move `w` by at most 0.04, far from the best
# slope near 3. With Adam, the learning rate is about how far each step goes.

# %% [markdown]
# ## Try it yourself
#
# - Change `steps=40` to `steps=400` in `train` and run everything again. Does
#   lr = 0.01 catch up? What does lr = 0.9 print now?
