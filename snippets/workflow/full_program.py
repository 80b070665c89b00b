import os
import tempfile

import torch
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset

# --8<-- [start:device]
device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"
# --8<-- [end:device]

# --8<-- [start:data]
# Step 1, data: tensors made on the CPU. The rule to learn is y = 3*x1 - 2*x2 + 1.
torch.manual_seed(0)
features = torch.randn(200, 2)
targets = features @ torch.tensor([[3.0], [-2.0]]) + 1.0 + 0.1 * torch.randn(200, 1)
train_x, test_x = features[:160], features[160:]
train_y, test_y = targets[:160], targets[160:]
train_loader = DataLoader(TensorDataset(train_x, train_y), batch_size=16, shuffle=True)
print(f"data: {len(train_x)} training and {len(test_x)} test samples, {len(train_loader)} batches")
# --8<-- [end:data]


# --8<-- [start:model]
# Step 2, model: a class with its layers in __init__ and the computation in forward().
class SimpleNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(2, 16)
        self.output = nn.Linear(16, 1)

    def forward(self, x):
        return self.output(torch.relu(self.hidden(x)))


model = SimpleNN().to(device)
n_params = sum(p.numel() for p in model.parameters())
trainable = all(p.requires_grad for p in model.parameters())
print(f"model: {n_params} parameters, all require grad: {trainable}")
# --8<-- [end:model]

# --8<-- [start:loss]
# Step 3, loss: one number that says how far the predictions are from the targets.
loss_fn = nn.MSELoss()
# --8<-- [end:loss]

# --8<-- [start:optimizer]
# Step 4, optimizer: updates the parameters; the learning rate sets the step size.
learning_rate = 0.01
optimizer = optim.SGD(model.parameters(), lr=learning_rate)
# --8<-- [end:optimizer]

# --8<-- [start:training]
# Step 5, the training loop: every epoch is one pass over all the batches.
for epoch in range(1, 31):
    model.train()
    total = 0.0
    for x_batch, y_batch in train_loader:
        x_batch, y_batch = x_batch.to(device), y_batch.to(device)
        predictions = model(x_batch)  # forward pass
        loss = loss_fn(predictions, y_batch)  # loss
        optimizer.zero_grad()  # clear the gradients of the previous step
        loss.backward()  # backward pass: autograd fills p.grad for every parameter
        optimizer.step()  # weight update
        total += loss.item()
    if epoch == 1 or epoch % 5 == 0:
        print(f"epoch {epoch:2d}: training loss {total / len(train_loader):.4f}")
# --8<-- [end:training]

# --8<-- [start:evaluation]
# Step 6, evaluation: data the model never trained on, without building a graph.
model.eval()
with torch.no_grad():
    test_predictions = model(test_x.to(device))
    test_loss = loss_fn(test_predictions, test_y.to(device))
print(f"test loss: {test_loss.item():.4f}")
# --8<-- [end:evaluation]

# --8<-- [start:saving]
# Step 7, saving: store the state_dict, then load it into a fresh model.
with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "simple_nn.pth")
    torch.save(model.state_dict(), path)
    restored = SimpleNN().to(device)
    restored.load_state_dict(torch.load(path, map_location=device, weights_only=True))
    restored.eval()

with torch.no_grad():
    same = torch.equal(restored(test_x.to(device)), test_predictions)
    new_point = torch.tensor([[1.0, 2.0]]).to(device)  # true value: 3 - 4 + 1 = 0
    prediction = restored(new_point).item()
print("restored model gives the same test predictions:", same)
print(f"prediction for x = (1, 2): {prediction:.4f} (true value 0)")
# --8<-- [end:saving]
