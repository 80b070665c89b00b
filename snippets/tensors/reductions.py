import torch

scores = torch.tensor([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]])  # 2 samples, 3 classes

# A reduction without dim uses every element; with dim it removes that dimension.
print("sum:", scores.sum())
print("sum(dim=0), down the columns:", scores.sum(dim=0))
print("sum(dim=1), along each row:  ", scores.sum(dim=1))

# keepdim=True keeps the reduced dimension with size 1, ready for broadcasting.
row_means = scores.mean(dim=1, keepdim=True)
print(
    "mean(dim=1) shape:", tuple(scores.mean(dim=1).shape), "| with keepdim:", tuple(row_means.shape)
)
print("each row minus its mean:")
print(scores - row_means)

# max with dim returns the values and where they are; argmax returns only where.
values, positions = scores.max(dim=1)
print("max per row:", values, "at", positions)
print("argmax(dim=1):", scores.argmax(dim=1))  # the predicted class of each sample
