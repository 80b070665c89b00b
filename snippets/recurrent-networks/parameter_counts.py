import torch
from torch import nn

torch.manual_seed(0)
features, hidden = 8, 16

# A GRU has three sets of weights: the reset gate r, the update gate z and the candidate n.
# PyTorch stacks the three in each tensor, so every tensor has 3 * hidden = 48 rows.
gru = nn.GRU(features, hidden, batch_first=True)
for name, p in gru.named_parameters():
    print(f"{name:13} {str(tuple(p.shape)):8} {p.numel():4d}")

# Per set: hidden x features input weights, hidden x hidden hidden weights, two biases.
print(f"\n{'layer':5} {'sets':>5} {'params':>6} {'by hand':>7}")
for name, make, sets in (("RNN", nn.RNN, 1), ("GRU", nn.GRU, 3), ("LSTM", nn.LSTM, 4)):
    layer = make(features, hidden, batch_first=True)
    params = sum(p.numel() for p in layer.parameters())
    by_hand = sets * (hidden * features + hidden * hidden + hidden + hidden)
    print(f"{name:5} {sets:5d} {params:6d} {by_hand:7d}")

# The same weights are used at every step, so any sequence length works.
print()
for seq in (5, 50, 500):
    output, h_n = gru(torch.randn(2, seq, features))
    print(f"{seq:3d} steps: output {str(tuple(output.shape)):13} h_n {tuple(h_n.shape)}")
