import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, get_worker_info


class NoisyNumbers(Dataset):
    """Sample i: i, the id of the worker, and two draws, from NumPy's generator and its own."""

    def __init__(self):
        self.rng = np.random.default_rng(0)  # made once, in the main process

    def __len__(self):
        return 8

    def __getitem__(self, index):
        info = get_worker_info()
        global_draw = np.random.randint(1000)  # NumPy's global generator
        own_draw = self.rng.integers(1000)  # the generator made in __init__
        return index, info.id, global_draw, own_draw


def reseed_own_generator(worker_id):
    """Runs once in each new worker process, before it loads a sample."""
    info = get_worker_info()
    # info.dataset is this worker's copy of the dataset; info.seed differs per worker and epoch.
    info.dataset.rng = np.random.default_rng(info.seed)


def show(worker_init_fn):
    loader = DataLoader(
        NoisyNumbers(),
        batch_size=2,
        shuffle=True,
        num_workers=2,
        generator=torch.Generator().manual_seed(0),
        worker_init_fn=worker_init_fn,
    )
    for epoch in (1, 2):
        print(f"epoch {epoch}  sample  worker  np.random draw  own generator's draw")
        for indices, workers, global_draws, own_draws in loader:
            columns = (indices, workers, global_draws, own_draws)
            for row in zip(*(column.tolist() for column in columns), strict=True):
                print(f"{row[0]:14d}  {row[1]:6d}  {row[2]:14d}  {row[3]:20d}")


if __name__ == "__main__":
    print("without worker_init_fn:")
    show(None)
    print("\nwith worker_init_fn=reseed_own_generator:")
    show(reseed_own_generator)
