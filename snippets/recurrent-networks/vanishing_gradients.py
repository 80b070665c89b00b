import torch
from torch import nn

torch.manual_seed(0)
seq, features, hidden = 100, 8, 32
x_data = torch.randn(1, seq, features)  # one sequence of 100 steps
back = [0, 1, 5, 10, 25, 50, 75, 99]  # how many steps before the last one


def gradient_per_step(layer):
    """Mean |gradient| of the last step's output with respect to the input at each step."""
    x = x_data.clone().requires_grad_(True)
    output = layer(x)[0]  # (1, 100, 32); [0] is output for all three layer types
    output[0, -1].sum().backward()  # one number that depends on the whole sequence
    size = x.grad[0].abs().mean(dim=1)  # (100,): one number per step
    return "".join(f"{size[seq - 1 - k].item():9.1e}" for k in back)


print("steps back:         " + "".join(f"{k:9d}" for k in back))
for name, make in (("RNN (tanh)", nn.RNN), ("GRU", nn.GRU), ("LSTM", nn.LSTM)):
    torch.manual_seed(0)
    print(f"{name:20}" + gradient_per_step(make(features, hidden, batch_first=True)))

# A gate can learn to keep the state. Push the GRU's update gate z and the
# LSTM's forget gate towards 1 by hand, with a bias of 4 (rows hidden to 2 * hidden).
torch.manual_seed(0)
gru = nn.GRU(features, hidden, batch_first=True)
with torch.no_grad():
    gru.bias_ih_l0[hidden : 2 * hidden] = 4.0
print(f"{'GRU, z kept open':20}" + gradient_per_step(gru))
torch.manual_seed(0)
lstm = nn.LSTM(features, hidden, batch_first=True)
with torch.no_grad():
    lstm.bias_ih_l0[hidden : 2 * hidden] = 4.0
print(f"{'LSTM, f kept open':20}" + gradient_per_step(lstm))

# A plain RNN has no such gate; larger recurrent weights make the gradient explode.
torch.manual_seed(0)
rnn = nn.RNN(features, hidden, batch_first=True)
with torch.no_grad():
    rnn.weight_hh_l0 *= 5
print(f"{'RNN, 5x weight_hh':20}" + gradient_per_step(rnn))
