"""``autocast``: run chosen ops in a lower precision inside a ``with`` block.

PyTorch's CPU autocast computes matmuls and convolutions in bfloat16, a dtype ember does not
have; its CUDA autocast needs a GPU. So ember's ``autocast`` does what PyTorch's does when it
ends up disabled -- ``enabled=False``, or ``device_type='cuda'`` without CUDA (with PyTorch's
warning) -- and refuses, naming the feature, when it would have to change precision."""
import functools
import warnings

from .. import cuda


def is_autocast_available(device_type):
    return device_type in ("cpu", "cuda")


class autocast:
    """``with autocast(device_type, dtype=None, enabled=True, cache_enabled=None):`` (also a
    decorator)."""

    def __init__(self, device_type, dtype=None, enabled=True, cache_enabled=None):
        if not isinstance(device_type, str):
            raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
        if not is_autocast_available(device_type):
            raise RuntimeError(f"User specified an unsupported autocast device_type '{device_type}'")
        self.device, self.fast_dtype = device_type, dtype
        if enabled and device_type == "cuda" and not cuda.is_available():
            warnings.warn("CUDA is not available or torch_xla is imported. Disabling autocast.")
            enabled = False
        if enabled:
            raise NotImplementedError(f"torch.autocast(device_type={device_type!r}) with enabled=True: ember has no "
                                      "bfloat16/float16 matmuls to autocast to (see docs/coverage.md); run in float32 "
                                      "or pass enabled=False")
        self._enabled = False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def run(*args, **kwargs):
            with self:
                return fn(*args, **kwargs)
        return run
