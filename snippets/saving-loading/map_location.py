import os
import tempfile

import torch
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

torch.manual_seed(0)
model = nn.Linear(3, 1).to(device)  # on the accelerator, if there is one (training left out)

with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "model.pth")
    torch.save(model.state_dict(), path)  # tensors are saved with their device
    print("saved from:", model.weight.device.type)

    # map_location decides where the loaded tensors are put.
    on_cpu = torch.load(path, map_location="cpu", weights_only=True)
    print("map_location='cpu':  ", on_cpu["weight"].device.type)
    on_device = torch.load(path, map_location=device, weights_only=True)
    print("map_location=device: ", on_device["weight"].device.type)

    # A file saved on a CUDA GPU, loaded on a machine without CUDA: save a CPU copy, and
    # load it with a mapping that sends its CPU tensors to "cuda:0", as such a file names.
    cpu_path = os.path.join(folder, "cpu_copy.pth")
    torch.save({name: t.cpu() for name, t in model.state_dict().items()}, cpu_path)
    try:
        loaded = torch.load(cpu_path, map_location={"cpu": "cuda:0"}, weights_only=True)
        print("as if saved on CUDA: loaded on", loaded["weight"].device.type)
    except RuntimeError as error:
        print("as if saved on CUDA:", str(error).split(". ")[0])

# load_state_dict copies the values into the model's own tensors,
# so the model stays on whatever device it was built on.
cpu_model = nn.Linear(3, 1)
own_weight = cpu_model.weight
cpu_model.load_state_dict(on_device)
print("CPU model after loading:   ", cpu_model.weight.device.type)
print("  still its own weight tensor:", cpu_model.weight is own_weight)
device_model = nn.Linear(3, 1).to(device)
device_model.load_state_dict(on_cpu)
print("device model after loading:", device_model.weight.device.type)
print("same weights:", torch.equal(cpu_model.weight, device_model.weight.cpu()))
