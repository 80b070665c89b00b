import torch

# The sum of the squares of a million numbers (a dot product), added up by 1 to 4 threads.
x = torch.randn(1_000_000, generator=torch.Generator().manual_seed(0))
torch.set_num_threads(1)
alone = x @ x
for threads in (1, 2, 3, 4):
    torch.set_num_threads(threads)
    total = x @ x
    same = torch.equal(total, alone)
    close = torch.allclose(total, alone, rtol=1e-5)
    print(f"{threads} thread(s): the same bits as one thread: {same!s:5}  within 1e-5: {close}")
