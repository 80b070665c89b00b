import torch
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"


class SimpleNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(3, 4)
        self.output = nn.Linear(4, 1)

    def forward(self, x):
        return self.output(torch.relu(self.hidden(x)))


torch.manual_seed(0)
model = SimpleNN().to(device)
x = torch.randn(5, 3).to(device)

# Save: only the learned numbers, into the current working directory.
torch.save(model.state_dict(), "model.pth")

# Load: build a fresh model of the same class, then pour the numbers into it.
fresh = SimpleNN().to(device)  # new random weights
print("before loading, outputs match:", torch.equal(model(x), fresh(x)))
state = torch.load("model.pth", map_location=device, weights_only=True)
print(fresh.load_state_dict(state))
fresh.eval()  # switch to evaluation mode before making predictions

with torch.no_grad():
    print("after loading, outputs match: ", torch.equal(model(x), fresh(x)))
    print("first prediction:", round(fresh(x)[0].item(), 4))
