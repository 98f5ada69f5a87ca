"""``torch.multiprocessing``: Python's ``multiprocessing``, which it wraps. ember's tensors
pickle by value (their NumPy arrays), so no shared-memory reductions need registering;
``DataLoader`` workers move batches through shared memory on their own."""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403


def spawn(fn, args=(), nprocs=1, join=True, daemon=False, start_method="spawn"):
    """Run ``fn(i, *args)`` in ``nprocs`` processes; wait for them if ``join`` (a failure in
    any raises here, naming the process)."""
    ctx = _mp.get_context(start_method)
    procs = [ctx.Process(target=fn, args=(i, *args), daemon=daemon) for i in range(nprocs)]
    for p in procs:
        p.start()
    if not join:
        return procs
    for i, p in enumerate(procs):
        p.join()
        if p.exitcode != 0:
            raise RuntimeError(f"process {i} terminated with exit code {p.exitcode}")
    return None
