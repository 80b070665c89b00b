import warnings

import torch
from torch import nn

# Layer 1's input is the data, which needs no gradient: its backward hook gets None for
# it, and PyTorch warns that this is so. The program expects it and hides the warning.
warnings.filterwarnings("ignore", message="Full backward hook is firing")


class HandLinear(nn.Module):
    """A linear layer written out by hand, y = x @ W.T + b, with W drawn from randn * std."""

    def __init__(self, n_in, n_out, std):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(n_out, n_in) * std)
        self.bias = nn.Parameter(torch.zeros(n_out))

    def forward(self, x):
        return x @ self.weight.T + self.bias


def make_model(hand_std):
    """Eight hidden layers of 64 units with ReLU; the fifth is the hand-written one."""
    torch.manual_seed(0)
    layers = []
    for i in range(8):
        if i == 4:
            layer = HandLinear(64, 64, hand_std)
        else:
            layer = nn.Linear(64, 64)
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
            nn.init.zeros_(layer.bias)
        layers += [layer, nn.ReLU()]
    layers.append(nn.Linear(64, 1))
    return nn.Sequential(*layers)


torch.manual_seed(0)
x, y = torch.randn(256, 64), torch.randn(256, 1)


def report_layers(model):
    """Hook every layer with weights, run one forward and backward pass, print a table."""
    layers = [module for module in model if isinstance(module, (nn.Linear, HandLinear))]
    seen, ran_backward, handles = {}, [], []
    for number, layer in enumerate(layers, start=1):

        def forward_hook(module, inputs, output, number=number):
            seen[number] = {"rms": output.pow(2).mean().sqrt().item()}

        def backward_hook(module, grad_input, grad_output, number=number):
            # grad_output: the gradient of the loss with respect to the layer's output;
            # grad_input: with respect to its input, what the layer passes further back.
            ran_backward.append(number)
            seen[number]["out"] = grad_output[0].norm().item()
            if grad_input[0] is not None:
                seen[number]["gain"] = grad_input[0].norm().item() / seen[number]["out"]

        handles.append(layer.register_forward_hook(forward_hook))
        handles.append(layer.register_full_backward_hook(backward_hook))

    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    print(f"loss {loss.item():.4f}; backward hooks ran for layers {ran_backward}")
    print("layer  kind        output rms  grad at output  gain   weight grad")
    for number, layer in enumerate(layers, start=1):
        row = seen[number]
        gain = f"{row['gain']:5.2f}" if "gain" in row else "    -"
        print(
            f"{number:5d}  {type(layer).__name__:10}  {row['rms']:10.2f}  "
            f"{row['out']:14.4f}  {gain}  {layer.weight.grad.norm().item():11.4f}"
        )
    return handles, ran_backward


print("hand-written layer 5 with randn weights (std 1):")
report_layers(make_model(hand_std=1.0))

print("\ncontrol: the same layer with Kaiming's std, sqrt(2 / 64):")
model = make_model(hand_std=(2 / 64) ** 0.5)
handles, ran_backward = report_layers(model)

# Hooks stay until they are removed: another pass runs them again.
nn.functional.mse_loss(model(x), y).backward()
print(f"\nanother pass with the hooks on: {len(ran_backward)} backward hook calls in all")

# Each registration returned a handle; remove() takes its hook off.
for handle in handles:
    handle.remove()
nn.functional.mse_loss(model(x), y).backward()
print(f"after remove() and one more pass: {len(ran_backward)}")
