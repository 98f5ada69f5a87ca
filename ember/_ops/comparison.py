"""Comparisons: ``eq ne lt le gt ge`` (and their operators). They return bool tensors and
have no gradient (a step function's derivative is zero wherever it exists)."""
import numpy as np

from .._tensor import Tensor
from ._util import binary_arrays, methods


def _compare(ufunc):
    def op(input, other, *, out=None):
        x, y = binary_arrays(input, other)
        r = Tensor._make(np.asarray(ufunc(x, y)))
        if out is not None:
            from .pointwise import _out
            return _out(r, out)
        return r
    op.__name__ = ufunc.__name__
    return op


eq = _compare(np.equal)
ne = _compare(np.not_equal)
lt = _compare(np.less)
le = _compare(np.less_equal)
gt = _compare(np.greater)
ge = _compare(np.greater_equal)
eq.__name__, ne.__name__, lt.__name__, le.__name__, gt.__name__, ge.__name__ = "eq", "ne", "lt", "le", "gt", "ge"
eq.__doc__ = "``input == other`` elementwise, as a bool tensor."
ne.__doc__ = "``input != other`` elementwise."
lt.__doc__ = "``input < other`` elementwise."
le.__doc__ = "``input <= other`` elementwise."
gt.__doc__ = "``input > other`` elementwise."
ge.__doc__ = "``input >= other`` elementwise."
not_equal, less, less_equal, greater, greater_equal = ne, lt, le, gt, ge


def _eq_operator(self, other):
    if not isinstance(other, (Tensor, int, float, bool, np.number, np.bool_)):
        return NotImplemented
    return eq(self, other)


def _ne_operator(self, other):
    if not isinstance(other, (Tensor, int, float, bool, np.number, np.bool_)):
        return NotImplemented
    return ne(self, other)


__all__ = ["eq", "ne", "lt", "le", "gt", "ge", "not_equal", "less", "less_equal", "greater", "greater_equal"]
methods(eq, ne, lt, le, gt, ge, not_equal, less, less_equal, greater, greater_equal,
        __eq__=_eq_operator, __ne__=_ne_operator, __lt__=lt, __le__=le, __gt__=gt, __ge__=ge)
