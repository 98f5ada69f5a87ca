"""A custom Dataset that reads a CSV file with pandas, fed to a small network (seed 001).

Plain PyTorch code: run it on PyTorch (``python examples/csv_dataset.py``) or unchanged on
ember (``python -m ember run examples/csv_dataset.py``).

Without ``--csv`` it first writes its own data, ``houses.csv`` in a temporary folder: a
made-up house-price table (area, rooms, age -> price) drawn with NumPy's seeded generator,
so both frameworks read the same file. A map-style Dataset serves one row per index
(``__len__``, ``__getitem__`` through ``iloc``); a shuffling DataLoader batches them; an MLP
with sigmoid hidden units learns the price with MSE loss, SGD with momentum and a LambdaLR
schedule, as in the notes.
"""
import argparse
import os
import tempfile

import numpy as np
import pandas as pd
import torch
from torch import nn, optim
from torch.utils.data import DataLoader, Dataset

FEATURES = ["area", "rooms", "age"]
TARGET = "price"


def write_example_csv(path, n=400, seed=0):
    """Price (in 100k) = a smooth function of the features + noise."""
    rng = np.random.default_rng(seed)
    area = rng.uniform(30, 200, n)  # square metres
    rooms = rng.integers(1, 7, n)
    age = rng.uniform(0, 80, n)  # years
    price = 0.02 * area + 0.3 * rooms - 1.5 * np.tanh(age / 40) + rng.normal(0, 0.1, n)
    df = pd.DataFrame({"area": area.round(1), "rooms": rooms, "age": age.round(1), "price": price.round(3)})
    df.to_csv(path, index=False)


class CsvDataset(Dataset):
    """One sample per CSV row: (features as a float tensor, target as a 1-element tensor).

    The columns are standardised with statistics passed in (those of the training part), so
    that the sigmoid units start in their sensitive range instead of saturated."""

    def __init__(self, frame, mean, std):
        self.frame = frame.reset_index(drop=True)
        self.mean, self.std = mean, std

    def __len__(self):
        return len(self.frame)

    def __getitem__(self, idx):
        row = self.frame.iloc[idx]
        x = (row[FEATURES].to_numpy(dtype=np.float32) - self.mean) / self.std
        y = np.array([row[TARGET]], dtype=np.float32)
        return torch.from_numpy(x), torch.from_numpy(y)


class MLP(nn.Module):
    def __init__(self, n_in, hidden):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(n_in, hidden), nn.Sigmoid(), nn.Linear(hidden, hidden), nn.Sigmoid(),
                                    nn.Linear(hidden, 1))

    def forward(self, x):
        return self.layers(x)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", help="a CSV with columns area, rooms, age, price (default: write one)")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--limit", type=int, default=0, help="use only the first N rows (0: all)")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--hidden", type=int, default=32)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.manual_seed(args.seed)  # same initial weights and shuffles on PyTorch and ember

    tmp = tempfile.TemporaryDirectory()
    path = args.csv or os.path.join(tmp.name, "houses.csv")
    if not args.csv:
        write_example_csv(path)
    df = pd.read_csv(path)
    if args.limit:
        df = df.iloc[:args.limit]
    print(f"{path.replace(tmp.name, '<tmp>')}: {len(df)} rows, columns {list(df.columns)}")
    print("missing values:", int(df.isna().sum().sum()))
    print(df.corr().round(2)[TARGET].to_string())

    # a whole column as a tensor, the notes' way: values -> from_numpy -> (N, 1) float. (The
    # copy: recent pandas hands out read-only arrays, and from_numpy shares memory.)
    prices = torch.from_numpy(df[TARGET].values.copy()).unsqueeze(dim=1).float()
    print(f"prices: {tuple(prices.shape)} {prices.dtype}, mean {prices.mean().item():.4f}")

    n_train = int(0.8 * len(df))
    train_df, test_df = df.iloc[:n_train], df.iloc[n_train:]
    mean = train_df[FEATURES].to_numpy(dtype=np.float32).mean(0)
    std = train_df[FEATURES].to_numpy(dtype=np.float32).std(0)
    train_set, test_set = CsvDataset(train_df, mean, std), CsvDataset(test_df, mean, std)
    x0, y0 = train_set[0]
    print(f"sample 0: x {x0.tolist()} y {y0.tolist()}")
    train_loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True)
    test_loader = DataLoader(test_set, batch_size=64, shuffle=False)

    model = MLP(len(FEATURES), args.hidden)
    loss_fn = nn.MSELoss()
    optimizer = optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
    scheduler = optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=lambda epoch: 0.95 ** epoch)
    for epoch in range(args.epochs):
        model.train()
        train_loss = 0.0
        for x, y in train_loader:
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            train_loss += loss.item() * len(x)
        scheduler.step()
        model.eval()
        with torch.no_grad():
            test_loss = sum(loss_fn(model(x), y).item() * len(x) for x, y in test_loader) / len(test_set)
        print(f"epoch {epoch + 1:3d}  train MSE {train_loss / len(train_set):.5f}  test MSE {test_loss:.5f}")

    with torch.no_grad():
        x, y = next(iter(test_loader))
        pred = model(x)
    for p, t in zip(pred[:3, 0].tolist(), y[:3, 0].tolist()):
        print(f"predicted {p:.3f}  actual {t:.3f}")
    tmp.cleanup()


if __name__ == "__main__":
    main()
