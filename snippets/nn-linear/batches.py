import torch
from torch import nn

torch.manual_seed(0)

layer = nn.Linear(3, 2)  # reads the LAST dimension (3), writes 2 numbers in its place

one = torch.randn(3)  # a single sample
batch = torch.randn(4, 3)  # 4 samples
sequences = torch.randn(2, 5, 3)  # 2 sequences of 5 steps, 3 features per step

for name, x in [("one sample", one), ("batch", batch), ("sequences", sequences)]:
    print(f"{name:11} {str(tuple(x.shape)):10} -> {tuple(layer(x).shape)}")

# Every position is transformed on its own, with the same weights.
out = layer(sequences)
alone = layer(sequences[1, 2])  # sequence 1, step 2, passed in by itself
print("out[1, 2]:      ", [round(v, 4) for v in out[1, 2].tolist()])
print("layer(x[1, 2]): ", [round(v, 4) for v in alone.tolist()])
print("same:", torch.allclose(out[1, 2], alone))
