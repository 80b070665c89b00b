import torch
from torch.utils.data import Dataset, TensorDataset


class SquaresDataset(Dataset):
    """Sample i is the pair (i, i squared), computed when it is asked for."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n  # how many samples there are

    def __getitem__(self, index):
        x = torch.tensor([float(index)])
        y = torch.tensor([float(index) ** 2])
        return x, y  # one sample: (input, target)


squares = SquaresDataset(5)
print("len:", len(squares))
print("sample 3:", squares[3])
for i in range(len(squares)):
    x, y = squares[i]
    print(f"x={x.item():.0f}  y={y.item():.0f}")

# A plain for loop does not ask len(): it fetches 0, 1, 2, ... until __getitem__
# raises IndexError. This __getitem__ never does, so the loop needs a break.
fetched = []
for x, _y in squares:
    fetched.append(int(x.item()))
    if len(fetched) == 8:
        break
print("a plain for loop fetched x =", fetched, "| len:", len(squares))

# TensorDataset wraps tensors that already hold all samples.
# Sample i is (features[i], labels[i]), so the first dimensions must match.
torch.manual_seed(0)
features = torch.randn(6, 3)  # 6 samples, 3 features each
labels = torch.tensor([0, 1, 0, 1, 1, 0])
data = TensorDataset(features, labels)
print("len:", len(data))
x, label = data[2]
print("sample 2:", tuple(x.shape), x.dtype, "| label:", label.item())
