"""Rounding division and remainders: ``div(rounding_mode=)``, ``floor_divide``, ``remainder``
(sign of the divisor, like Python's %), ``fmod`` (sign of the dividend, like C's fmod).

Their gradients: a rounded quotient is piecewise constant (zero gradient); a remainder
a - b*floor(a/b) has d/da = 1 and d/db = -floor(a/b) (-trunc(a/b) for fmod)."""
import numpy as np

from .._tensor import Tensor
from ..autograd.function import Function
from ._util import binary_arrays, methods, apply_inplace, to_tensor


def _int_zero_check(x, y):
    if np.asarray(x).dtype.kind in "iub" and np.asarray(y).dtype.kind in "iub" and np.any(np.asarray(y) == 0):
        raise RuntimeError("ZeroDivisionError")


def _floor_divide_floats(x, y):
    """floor(x / y) for floats as Python and PyTorch define it: from the exact remainder
    r = fmod(x, y), q = (x - r) / y is (nearly) an integer, less one where r and y differ in
    sign; rounding q to the nearest integer then undoes the division's rounding. So
    1 // -inf is -1 (not floor(-0.0) = -0), and 0 // y keeps the sign of x / y. Where y == 0
    the IEEE quotient (inf or NaN) stands. Half precision is worked in float32."""
    dtype = np.result_type(x, y)  # before asarray: a Python number stays weak, as in the true division
    x, y = np.asarray(x), np.asarray(y)
    if dtype == np.float16:
        x, y = x.astype(np.float32), y.astype(np.float32)
    r = np.fmod(x, y)
    q = (x - r) / y
    q = q - ((r != 0) & ((y < 0) != (r < 0)))
    f = np.floor(q)
    f = f + (q - f > 0.5)
    out = np.where(q != 0, f, np.copysign(0, x / y))
    return np.where(y == 0, x / y, out).astype(dtype, copy=False)


class DivRounded(Function):
    """y = trunc(a / b) or floor(a / b).   A step function of a and b: zero gradient."""

    _graph_inputs = (0, 1)  # PyTorch counts a Python number operand as an input

    _backward_name = "DivBackward2"

    @staticmethod
    def forward(ctx, a, b, mode):
        x, y = binary_arrays(a, b)
        _int_zero_check(x, y)
        with np.errstate(all="ignore"):
            if np.asarray(x).dtype.kind in "iu" and np.asarray(y).dtype.kind in "biu":  # True divides as 1
                q = np.floor_divide(x, y)
                if mode == "trunc":
                    q = np.where((np.remainder(x, y) != 0) & ((x < 0) != (np.asarray(y) < 0)), q + 1, q)
                return np.asarray(q)
            if mode == "floor":
                return np.asarray(_floor_divide_floats(x, y))
            return np.asarray(np.trunc(np.true_divide(x, y)))

    @staticmethod
    def backward(ctx, g):
        return g * 0, (g * 0 if ctx.needs_input_grad[1] else None), None


def div_rounded(input, other, mode):
    if mode not in ("trunc", "floor"):
        raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{mode}'")
    if not isinstance(input, Tensor):
        input = to_tensor(input)
    return DivRounded.apply(input, other, mode)


def floor_divide(input, other, *, out=None):
    """floor(input / other)."""
    r = div_rounded(input, other, "floor")
    if out is not None:
        from .pointwise import _out
        return _out(r, out)
    return r


class Remainder(Function):
    """y = a - b floor(a / b) (the sign of b).   dy/da = 1,  dy/db = -floor(a / b)."""

    _backward_name = "RemainderBackward0"
    _np = staticmethod(np.remainder)

    @staticmethod
    def forward(ctx, a, b):
        x, y = binary_arrays(a, b)
        _int_zero_check(x, y)
        ctx.save_for_backward(a if isinstance(a, Tensor) else None, b if isinstance(b, Tensor) else None)
        ctx.numbers = (a, b)
        with np.errstate(all="ignore"):
            return np.asarray(type(ctx)._forward_cls._np(x, y))

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        nb = ctx.needs_input_grad[1]
        gb = None
        if nb:
            av = a if a is not None else ctx.numbers[0]
            mode = "floor" if type(ctx)._forward_cls._np is np.remainder else "trunc"
            gb = -g * div_rounded(av, b, mode)
        return g, gb


class RemainderTensor(Remainder):
    _backward_name = "RemainderBackward1"


class Fmod(Remainder):
    """y = a - b trunc(a / b) (the sign of a).   dy/da = 1,  dy/db = -trunc(a / b)."""

    _backward_name = "FmodBackward0"
    _np = staticmethod(np.fmod)


class FmodTensor(Fmod):
    _backward_name = "FmodBackward1"


def remainder(input, other, *, out=None):
    if not isinstance(input, Tensor):
        input = to_tensor(input)
    r = (RemainderTensor if isinstance(other, Tensor) else Remainder).apply(input, other)
    if out is not None:
        from .pointwise import _out
        return _out(r, out)
    return r


def fmod(input, other, *, out=None):
    r = (FmodTensor if isinstance(other, Tensor) else Fmod).apply(input, other)
    if out is not None:
        from .pointwise import _out
        return _out(r, out)
    return r


def _reflected(op):
    """``other (op) tensor``: a number on the left becomes a tensor; an ndarray on the left is
    left to Python (NotImplemented, so its TypeError), as PyTorch does for // and %."""
    def reflected(self, other):
        return NotImplemented if other.__class__ is np.ndarray else op(to_tensor(other), self)
    return reflected


__all__ = ["floor_divide", "remainder", "fmod"]
methods(floor_divide, remainder, fmod,
        floor_divide_=lambda self, o: apply_inplace(self, floor_divide, o),
        remainder_=lambda self, o: apply_inplace(self, remainder, o),
        fmod_=lambda self, o: apply_inplace(self, fmod, o),
        __floordiv__=floor_divide, __rfloordiv__=_reflected(floor_divide),
        __ifloordiv__=lambda self, o: apply_inplace(self, floor_divide, o),
        __mod__=remainder, __rmod__=_reflected(remainder),
        __imod__=lambda self, o: apply_inplace(self, remainder, o))
