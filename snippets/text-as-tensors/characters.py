import torch

# A tiny corpus, written here so the program needs no download.
text = "the cat sat on the mat. the dog sat on the log."

# The vocabulary: every distinct character, sorted so the ids never depend on
# the order a set happens to give back.
chars = sorted(set(text))
stoi = {ch: i for i, ch in enumerate(chars)}  # string -> integer id
itos = {i: ch for ch, i in stoi.items()}  # integer id -> string
print(f"{len(text)} characters, {len(chars)} distinct")
print("vocabulary:", {ch: stoi[ch] for ch in chars})


def encode(s: str) -> list[int]:
    return [stoi[ch] for ch in s]


def decode(ids: list[int]) -> str:
    return "".join(itos[i] for i in ids)


ids = encode("the dog")
print("encode('the dog'):", ids)
print("decode(...):      ", repr(decode(ids)))
print("round trip ok:    ", decode(encode(text)) == text)

# A network needs a tensor: integer ids are stored as int64 ("long").
x = torch.tensor(encode(text))
print("as a tensor:", x.dtype, tuple(x.shape))
print("first 12 ids:", x[:12].tolist())

# A character the vocabulary never saw has no id.
try:
    encode("the cow!")
except KeyError as error:
    print("encode('the cow!') -> KeyError:", error)
