"""Does the profiler cost anything when it is off?

The profiler swaps timing wrappers into ``Function.apply`` and the backward engine only
while a ``profile`` block runs. This compares ``tiny_ops`` (the per-op overhead benchmark)
before any profile has run, inside one (the cost when on) and after it has ended, each as
a ratio to PyTorch's time for the same step measured alongside (which cancels machine load).
Run: ``python -m benchmarks.profiler_overhead``.
"""
from .harness import per_call, fmt_time
from .suite import tiny_ops


def main(rounds=7, min_time=0.2):
    import torch
    torch.set_num_threads(1)
    import ember
    from ember.autograd.profiler import profile

    step, tstep = tiny_ops(ember), tiny_ops(torch)

    def phase():
        """Best ember and torch times, alternating so both see the same machine load."""
        e = t = float("inf")
        for _ in range(rounds):
            e, t = min(e, per_call(step, min_time)), min(t, per_call(tstep, min_time))
        return e, t

    before, torch_before = phase()       # the profiler has never run in this process
    with profile():
        on = per_call(step, min_time / 4)  # events pile up while on: a shorter run
    after, torch_after = phase()         # the same, once a profile has come and gone

    print(f"{'tiny_ops':32s} {'per step':>11s}  vs torch")
    for name, t, ref in (("ember, before any profile", before, torch_before),
                         ("ember, inside a profile", on, torch_after),
                         ("ember, after a profile ended", after, torch_after)):
        print(f"{name:32s} {fmt_time(t)}  {t / ref:5.2f}x")
    before, after = before / torch_before, after / torch_after
    print(f"after / before (each relative to torch): {after / before:.3f}")


if __name__ == "__main__":
    main()
