"""Reductions: sums, means and the other ops that collapse dimensions.

The backward of a reduction spreads the gradient back over the reduced dimensions: the
reduced dims are re-inserted as size 1 (``keepdim``) and broadcast to the input's shape.
"""
import numpy as np

from .. import _dtype
from .._size import Size
from .._tensor import Tensor
from ..autograd.function import Function
from ._util import methods, normalize_dims


def _reduced_dtype(x, dtype):
    """Sums of bool and integer tensors are int64 unless ``dtype=`` says otherwise."""
    if dtype is not None:
        return _dtype.to_dtype(dtype).np
    return np.int64 if x.dtype.kind in "biu" else x.dtype


def expand_back(grad, in_shape, dims, keepdim):
    """Broadcast a reduction's gradient back to the input's shape."""
    if not keepdim and dims:
        kept = list(in_shape)
        for d in dims:
            kept[d] = 1
        grad = grad.reshape(kept)
    return grad.expand(in_shape)


class Sum(Function):
    """out = sum of x over ``dims``.   d out/d x_i = 1 for every summed element, so the
    gradient is the output's gradient broadcast back over the summed dims."""

    _backward_name = "SumBackward1"

    @staticmethod
    def forward(ctx, x, dims, keepdim, np_dtype):
        a = x._data
        ctx.meta = (a.shape, dims, keepdim)
        if len(dims) == a.ndim and not keepdim:
            return np.asarray(a.sum(dtype=np_dtype))
        return a.sum(axis=dims, keepdims=keepdim, dtype=np_dtype)

    @staticmethod
    def backward(ctx, grad):
        shape, dims, keepdim = ctx.meta
        return expand_back(grad, shape, dims, keepdim), None, None, None


class SumAll(Sum):
    _backward_name = "SumBackward0"


class Mean(Function):
    """out = (1/N) * sum of x over ``dims`` (N elements per output).   d out/d x_i = 1/N."""

    _backward_name = "MeanBackward1"

    @staticmethod
    def forward(ctx, x, dims, keepdim, np_dtype):
        a = x._data
        n = 1
        for d in dims:
            n *= a.shape[d]
        ctx.meta = (a.shape, dims, keepdim, n)
        if np_dtype is not None:
            a = a.astype(np_dtype)
        if len(dims) == a.ndim and not keepdim:
            return np.asarray(a.mean(dtype=a.dtype)) if a.size else np.asarray(np.nan, a.dtype)
        with np.errstate(invalid="ignore", divide="ignore"):
            return a.mean(axis=dims, keepdims=keepdim, dtype=a.dtype)

    @staticmethod
    def backward(ctx, grad):
        shape, dims, keepdim, n = ctx.meta
        return expand_back(grad / n, shape, dims, keepdim), None, None, None


class MeanAll(Mean):
    _backward_name = "MeanBackward0"


def sum(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Sum of all elements, or over ``dim`` (an int or a tuple of ints)."""
    a = input._data
    dims = normalize_dims(dim, a.ndim) if not (isinstance(dim, (tuple, list)) and len(dim) == 0) else \
        tuple(range(a.ndim))
    cls = SumAll if dim is None else Sum
    r = cls.apply(input, dims, keepdim, _reduced_dtype(a, dtype))
    if out is not None:
        from .pointwise import _out
        return _out(r, out)
    return r


def mean(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Arithmetic mean of all elements, or over ``dim``; floating tensors only."""
    a = input._data
    np_dtype = _dtype.to_dtype(dtype).np if dtype is not None else None
    if a.dtype.kind != "f" and (np_dtype is None or np_dtype.kind != "f"):
        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a floating "
                           f"point or complex dtype. Got: {_dtype.type_word(a.dtype)}")
    dims = normalize_dims(dim, a.ndim) if not (isinstance(dim, (tuple, list)) and len(dim) == 0) else \
        tuple(range(a.ndim))
    cls = MeanAll if dim is None else Mean
    r = cls.apply(input, dims, keepdim, np_dtype)
    if out is not None:
        from .pointwise import _out
        return _out(r, out)
    return r


class SumToSize(Function):
    """out = x summed down to a shape x broadcasts from: the adjoint of ``expand``.
    Its gradient is the incoming gradient expanded back to x's shape."""

    _backward_name = "SumToSizeBackward0"

    @staticmethod
    def forward(ctx, x, shape):
        a = x._data
        ctx.shape = a.shape
        lead = a.ndim - len(shape)
        axes = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape)
                                          if s == 1 and a.shape[lead + i] != 1)
        r = a.sum(axis=axes, keepdims=True) if axes else a
        return r.reshape(shape) if lead else r

    @staticmethod
    def backward(ctx, grad):
        return grad.expand(ctx.shape), None


def sum_to_size(self, *size):
    """Sum this tensor down to ``size``, which it must be expandable from."""
    from .._tensor import _shape_arg
    shape = _shape_arg(size)
    try:
        ok = np.broadcast_shapes(shape, self._data.shape) == self._data.shape
    except ValueError:
        ok = False
    if not ok:
        raise RuntimeError(f"size {{{', '.join(map(str, shape))}}} is not expandable to size "
                           f"{{{', '.join(map(str, self._data.shape))}}}.")
    if shape == self._data.shape:
        return self
    return SumToSize.apply(self, shape)


__all__ = ["sum", "mean"]
methods(sum, mean, sum_to_size)
