import torch

# The device idiom used throughout this book: the GPU (or other accelerator)
# when there is one, otherwise the CPU. Nothing here names a device by hand.
device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

x = torch.tensor([1.0, 2.0, 3.0])
print("created on:", x.device)  # tensors start on the CPU

x = x.to(device)  # .to() returns a tensor on the target device
print("moved to:", x.device.type)

# Operations run where their inputs live, and the result stays there.
y = x * 2
print("result on:", y.device.type)

# .tolist() and .item() copy to the CPU by themselves and return plain Python
# numbers, wherever the tensor lives.
print("values:", y.tolist())
print("first value:", y[0].item())
