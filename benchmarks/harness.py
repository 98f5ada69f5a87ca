"""Time ember and PyTorch side by side, in one process, on the same inputs.

``compare(name, ember_step, torch_step)`` alternates the two (so both see the same machine
state), takes the best of several repeats of many calls each, and returns the times per call
and the ratio ember / PyTorch (below 1: ember is faster).
"""
import timeit


def per_call(fn, min_time=0.2):
    """Seconds per call of ``fn``: the best of 5 repeats, each at least ``min_time`` long."""
    fn()
    n, t = 1, 0.0
    while True:  # find a call count whose repeat takes about min_time
        t = timeit.timeit(fn, number=n)
        if t >= min_time / 4 or n > 1e6:
            break
        n *= 4
    n = max(1, int(n * (min_time / 4) / max(t, 1e-9)))
    return timeit.timeit(fn, number=n) / n


def compare(name, ember_step, torch_step, rounds=5, min_time=0.2):
    """Best-of-``rounds`` seconds per call for ember and torch, alternating, and the ratio."""
    e_best = t_best = float("inf")
    for _ in range(rounds):
        e_best = min(e_best, per_call(ember_step, min_time))
        t_best = min(t_best, per_call(torch_step, min_time))
    return {"name": name, "ember_s": e_best, "torch_s": t_best, "ratio": e_best / t_best}


def fmt_time(s):
    if s < 1e-3:
        return f"{s * 1e6:8.1f} us"
    if s < 1:
        return f"{s * 1e3:8.2f} ms"
    return f"{s:8.2f} s "


def report(rows, threads):
    print(f"\n== {threads} thread{'s' if threads > 1 else ''} ==")
    print(f"{'benchmark':34s} {'ember':>11s} {'torch':>11s}  ratio")
    for r in rows:
        print(f"{r['name']:34s} {fmt_time(r['ember_s'])} {fmt_time(r['torch_s'])}  {r['ratio']:5.2f}x")
