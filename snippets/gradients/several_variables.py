import math

import torch

# f(w) = w0^2 + 3 * w1 for a point w = (1, 2).
# By hand: df/dw0 = 2 * w0 = 2, df/dw1 = 3.
w = torch.tensor([1.0, 2.0], requires_grad=True)
f = w[0] ** 2 + 3 * w[1]
f.backward()
print("f(w) =", f.item())
print("gradient:", w.grad)
print("same shape as w:", tuple(w.grad.shape) == tuple(w.shape))


def change(direction):
    # How much f changes after a step of length 0.01 in this direction.
    with torch.no_grad():
        moved = w + 0.01 * direction / direction.norm()
        return (moved[0] ** 2 + 3 * moved[1] - f).item()


# A few directions by name.
directions = {
    "along the gradient": w.grad,
    "along w0 only": torch.tensor([1.0, 0.0]),
    "along w1 only": torch.tensor([0.0, 1.0]),
    "against the gradient": -w.grad,
}
for name, d in directions.items():
    print(f"{name:>20}: f changes by {change(d):+.4f}")

# And 360 directions, one every degree around the circle: which rises most?
changes = []
for degree in range(360):
    angle = math.radians(degree)
    changes.append(change(torch.tensor([math.cos(angle), math.sin(angle)])))
best = max(range(360), key=lambda degree: changes[degree])
worst = min(range(360), key=lambda degree: changes[degree])
gradient_angle = math.degrees(math.atan2(w.grad[1].item(), w.grad[0].item()))
print(f"the gradient points at {gradient_angle:.1f} degrees")
print(f"largest rise of 360 directions: {changes[best]:+.4f} at {best} degrees")
print(f"largest fall of 360 directions: {changes[worst]:+.4f} at {worst} degrees")
