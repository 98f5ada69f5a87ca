"""``ember.profiler``: the ``torch.profiler`` front end of ember's op profiler.

The recording itself lives in ``ember/autograd/profiler.py`` (``torch.autograd.profiler``);
this module adds the newer API's names: ``ProfilerActivity``, ``activities=``,
``start()``/``stop()``/``step()`` and ``on_trace_ready``.
"""
import enum

from ..autograd.profiler import profile as _autograd_profile, record_function, EventList  # noqa: F401

__all__ = ["profile", "record_function", "ProfilerActivity"]


class ProfilerActivity(enum.Enum):
    """What to record. ember runs on the CPU, so only ``CPU`` has anything to record."""
    CPU = "CPU"
    CUDA = "CUDA"


class profile(_autograd_profile):
    """``torch.profiler.profile``: record CPU ops between ``start()`` and ``stop()`` (or in a
    ``with`` block); ``on_trace_ready(prof)`` runs when it stops."""

    def __init__(self, *, activities=None, schedule=None, on_trace_ready=None, record_shapes=False,
                 profile_memory=False, with_stack=False, with_flops=False, with_modules=False,
                 experimental_config=None, acc_events=False):
        if schedule is not None:
            raise NotImplementedError("torch.profiler.profile(schedule=...) is not implemented in ember: "
                                      "profile the steps you want with a plain `with profile():` block")
        if activities is not None and ProfilerActivity.CPU not in activities:
            raise RuntimeError("ember's profiler records CPU time only: pass "
                               "activities=[ProfilerActivity.CPU]")
        super().__init__(record_shapes=record_shapes, profile_memory=profile_memory, with_stack=with_stack,
                         with_flops=with_flops, with_modules=with_modules)
        self.on_trace_ready = on_trace_ready
        self.step_num = 0

    def start(self):
        self.__enter__()

    def stop(self):
        self.__exit__(None, None, None)

    def step(self):
        """Mark the end of a training step (kept for API compatibility; without a schedule
        every step is recorded)."""
        self.step_num += 1

    def __exit__(self, *exc):
        was_running = self._running
        super().__exit__(*exc)
        if was_running and self.on_trace_ready is not None:
            self.on_trace_ready(self)
        return False
