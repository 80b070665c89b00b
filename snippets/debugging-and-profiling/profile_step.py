# varies: ms
import torch
from torch import nn
from torch.profiler import ProfilerActivity, profile, record_function

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

torch.manual_seed(0)
inputs = torch.randn(4096, 64)  # the data set stays on the CPU; each batch is moved
targets = torch.randint(0, 10, (4096,))
model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 10)).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
loss_fn = nn.CrossEntropyLoss()
batch_order = torch.Generator().manual_seed(0)


def train_step():
    # Each label becomes a row of the profile that holds everything run inside it.
    with record_function("data"):
        idx = torch.randint(0, len(inputs), (256,), generator=batch_order)
        x, y = inputs[idx].to(device), targets[idx].to(device)
    with record_function("forward"):
        loss = loss_fn(model(x), y)
    with record_function("backward"):
        optimizer.zero_grad()
        loss.backward()
    with record_function("optimizer"):
        optimizer.step()


for _ in range(3):  # warm-up: the first steps pay one-off costs (the next program shows them)
    train_step()

# Record what runs on the CPU (on a CUDA GPU, ProfilerActivity.CUDA adds the GPU's side).
with profile(activities=[ProfilerActivity.CPU]) as prof:
    for _ in range(5):
        train_step()

# key_averages() groups the recorded events by name: one row per name, over all 5 steps.
rows = {row.key: row for row in prof.key_averages()}
print(f"{'row':10} {'calls':>5}  {'self CPU':>10}  {'CPU total':>10}")
for name in ("data", "forward", "backward", "optimizer"):
    row = rows[name]
    self_ms, total_ms = row.self_cpu_time_total / 1000, row.cpu_time_total / 1000  # us -> ms
    print(f"{name:10} {row.count:5d}  {self_ms:7.3f} ms  {total_ms:7.3f} ms")


# Inside a label: the operations it called, the ones those called, and so on, summed
# over the 5 steps. prof.events() keeps every single event, each with its children.
# The tree is built from those links: each node is [calls, self us, total us, children].
def walk(event, tree, depth, max_depth):
    for child in event.cpu_children:
        node = tree.setdefault(child.name, [0, 0.0, 0.0, {}])
        node[0] += 1
        node[1] += child.self_cpu_time_total
        node[2] += child.cpu_time_total
        if depth + 1 < max_depth:
            walk(child, node[3], depth + 1, max_depth)


def print_tree(tree, depth):
    # Each row is printed under its own parent, with that parent's other children.
    for name, (calls, self_us, total_us, children) in tree.items():
        name = "  " * depth + name
        print(f"{name:30} {calls:5d}  {self_us / 1000:7.3f} ms  {total_us / 1000:7.3f} ms")
        print_tree(children, depth + 1)


def print_inside(label, max_depth):
    tree = {}
    for event in prof.events():
        if event.name == label:
            walk(event, tree, 0, max_depth)
    print(f"\ninside {label}:")
    print_tree(tree, 1)


print_inside("forward", max_depth=10)  # the whole tree
print_inside("optimizer", max_depth=2)  # Adam's own event, and what it calls

# Self time is what is left of the total time once the operations inside are taken out.
first = next(event for event in prof.events() if event.name == "forward")
inner_us = sum(child.cpu_time_total for child in first.cpu_children)
print(
    f"\nforward, first profiled step: total {first.cpu_time_total / 1000:.3f} ms"
    f" = self {first.self_cpu_time_total / 1000:.3f} ms + inside {inner_us / 1000:.3f} ms"
)

# The table PyTorch prints: the same rows, sorted by one column, with a share (%) of the
# whole and an average per call beside each time. Sorted by a time, its rows change
# order from run to run: both tables go to a file, to open after the run.
averages = prof.key_averages()
by_self = averages.table(sort_by="self_cpu_time_total", row_limit=12)
by_total = averages.table(sort_by="cpu_time_total", row_limit=12)
with open("profile_table.txt", "w") as f:
    f.write(by_self + "\n" + by_total)
print("\ntable columns:", by_self.splitlines()[1].strip())
# Sorted by total time, rows that contain one another keep one order: forward holds
# aten::linear, which holds aten::addmm (sorted() sorts as the table does).
nested = ("forward", "aten::linear", "aten::addmm")
rows = sorted(averages, key=lambda row: row.cpu_time_total, reverse=True)
print("sorted by cpu_time_total:", ", then ".join(row.key for row in rows if row.key in nested))


# Self times are measured: a single call held up (by another program, by the system)
# can swap two rows of the self-time sort. It moves the median of the 10 calls (here
# the 6th smallest time) at most up to the 7th smallest, however long it was held up.
def median_self_ms(name):
    times = sorted(event.self_cpu_time_total for event in prof.events() if event.name == name)
    return times[len(times) // 2] / 1000


addmm, linear = median_self_ms("aten::addmm"), median_self_ms("aten::linear")
print(f"own work in the median call: aten::addmm {addmm:.3f} ms, aten::linear {linear:.3f} ms")
print("aten::addmm does more of its own work than aten::linear:", addmm > linear)
