# launch: torchrun --standalone --nproc-per-node 2
# timeout: 60
import os

import torch
import torch.distributed as dist

# torchrun starts this same file in every process and tells each one who it is
# through environment variables.
rank = int(os.environ["RANK"])  # this process: 0, 1, ... world_size - 1
world_size = int(os.environ["WORLD_SIZE"])  # how many processes there are in all
local_rank = int(os.environ["LOCAL_RANK"])  # this process's number on its own machine

# Join the group. gloo is a backend that moves tensors between processes on the CPU;
# where to meet (MASTER_ADDR, MASTER_PORT) comes from torchrun's variables too.
dist.init_process_group("gloo")

# Each rank makes a different tensor from its rank.
x = torch.tensor([rank + 1.0, 10.0 * (rank + 1)])

# Every rank sends a small report to every other; only rank 0 prints them, so the
# lines come out once and in rank order.
reports = [None] * world_size
dist.all_gather_object(reports, (rank, local_rank, dist.get_rank(), x.tolist()))
if rank == 0:
    print("world size:", world_size, "| get_world_size():", dist.get_world_size())
    for r, local, from_group, values in reports:
        print(f"rank {r}: LOCAL_RANK {local}, get_rank() {from_group}, x = {values}")

# all_reduce: every rank sends its x and receives the sum of all of them, in place.
dist.all_reduce(x, op=dist.ReduceOp.SUM)
after_sum = [None] * world_size
dist.all_gather_object(after_sum, x.tolist())

# The average is the sum divided by the number of ranks, computed on every rank.
x /= world_size
after_mean = [None] * world_size
dist.all_gather_object(after_mean, x.tolist())
if rank == 0:
    for r in range(world_size):
        print(f"rank {r}: after all_reduce(SUM) {after_sum[r]}, / {world_size}: {after_mean[r]}")
    print("every rank holds the same numbers now", flush=True)  # flush: out now, not at exit

# Wait for every rank, then leave the group before the process ends: no rank leaves
# while another still uses the group.
dist.barrier()
dist.destroy_process_group()
