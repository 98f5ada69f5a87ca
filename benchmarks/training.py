"""Training-step benchmarks of issue-sized models (forward, loss, zero_grad, backward, step),
and the DataLoader worker speed-up: ``python -m benchmarks.training [--quick]``.
Same weights and data for ember and PyTorch; ratios are ember / PyTorch."""
import os
import sys
import time

import numpy as np


def lenet(m):
    nn = m.nn
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                         nn.Linear(84, 10))


def cnn_bn(m):
    nn = m.nn

    def block(i, o):
        return [nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU()]
    return nn.Sequential(*block(3, 32), nn.MaxPool2d(2), *block(32, 64), *block(64, 128),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(128, 10))


def training_step(m, build, shape, opt, seed=0):
    m.manual_seed(seed)
    model = build(m)
    rng = np.random.default_rng(seed)
    x = m.from_numpy(rng.standard_normal(shape).astype(np.float32))
    y = m.from_numpy(rng.integers(0, 10, shape[0]))
    optimizer = opt(m, model)
    loss_fn = m.nn.CrossEntropyLoss()

    def step():
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return loss
    return step


class SlowDataset:
    """~1 ms of work per sample, like decoding and augmenting an image."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        end = time.perf_counter() + 0.001
        while time.perf_counter() < end:
            pass
        return np.full((3, 8, 8), i, np.float32)


def loader_time(m, workers, n=1600):
    dl = m.utils.data.DataLoader(SlowDataset(n), batch_size=16, num_workers=workers)
    start = time.perf_counter()
    for _ in dl:
        pass
    return time.perf_counter() - start


def main():
    from benchmarks.harness import compare, report
    import torch
    import ember
    threads = int(os.environ.get("EMBER_BENCH_THREADS", "1"))
    torch.set_num_threads(threads)
    quick = "--quick" in sys.argv
    rounds, min_time = (2, 0.3) if quick else (3, 1.0)
    sgd = lambda m, model: m.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)  # noqa: E731
    adam = lambda m, model: m.optim.Adam(model.parameters(), lr=1e-3)  # noqa: E731
    rows = [compare("lenet (batch 64, SGD momentum)", training_step(ember, lenet, (64, 1, 28, 28), sgd),
                    training_step(torch, lenet, (64, 1, 28, 28), sgd), rounds, min_time),
            compare("cnn_bn (batch 32, 3x32x32, Adam)", training_step(ember, cnn_bn, (32, 3, 32, 32), adam),
                    training_step(torch, cnn_bn, (32, 3, 32, 32), adam), rounds, min_time)]
    report(rows, threads)
    e0, e2, t2 = loader_time(ember, 0), loader_time(ember, 2), loader_time(torch, 2)
    print(f"slow dataset, 1600 samples: ember 0 workers {e0:.2f} s, 2 workers {e2:.2f} s "
          f"(speed-up {e0 / e2:.2f}x); PyTorch 2 workers {t2:.2f} s (ratio {e2 / t2:.2f}x)")


if __name__ == "__main__":
    main()
