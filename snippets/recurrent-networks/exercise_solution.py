import torch
from torch import nn

torch.manual_seed(0)
batch, seq, features, hidden = 3, 5, 8, 16
x = torch.randn(batch, seq, features)
gru = nn.GRU(features, hidden, num_layers=2, bidirectional=True, batch_first=True)

# 1. The predictions, written down before running anything.
predicted_output = (batch, seq, 2 * hidden)  # both directions side by side
predicted_h_n = (2 * 2, batch, hidden)  # one final state per layer and direction
layer_0 = 3 * (hidden * features + hidden * hidden + 2 * hidden)  # reads the 8 features
layer_1 = 3 * (hidden * 2 * hidden + hidden * hidden + 2 * hidden)  # reads layer 0's 32
predicted_params = 2 * layer_0 + 2 * layer_1  # two directions per layer

output, h_n = gru(x)
params = sum(p.numel() for p in gru.parameters())
print(f"output: {tuple(output.shape)}  predicted {predicted_output}")
print(f"h_n:    {tuple(h_n.shape)}  predicted {predicted_h_n}")
print(f"params: {params}  predicted {predicted_params}")
for name, p in gru.named_parameters():
    if name.startswith("weight_ih"):
        print(f"  {name:20} {tuple(p.shape)}")

# 2. h_n, one layer and direction per row: (layer 0, forward), (layer 0, backward),
# (layer 1, forward), (layer 1, backward). view splits the first dimension in two.
states = h_n.view(2, 2, batch, hidden)  # (layer, direction, batch, hidden)
forward, backward = states[-1, 0], states[-1, 1]  # the last layer's two final states
print("\nlast layer, forward direction (ends at the last step):")
print("  equals output[:, -1, :16]:", torch.allclose(output[:, -1, :hidden], forward))
print("last layer, backward direction (ends at the FIRST step):")
print("  equals output[:, 0, 16:]: ", torch.allclose(output[:, 0, hidden:], backward))
print("  equals output[:, -1, 16:]:", torch.allclose(output[:, -1, hidden:], backward))

# 3. The input of a classifier's nn.Linear: both final states of the last layer.
summary = torch.cat([forward, backward], dim=1)
head = nn.Linear(2 * hidden, 2)
print("\nclassifier input:", tuple(summary.shape), "-> logits", tuple(head(summary).shape))
