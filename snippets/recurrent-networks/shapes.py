import torch
from torch import nn

torch.manual_seed(0)
batch, seq, features, hidden = 3, 5, 8, 16
x = torch.randn(batch, seq, features)  # 3 sequences of 5 steps, 8 numbers per step
print("input x:", tuple(x.shape), "= (batch, seq, features)")

gru = nn.GRU(input_size=features, hidden_size=hidden, batch_first=True)
output, h_n = gru(x)
print("\nnn.GRU(8, 16, batch_first=True)")
print("  output:", tuple(output.shape), "= (batch, seq, hidden): the state after every step")
print("  h_n:   ", tuple(h_n.shape), "= (num_layers, batch, hidden): the state after the last")
print("  output[:, -1] equals h_n[-1]:", torch.allclose(output[:, -1], h_n[-1]))

lstm = nn.LSTM(input_size=features, hidden_size=hidden, batch_first=True)
output_lstm, (h_n_lstm, c_n) = lstm(x)  # an LSTM returns two states: h_n and c_n
print("\nnn.LSTM(8, 16, batch_first=True)")
print("  output:", tuple(output_lstm.shape))
print("  h_n:   ", tuple(h_n_lstm.shape))
print("  c_n:   ", tuple(c_n.shape), "the cell state, which output never shows")
print("  output[:, -1] equals h_n[-1]:", torch.allclose(output_lstm[:, -1], h_n_lstm[-1]))
print("  output[:, -1] equals c_n[-1]:", torch.allclose(output_lstm[:, -1], c_n[-1]))

# The default, batch_first=False, wants time first: (seq, batch, features).
gru_time_first = nn.GRU(features, hidden)
gru_time_first.load_state_dict(gru.state_dict())  # the same weights as gru
x_time_first = x.permute(1, 0, 2)  # (5, 3, 8)
output_tf, h_n_tf = gru_time_first(x_time_first)
print("\nnn.GRU(8, 16), batch_first=False, given x.permute(1, 0, 2)")
print("  input: ", tuple(x_time_first.shape), "= (seq, batch, features)")
print("  output:", tuple(output_tf.shape), "= (seq, batch, hidden)")
print("  h_n:   ", tuple(h_n_tf.shape), "= (num_layers, batch, hidden), in both layouts")
print("  same numbers as gru:", torch.allclose(output_tf.permute(1, 0, 2), output))

# The same layer given the batch-first x: it reads 3 steps of 5 sequences.
output_bad, h_n_bad = gru_time_first(x)
print("\nnn.GRU(8, 16), batch_first=False, given x as it is")
print("  output:", tuple(output_bad.shape), "the shape looks right")
print("  h_n:   ", tuple(h_n_bad.shape), "5 sequences, not 3")
print("  same numbers as gru:", torch.allclose(output_bad, output))
