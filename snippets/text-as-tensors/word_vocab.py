import re
from collections import Counter

import torch

train_text = """the cat sat on the mat.
the dog sat on the log.
the cat saw the dog."""

PAD, UNK = "<pad>", "<unk>"


def tokenize(s: str) -> list[str]:
    # Lower case, and words and punctuation marks as separate tokens.
    return re.findall(r"[a-z]+|[.,!?]", s.lower())


# Ids 0 and 1 are reserved; the words follow, most frequent first
# (Counter breaks ties by first appearance, so the order is fixed).
counts = Counter(tokenize(train_text))
itos = [PAD, UNK] + [word for word, _ in counts.most_common()]
stoi = {word: i for i, word in enumerate(itos)}
print("counts:", dict(counts.most_common()))
print("vocabulary:", stoi)


def encode(s: str) -> list[int]:
    # A word missing from the vocabulary becomes <unk> instead of failing.
    return [stoi.get(token, stoi[UNK]) for token in tokenize(s)]


def decode(ids: list[int]) -> str:
    return " ".join(itos[i] for i in ids)


for sentence in ["The dog sat on the mat.", "The bird sat on the fence!"]:
    ids = encode(sentence)
    print(f"{sentence!r:30} -> {ids} -> {decode(ids)!r}")

batch = torch.tensor([encode("the cat sat."), encode("a bird sat.")])
print("batch of ids:", tuple(batch.shape), batch.dtype)
print(batch)
