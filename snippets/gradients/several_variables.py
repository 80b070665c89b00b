import torch

# f(w) = w0^2 + 3 * w1 for a point w = (1, 2).
# By hand: df/dw0 = 2 * w0 = 2, df/dw1 = 3.
w = torch.tensor([1.0, 2.0], requires_grad=True)
f = w[0] ** 2 + 3 * w[1]
f.backward()
print("f(w) =", f.item())
print("gradient:", w.grad)
print("same shape as w:", tuple(w.grad.shape) == tuple(w.shape))

# The gradient points where f grows fastest. Take a step of the same small
# length in several directions and compare how much f increases.
length = 0.01
directions = {
    "along the gradient": w.grad,
    "along w0 only": torch.tensor([1.0, 0.0]),
    "along w1 only": torch.tensor([0.0, 1.0]),
    "against the gradient": -w.grad,
}
with torch.no_grad():
    for name, d in directions.items():
        moved = w + length * d / d.norm()  # a step of length 0.01
        f_moved = moved[0] ** 2 + 3 * moved[1]
        print(f"{name:>20}: f changes by {(f_moved - f).item():+.4f}")
