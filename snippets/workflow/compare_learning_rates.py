import torch
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

torch.manual_seed(0)
features = torch.randn(200, 2)
targets = features @ torch.tensor([[3.0], [-2.0]]) + 1.0 + 0.1 * torch.randn(200, 1)
train_x, test_x = features[:160], features[160:]
train_y, test_y = targets[:160], targets[160:]


class SimpleNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(2, 16)
        self.output = nn.Linear(16, 1)

    def forward(self, x):
        return self.output(torch.relu(self.hidden(x)))


def run_workflow(learning_rate, epochs=10):
    """Data loader, model, loss, optimizer, training loop, evaluation: one call."""
    torch.manual_seed(1)  # same starting weights and batch order for every run
    loader = DataLoader(TensorDataset(train_x, train_y), batch_size=16, shuffle=True)
    model = SimpleNN().to(device)
    loss_fn = nn.MSELoss()
    optimizer = optim.SGD(model.parameters(), lr=learning_rate)
    for _ in range(epochs):
        model.train()
        for x_batch, y_batch in loader:
            x_batch, y_batch = x_batch.to(device), y_batch.to(device)
            loss = loss_fn(model(x_batch), y_batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    model.eval()
    with torch.no_grad():
        return loss_fn(model(test_x.to(device)), test_y.to(device)).item()


print("learning rate | test loss after 10 epochs")
print("--------------+--------------------------")
print(f"{'(untrained)':<13} | {run_workflow(0.01, epochs=0):.4f}")  # the starting point
for lr in (0.001, 0.01, 0.1):
    print(f"{lr:<13} | {run_workflow(lr):.4f}")
