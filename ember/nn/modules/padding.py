"""Padding modules: ``ZeroPad``, ``ConstantPad``, ``ReflectionPad``, ``ReplicationPad`` and
``CircularPad`` for 1, 2 and 3 trailing dims, each a thin wrapper around ``F.pad``.

``padding`` is an int (the same amount on every side) or a tuple listed like ``F.pad``'s:
(left, right) of the last dim first, then (top, bottom), then (front, back).
"""
from .. import functional as F
from .module import Module, _own_forward


def _ntuple(padding, n):
    # PyTorch's _pair/_quadruple/_ntuple(6): an int is repeated, any iterable is taken as is
    # (its length is checked later, by F.pad)
    if isinstance(padding, (list, tuple)):
        return tuple(padding)
    return (padding,) * n


class _PadNd(Module):
    """Shared forward: ``F.pad(input, self.padding, self._mode)``."""

    _mode = "constant"
    _dims = 1

    def __init__(self, padding):
        super().__init__()
        self.padding = _ntuple(padding, 2 * self._dims)

    def forward(self, input):
        return F.pad(input, self.padding, self._mode)

    def extra_repr(self):
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    """y = x surrounded by ``value`` (negative amounts crop)."""

    def __init__(self, padding, value):
        super().__init__(padding)
        self.value = value

    def forward(self, input):
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self):
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pad the last dim with a constant."""


class ConstantPad2d(_ConstantPadNd):
    """Pad the last two dims with a constant."""

    _dims = 2


class ConstantPad3d(_ConstantPadNd):
    """Pad the last three dims with a constant."""

    _dims = 3


class _ZeroPadNd(_ConstantPadNd):
    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"


class ZeroPad1d(_ZeroPadNd):
    """Pad the last dim with zeros."""


class ZeroPad2d(_ZeroPadNd):
    """Pad the last two dims with zeros."""

    _dims = 2


class ZeroPad3d(_ZeroPadNd):
    """Pad the last three dims with zeros."""

    _dims = 3


class ReflectionPad1d(_PadNd):
    """Mirror the last dim around its edge elements (the edge itself is not repeated)."""

    _mode = "reflect"


class ReflectionPad2d(ReflectionPad1d):
    """Mirror the last two dims."""

    _dims = 2


class ReflectionPad3d(ReflectionPad1d):
    """Mirror the last three dims."""

    _dims = 3


class ReplicationPad1d(_PadNd):
    """Repeat the edge elements of the last dim."""

    _mode = "replicate"


class ReplicationPad2d(ReplicationPad1d):
    """Repeat the edge elements of the last two dims."""

    _dims = 2


class ReplicationPad3d(ReplicationPad1d):
    """Repeat the edge elements of the last three dims."""

    _dims = 3


class _CircularPadNd(_PadNd):
    """Wrap around: the left pad is read from the right end of the dim and vice versa."""

    _mode = "circular"

    def forward(self, input):
        # PyTorch's circular modules check the rank themselves (ValueError), before F.pad
        if input.dim() not in (self._dims + 1, self._dims + 2):
            raise ValueError(f"expected {self._dims + 1}D or {self._dims + 2}D input (got {input.dim()}D input)")
        return super().forward(input)


class CircularPad1d(_CircularPadNd):
    """Wrap the last dim around."""


class CircularPad2d(_CircularPadNd):
    """Wrap the last two dims around."""

    _dims = 2


class CircularPad3d(_CircularPadNd):
    """Wrap the last three dims around."""

    _dims = 3


# PyTorch's reflection and replication pads share a forward per kind
_own_forward(ReflectionPad1d, ReflectionPad2d, ReflectionPad3d, qualname="_ReflectionPadNd.forward")
_own_forward(ReplicationPad1d, ReplicationPad2d, ReplicationPad3d, qualname="_ReplicationPadNd.forward")
