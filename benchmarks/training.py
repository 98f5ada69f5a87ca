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


class WordLM:
    """The word-language-model tutorial's network: Embedding(10000, 200), a 2-layer LSTM(200)
    and a Linear back to the vocabulary, over (seq 35, batch 20) token ids."""

    def __init__(self, m):
        nn = m.nn
        self.m, self.embed = m, nn.Embedding(10000, 200)
        self.lstm, self.decode = nn.LSTM(200, 200, 2), nn.Linear(200, 10000)
        self.params = [*self.embed.parameters(), *self.lstm.parameters(), *self.decode.parameters()]

    def step_fn(self, seed=0):
        m = self.m
        rng = np.random.default_rng(seed)
        x = m.from_numpy(rng.integers(0, 10000, (35, 20)))
        y = m.from_numpy(rng.integers(0, 10000, 35 * 20))
        loss_fn = m.nn.CrossEntropyLoss()
        optimizer = m.optim.SGD(self.params, lr=1.0)

        def step():
            optimizer.zero_grad()
            out, _ = self.lstm(self.embed(x))
            loss = loss_fn(self.decode(out).reshape(-1, 10000), y)
            loss.backward()
            m.nn.utils.clip_grad_norm_(self.params, 0.25)
            optimizer.step()
            return loss
        return step


def lstm_step(m, seed=0):
    m.manual_seed(seed)
    return WordLM(m).step_fn(seed)


def mlp(m):
    nn = m.nn
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))


def _status_kib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"/proc/self/status has no {field}")


def peak_memory(framework, name):
    """Run in a fresh process that imports only ``framework``: the peak resident memory of
    building ``name`` (model, data, optimizer) and training it five steps, above the memory
    the process holds right after the import (MiB). The kernel's high-water mark is reset
    first (``/proc/self/clear_refs``), so the import's own peak does not count."""
    m = __import__(framework)
    if framework == "torch":
        m.set_num_threads(1)
    before = _status_kib("VmRSS")
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    step = _STEPS[name][1](m)
    for _ in range(5):
        step()
    print((_status_kib("VmHWM") - before) / 1024)


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
    rows = [compare(label, make(ember), make(torch), rounds, min_time) for label, make in _STEPS.values()]
    report(rows, threads)
    print("peak memory of building and training 5 steps (fresh process each): " + ", ".join(
        f"{name} ember {_child_peak('ember', name):.0f} MiB / PyTorch {_child_peak('torch', name):.0f} MiB"
        for name in _STEPS))
    e0, e2, t2 = loader_time(ember, 0), loader_time(ember, 2), loader_time(torch, 2)
    print(f"slow dataset, 1600 samples: ember 0 workers {e0:.2f} s, 2 workers {e2:.2f} s "
          f"(speed-up {e0 / e2:.2f}x); PyTorch 2 workers {t2:.2f} s (ratio {e2 / t2:.2f}x)")


def _sgd(m, model):
    return m.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)


def _adam(m, model):
    return m.optim.Adam(model.parameters(), lr=1e-3)


def _plain_sgd(m, model):
    return m.optim.SGD(model.parameters(), lr=1e-3)


_STEPS = {  # name -> (label, m -> step function)
    "mlp": ("mlp (quickstart, batch 64, SGD)", lambda m: training_step(m, mlp, (64, 1, 28, 28), _plain_sgd)),
    "lenet": ("lenet (batch 64, SGD momentum)", lambda m: training_step(m, lenet, (64, 1, 28, 28), _sgd)),
    "cnn_bn": ("cnn_bn (batch 32, 3x32x32, Adam)", lambda m: training_step(m, cnn_bn, (32, 3, 32, 32), _adam)),
    "lstm": ("lstm (word LM, seq 35, batch 20)", lstm_step),
}


def _child_peak(framework, name):
    import subprocess
    code = f"from benchmarks.training import peak_memory; peak_memory({framework!r}, {name!r})"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1"))
    return float(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    if "--peak" in sys.argv:  # python -m benchmarks.training --peak ember lstm
        peak_memory(*sys.argv[sys.argv.index("--peak") + 1:][:2])
    else:
        main()
