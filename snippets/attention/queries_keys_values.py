import torch

# Four tokens, each with a query, a key and a value of dimension 2, chosen by hand.
# Read a key as "what this token offers" and a query as "what this token looks for":
# feature 0 and feature 1 are two made-up properties a token can have.
keys = torch.tensor(
    [
        [1.0, 0.0],  # token 0 offers feature 0
        [0.0, 1.0],  # token 1 offers feature 1
        [1.0, 1.0],  # token 2 offers both
        [-1.0, 0.0],  # token 3 is the opposite of feature 0
    ]
)
queries = torch.tensor(
    [
        [2.0, 0.0],  # token 0 looks for feature 0
        [0.0, 2.0],  # token 1 looks for feature 1
        [1.0, 1.0],  # token 2 looks for both
        [0.0, 0.0],  # token 3 looks for nothing in particular
    ]
)
# The values are what each token hands over when it is attended to.
values = torch.tensor([[10.0, 0.0], [0.0, 10.0], [5.0, 5.0], [0.0, 0.0]])


def show(name, matrix):
    print(name)
    for row in matrix.tolist():
        print("  " + " ".join(f"{v:6.2f}" for v in row))


# Scores: every query against every key, one dot product each. Row i, column j
# says how well query i matches key j.
scores = queries @ keys.T  # (4, 2) @ (2, 4) -> (4, 4)
show("scores = queries @ keys.T", scores)

# Softmax across each row (dim=-1, over the keys) turns scores into weights:
# positive, and each row sums to 1.
weights = torch.softmax(scores, dim=-1)
show("\nweights = softmax(scores, dim=-1)", weights)
print("row sums:", " ".join(f"{s:.2f}" for s in weights.sum(dim=-1).tolist()))

# The output of each token is the weighted sum of all values, with its row of weights.
out = weights @ values  # (4, 4) @ (4, 2) -> (4, 2)
show("\noutput = weights @ values", out)

# Token 0 by hand: its four weights times the four values, added up.
w = weights[0]
by_hand = w[0] * values[0] + w[1] * values[1] + w[2] * values[2] + w[3] * values[3]
print("\ntoken 0 by hand:", " ".join(f"{v:.2f}" for v in by_hand.tolist()))
