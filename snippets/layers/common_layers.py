import torch
from torch import nn

torch.manual_seed(0)


def count(layer: nn.Module) -> int:
    return sum(p.numel() for p in layer.parameters())


def show(name: str, layer: nn.Module, x: torch.Tensor) -> None:
    y = layer(x)
    print(f"{name:20} {str(tuple(x.shape)):13} -> {str(tuple(y.shape)):13} params={count(layer)}")


features = torch.randn(8, 16)  # 8 samples, 16 features each
show("Linear(16, 4)", nn.Linear(16, 4), features)
show("ReLU()", nn.ReLU(), features)
show("Dropout(p=0.5)", nn.Dropout(p=0.5), features)
show("LayerNorm(16)", nn.LayerNorm(16), features)
show("BatchNorm1d(16)", nn.BatchNorm1d(16), features)

images = torch.randn(8, 1, 5, 5)  # 8 one-channel images of 5x5 pixels
show("Flatten()", nn.Flatten(), images)

# Embedding looks up one learned vector per integer id (e.g. one per word).
token_ids = torch.tensor([[1, 4, 4, 9], [0, 2, 7, 3]])  # 2 sentences of 4 ids
show("Embedding(10, 3)", nn.Embedding(num_embeddings=10, embedding_dim=3), token_ids)
