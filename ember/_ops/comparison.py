"""Comparisons: ``eq ne lt le gt ge`` (and their operators), closeness tests (``isclose``,
``allclose``, ``equal``) and the floating-point class tests (``isnan``, ``isinf``, ...).

They return bool tensors (or Python bools) and have no gradient: a step function's
derivative is zero wherever it exists. Operands are promoted to a common dtype first, with
PyTorch's rules (``binary_arrays``): comparing an int tensor with 2.5 compares as floats,
and a uint8 tensor with -1 compares with -1 wrapped to 255, as PyTorch does.
"""
import numpy as np

from .. import _dtype
from .._tensor import Tensor
from ._util import binary_arrays, methods, check_broadcast, tensor_operand
from .pointwise import _out

_NUMBERS = (int, float, bool, np.number, np.bool_)


def _compare(ufunc, name, doc):
    def op(input, other, *, out=None):
        if not isinstance(input, Tensor) or not isinstance(other, (Tensor,) + _NUMBERS):
            raise TypeError(f"{name}() received an invalid combination of arguments - got "
                            f"({type(input).__name__}, {type(other).__name__})")
        x, y = binary_arrays(input, other)  # raises PyTorch's error for shapes that do not broadcast
        return _out(Tensor._make(np.asarray(ufunc(x, y))), out)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


eq = _compare(np.equal, "eq", "``input == other`` elementwise, as a bool tensor.")
ne = _compare(np.not_equal, "ne", "``input != other`` elementwise.")
lt = _compare(np.less, "lt", "``input < other`` elementwise.")
le = _compare(np.less_equal, "le", "``input <= other`` elementwise.")
gt = _compare(np.greater, "gt", "``input > other`` elementwise.")
ge = _compare(np.greater_equal, "ge", "``input >= other`` elementwise.")
not_equal, less, less_equal, greater, greater_equal = ne, lt, le, gt, ge


def _eq_operator(self, other):
    if other.__class__ is np.ndarray:  # PyTorch's == (alone among the comparisons) takes an array
        x, y = binary_arrays(self, other)
        check_broadcast(x.shape, y.shape)
        return Tensor._make(np.asarray(x == y))
    if not isinstance(other, (Tensor,) + _NUMBERS):
        return NotImplemented
    return eq(self, other)


def _operator(op):
    """The operator form of comparison ``op``: anything but a tensor or a number is left to
    Python (NotImplemented), whose TypeError names the two types, as PyTorch's operators do."""
    def compare(self, other):
        if not isinstance(other, (Tensor,) + _NUMBERS):
            return NotImplemented
        return op(self, other)
    compare.__name__ = compare.__qualname__ = f"__{op.__name__}__"
    return compare


# --- closeness ----------------------------------------------------------------------------------
@tensor_operand
def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """``|input - other| <= atol + rtol * |other|`` elementwise (equal values, infinities
    included, are always close; NaNs only with ``equal_nan``). Both tensors must have the
    same dtype; integers are compared through their float difference."""
    a, b = input._data, other._data
    if a.dtype != b.dtype:
        raise RuntimeError(f"{_dtype.type_word(a.dtype)} did not match {_dtype.type_word(b.dtype)}")
    if rtol < 0:
        raise RuntimeError(f"rtol must be greater than or equal to zero, but got {rtol}")
    if atol < 0:
        raise RuntimeError(f"atol must be greater than or equal to zero, but got {atol}")
    check_broadcast(np.shape(a), np.shape(b))
    close = a == b
    if equal_nan and a.dtype.kind == "f":
        close |= np.isnan(a) & np.isnan(b)
    if rtol or atol:
        if a.dtype.kind != "f":
            a, b = a.astype(np.float64), b.astype(np.float64)
        with np.errstate(invalid="ignore", over="ignore"):
            err = np.abs(a - b)
            close |= np.isfinite(err) & (err <= atol + np.abs(rtol * b))
    return Tensor._make(np.asarray(close))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """True (a Python bool) when ``isclose`` holds everywhere."""
    return bool(isclose(input, other, rtol, atol, equal_nan)._data.all())


def equal(input, other):
    """True (a Python bool) when both tensors have the same shape and the same values (NaN is
    never equal to itself); the dtypes may differ."""
    if not isinstance(other, Tensor):
        raise TypeError(f"equal(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}")
    return input._data.shape == other._data.shape and bool(np.equal(*binary_arrays(input, other)).all())


# --- floating-point classes ---------------------------------------------------------------------
def _classify(fn, name, doc):
    def op(input, *, out=None):
        return _out(Tensor._make(np.asarray(fn(input._data))), out)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


def _float_only(fn):
    """A class test that is False everywhere for integer and bool tensors."""
    return lambda a: fn(a) if a.dtype.kind == "f" else np.zeros(a.shape, bool)


isnan = _classify(_float_only(np.isnan), "isnan", "True where ``input`` is NaN (never for integers).")
isinf = _classify(_float_only(np.isinf), "isinf", "True where ``input`` is +inf or -inf.")
isposinf = _classify(_float_only(np.isposinf), "isposinf", "True where ``input`` is +inf.")
isneginf = _classify(_float_only(np.isneginf), "isneginf", "True where ``input`` is -inf.")
isfinite = _classify(lambda a: np.isfinite(a) if a.dtype.kind == "f" else np.ones(a.shape, bool), "isfinite",
                     "True where ``input`` is neither NaN nor infinite (always for integers).")
isreal = _classify(lambda a: np.ones(a.shape, bool), "isreal",
                   "True where ``input`` has no imaginary part: everywhere, as ember has no complex dtypes.")


__all__ = ["eq", "ne", "lt", "le", "gt", "ge", "not_equal", "less", "less_equal", "greater", "greater_equal",
           "isclose", "allclose", "equal", "isnan", "isinf", "isposinf", "isneginf", "isfinite", "isreal"]
methods(eq, ne, lt, le, gt, ge, not_equal, less, less_equal, greater, greater_equal, isclose, allclose, equal,
        isnan, isinf, isposinf, isneginf, isfinite, isreal,
        __eq__=_eq_operator, __ne__=_operator(ne), __lt__=_operator(lt), __le__=_operator(le),
        __gt__=_operator(gt), __ge__=_operator(ge))
