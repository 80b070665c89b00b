# varies: ms
from collections import Counter

import torch
from torch import nn
from torch.profiler import ProfilerActivity, profile, record_function, schedule

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

torch.manual_seed(0)
inputs = torch.randn(4096, 64)
targets = torch.randint(0, 10, (4096,))
loss_fn = nn.CrossEntropyLoss()


def fresh_run():
    """A new model and optimizer, and a function that takes one training step."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 10)).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    batch_order = torch.Generator().manual_seed(0)

    def train_step():
        idx = torch.randint(0, len(inputs), (256,), generator=batch_order)
        x, y = inputs[idx].to(device), targets[idx].to(device)
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return train_step


def all_names(event):
    """The names of an event's children, their children, and so on."""
    names = []
    for child in event.cpu_children:
        names += [child.name] + all_names(child)
    return names


def profile_first_steps():
    """Profile the first 5 steps of a fresh run, each step under a label of its own."""
    train_step = fresh_run()
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for step in range(5):
            with record_function(f"step {step}"):
                train_step()
    steps = [event for event in prof.events() if event.name.startswith("step ")]
    ran = [Counter(all_names(event)) for event in steps]  # how often each operation ran
    only_step_0 = {n: c for n, c in ran[0].items() if n.startswith("aten::") and n not in ran[1]}
    return prof, steps, ran, only_step_0


def times(steps):
    return " ".join(f"{event.cpu_time_total / 1000:7.3f} ms" for event in steps)


# 1. Run 1: the first 5 steps of this process, with a fresh model and Adam.
prof, steps, ran, only_step_0 = profile_first_steps()
print("run 1, the first training steps of this process:")
print(f"  step 0: {times(steps[:1])}   steps 1 to 4: {times(steps[1:])}")
print("  steps 1 to 4 run the same operations:", ran[1] == ran[2] == ran[3] == ran[4])
print("  step 0 runs them all too:", not ran[1] - ran[0])
print("  operations that run in step 0 only:")
for name, calls in only_step_0.items():
    print(f"    {name:18} {calls:2d} calls")
extra_us = sum(event.cpu_time_total for event in prof.events() if event.name in only_step_0)
print(
    f"  time in those: {extra_us / 1000:.3f} ms; step 0 without them: "
    f"{(steps[0].cpu_time_total - extra_us) / 1000:.3f} ms"
)

# The control: three more runs, each with a fresh model and Adam of its own, in the same
# process. If step 0 were slow because its model and optimizer are new, theirs would be too.
print("\nruns 2 to 4, a fresh model and Adam each, in the same process:")
same_extra = True
for run in range(2, 5):
    _, steps, _, extra = profile_first_steps()
    same_extra = same_extra and extra == only_step_0
    print(f"  run {run}: step 0: {times(steps[:1])}   steps 1 to 4: {times(steps[1:])}")
print("  their step 0 runs the same extra operations as run 1's:", same_extra)

# 2. Five more steps of a fresh run with a schedule: step 0 is skipped (wait),
# step 1 is recorded but thrown away (warmup), steps 2 to 4 are kept (active).
kept, step_events = [], []


def trace_ready(p):
    # Called when the active steps are done: the place to print or save the profile.
    kept.extend(p.key_averages())
    step_events.extend(e for e in p.events() if e.name.startswith("ProfilerStep"))


train_step = fresh_run()
with profile(
    activities=[ProfilerActivity.CPU],
    schedule=schedule(wait=1, warmup=1, active=3),
    on_trace_ready=trace_ready,
) as prof:
    for _ in range(5):
        train_step()
        prof.step()  # tells the profiler that a step ended

print("\nwith schedule(wait=1, warmup=1, active=3):")
# Each kept step is an event; its trace_name (the name in a saved trace) holds the step's
# number, its name has * instead, so that key_averages() groups the steps in one row.
print("  step events, trace_name:", [event.trace_name for event in step_events])
print("  step events, name:      ", [event.name for event in step_events])
for row in kept:
    if row.key.startswith("ProfilerStep"):
        per_step_ms = row.cpu_time_total / row.count / 1000
        print(f"  key_averages() row {row.key}: {row.count} calls, {per_step_ms:.3f} ms per step")
counts = {row.key: row.count for row in kept}
for name in ("aten::addmm", "aten::mm", "aten::zeros_like"):
    print(f"  {name:18} {counts.get(name, 0):2d} calls")
