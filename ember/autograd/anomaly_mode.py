"""Anomaly detection: find the forward op whose backward produced NaN.

While enabled, every recorded op keeps the stack of the code that created it; if a node's
backward returns a gradient containing NaN, the engine raises PyTorch's RuntimeError naming
the node, after printing (as a warning) where its forward ran.
"""
import traceback
import warnings

import numpy as np

from . import function


def record_forward_trace(ctx):
    ctx.metadata["traceback_"] = traceback.format_stack()[:-2]


def check_gradients(node, grads):
    """Raise naming ``node`` if a gradient it returned (ndarray or Tensor) holds NaN."""
    for i, g in enumerate(grads):
        a = g if g is None or g.__class__ is np.ndarray else g._data
        if a is not None and a.dtype.kind == "f" and np.isnan(a).any():
            trace = node._meta.get("traceback_") if node._meta else None
            if trace:
                warnings.warn("Error detected in " + node.name() + ". Traceback of forward call that caused "
                              "the error:\n" + "".join(trace), UserWarning, stacklevel=2)
            raise RuntimeError(f"Function '{node.name()}' returned nan values in its {i}th output.")


class detect_anomaly:
    """Context manager (and decorator) that turns anomaly detection on."""

    def __init__(self, check_nan=True):
        self.check_nan = check_nan

    def __enter__(self):
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime and should "
                      "only be enabled for debugging.", UserWarning, stacklevel=2)
        self._prev = function._anomaly[0]
        function._anomaly[0] = self.check_nan
        return self

    def __exit__(self, *exc):
        function._anomaly[0] = self._prev
        return False

    def __call__(self, fn):
        import functools

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.__class__(self.check_nan):
                return fn(*args, **kwargs)
        return wrapper


class set_detect_anomaly:
    """Turn anomaly detection on or off now; as a context manager, restore it on exit."""

    def __init__(self, mode, check_nan=True):
        self._prev = function._anomaly[0]
        function._anomaly[0] = bool(mode) and check_nan

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        function._anomaly[0] = self._prev
        return False


def is_anomaly_enabled():
    return function._anomaly[0]
