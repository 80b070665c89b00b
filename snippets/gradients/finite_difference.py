import torch


def f(w):
    # Any function built from tensor operations will do.
    return (w[0] * w[1]).sin() + w[2] ** 3 - 2 * w[0]


def finite_difference(w, h):
    # Central difference: (f(w + h) - f(w - h)) / (2h), one input at a time.
    estimate = torch.zeros(3, dtype=w.dtype)
    with torch.no_grad():
        for i in range(3):
            step = torch.zeros(3, dtype=w.dtype)
            step[i] = h
            estimate[i] = (f(w + step) - f(w - step)) / (2 * h)
    return estimate


# float64 keeps the rounding error of the estimate small.
w = torch.tensor([0.5, 1.5, -1.0], dtype=torch.float64, requires_grad=True)
f(w).backward()
estimate = finite_difference(w, h=1e-6)

print("autograd:          ", [round(g, 4) for g in w.grad.tolist()])
print("finite difference: ", [round(g, 4) for g in estimate.tolist()])
print("largest gap below 1e-6:", (w.grad - estimate).abs().max().item() < 1e-6)

# The same check in float32, with a tiny and a larger step h.
w32 = torch.tensor([0.5, 1.5, -1.0], dtype=torch.float32, requires_grad=True)
f(w32).backward()
for h in [1e-6, 1e-3]:
    gap = (w32.grad - finite_difference(w32, h)).abs().max().item()
    print(f"float32, h = {h}: largest gap {gap:.5f}")
