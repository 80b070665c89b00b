import torch
from torch import nn

torch.manual_seed(0)

vocab_size, dim = 11, 4  # the 11 ids of the word vocabulary; 4 numbers per word
emb = nn.Embedding(vocab_size, dim, padding_idx=0)  # id 0 is <pad>
print("weight:", tuple(emb.weight.shape), "requires_grad:", emb.weight.requires_grad)
print("parameters:", sum(p.numel() for p in emb.parameters()), "=", vocab_size, "*", dim)

# Two sentences of 5 ids; the second is padded with 0 at the end.
ids = torch.tensor([[2, 4, 5, 3, 2], [2, 7, 3, 0, 0]])
out = emb(ids)
print("ids", tuple(ids.shape), "-> vectors", tuple(out.shape))

# The layer is a lookup: row i of the weight is the vector of id i.
print("emb(ids) equals emb.weight[ids]:", torch.equal(out, emb.weight[ids]))
# The same as multiplying one-hot rows by the weight, without building them.
one_hot = nn.functional.one_hot(ids, vocab_size).float()  # (2, 5, 11)
print("equals one_hot @ weight:", torch.allclose(out, one_hot @ emb.weight))

print("vector of id 2:      ", [f"{v:.4f}" for v in emb.weight[2].tolist()])
print("vector of id 0 <pad>:", [f"{v:.4f}" for v in emb.weight[0].tolist()])

# Gradients reach only the rows that were looked up, and never the pad row.
out.sum().backward()
uses = torch.bincount(ids.flatten(), minlength=vocab_size).tolist()
grads = emb.weight.grad.sum(dim=1).tolist()  # the gradient of each row, added up
print("row            ", "".join(f"{i:4}" for i in range(vocab_size)))
print("times looked up", "".join(f"{u:4}" for u in uses))
print("gradient sum   ", "".join(f"{g:4.0f}" for g in grads))

# An id must be smaller than the number of rows.
try:
    emb(torch.tensor([[2, 11]]))
except IndexError as error:
    print("id 11 in an Embedding(11, 4) -> IndexError:", error)
