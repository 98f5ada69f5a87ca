"""Views and shape operations: view, reshape, expand, permute, transpose, squeeze, ...

A view op returns a NumPy view of its input's array, so the two share memory exactly as
PyTorch views share storage; ``as_view`` also makes the output share the input's version
counter and remember its base. The backward of a shape op is the inverse shape op applied to
the gradient (reshape back, permute by the inverse permutation, sum an expansion back down).
"""
import math

import numpy as np

from .._tensor import Tensor, _shape_arg
from ..autograd.function import Function
from ._util import methods, normalize_dim


def as_view(out, src):
    """Mark ``out`` as a view of ``src``: shared version counter, common base."""
    out._vc = src._vc
    out._base = src if src._base is None else src._base
    return out


def infer_size(shape, numel):
    """Resolve one ``-1`` in ``shape`` for ``numel`` elements, with PyTorch's errors."""
    shape = list(shape)
    neg = [i for i, s in enumerate(shape) if s == -1]
    if len(neg) > 1:
        raise RuntimeError("only one dimension can be inferred")
    for s in shape:
        if s < -1:
            raise RuntimeError(f"invalid shape dimension {s}")
    known = math.prod(s for s in shape if s != -1)
    if neg:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{_fmt(shape)}' is invalid for input of size {numel}")
        shape[neg[0]] = numel // known
    elif known != numel:
        raise RuntimeError(f"shape '{_fmt(shape)}' is invalid for input of size {numel}")
    return tuple(shape)


def _fmt(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _shape_from(args):
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    return tuple(int(s) for s in args)


class View(Function):
    """out = x with a new shape, same memory.   The gradient is reshaped back."""

    _backward_name = "ViewBackward0"

    @staticmethod
    def forward(ctx, x, shape):
        a = x._data
        ctx.in_shape = a.shape
        try:
            return np.reshape(a, shape, copy=False)
        except ValueError:
            raise RuntimeError("view size is not compatible with input tensor's size and stride (at least one "
                               "dimension spans across two contiguous subspaces). Use .reshape(...) "
                               "instead.") from None

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.in_shape), None


class UnsafeView(Function):
    """out = a reshaped copy of x (reshape of memory that no view can describe)."""

    _backward_name = "UnsafeViewBackward0"

    @staticmethod
    def forward(ctx, x, shape):
        ctx.in_shape = x._data.shape
        return np.reshape(x._data, shape)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.in_shape), None


def view(self, *shape):
    """The same memory seen with another shape (one size may be -1); or ``view(dtype)``."""
    if len(shape) == 1 and not isinstance(shape[0], (tuple, list, int, np.integer)):
        from .. import _dtype
        d = _dtype.to_dtype(shape[0])
        if d.itemsize != self._data.itemsize:
            raise NotImplementedError("Tensor.view(dtype) with a different element size is not supported by ember")
        return as_view(Tensor._make(self._data.view(d.np)), self)
    shape = infer_size(_shape_from(shape), self._data.size)
    return as_view(View.apply(self, shape), self)


def reshape(input, *shape):
    """A tensor with the given shape: a view when the memory allows, else a copy."""
    shape = infer_size(_shape_from(shape), input._data.size)
    a = input._data
    try:
        np.reshape(a, shape, copy=False)
    except ValueError:
        return UnsafeView.apply(input, shape)
    return as_view(View.apply(input, shape), input)


def view_as(self, other):
    return view(self, other._data.shape)


def reshape_as(self, other):
    return reshape(self, other._data.shape)


def flatten(input, start_dim=0, end_dim=-1):
    """Merge dims ``start_dim..end_dim`` into one."""
    a = input._data
    if a.ndim == 0:
        return reshape(input, 1)
    s = normalize_dim(start_dim, a.ndim)
    e = normalize_dim(end_dim, a.ndim)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return input
    shape = a.shape[:s] + (math.prod(a.shape[s:e + 1]),) + a.shape[e + 1:]
    return reshape(input, shape)


class Expand(Function):
    """out = x broadcast to a larger shape (no copy).   Each input element feeds every copy
    of itself, so its gradient is the sum over the copies: ``sum_to_size``."""

    _backward_name = "ExpandBackward0"

    @staticmethod
    def forward(ctx, x, shape):
        ctx.in_shape = x._data.shape
        return np.broadcast_to(x._data, shape)

    @staticmethod
    def backward(ctx, grad):
        return grad.sum_to_size(ctx.in_shape), None


def expand(self, *sizes):
    """Broadcast to ``sizes`` (``-1`` keeps a dim) without copying."""
    sizes = _shape_from(sizes)
    a = self._data
    if len(sizes) < a.ndim:
        raise RuntimeError(f"expand(torch.FloatTensor{{{list(a.shape)}}}, size={list(sizes)}): the number of sizes "
                           "provided (" + str(len(sizes)) + ") must be greater or equal to the number of dimensions "
                           f"in the tensor ({a.ndim})")
    lead = len(sizes) - a.ndim
    shape = []
    for i, s in enumerate(sizes):
        if i < lead:
            if s < 0:
                raise RuntimeError(f"The expanded size of the tensor ({s}) isn't allowed in a leading, "
                                   "non-existing dimension 0")
            shape.append(s)
            continue
        cur = a.shape[i - lead]
        if s == -1:
            s = cur
        elif cur != s and cur != 1:
            raise RuntimeError(f"The expanded size of the tensor ({s}) must match the existing size ({cur}) at "
                               f"non-singleton dimension {i}.  Target sizes: {list(sizes)}.  Tensor sizes: "
                               f"{list(a.shape)}")
        shape.append(s)
    shape = tuple(shape)
    if shape == a.shape:
        return as_view(View.apply(self, shape), self) if self._requires_grad else self._alias()
    return as_view(Expand.apply(self, shape), self)


def expand_as(self, other):
    return expand(self, other._data.shape)


class Permute(Function):
    """out = x with its dims reordered.   The gradient is permuted back by the inverse order."""

    _backward_name = "PermuteBackward0"

    @staticmethod
    def forward(ctx, x, dims):
        ctx.inverse = tuple(np.argsort(dims))
        return np.transpose(x._data, dims)

    @staticmethod
    def backward(ctx, grad):
        return grad.permute(ctx.inverse), None


def permute(input, *dims):
    """Reorder the dimensions (a view)."""
    nd = input._data.ndim
    dims = tuple(normalize_dim(d, nd) for d in _shape_from(dims))
    if len(dims) != nd:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does not match "
                           f"the length of the desired ordering of dimensions i.e. input.dim() = {nd} is not "
                           f"equal to len(dims) = {len(dims)}")
    if len(set(dims)) != nd:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return as_view(Permute.apply(input, dims), input)


class Transpose(Function):
    """out = x with two dims swapped.   Swapping them again gives the gradient."""

    _backward_name = "TransposeBackward0"

    @staticmethod
    def forward(ctx, x, d0, d1):
        ctx.dims = (d0, d1)
        return np.swapaxes(x._data, d0, d1)

    @staticmethod
    def backward(ctx, grad):
        return grad.transpose(*ctx.dims), None, None


def transpose(input, dim0, dim1):
    """Swap two dimensions (a view)."""
    nd = input._data.ndim
    d0, d1 = normalize_dim(dim0, nd), normalize_dim(dim1, nd)
    if nd < 2:
        return input._alias() if not input._requires_grad else as_view(View.apply(input, input._data.shape), input)
    return as_view(Transpose.apply(input, d0, d1), input)


swapaxes = swapdims = transpose


class T(Transpose):
    _backward_name = "TBackward0"


def t(input):
    """Transpose a tensor of at most 2 dims."""
    nd = input._data.ndim
    if nd > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {nd}D")
    if nd < 2:
        return transpose(input, 0, 0)
    return as_view(T.apply(input, 0, 1), input)


class Unsqueeze(Function):
    """out = x with a new size-1 dim.   The gradient drops it again."""

    _backward_name = "UnsqueezeBackward0"

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        return np.expand_dims(x._data, dim)

    @staticmethod
    def backward(ctx, grad):
        return grad.squeeze(ctx.dim), None


def unsqueeze(input, dim):
    """Insert a size-1 dimension at ``dim`` (a view)."""
    d = normalize_dim(dim, input._data.ndim + 1)
    return as_view(Unsqueeze.apply(input, d), input)


class Squeeze(Function):
    """out = x without some size-1 dims.   The gradient is reshaped back."""

    _backward_name = "SqueezeBackward1"

    @staticmethod
    def forward(ctx, x, dims):
        ctx.in_shape = x._data.shape
        return np.squeeze(x._data, axis=dims)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.in_shape), None


class SqueezeAll(Squeeze):
    _backward_name = "SqueezeBackward0"


def squeeze(input, dim=None):
    """Remove size-1 dims: all of them, or those among ``dim`` (an int or a tuple)."""
    a = input._data
    if dim is None:
        dims = tuple(i for i, s in enumerate(a.shape) if s == 1)
        return as_view(SqueezeAll.apply(input, dims), input)
    dl = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    dims = tuple(sorted({normalize_dim(d, a.ndim) for d in dl if a.ndim}))
    dims = tuple(d for d in dims if a.shape[d] == 1)
    return as_view(Squeeze.apply(input, dims), input)


class Contiguous(Function):
    """out = x laid out row-major (a copy if it was not).   d out/dx = 1."""

    _backward_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, x):
        return np.ascontiguousarray(x._data)

    @staticmethod
    def backward(ctx, grad):
        return grad


def contiguous(self, memory_format=None):
    """``self`` if already row-major, else a row-major copy."""
    if self.is_contiguous():
        return self
    return Contiguous.apply(self)


__all__ = ["reshape", "flatten", "permute", "transpose", "swapaxes", "swapdims", "t", "unsqueeze",
           "squeeze"]
methods(view, reshape, view_as, reshape_as, flatten, expand, expand_as, permute, transpose, swapaxes,
        swapdims, t, unsqueeze, squeeze, contiguous)
Tensor.T = property(lambda self: permute(self, tuple(reversed(range(self._data.ndim)))))
Tensor.mT = property(lambda self: transpose(self, -2, -1))
