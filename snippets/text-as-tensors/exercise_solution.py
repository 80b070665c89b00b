import re
from collections import Counter

import torch
from torch import nn
from torch.nn.utils.rnn import pad_sequence

torch.manual_seed(0)

train_text = """the cat sat on the mat.
the dog sat on the log.
the cat saw the dog."""

SPECIALS = ["<pad>", "<unk>", "<bos>", "<eos>"]  # ids 0, 1, 2, 3


def tokenize(s: str) -> list[str]:
    return re.findall(r"[a-z]+|[.,!?]", s.lower())


counts = Counter(tokenize(train_text))
itos = SPECIALS + [word for word, _ in counts.most_common()]
stoi = {word: i for i, word in enumerate(itos)}
pad_id, unk_id, bos_id, eos_id = (stoi[s] for s in SPECIALS)
print("vocabulary:", len(itos), "ids; specials", {s: stoi[s] for s in SPECIALS})


def encode(s: str) -> torch.Tensor:
    ids = [stoi.get(token, unk_id) for token in tokenize(s)]
    return torch.tensor([bos_id, *ids, eos_id])


def decode(row: torch.Tensor) -> str:
    words = []
    for i in row.tolist():
        if i == eos_id:  # the sentence ends here; only padding follows
            break
        if i not in (pad_id, bos_id):
            words.append(itos[i])
    return " ".join(words)


sentences = ["The cat sat.", "The dog sat on the log.", "The bird sat!"]
batch = pad_sequence([encode(s) for s in sentences], batch_first=True, padding_value=pad_id)
print(batch)
for sentence, row in zip(sentences, batch, strict=True):
    text = decode(row)
    print(f"{text!r:28} round trip: {text == ' '.join(tokenize(sentence))}")

# The embedding is sized from the vocabulary, AFTER the specials were added.
emb = nn.Embedding(len(itos), 8, padding_idx=pad_id)
print("largest id", batch.max().item(), "< rows", emb.num_embeddings, "->", tuple(emb(batch).shape))

# One sized for the old vocabulary (11 ids, no <bos>/<eos>) has too few rows.
try:
    nn.Embedding(11, 8, padding_idx=pad_id)(batch)
except IndexError as error:
    print("Embedding(11, 8) -> IndexError:", error)
