import re
from collections import Counter

text = """the old wall is low and the new wall is lower.
the newest wall is the lowest and the oldest is the widest.
a wide road is wider than a narrow road, and the newer road is the longest."""

# Count words, and start with each word split into its characters.
word_counts = Counter(re.findall(r"[a-z]+", text))
splits = {word: list(word) for word in word_counts}


def merge(symbols: list[str], pair: tuple[str, str]) -> list[str]:
    """Replace every adjacent (a, b) in symbols by the joined symbol a + b."""
    out, i = [], 0
    while i < len(symbols):
        if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == pair:
            out.append(symbols[i] + symbols[i + 1])
            i += 2
        else:
            out.append(symbols[i])
            i += 1
    return out


# Training: count adjacent pairs (each word weighted by how often it occurs),
# merge the most frequent pair everywhere, and repeat.
merges = []
for step in range(20):
    pairs = Counter()
    for word, count in word_counts.items():
        symbols = splits[word]
        for pair in zip(symbols, symbols[1:], strict=False):  # each symbol and the next
            pairs[pair] += count
    best, best_count = pairs.most_common(1)[0]  # ties: the pair seen first wins
    merges.append(best)
    splits = {word: merge(symbols, best) for word, symbols in splits.items()}
    pair = f"{best[0]!r} + {best[1]!r} -> {best[0] + best[1]!r}"
    print(f"merge {step + 1}: {pair} ({best_count} times)")

# The vocabulary: every character, then every merged symbol, in order.
vocab = sorted({ch for word in word_counts for ch in word}) + ["".join(pair) for pair in merges]
token_id = {token: i for i, token in enumerate(vocab)}
print(f"vocabulary: {len(vocab)} tokens")


def tokenize(word: str) -> list[str]:
    symbols = list(word)  # start from characters, apply the merges in learned order
    for pair in merges:
        symbols = merge(symbols, pair)
    return symbols


# A word-level vocabulary of the same text, for comparison: id 1 is <unk>.
word_id = {word: i for i, word in enumerate(["<pad>", "<unk>", *word_counts])}

for word in ["lowest", "widest", "slowest", "lowered", "tallest", "rower"]:
    tokens = tokenize(word)
    seen = "in training" if word in word_counts else "never seen"
    ids = [token_id[t] for t in tokens]
    split = f"{' '.join(word)} -> {' '.join(tokens)}"
    print(f"{word:8} {seen:11} word id {word_id.get(word, 1):2} | {split} -> ids {ids}")

# Characters the text never had are still a gap: no token holds a 'y'.
print("'y' in the vocabulary:", "y" in token_id)
# Byte-level BPE (GPT-2's) starts from the 256 possible byte values instead,
# so every string is a sequence of known ids before the first merge.
for word in ["newly", "café"]:
    print(f"{word!r} as UTF-8 bytes:", list(word.encode("utf-8")))
