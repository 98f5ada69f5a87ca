"""The benchmarks, run at one thread count (set by ``benchmarks/run.py`` through the
environment before NumPy's BLAS and PyTorch load). Prints one row per benchmark.

* ``tiny_ops``: ``((x*2+1).relu()*x).sum().backward()`` on 16 elements: per-op overhead.
* ``mlp``: the quickstart network (784-512-512-10, batch 64, float32), forward + backward +
  a hand-written SGD update, with matrix ops written directly.
* ``matmul`` / ``add`` / ``mul`` / ``exp`` / ``sum`` / ``mean(dim)`` at three sizes.
"""
import os
import sys

import numpy as np


def _setup(threads):
    import torch
    torch.set_num_threads(threads)
    import ember
    return torch, ember


def tiny_ops(m):
    x = m.ones(16, requires_grad=True)

    def step():
        y = ((x * 2 + 1).relu() * x).sum()
        y.backward()
    return step


def mlp(m, seed=0):
    rng = np.random.default_rng(seed)
    sizes = [784, 512, 512, 10]
    params = []
    for i, o in zip(sizes, sizes[1:]):
        bound = 1 / np.sqrt(i)
        params.append(m.from_numpy(rng.uniform(-bound, bound, (i, o)).astype(np.float32)).requires_grad_())
        params.append(m.from_numpy(rng.uniform(-bound, bound, o).astype(np.float32)).requires_grad_())
    x = m.from_numpy(rng.standard_normal((64, 784)).astype(np.float32))
    onehot = m.from_numpy(np.eye(10, dtype=np.float32)[rng.integers(0, 10, 64)])
    lr = 1e-3

    def step():
        w1, b1, w2, b2, w3, b3 = params
        h = (x @ w1 + b1).relu()
        h = (h @ w2 + b2).relu()
        logits = h @ w3 + b3
        loss = -(logits.log_softmax(1) * onehot).sum() / 64
        loss.backward()
        with m.no_grad():
            for p in params:
                p -= lr * p.grad
                p.grad = None
        return loss
    return step, params


def micro(m, n):
    rng = np.random.default_rng(0)
    a = m.from_numpy(rng.standard_normal((n, n)).astype(np.float32))
    b = m.from_numpy(rng.standard_normal((n, n)).astype(np.float32))
    return {
        f"matmul {n}x{n}": lambda: a @ b,
        f"add {n}x{n}": lambda: a + b,
        f"mul {n}x{n}": lambda: a * b,
        f"exp {n}x{n}": lambda: a.exp(),
        f"sum {n}x{n}": lambda: a.sum(),
        f"mean(dim=1) {n}x{n}": lambda: a.mean(1),
    }


def loader_epoch(m):
    """One shuffled epoch over a 60000 x 784 TensorDataset in batches of 64 (MNIST's size)."""
    rng = np.random.default_rng(0)
    ds = m.utils.data.TensorDataset(m.from_numpy(rng.standard_normal((60000, 784)).astype(np.float32)),
                                    m.from_numpy(rng.integers(0, 10, 60000)))
    dl = m.utils.data.DataLoader(ds, batch_size=64, shuffle=True)

    def epoch():
        for _ in dl:
            pass
    return epoch


def check_mlp_agrees(torch, ember):
    """Both frameworks must compute the same losses, or the timing compares different work."""
    se, pe = mlp(ember)
    st, pt = mlp(torch)
    for _ in range(3):
        le, lt = se().item(), st().item()
        assert abs(le - lt) < 1e-4 * max(1, abs(lt)), (le, lt)


def main():
    from benchmarks.harness import compare, report
    threads = int(os.environ.get("EMBER_BENCH_THREADS", "1"))
    torch, ember = _setup(threads)
    quick = "--quick" in sys.argv
    min_time = 0.05 if quick else 0.2
    rounds = 2 if quick else 5
    rows = [compare("tiny_ops", tiny_ops(ember), tiny_ops(torch), rounds, min_time)]
    check_mlp_agrees(torch, ember)
    rows.append(compare("mlp (784-512-512-10, batch 64)", mlp(ember)[0], mlp(torch)[0], rounds, min_time))
    rows.append(compare("loader epoch (60000x784, batch 64)", loader_epoch(ember), loader_epoch(torch), 2, 0.5))
    for n in (16, 128, 1024):
        em, tm = micro(ember, n), micro(torch, n)
        for name in em:
            rows.append(compare(name, em[name], tm[name], rounds, min_time))
    report(rows, threads)


if __name__ == "__main__":
    main()
