import torch
from torch import nn
from torch.nn.utils.rnn import pad_sequence

torch.manual_seed(0)
pad_id = 0

# Ids from the word vocabulary of this chapter.
short = torch.tensor([2, 4, 5, 3])  # the cat sat .
medium = torch.tensor([2, 7, 5, 6, 2, 9, 3])  # the dog sat on the log .
long = torch.tensor([2, 7, 10, 2, 4, 6, 2, 8, 3])  # the dog saw the cat on the mat .

# A tiny sentence scorer: average the word vectors, then one linear layer.
emb = nn.Embedding(11, 4, padding_idx=pad_id)
head = nn.Linear(4, 1)


def score_wrong(ids: torch.Tensor) -> torch.Tensor:
    return head(emb(ids).mean(dim=1)).squeeze(1)  # averages over padding too


def score_masked(ids: torch.Tensor) -> torch.Tensor:
    mask = (ids != pad_id).unsqueeze(-1)  # (batch, seq, 1): broadcasts over dim
    total = (emb(ids) * mask).sum(dim=1)  # padding positions add nothing
    return head(total / mask.sum(dim=1)).squeeze(1)  # divide by the real lengths


with torch.no_grad():
    alone = short.unsqueeze(0)  # a batch of one: no padding at all
    right_vec = emb(alone).mean(dim=1)[0]
    print(f"'the cat sat .' alone: score {score_wrong(alone).item():.4f}")
    for partner in [medium, long]:
        batch = pad_sequence([short, partner], batch_first=True, padding_value=pad_id)
        wrong_vec = emb(batch).mean(dim=1)[0]
        ratio = (wrong_vec / right_vec).mean().item()  # the pad rows are zeros: 4 / length
        print(
            f"padded to {batch.shape[1]}: plain mean score {score_wrong(batch)[0].item():.4f} "
            f"(vector x {ratio:.4f}), masked mean score {score_masked(batch)[0].item():.4f}"
        )
