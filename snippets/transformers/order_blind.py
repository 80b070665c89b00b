import torch
from torch import nn

# Two sentences with the same words in another order, as ids of a tiny vocabulary.
vocab = {"dog": 0, "bites": 1, "man": 2, ".": 3}
a = torch.tensor([[vocab[w] for w in "dog bites man .".split()]])
b = torch.tensor([[vocab[w] for w in "man bites dog .".split()]])
swap = [2, 1, 0, 3]  # b is a with positions 0 and 2 swapped

torch.manual_seed(0)
embed = nn.Embedding(len(vocab), 8)
attn = nn.MultiheadAttention(8, num_heads=2, batch_first=True)


def self_attention(x, causal=False):
    # attn_mask of nn.MultiheadAttention: True marks a key that a query may NOT look at.
    seq = x.shape[1]
    future = torch.triu(torch.ones(seq, seq, dtype=torch.bool), diagonal=1) if causal else None
    return attn(x, x, x, attn_mask=future)[0]


def same(x, y):
    # Equal up to float rounding: reordered, the sums inside run in another order.
    return torch.allclose(x, y, rtol=0, atol=1e-6)


with torch.no_grad():
    # Any sequence, any reordering: reordering the input reorders the output, nothing more.
    x = torch.randn(1, 6, 8)
    perm = torch.randperm(6)
    print("reorder", perm.tolist(), "-> output reordered the same way:", end=" ")
    print(same(self_attention(x[:, perm]), self_attention(x)[:, perm]))

    out_a, out_b = self_attention(embed(a)), self_attention(embed(b))
    print("\n1. attention alone, 'dog bites man .' against 'man bites dog .'")
    print("   out(b) is out(a) with the same swap:", same(out_b, out_a[:, swap]))
    print("   'dog' gets the same vector at position 0 and 2:", same(out_a[0, 0], out_b[0, 2]))
    print("   the mean over the sentence is the same:", same(out_a.mean(1), out_b.mean(1)))

    # With a causal mask, the last position sees every token: the order before it is lost.
    last_a = self_attention(embed(a), causal=True)[0, -1]
    last_b = self_attention(embed(b), causal=True)[0, -1]
    print("\n2. with a causal mask, the output at '.', which sees all four tokens")
    print("   same for both sentences:", same(last_a, last_b))

    # Learned position embeddings: one trainable vector per position, added to the token's.
    pos = nn.Embedding(4, 8)
    positions = torch.arange(4)
    out_a = self_attention(embed(a) + pos(positions))
    out_b = self_attention(embed(b) + pos(positions))
    print("\n3. token embedding + position embedding")
    print("   out(b) is out(a) with the same swap:", same(out_b, out_a[:, swap]))
    diff = (out_a[0, -1] - out_b[0, -1]).abs().max().item()
    print(f"   the output at '.' differs between the sentences by up to {diff:.4f}")
