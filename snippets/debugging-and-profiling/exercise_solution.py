import torch
import torch.nn.functional as F
from torch import nn


class LogProbs(nn.Module):
    """Log-probabilities written by hand: the log of the softmax."""

    def forward(self, logits):
        return torch.log(torch.softmax(logits, dim=1))


class LogSoftmax(nn.Module):
    """The same with F.log_softmax, which never takes the log of a probability."""

    def forward(self, logits):
        return F.log_softmax(logits, dim=1)


def make_model(last):
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(20, 32), nn.ReLU(), nn.Linear(32, 5), last)


torch.manual_seed(0)
x = torch.rand(8, 20) * 255  # raw pixel values from 0 to 255, never scaled down
y = torch.tensor([3, 0, 2, 3, 1, 4, 3, 2])


def find_non_finite(model):
    """Hook every module and run the batch; run it again with the hooks on, then remove
    the hooks and run it a third time, to see which passes the hooks report on."""
    bad, handles = [], []
    for name, module in model.named_modules():

        def hook(module, inputs, output, name=name or "(the model)"):
            if not torch.isfinite(output).all():
                bad.append(f"{name} {type(module).__name__}")

        handles.append(module.register_forward_hook(hook))
    loss = F.nll_loss(model(x), y)
    print(f"loss: {loss.item():.4f}")
    print("outputs not finite, in the order the modules ran:", bad)
    first_pass = len(bad)
    model(x)  # the hooks are still on
    second_pass = len(bad)
    for handle in handles:
        handle.remove()
    model(x)
    print(
        f"reports: {first_pass} after one pass, {second_pass} after another with the hooks on, "
        f"{len(bad)} after remove() and a third"
    )
    return bad


print("with LogProbs, log(softmax(logits)):")
model = make_model(LogProbs())
if find_non_finite(model):
    logits = model[:3](x)  # the layers before the culprit
    spread = (logits.max(dim=1).values - logits.min(dim=1).values).max().item()
    smallest = torch.softmax(logits, dim=1).min().item()
    print(f"largest spread of one row's logits: {spread:.2f}; smallest probability: {smallest}")

print("\ncontrol, with F.log_softmax:")
find_non_finite(make_model(LogSoftmax()))
