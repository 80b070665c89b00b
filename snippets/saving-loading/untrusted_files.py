import os
import pickle
import tempfile

import torch


class Surprise:
    """Pickle asks an object how to rebuild it; this one answers "call print(...)".

    A real attack would answer with something like os.system and a shell command.
    """

    def __reduce__(self):
        return (print, ("this code ran while the file was loading",))


with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "downloaded.pth")
    torch.save({"weight": torch.ones(3), "extra": Surprise()}, path)

    # The safe way: weights_only=True only rebuilds tensors and plain containers.
    try:
        torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:
        print("weights_only=True refused the file:", type(error).__name__)
        message = str(error).replace("\x1b[1m", "").replace("\x1b[0m", "")  # no bold markers
        for line in message.splitlines():
            if line.strip():
                print("  " + line.strip())

    # Without the argument, torch.load uses its default, which is the same.
    try:
        torch.load(path, map_location="cpu")
    except pickle.UnpicklingError as error:
        print("no weights_only argument: refused too,", type(error).__name__)

    # The unsafe way runs whatever the file asks for. Here it is a harmless print.
    print("weights_only=False on the same file:")
    loaded = torch.load(path, map_location="cpu", weights_only=False)
    print("loaded:", loaded)
