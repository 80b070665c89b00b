# varies: ms
# timeout: 120
import time

import torch
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"
print("device:", torch.device(device).type)


def clock():
    """Read the clock once all queued work is done, on whatever accelerator is in use."""
    if torch.accelerator.is_available():
        torch.accelerator.synchronize()
    return time.perf_counter()


def ms_per_call(run, x, rounds=5, calls=20):
    """The best of a few rounds: the one that other programs disturbed least."""
    best = float("inf")
    for _ in range(rounds):
        start = clock()
        for _ in range(calls):
            run(x)
        best = min(best, (clock() - start) / calls)
    return best * 1000


torch.manual_seed(0)
model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 10)).to(device)
x = torch.randn(512, 64).to(device)
# Nothing is compiled yet: torch.compile returns a wrapper that compiles on its first call.
compiled = torch.compile(model)

with torch.no_grad():
    for name, run in (("eager", model), ("compiled", compiled)):
        start = clock()
        run(x)
        print(f"{name:8}  first call:  {(clock() - start) * 1000:.1f} ms")
        print(f"{name:8}  later calls: {ms_per_call(run, x):.3f} ms each")
    same = torch.allclose(model(x), compiled(x), atol=1e-4)
print("same outputs (atol=1e-4):", same)
print("same weights as the model:", next(compiled.parameters()) is model[0].weight)
print("first key of its state_dict:", next(iter(compiled.state_dict())))

# Those keys do not fit a plain model; the original model's own state_dict does.
plain = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 10)).to(device)
try:
    plain.load_state_dict(compiled.state_dict())
except RuntimeError as error:
    print("compiled.state_dict() into a plain model: RuntimeError:")
    for line in str(error).splitlines()[1:]:  # the missing keys, then the unexpected ones
        print(" ", line.strip())
print("model.state_dict() into a plain model:", plain.load_state_dict(model.state_dict()))
