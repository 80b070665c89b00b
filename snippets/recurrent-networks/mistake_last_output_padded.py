import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_sequence

torch.manual_seed(0)
pad_id = 0

# Ids from the word vocabulary of Text as tensors.
short = torch.tensor([2, 4, 5, 3])  # the cat sat .
long = torch.tensor([2, 7, 10, 2, 4, 6, 2, 8, 3])  # the dog saw the cat on the mat .

emb = nn.Embedding(11, 8, padding_idx=pad_id)
gru = nn.GRU(8, 16, batch_first=True)

with torch.no_grad():
    # The state after the last real token, from the sentence alone: no padding at all.
    _, h_alone = gru(emb(short.unsqueeze(0)))
    right = h_alone[-1, 0]

    batch = pad_sequence([short, long], batch_first=True, padding_value=pad_id)
    lengths = torch.tensor([len(short), len(long)])
    print(batch)
    output, h_n = gru(emb(batch))
    rows = torch.arange(len(lengths))

    # Packing tells the GRU each length, so it stops each sequence at its last real token.
    packed = pack_padded_sequence(emb(batch), lengths, batch_first=True, enforce_sorted=False)
    _, h_packed = gru(packed)

    print("\n'the cat sat .'                 equals alone  max difference")
    for name, state in [
        ("output[:, -1]", output[:, -1][0]),  # the state after 5 pads, not after '.'
        ("h_n[-1] (same as output[:, -1])", h_n[-1, 0]),
        ("output[rows, lengths - 1]", output[rows, lengths - 1][0]),  # after the last real token
        ("h_n[-1] from a packed batch", h_packed[-1, 0]),
    ]:
        diff = (state - right).abs().max().item()
        print(f"{name:31} {str(torch.allclose(state, right)):11}  {diff:.4f}")

    # How to recognise it: more padding must not change a sentence's state.
    print("\nfirst 3 numbers of the state of 'the cat sat .'")
    print(f"{'padded to':9}  {'output[:, -1]':23}  output[rows, lengths - 1]")
    for total in (9, 12, 20):
        extra = torch.zeros(2, total - batch.shape[1], dtype=torch.long)  # more <pad> columns, id 0
        wider = torch.cat([batch, extra], dim=1)
        output, _ = gru(emb(wider))
        last = [f"{v:7.4f}" for v in output[:, -1][0][:3].tolist()]
        real = [f"{v:7.4f}" for v in output[rows, lengths - 1][0][:3].tolist()]
        print(f"{total:9d}  {' '.join(last)}  {' '.join(real)}")
