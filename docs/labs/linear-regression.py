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
# # Linear regression, from raw tensors to nn.Module
#
# In this lab you fit a straight line to noisy points, twice:
#
# 1. **By hand**: two tensors `w` and `b` with `requires_grad=True`, a loss you write
#    yourself, `loss.backward()` for the gradients and an update you do yourself.
# 2. **With PyTorch's building blocks**: `nn.Linear` for the line, `nn.MSELoss` for the
#    loss and `optim.SGD` for the update.
#
# Both versions compute the same thing, up to float rounding. Seeing them side by side shows what
# `nn.Module` and `torch.optim` do for you, and that there is no magic in them.
#
# Every cell runs in order from top to bottom. The numbers are the same on every run
# because the random generator is seeded.

# %%
import matplotlib.pyplot as plt
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

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
ORANGE, BLUE = "#f4511e", "#42a5f5"

# %% [markdown]
# ## The data
#
# We make the data ourselves, so we know the answer the fit should find: the line
# *y* = 3*x* + 1, plus some noise so the points do not sit exactly on it. `x` has shape
# `(100, 1)`: 100 examples with one feature each, the shape `nn.Linear` expects.

# %%
# figure: The 100 data points and the true line. A scatter plot with x from -2 to 2 and
#   y from -5.15 to 6.91; the points lie in a narrow band around the dashed true line
#   y = 3x + 1.
x = torch.rand(100, 1) * 4 - 2  # 100 values between -2 and 2
noise = 0.5 * torch.randn(100, 1)
y = 3 * x + 1 + noise

print("x:", tuple(x.shape), "y:", tuple(y.shape))
print(f"y from {y.min().item():.2f} to {y.max().item():.2f}")

fig, ax = plt.subplots(figsize=(6, 3.5))
ax.scatter(x, y, s=12, color=BLUE, label="data")
ax.plot([-2, 2], [-5, 7], color=GREY, linestyle="--", label="y = 3x + 1 (the true line)")
ax.set_xlabel("x")
ax.set_ylabel("y")
ax.legend()
plt.show()

# %% [markdown]
# ## Part 1: by hand, with autograd
#
# The model is *prediction* = *w* · *x* + *b*. Both parameters start at zero and ask
# autograd to track them with `requires_grad=True`.
#
# Each step of the loop:
#
# 1. computes the predictions and the mean squared error,
# 2. calls `loss.backward()`, which fills `w.grad` and `b.grad`,
# 3. moves each parameter a small step against its gradient. This update must not be
#    recorded by autograd, hence `torch.no_grad()`,
# 4. sets the gradients back to zero, because `backward()` *adds* to `.grad`.
#
# The last point is easy to check: compute the same loss twice and call `backward()`
# after each, without zeroing in between.

# %%
probe = torch.zeros(1, requires_grad=True)
for call in (1, 2):
    ((probe * x - y) ** 2).mean().backward()
    print(f"after backward() call {call}: probe.grad = {probe.grad.item():.4f}")

# %% [markdown]
# The second call added the same gradient again: twice the first. Without zeroing,
# every step of the loop would move by the sum of all gradients so far.

# %%
w = torch.zeros(1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
learning_rate = 0.1

manual_losses = []
for _ in range(60):
    prediction = w * x + b
    loss = ((prediction - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= learning_rate * w.grad
        b -= learning_rate * b.grad
    w.grad.zero_()
    b.grad.zero_()
    manual_losses.append(loss.item())

print(f"by hand:   w = {w.item():.3f}, b = {b.item():.3f}, final loss {manual_losses[-1]:.4f}")

# %% [markdown]
# `w` came out close to 3 and `b` close to 1. They are not exactly 3 and 1 because of
# the noise: with these 100 points, a slightly different line fits best.
#
# ## Part 2: the same fit with nn.Linear and optim.SGD
#
# `nn.Linear(1, 1)` holds a weight and a bias, created with `requires_grad=True` for
# you. `nn.MSELoss()` is the loss we wrote by hand. `optim.SGD` does the update under
# `no_grad` (`optimizer.step()`) and the clearing of gradients
# (`optimizer.zero_grad()`).
#
# `nn.Linear` starts from small random weights instead of zeros; to compare the two
# versions fairly we set them to zero first.

# %%
model = nn.Linear(1, 1)
print(f"nn.Linear starts at w = {model.weight.item():.4f}, b = {model.bias.item():.4f}")
with torch.no_grad():
    model.weight.zero_()
    model.bias.zero_()
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)  # the same as in Part 1

module_losses = []
for _ in range(60):
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    module_losses.append(loss.item())

learned_w, learned_b = model.weight.item(), model.bias.item()
print(f"nn.Linear: w = {learned_w:.3f}, b = {learned_b:.3f}, final loss {module_losses[-1]:.4f}")
print(
    "same losses at every step:",
    torch.allclose(torch.tensor(manual_losses), torch.tensor(module_losses)),
)

# %% [markdown]
# Both loops end with the same parameters, and their losses agree at every step
# (`torch.allclose`: equal up to float rounding, since `nn.Linear` computes its weight's
# gradient as a matrix product, which adds up the 100 terms in another order than our
# `.mean()`): the building blocks are a tidier way to write the loop of Part 1, not a
# different algorithm.
#
# ## Watching the loss fall
#
# The loss curve is the first plot to look at when you train anything. Here it falls
# quickly, then flattens out at the level of the noise: no straight line can fit the
# noise, so the loss cannot reach zero.

# %%
# figure: The loss during training, and the learned line. Left: the mean squared error
#   over 60 steps, falling from 12.6062 at step 0 to 0.8102 at step 5 and 0.2354 at step
#   10, then flat at about 0.1978; the by-hand curve and the nn.Linear curve lie exactly
#   on top of each other. Right: the 100 data points with the learned line
#   y = 2.91x + 0.99 running through the middle of them.
for step in (0, 5, 10, 59):
    by_hand, with_module = manual_losses[step], module_losses[step]
    print(f"step {step:2d}: loss {by_hand:.4f} by hand, {with_module:.4f} with nn.Linear")
print(f"learned line: y = {learned_w:.2f}x + {learned_b:.2f}")

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5))
left.plot(manual_losses, color=ORANGE, linewidth=3, label="by hand")
left.plot(module_losses, color=BLUE, linestyle="--", label="nn.Linear + SGD")
left.set_xlabel("step")
left.set_ylabel("mean squared error")
left.set_title("Loss during training")
left.grid(True)
left.legend()

line_x = torch.tensor([[-2.0], [2.0]])
with torch.no_grad():
    line_y = model(line_x)
right.scatter(x, y, s=12, color=BLUE, label="data")
right.plot(
    line_x,
    line_y,
    color=ORANGE,
    linewidth=2,
    label=f"learned: y = {learned_w:.2f}x + {learned_b:.2f}",
)
right.set_xlabel("x")
right.set_ylabel("y")
right.set_title("The learned line")
right.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Checking against the exact answer
#
# For a straight line, the best fit can also be computed directly, without any
# training, by least squares. `torch.linalg.lstsq` does it. Gradient descent should
# land on (almost) the same numbers.

# %%
design = torch.cat([x, torch.ones_like(x)], dim=1)  # columns: x and 1
solution = torch.linalg.lstsq(design, y).solution
print(f"least squares: w = {solution[0].item():.3f}, b = {solution[1].item():.3f}")

# %% [markdown]
# ## Exercise: mini-batches
#
# Both loops above used all 100 points for every step. Train a fresh `nn.Linear(1, 1)`
# from the same start (`w = 0`, `b = 0`) with **mini-batches** instead: a `DataLoader`
# with `batch_size=10`, shuffled with a seeded generator, `SGD` with the same
# `learning_rate`, for 6 epochs (60 steps, as above). Print `w`, `b`, the loss on all
# 100 points at the end, and the batch losses of the last epoch.

# %% tags=["solution"]
mini = nn.Linear(1, 1)
with torch.no_grad():
    mini.weight.zero_()
    mini.bias.zero_()
mini_optimizer = torch.optim.SGD(mini.parameters(), lr=learning_rate)
batches = DataLoader(
    TensorDataset(x, y), batch_size=10, shuffle=True, generator=torch.Generator().manual_seed(0)
)
batch_losses = []
for _ in range(6):
    for x_batch, y_batch in batches:
        mini_optimizer.zero_grad()
        batch_loss = loss_fn(mini(x_batch), y_batch)
        batch_loss.backward()
        mini_optimizer.step()
        batch_losses.append(batch_loss.item())

with torch.no_grad():
    full_loss = loss_fn(mini(x), y).item()
print(
    f"mini-batches: w = {mini.weight.item():.3f}, b = {mini.bias.item():.3f}, "
    f"loss on all points {full_loss:.4f} after {len(batch_losses)} steps"
)
print("batch losses, last epoch:", " ".join(f"{v:.3f}" for v in batch_losses[-10:]))

# %% [markdown] tags=["solution"]
# The mini-batch model lands close to the full-batch one after the same number of
# steps, although each step looked at only 10 points. Its last steps do not agree
# with each other: every batch is a different sample of the data, so its loss and
# its gradient are noisy estimates of the full ones. That noise is what the
# *stochastic* in stochastic gradient descent means. It is the price of steps that
# each look at ten times fewer points, and on real data sets, far too large for one
# step to see all of them, the only way to train at all.

# %% [markdown]
# ## Try it yourself
#
# - Set `learning_rate = 0.01` in Part 1 and run the notebook again. Part 2 and the
#   exercise use the same variable, so the two fits stay side by side. How many steps
#   does the loss need now? The lab [Choosing a learning rate](../learning-rate/) looks
#   at this question in detail.
# - Make the noise larger (`2.0 * torch.randn(...)`). What happens to the final loss,
#   and to the learned `w` and `b`?
