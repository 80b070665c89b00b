import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)
batch, seq, features, hidden = 3, 5, 8, 16
x = torch.randn(batch, seq, features)
gru = nn.GRU(features, hidden, batch_first=True)
with torch.no_grad():
    output, h_n = gru(x)

# nn.GRUCell computes ONE step. Give it the GRU's weights.
cell = nn.GRUCell(features, hidden)
with torch.no_grad():
    cell.weight_ih.copy_(gru.weight_ih_l0)
    cell.weight_hh.copy_(gru.weight_hh_l0)
    cell.bias_ih.copy_(gru.bias_ih_l0)
    cell.bias_hh.copy_(gru.bias_hh_l0)

# The recurrence: each new state comes from this step's input and the state before.
h = torch.zeros(batch, hidden)  # nn.GRU starts from zeros unless it is given h_0
states = []
with torch.no_grad():
    for t in range(seq):
        h = cell(x[:, t], h)
        states.append(h)
by_hand = torch.stack(states, dim=1)  # (batch, seq, hidden), like output
print("loop over GRUCell:", tuple(by_hand.shape))
print("  equals output:       ", torch.allclose(by_hand, output))
print("  last h equals h_n[0]:", torch.allclose(h, h_n[0]))


# The same step from the equations. The rows of each weight and bias hold, in this
# order, the reset gate r, the update gate z and the candidate state n.
def part(tensor, k):
    return tensor[k * hidden : (k + 1) * hidden]


def from_input(k, x_t):
    return F.linear(x_t, part(gru.weight_ih_l0, k), part(gru.bias_ih_l0, k))


def from_state(k, h):
    return F.linear(h, part(gru.weight_hh_l0, k), part(gru.bias_hh_l0, k))


x_t, h_prev = x[:, 1], states[0]  # step t = 1 starts from the state after step 0
with torch.no_grad():
    r = torch.sigmoid(from_input(0, x_t) + from_state(0, h_prev))
    z = torch.sigmoid(from_input(1, x_t) + from_state(1, h_prev))
    n = torch.tanh(from_input(2, x_t) + r * from_state(2, h_prev))
    h_new = (1 - z) * n + z * h_prev  # z decides how much of the old state to keep
print("\nthe equations at t = 1 equal output[:, 1]:", torch.allclose(h_new, output[:, 1]))
print(f"update gate z at t = 1: from {z.min().item():.2f} to {z.max().item():.2f}")

# The state is all that passes from one step to the next: run steps 0-2, then
# steps 3-4 starting from the state the first run ended with.
with torch.no_grad():
    out_a, h_a = gru(x[:, :3])
    out_b, h_b = gru(x[:, 3:], h_a)
    out_c, _ = gru(x[:, 3:])  # steps 3-4 from zeros: the memory of steps 0-2 is lost
print("\nsteps 0-2, then steps 3-4 from their h_n:")
print("  equal output:", torch.allclose(torch.cat([out_a, out_b], dim=1), output))
print("  final state equals h_n:", torch.allclose(h_b, h_n))
print("steps 3-4 alone, from zeros, equal output[:, 3:]:", torch.allclose(out_c, output[:, 3:]))
