import torch
from sklearn.datasets import load_digits
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

digits = load_digits()
x = (torch.tensor(digits.data, dtype=torch.float32) / 16).to(device)
y = torch.tensor(digits.target).to(device)

# The mistake: turn the whole model, and the data, into float16.
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10)).to(device).half()
optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
weight = model[0].weight
for step in range(1, 4):
    loss = nn.functional.cross_entropy(model(x.half()), y)
    optimizer.zero_grad()
    loss.backward()
    grad = weight.grad.clone()
    optimizer.step()
    broken = ~weight.isfinite()  # NaN or infinite
    print(f"step {step}: loss {loss.item():.4f}, broken weights: {broken.sum().item()} of 8192")
    if step == 1:
        # Adam's update, bias correction aside, is lr * m / (sqrt(v) + eps), with m and v
        # running averages of the gradient g and of g**2. After one step v = 0.001 * g**2,
        # stored in float16.
        v = optimizer.state[weight]["exp_avg_sq"]
        zero_v = v == 0
        zero_v_broken = (broken & zero_v).sum().item()
        print(f"  v is 0 for {zero_v.sum().item()} weights, {zero_v_broken} of them broken")
        squared_zero = (zero_v & (grad * grad == 0)).sum().item()  # g**2 in float16
        grad_zero = (zero_v & (grad == 0)).sum().item()
        print(f"  of these, g**2 alone is 0 for {squared_zero}, g itself for {grad_zero}")
        nan, inf = weight.isnan().sum().item(), weight.isinf().sum().item()
        print(f"  broken as NaN (0 / 0): {nan}, as infinite (m / 0): {inf}")
print("Adam's eps, 1e-8, in float16:", torch.tensor(1e-8, dtype=torch.float16).item())
