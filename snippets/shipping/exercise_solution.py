from pathlib import Path

import torch
from torch import nn

PAD = 0


class AverageClassifier(nn.Module):
    """The sentence scorer of Text as tensors, with the mask: the mean of the word
    vectors over the real tokens only, then one linear layer to one score."""

    def __init__(self, vocab_size=11, dim=4):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, dim, padding_idx=PAD)
        self.out = nn.Linear(dim, 1)

    def forward(self, ids):
        mask = (ids != PAD).unsqueeze(-1).float()  # (batch, seq, 1): 1 at real tokens
        mean = (self.emb(ids) * mask).sum(dim=1) / mask.sum(dim=1)
        return self.out(mean).squeeze(1)  # (batch,): one score per sentence


torch.manual_seed(0)
model = AverageClassifier().eval()
example = torch.tensor([[2, 4, 5, 3, 0], [2, 7, 5, 6, 3]])  # (2, 5), one row padded

# 1. Both dimensions of ids may change: the batch size and the sequence length.
batch = torch.export.Dim("batch", min=1, max=1024)
seq = torch.export.Dim("seq", min=1, max=512)
exported = torch.export.export(model, (example,), dynamic_shapes={"ids": {0: batch, 1: seq}})
print("range constraints:", list(exported.range_constraints.values()))

# 2. Save, load, and compare with the model on batches of other shapes.
path = Path("text.pt2")
torch.export.save(exported, path)
program = torch.export.load(path).module()
path.unlink()  # the file is no longer needed: the loaded program lives in memory
with torch.inference_mode():
    for shape in [(1, 4), (3, 9), (2, 20)]:
        ids = torch.randint(1, 11, shape)  # ids 1 to 10: no padding
        print(f"ids of shape {shape}: equal to the model: {torch.equal(program(ids), model(ids))}")

    # 3. A sentence scores the same alone and padded in a batch.
    # Ids of the word vocabulary of Text as tensors.
    sentence = torch.tensor([[2, 4, 5, 3]])  # the cat sat .
    # Padded to 7 in a batch with "the dog sat on the log .".
    padded = torch.tensor([[2, 4, 5, 3, 0, 0, 0], [2, 7, 5, 6, 2, 9, 3]])
    alone, in_batch = program(sentence)[0], program(padded)[0]
    print(f"alone:  {alone.item():.4f}  padded in a batch: {in_batch.item():.4f}")
    print("the same:", torch.allclose(alone, in_batch))

# 4. Only the batch dynamic: the sequence length of the example (5) is fixed.
batch_only = torch.export.export(model, (example,), dynamic_shapes={"ids": {0: batch}})
try:
    batch_only.module()(padded)
except AssertionError as error:
    print("\nbatch only, a sequence of 7:", type(error).__name__, "-", error)
