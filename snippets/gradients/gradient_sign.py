import torch

# A loss that is smallest at w = 3: loss(w) = (w - 3)^2.
print("    w |  loss | gradient | to lower the loss")
print("------+-------+----------+------------------")
for value in [0.0, 2.0, 3.0, 4.0, 6.0]:
    w = torch.tensor(value, requires_grad=True)
    loss = (w - 3) ** 2
    loss.backward()
    grad = w.grad.item()
    if grad > 0:
        advice = "decrease w"
    elif grad < 0:
        advice = "increase w"
    else:
        advice = "stay: minimum"
    print(f"{value:5.1f} | {loss.item():5.1f} | {grad:8.1f} | {advice}")
