import torch
from torch import nn

torch.manual_seed(0)
# A 4x4 "image" whose values are easy to follow: batch 1, channel 1.
x = torch.tensor(
    [[1.0, 2.0, 0.0, 1.0], [3.0, 4.0, 1.0, 0.0], [0.0, 1.0, 5.0, 2.0], [2.0, 1.0, 3.0, 6.0]]
).reshape(1, 1, 4, 4)
print("input", tuple(x.shape))
print(x[0, 0])

# kernel_size=2: windows of 2x2; stride defaults to kernel_size, so the windows do not overlap.
max_pool = nn.MaxPool2d(2)
avg_pool = nn.AvgPool2d(2)
print("\nMaxPool2d(2):", tuple(max_pool(x).shape))
print(max_pool(x)[0, 0])
print("AvgPool2d(2):", tuple(avg_pool(x).shape))
print(avg_pool(x)[0, 0])
print("pooling layers have parameters:", len(list(max_pool.parameters())))

# A bright pixel that moves inside its 2x2 window gives the same pooled output.
dot = torch.zeros(1, 1, 4, 4)
dot[0, 0, 0, 0] = 1.0
moved = torch.zeros(1, 1, 4, 4)
moved[0, 0, 1, 1] = 1.0
print("\ndot at (0, 0):", max_pool(dot).flatten().tolist())
print("dot at (1, 1):", max_pool(moved).flatten().tolist())
# One more pixel to the right crosses the border into the next window: the output changes.
across = torch.zeros(1, 1, 4, 4)
across[0, 0, 1, 2] = 1.0
print("dot at (1, 2):", max_pool(across).flatten().tolist())

# Pooling works on each channel separately: the channel count stays, H and W halve.
images = torch.rand(5, 1, 8, 8)  # shaped like a batch of 5 digits
features = nn.Conv2d(1, 16, kernel_size=3, padding=1)(images)
print("\nbatch of 5 images:  ", tuple(images.shape))
print("after Conv2d(1, 16):", tuple(features.shape))
print("after MaxPool2d(2): ", tuple(max_pool(features).shape))
print("after two of them:  ", tuple(max_pool(max_pool(features)).shape))
# An odd size is rounded down: the last row and column are dropped.
print("a 7x7 input:        ", tuple(max_pool(torch.rand(1, 1, 7, 7)).shape))
