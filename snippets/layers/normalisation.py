import torch
from torch import nn

# LayerNorm rescales each sample (each row) to mean 0 and standard deviation 1.
data = torch.tensor([[1.0, 2.0, 3.0, 4.0], [10.0, 20.0, 30.0, 40.0]])
normed = nn.LayerNorm(4)(data)
print("LayerNorm row 0:", [round(v, 4) for v in normed[0].tolist()])
print("LayerNorm row 1:", [round(v, 4) for v in normed[1].tolist()])

# BatchNorm1d rescales each feature (each column) across the batch instead.
batch_norm = nn.BatchNorm1d(4)  # a new layer is in training mode
batch_normed = batch_norm(data)
print("BatchNorm1d column 0, training mode:", [round(v, 4) for v in batch_normed[:, 0].tolist()])

# While training it also updates running averages, kept in its buffers.
print("running_mean:", [round(v, 4) for v in batch_norm.running_mean.tolist()])
print("running_var: ", [round(v, 4) for v in batch_norm.running_var.tolist()])

# In evaluation mode it uses those averages instead of the current batch.
batch_norm.eval()
with torch.no_grad():
    eval_normed = batch_norm(data)
print("BatchNorm1d column 0, eval mode:    ", [round(v, 4) for v in eval_normed[:, 0].tolist()])
by_hand = (data[:, 0] - batch_norm.running_mean[0]) / (batch_norm.running_var[0] + 1e-5).sqrt()
print("from the buffers by hand:           ", [round(v, 4) for v in by_hand.tolist()])
