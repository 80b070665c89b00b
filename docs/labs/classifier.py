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
# # Training a classifier
#
# A classifier answers "which class does this example belong to?". In this lab you
# train a small neural network to tell two classes of points in the plane apart, and
# you watch what it learns in two ways:
#
# - the network's **probability of class 1** over the whole plane, before and after
#   training, and the **decision boundary** it learns: the line where its answer
#   switches from one class to the other;
# - the **training and validation loss** after every epoch.
#
# The data are two interleaved half-moons. No straight line separates them, so the
# network has to learn a curved boundary.

# %%
import math

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
BLUE, ORANGE = "#42a5f5", "#f4511e"

# %% [markdown]
# ## The data: two half-moons
#
# Each class is a half circle of 200 points with some noise. Class 0 is the upper
# moon, class 1 the lower one, shifted so that the two interlock. The features are
# the two coordinates, a `(400, 2)` float tensor; the labels are a `(400,)` tensor of
# class indices, the form `nn.CrossEntropyLoss` expects.


# %%
def make_moons(n_per_class, noise):
    angle = torch.rand(n_per_class) * math.pi
    upper = torch.stack([torch.cos(angle), torch.sin(angle)], dim=1)
    lower = torch.stack([1 - torch.cos(angle), 0.5 - torch.sin(angle)], dim=1)
    features = torch.cat([upper, lower]) + noise * torch.randn(2 * n_per_class, 2)
    labels = torch.cat([torch.zeros(n_per_class), torch.ones(n_per_class)]).long()
    return features, labels


features, labels = make_moons(200, noise=0.15)

# Hold back 20% of the points, chosen at random, to check the model on data it never
# trained on.
order = torch.randperm(len(features))
train_idx, val_idx = order[:320], order[320:]
x_train, y_train = features[train_idx], labels[train_idx]
x_val, y_val = features[val_idx], labels[val_idx]
print("train:", tuple(x_train.shape), "validation:", tuple(x_val.shape))
print("class counts in train:", torch.bincount(y_train).tolist())

# %% [markdown]
# ## The model
#
# Two hidden layers of 16 units with ReLU between them, and an output layer with one
# number per class. Those two numbers are **logits**: the larger one is the predicted
# class, and `softmax` turns them into probabilities. The generator is seeded again
# right before the model is built, so its starting weights depend on this seed alone.

# %%
torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(2, 16),
    nn.ReLU(),
    nn.Linear(16, 16),
    nn.ReLU(),
    nn.Linear(16, 2),
)
print(model)
print("parameters:", sum(p.numel() for p in model.parameters()))

# %% [markdown]
# ## The decision boundary before training
#
# To draw what the model thinks, we ask it about every point of a fine grid covering
# the plane and colour the plane by the probability of class 1. The boundary is
# where that probability is 0.5. `torch.no_grad()` is used because no training
# happens here.
#
# We take this picture now, before any training, and draw it at the end next to the
# trained model's. The untrained network's weights are random, so what it says has
# nothing to do with the moons: the cell prints the range of its probability of class 1
# over the grid.

# %%
grid_x, grid_y = torch.meshgrid(
    torch.linspace(-1.5, 2.5, 200), torch.linspace(-1.0, 1.5, 200), indexing="xy"
)
grid = torch.stack([grid_x.flatten(), grid_y.flatten()], dim=1)


def probability_of_class_1(net):
    net.eval()
    with torch.no_grad():
        return net(grid).softmax(dim=1)[:, 1].reshape(grid_x.shape)


def draw_boundary(ax, probability, title):
    # Shade in 10 bands from "surely class 0" (blue) to "surely class 1" (red).
    bands = torch.linspace(0, 1, 11)
    ax.contourf(grid_x, grid_y, probability, levels=bands, cmap="coolwarm", alpha=0.5)
    ax.contour(grid_x, grid_y, probability, levels=[0.5], colors=GREY, linewidths=2)
    for cls, color in ((0, BLUE), (1, ORANGE)):
        points = features[labels == cls]
        ax.scatter(points[:, 0], points[:, 1], s=8, color=color, label=f"class {cls}")
    ax.set_title(title)
    ax.set_xlabel("feature 1")
    ax.set_ylabel("feature 2")


before = probability_of_class_1(model)
print(
    f"probability of class 1 before training: from {before.min().item():.2f} "
    f"to {before.max().item():.2f} over the grid"
)

# %% [markdown]
# ## Training
#
# The training loop is the one from the chapter
# [The training loop](../../training-loop/), with two additions:
#
# - a `DataLoader` hands out shuffled **mini-batches** of 64 points, so one epoch
#   (one pass over the training set) is 5 optimizer steps (`len(loader)` counts them);
# - after every epoch the model is evaluated on the **validation set** in
#   `model.eval()` mode and under `torch.no_grad()`.
#
# The training loss of an epoch is the mean of its batch losses, each taken while the
# weights were still changing. For the epochs it prints, the cell also measures the
# loss on the whole training set at the end of the epoch, the moment the validation
# loss is measured.
#
# The DataLoader gets its own seeded generator, so the shuffling is the same on every
# run.

# %%
loader = DataLoader(
    TensorDataset(x_train, y_train),
    batch_size=64,
    shuffle=True,
    generator=torch.Generator().manual_seed(0),
)
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
print("batches per epoch:", len(loader))

train_losses, val_losses = [], []
for epoch in range(1, 41):
    model.train()
    total = 0.0
    for batch_x, batch_y in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(batch_x), batch_y)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(batch_x)
    train_losses.append(total / len(x_train))

    model.eval()
    with torch.no_grad():
        val_losses.append(loss_fn(model(x_val), y_val).item())
        if epoch == 1 or epoch % 10 == 0:
            end_of_epoch = loss_fn(model(x_train), y_train).item()
            print(
                f"epoch {epoch:2d}: train loss {train_losses[-1]:.4f} "
                f"(at the end of the epoch {end_of_epoch:.4f}), "
                f"validation loss {val_losses[-1]:.4f}"
            )

# %% [markdown]
# ## Train and validation loss per epoch
#
# Both curves fall together: the network learns something that also holds for the
# points it never saw. If the training loss kept falling while the validation loss
# turned upwards, the model would be **overfitting**: memorising the training points
# instead of learning the shape of the moons.
#
# One detail may surprise you: after the first epoch the validation loss (0.6238) is
# *below* the training loss (0.6721). The two are not measured alike. The training loss
# is the mean of the epoch's 5 batch losses, each taken with the weights of that moment,
# before the rest of the epoch's steps improved them; the validation loss is measured
# after the epoch. Measured at the same moment,
# at the end of epoch 1, the loss on the training set is 0.6257, next to the validation
# loss.

# %%
# figure: Training and validation loss per epoch, over 40 epochs. Both cross-entropy
#   curves fall, from 0.6721 (training) and 0.6238 (validation) after the first epoch to
#   0.0296 and 0.0293 after the 40th. The validation curve starts below the training
#   curve, runs above it from about epoch 6 to 30 (0.2960 against 0.2040 at epoch 10),
#   with a small bump near epoch 9, and meets it again by epoch 30; it never turns
#   upward for long.
fig, ax = plt.subplots(figsize=(7, 4))
epochs = range(1, len(train_losses) + 1)
ax.plot(epochs, train_losses, color=BLUE, linewidth=2, label="training loss")
ax.plot(epochs, val_losses, color=ORANGE, linewidth=2, label="validation loss")
ax.set_xlabel("epoch")
ax.set_ylabel("cross-entropy loss")
ax.set_title("Loss per epoch")
ax.grid(True)
ax.legend()
plt.show()

# %% [markdown]
# ## The decision boundary after training
#
# Side by side, the boundary before and after training. The grey line is where the
# model is undecided (probability 0.5); the shading shows how sure it is on each
# side.

# %%
# figure: The decision boundary before and after training. Two scatter plots of the two
#   interlocking half-moons, blue class 0 above and orange class 1 below, on a background
#   shaded by the model's probability of class 1. Before training the background is
#   almost one pale colour: the probability stays between 0.49 and 0.61, so the model
#   says class 1 almost everywhere, and its boundary line only crosses the lower left
#   corner, far from the moons. After 40 epochs a bent boundary line winds between the
#   moons, with blue shading over the upper moon and red over the lower one.
after = probability_of_class_1(model)
print(
    f"probability of class 1 after 40 epochs: from {after.min().item():.2f} "
    f"to {after.max().item():.2f} over the grid"
)

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.8), sharey=True)
draw_boundary(left, before, "Before training")
draw_boundary(right, after, "After 40 epochs")
right.legend(loc="lower left")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Accuracy
#
# The loss is what the optimizer minimises; **accuracy**, the share of points whose
# predicted class is right, is what people usually want to know. The predicted class
# is the index of the largest logit, `argmax(dim=1)`.

# %%
model.eval()
with torch.no_grad():
    train_accuracy = (model(x_train).argmax(dim=1) == y_train).float().mean().item()
    val_accuracy = (model(x_val).argmax(dim=1) == y_val).float().mean().item()
print(f"training accuracy:   {train_accuracy:.1%}")
print(f"validation accuracy: {val_accuracy:.1%}")

# %% [markdown]
# ## Exercise
#
# Train the same network without its two `nn.ReLU()` layers: the same seed before
# building it (a ReLU has no weights, so the three `nn.Linear` layers start from the
# same weights as above), the same data, batches, optimizer and 40 epochs. Print its
# validation accuracy next to the one above, and draw its boundary with
# `draw_boundary`. Before you run it, guess: what shape can the boundary of a network
# without activations take?

# %% tags=["solution"]
torch.manual_seed(0)
no_relu = nn.Sequential(nn.Linear(2, 16), nn.Linear(16, 16), nn.Linear(16, 2))
no_relu_optimizer = torch.optim.Adam(no_relu.parameters(), lr=0.01)
no_relu_loader = DataLoader(
    TensorDataset(x_train, y_train),
    batch_size=64,
    shuffle=True,
    generator=torch.Generator().manual_seed(0),
)
for _ in range(40):
    no_relu.train()
    for batch_x, batch_y in no_relu_loader:
        no_relu_optimizer.zero_grad()
        loss_fn(no_relu(batch_x), batch_y).backward()
        no_relu_optimizer.step()

no_relu.eval()
with torch.no_grad():
    no_relu_accuracy = (no_relu(x_val).argmax(dim=1) == y_val).float().mean().item()
print(f"validation accuracy without ReLU: {no_relu_accuracy:.1%}")
print(f"validation accuracy with ReLU:    {val_accuracy:.1%}")

# %% tags=["solution"]
# figure: The boundary of the network without ReLU, after 40 epochs. The two moons on
#   a background shaded by its probability of class 1; the grey boundary is a straight
#   line that cuts through both moons, leaving the tip of each moon on the wrong side.
fig, ax = plt.subplots(figsize=(5, 3.8))
draw_boundary(ax, probability_of_class_1(no_relu), "Without ReLU, after 40 epochs")
ax.legend(loc="lower left")
plt.show()

# %% [markdown] tags=["solution"]
# Without activations the three layers collapse into one linear map, so the boundary
# can only be a straight line, as the figure shows. A line cuts through both moons: the
# network gets most points right but cannot follow the curve, and the accuracy falls
# well below the network with ReLU.

# %% [markdown]
# ## Try it yourself
#
# - Raise the noise in `make_moons` to `noise=0.4`. Do the two loss curves still stay
#   together?
# - Give the network 4 hidden units per layer instead of 16. How does the boundary
#   change?
