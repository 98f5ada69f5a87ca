"""``F.pad``: constant, reflect, replicate and circular padding.

Constant padding copies the input into the middle of a filled tensor; its gradient is the
middle slice of the output gradient (negative pads crop instead). The other modes read every
output element from some input element: output = x[index] for an index array built per dim
(reflect mirrors around the edge, replicate repeats it, circular wraps around). The gradient
of such a gather adds each output gradient back onto the element it was read from.
"""
import numpy as np

from .._tensor import Tensor
from ..autograd.function import Function

_MODE_NAMES = {"reflect": "Reflection", "replicate": "Replication", "circular": "Circular"}


def _pairs(pad, ndim):
    """F.pad's flat (last_lo, last_hi, prev_lo, prev_hi, ...) as per-dim (lo, hi) from dim 0."""
    pairs = [(0, 0)] * ndim
    for i in range(len(pad) // 2):
        pairs[ndim - 1 - i] = (int(pad[2 * i]), int(pad[2 * i + 1]))
    return pairs


class ConstantPadNd(Function):
    """y = x placed inside a ``value``-filled tensor.   dL/dx = the matching slice of dL/dy."""

    _backward_name = "ConstantPadNdBackward0"

    @staticmethod
    def forward(ctx, x, pairs, value):
        a = x._data
        shape = tuple(s + lo + hi for s, (lo, hi) in zip(a.shape, pairs))
        if any(s < 0 for s in shape):
            raise RuntimeError(f"The input size {a.shape[0]}, plus negative padding {pairs} resulted in a negative "
                               f"output size, which is invalid. Check dimension of your input.")
        out = np.full(shape, value, a.dtype)
        src = tuple(slice(max(-lo, 0), s - max(-hi, 0)) for s, (lo, hi) in zip(a.shape, pairs))
        dst = tuple(slice(max(lo, 0), max(lo, 0) + (sl.stop - sl.start)) for sl, (lo, hi) in zip(src, pairs))
        out[dst] = a[src]
        ctx.pairs = pairs
        return out

    @staticmethod
    def backward(ctx, g):
        # the gradient is the input-shaped region: pad g by the negated amounts
        return ConstantPadNd.apply(g, [(-lo, -hi) for lo, hi in ctx.pairs], 0), None, None


def _index(size, lo, hi, mode):
    idx = np.arange(-lo, size + hi)
    if mode == "reflect":
        period = 2 * (size - 1)
        idx = np.abs(idx) % period if period else np.zeros_like(idx)
        idx = np.where(idx >= size, period - idx, idx)
    elif mode == "replicate":
        idx = np.clip(idx, 0, size - 1)
    else:
        idx = idx % size
    return idx


class IndexPad(Function):
    """y = x[index] with one index array per padded dim.   dL/dx: scatter-add dL/dy back."""

    @staticmethod
    def forward(ctx, x, pairs, mode):
        a = x._data
        grids = [np.arange(s) if (lo, hi) == (0, 0) else _index(s, lo, hi, mode)
                 for s, (lo, hi) in zip(a.shape, pairs)]
        ctx.meta = (a.shape, grids)
        return a[np.ix_(*grids)]

    @staticmethod
    def backward(ctx, g):
        shape, grids = ctx.meta
        return IndexPadAdjoint.apply(g, shape, grids), None, None


class IndexPadAdjoint(Function):
    """dL/dx of an index padding: each output gradient added to the element it came from.
    Linear; its own gradient is the padding gather again."""

    _backward_name = "PadBackwardBackward0"

    @staticmethod
    def forward(ctx, g, shape, grids):
        ctx.meta = grids
        flat = np.ravel_multi_index(np.ix_(*grids), shape)
        flat = np.broadcast_to(flat, g._data.shape)
        out = np.bincount(flat.ravel(), weights=g._data.ravel().astype(np.float64), minlength=int(np.prod(shape)))
        return out.astype(g._data.dtype).reshape(shape)

    @staticmethod
    def backward(ctx, gg):
        return Tensor._make(gg._data[np.ix_(*ctx.meta)]), None, None


def _index_pad_class(mode, dims):
    name = f"{_MODE_NAMES[mode]}Pad{dims}DBackward0"
    return _PAD_CLASSES.setdefault(name, type(name.replace("Backward0", ""), (IndexPad,),
                                              {"_backward_name": name, "__module__": __name__,
                                               "__doc__": IndexPad.__doc__}))


_PAD_CLASSES = {}


def pad(input, pad, mode="constant", value=None):
    """Pad the last ``len(pad) // 2`` dims; ``pad`` lists (left, right) for the last dim first."""
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > input.dim():
        raise RuntimeError("Padding length should be less than or equal to two times the input dimension but "
                           f"got padding length {len(pad)} and input of dimension {input.dim()}")
    pairs = _pairs(pad, input.dim())
    if mode == "constant":
        return ConstantPadNd.apply(input, pairs, 0 if value is None else value)
    if mode not in _MODE_NAMES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    dims = len(pad) // 2
    if dims not in (1, 2, 3) or input.dim() not in (dims + 1, dims + 2):
        raise NotImplementedError(f"Padding size {len(pad)} is not supported for {input.dim()}D input tensor.")
    for d, (lo, hi) in enumerate(pairs):
        size = input.shape[d]
        if mode == "reflect" and (lo >= size or hi >= size) and (lo or hi):
            raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding input dimension, "
                               f"but got: padding ({lo}, {hi}) at dimension {d} of input {list(input.shape)}")
        if mode == "circular" and (lo > size or hi > size):
            raise RuntimeError("Padding value causes wrapping around more than once.")
    return _index_pad_class(mode, dims).apply(input, pairs, mode)


__all__ = []
