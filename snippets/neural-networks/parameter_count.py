from torch import nn

model = nn.Sequential(
    nn.Linear(3, 4),
    nn.ReLU(),
    nn.Linear(4, 2),
)

print(f"{'parameter':<10} {'shape':<8} {'count':>5}")
print("-" * 25)
total = 0
for name, p in model.named_parameters():
    print(f"{name:<10} {str(tuple(p.shape)):<8} {p.numel():>5}")
    total += p.numel()
print("-" * 25)
print(f"{'total':<19} {total:>5}")

# Each Linear(n_in, n_out) has n_in * n_out weights and n_out biases.
print("by hand:", 3 * 4 + 4, "+", 4 * 2 + 2, "=", (3 * 4 + 4) + (4 * 2 + 2))
