import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)
x = torch.randn(2, 3)

# A layer without parameters and its function compute the same thing.
print("relu equal:  ", torch.equal(nn.ReLU()(x), F.relu(x)))

# A layer with parameters: the function takes them as arguments.
layer = nn.Linear(3, 2)
print("linear equal:", torch.equal(layer(x), F.linear(x, layer.weight, layer.bias)))

# Not every layer has a function: there is no F.flatten. The tensor method does the job.
images = torch.zeros(2, 1, 5, 5)
print("F has flatten:", hasattr(F, "flatten"))
print("flatten equal:", torch.equal(nn.Flatten()(images), images.flatten(1)))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(3, 4)  # parameters: a module, registered in __init__
        self.out = nn.Linear(4, 1)

    def forward(self, x):
        h = F.relu(self.hidden(x))  # no parameters: a function call is enough
        # F.dropout must be told the mode; nn.Dropout would follow .train()/.eval().
        h = F.dropout(h, p=0.5, training=self.training)
        return self.out(h)


class ForgetfulNet(Net):
    def forward(self, x):
        h = F.relu(self.hidden(x))
        h = F.dropout(h, p=0.5)  # the trap: training= left at its default, True
        return self.out(h)


net = Net().eval()
print(net)  # relu and dropout do not appear: they are calls, not modules
forgetful = ForgetfulNet().eval()
with torch.no_grad():
    print("eval mode, two calls agree:", torch.equal(net(x), net(x)))
    print("without training=, eval mode, two calls agree:", torch.equal(forgetful(x), forgetful(x)))
