"""``ember.amp``: automatic mixed precision, as far as it goes without a GPU or half-precision
matmuls: ``GradScaler`` works (PyTorch's loss scaling, also on the CPU), and ``autocast``
behaves as PyTorch's does where that is "off" (CUDA requested without CUDA, ``enabled=False``).
"""
from .autocast_mode import autocast, is_autocast_available  # noqa: F401
from .grad_scaler import GradScaler  # noqa: F401

from .._missing import module_getattr as _module_getattr  # noqa: E402
__getattr__ = _module_getattr("torch.amp")
