"""``torch.finfo`` / ``torch.iinfo``: the limits of a floating or integer dtype (NumPy knows
them), ``can_cast``, ``typename``, and the determinism switch scripts set for reproducibility."""
import numpy as np

from . import _dtype


def _g(x):
    return f"{x:g}"  # how PyTorch's reprs print these numbers


class finfo:
    """Machine limits of a floating dtype: ``bits eps max min tiny smallest_normal resolution``."""

    def __init__(self, type=None):
        d = _dtype.get_default_dtype() if type is None else _dtype.to_dtype(type)
        if not d.is_floating_point:
            raise TypeError("torch.finfo() requires a floating point input type. Use torch.iinfo to handle "
                            "'torch.finfo'")
        info = np.finfo(d.np)
        self.bits, self.dtype = info.bits, d.name
        self.eps, self.max, self.min = float(info.eps), float(info.max), float(info.min)
        self.tiny = self.smallest_normal = float(info.smallest_normal)
        self.resolution = 10.0 ** -info.precision  # 10^-(decimal digits), exactly

    def __repr__(self):
        return (f"finfo(resolution={_g(self.resolution)}, min={_g(self.min)}, max={_g(self.max)}, eps={_g(self.eps)}, "
                f"smallest_normal={_g(self.smallest_normal)}, tiny={_g(self.tiny)}, dtype={self.dtype})")


class iinfo:
    """Limits of an integer dtype: ``bits max min``."""

    def __init__(self, type):
        d = _dtype.to_dtype(type)
        if d.is_floating_point or d.name == "bool":
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to handle 'torch.iinfo'")
        info = np.iinfo(d.np)
        self.bits, self.max, self.min, self.dtype = info.bits, int(info.max), int(info.min), d.name

    def __repr__(self):
        return f"iinfo(min={_g(self.min)}, max={_g(self.max)}, dtype={self.dtype})"


def can_cast(from_, to):
    """Whether PyTorch's type promotion allows an in-place result of dtype ``from_`` to be
    written into ``to``: never from a higher category (float -> integer, integer -> bool)."""
    return _dtype.to_dtype(from_)._category <= _dtype.to_dtype(to)._category


def typename(obj):
    """``torch.FloatTensor`` for a float32 tensor, else the type's name, as PyTorch prints."""
    from ._tensor import Tensor, _legacy_type_name
    if isinstance(obj, Tensor):
        return _legacy_type_name(obj)
    return type(obj).__name__


_deterministic = [False]


def use_deterministic_algorithms(mode, *, warn_only=False):
    """Accepted and remembered: every ember algorithm already gives the same result each run."""
    _deterministic[0] = bool(mode)


def are_deterministic_algorithms_enabled():
    return _deterministic[0]
