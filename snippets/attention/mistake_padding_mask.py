import torch
from torch import nn


def show(name, matrix):
    print(name)
    for row in matrix.tolist():
        print("  " + " ".join(f"{v:5.2f}" for v in row))


# Three sentences padded with id 0 to length 4: no padding, one pad, two pads.
PAD = 0
ids = torch.tensor([[3, 8, 6, 1], [5, 7, 2, PAD], [4, 9, PAD, PAD]])
# True for real tokens: the meaning a boolean attn_mask of F.scaled_dot_product_attention has.
is_real = ids != PAD

torch.manual_seed(0)
embed = nn.Embedding(10, 8)
mha = nn.MultiheadAttention(8, num_heads=2, batch_first=True)
with torch.no_grad():
    x = embed(ids)  # (3, 4, 8)

    # The mistake: key_padding_mask means the opposite. True marks a key to IGNORE.
    out_wrong, wrong = mha(x, x, x, key_padding_mask=is_real)
    # The fix: True where the token is padding.
    out_right, right = mha(x, x, x, key_padding_mask=~is_real)
    # The same mistake without the weights (need_weights=False, the call
    # nn.TransformerEncoderLayer makes): in training mode no nan to give it away.
    out_quiet, _ = mha(x, x, x, key_padding_mask=is_real, need_weights=False)

show("sentence 1 (last token is padding), key_padding_mask=is_real  <- wrong", wrong[1])
show("sentence 1, key_padding_mask=~is_real", right[1])

# Two checks that catch it: the real tokens must give the padded keys no weight at
# all, and nothing may be nan.
pad_keys = ~is_real.unsqueeze(1)  # (3, 1, 4): which keys are padding, for every query
print(f"\n{'':14}{'wrong mask':^20}{'right mask':^20}".rstrip())
print(f"{'sentence':>8}  {'pads':>4}" + f"  {'on pads':>8}  {'nan out':>8}" * 2)
for s in range(3):
    row = f"{s:>8}  {int(pad_keys[s].sum()):>4}"
    for weights, out in ((wrong, out_wrong), (right, out_right)):
        # The largest share of weight a real token gives to the padded keys.
        on_pads = (weights[s] * pad_keys[s]).sum(dim=-1)[is_real[s]].max().item()
        row += f"  {on_pads:>8.2f}  {str(bool(out[s].isnan().any())):>8}"
    print(row)

quiet = out_quiet[0]
print(
    f"\nneed_weights=False, wrong mask, sentence 0: nan {bool(quiet.isnan().any())}, "
    f"all zero {bool((quiet == 0).all())}"
)
# Zeros come out of the attention step; the output layer then adds its bias, which a
# fresh nn.MultiheadAttention starts at zero (a trained one would not).
print("out_proj.bias all zero:", bool((mha.out_proj.bias == 0).all()))
