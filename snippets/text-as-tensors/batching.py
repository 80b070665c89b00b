import re
from collections import Counter

import torch
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader

train_text = """the cat sat on the mat.
the dog sat on the log.
the cat saw the dog."""

PAD, UNK = "<pad>", "<unk>"


def tokenize(s: str) -> list[str]:
    return re.findall(r"[a-z]+|[.,!?]", s.lower())


counts = Counter(tokenize(train_text))
itos = [PAD, UNK] + [word for word, _ in counts.most_common()]
stoi = {word: i for i, word in enumerate(itos)}
pad_id = stoi[PAD]


def encode(s: str) -> torch.Tensor:
    return torch.tensor([stoi.get(token, stoi[UNK]) for token in tokenize(s)])


# A list is a Dataset too: it has a length and an item for each index.
sentences = ["the cat sat.", "the dog sat on the log.", "a cat!", "the dog saw the cat on the mat."]
dataset = [encode(s) for s in sentences]
print("lengths:", [len(ids) for ids in dataset])

# The default collate_fn stacks the samples, which needs equal lengths.
try:
    next(iter(DataLoader(dataset, batch_size=2)))
except RuntimeError as error:
    print("default collate -> RuntimeError:", error)


def collate(batch: list[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    # Pad every sequence at the end, up to the longest one in THIS batch.
    ids = pad_sequence(batch, batch_first=True, padding_value=pad_id)
    lengths = torch.tensor([len(seq) for seq in batch])
    mask = ids != pad_id  # True at real tokens, False at padding
    return ids, lengths, mask


loader = DataLoader(dataset, batch_size=2, collate_fn=collate)
for ids, lengths, mask in loader:
    print("ids", tuple(ids.shape), ids.dtype, "| lengths", lengths.tolist(), "| mask", mask.dtype)
    print(ids)
    print(mask)
    print("mask.sum(dim=1) equals lengths:", torch.equal(mask.sum(dim=1), lengths))
