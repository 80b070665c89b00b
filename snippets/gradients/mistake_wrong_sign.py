import torch

# The data and model of the descent example: y = 2 * x, prediction = w * x.
xs = torch.tensor([1.0, 2.0, 3.0])
ys = torch.tensor([2.0, 4.0, 6.0])
learning_rate = 0.05


def losses(sign):
    # Four steps of w -= sign * learning_rate * w.grad; return the loss at each.
    w = torch.tensor(0.5, requires_grad=True)
    seen = []
    for _ in range(4):
        loss = ((w * xs - ys) ** 2).mean()
        loss.backward()
        seen.append(loss.item())
        with torch.no_grad():
            w -= sign * learning_rate * w.grad
        w.grad = None
    return seen


print("step | w -= lr * grad | w += lr * grad (wrong sign)")
for step, (right, wrong) in enumerate(zip(losses(+1), losses(-1), strict=True)):
    print(f"{step:4d} | {right:14.4f} | {wrong:14.4f}")
