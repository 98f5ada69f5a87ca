"""Pooling: max and average over kernel windows, and their adaptive forms.

Windows are read through the same strided view as convolution (``conv.windows``). Max
pooling remembers which element of each window won (``indices``, flat positions in the
input plane, as PyTorch returns them); its gradient goes to that element only, and windows
that overlap add up there. Average pooling's gradient spreads dL/dy / (window size) over
each window, which is the adjoint of the forward sum.
"""
import math

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Function
from .conv import windows, tuple_n, col2im


def _out_size(size, k, s, p, d, ceil_mode):
    """Output length of a pooling window sweep; in ceil mode the last window must still start
    inside the input or its left padding."""
    span = size + 2 * p - d * (k - 1) - 1
    out = (-(-span // s) if ceil_mode else span // s) + 1
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1
    return out


def _pool_windows(x, kernel, stride, padding, dilation, ceil_mode, fill):
    """Windows (N, C, kh, kw, Ho, Wo) over ``x`` padded with ``fill`` (extra on the right in
    ceil mode so the last partial window exists)."""
    n, c, h, w = x.shape
    ho = _out_size(h, kernel[0], stride[0], padding[0], dilation[0], ceil_mode)
    wo = _out_size(w, kernel[1], stride[1], padding[1], dilation[1], ceil_mode)
    need_h = (ho - 1) * stride[0] + dilation[0] * (kernel[0] - 1) + 1
    need_w = (wo - 1) * stride[1] + dilation[1] * (kernel[1] - 1) + 1
    extra_h = max(0, need_h - h - 2 * padding[0])
    extra_w = max(0, need_w - w - 2 * padding[1])
    xp = np.pad(x, ((0, 0), (0, 0), (padding[0], padding[0] + extra_h), (padding[1], padding[1] + extra_w)),
                constant_values=fill)
    return windows(xp, kernel, stride, dilation, (ho, wo)), (ho, wo)


class MaxPool2d(Function):
    """y = max over each window; dL/dx_i = sum of dL/dy over the windows whose max is x_i."""

    _backward_name = "MaxPool2DWithIndicesBackward0"

    @staticmethod
    def forward(ctx, x, kernel, stride, padding, dilation, ceil_mode):
        a = x._data
        n, c, h, w = a.shape
        fill = -np.inf if a.dtype.kind == "f" else np.iinfo(a.dtype).min
        win, (ho, wo) = _pool_windows(a, kernel, stride, padding, dilation, ceil_mode, fill)
        flat = win.transpose(0, 1, 4, 5, 2, 3).reshape(n, c, ho, wo, -1)
        arg = flat.argmax(-1)
        # NaN wins, as in PyTorch: argmax stops at the first NaN already
        values = np.take_along_axis(flat, arg[..., None], -1)[..., 0]
        ki, kj = np.divmod(arg, kernel[1])
        rows = np.arange(ho)[:, None] * stride[0] - padding[0] + ki * dilation[0]
        cols = np.arange(wo)[None, :] * stride[1] - padding[1] + kj * dilation[1]
        indices = (rows * w + cols).astype(np.int64)
        ctx.meta = (a.shape, indices)
        return values, indices

    @staticmethod
    def backward(ctx, g, _gi):
        shape, indices = ctx.meta
        return MaxUnpoolScatter.apply(g, Tensor._make(indices), shape), None, None, None, None, None


class MaxUnpoolScatter(Function):
    """x = zeros(shape) with g added at ``indices`` (per plane); the adjoint of gathering at
    ``indices``, so its own gradient is that gather."""

    _backward_name = "MaxPool2DWithIndicesBackwardBackward0"

    @staticmethod
    def forward(ctx, g, indices, shape):
        n, c, h, w = shape
        idx = indices._data.reshape(n * c, -1) + (np.arange(n * c) * (h * w))[:, None]
        out = np.bincount(idx.ravel(), weights=g._data.reshape(-1).astype(np.float64), minlength=n * c * h * w)
        ctx.save_for_backward(indices)
        return out.astype(g._data.dtype).reshape(shape)

    @staticmethod
    def backward(ctx, gg):
        indices, = ctx.saved_tensors
        n, c = indices.shape[:2]
        return gg.reshape(n, c, -1).gather(2, indices.reshape(n, c, -1)).reshape(indices.shape), None, None


class AvgPool2d(Function):
    """y = mean of each window (the divisor counts padding unless ``count_include_pad`` is
    False). Linear in x: dL/dx adds dL/dy / divisor to every element of each window."""

    _backward_name = "AvgPool2DBackward0"

    @staticmethod
    def forward(ctx, x, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override):
        a = x._data
        n, c, h, w = a.shape
        win, (ho, wo) = _pool_windows(a, kernel, stride, padding, (1, 1), ceil_mode, 0)
        div = _divisor((h, w), kernel, stride, padding, (ho, wo), count_include_pad, divisor_override)
        ctx.meta = (a.shape, kernel, stride, padding, ceil_mode, (ho, wo), div)
        return (win.sum(axis=(2, 3)) / div).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        return AvgPoolAdjoint.apply(g, ctx.meta), None, None, None, None, None, None


class AvgPoolAdjoint(Function):
    """dL/dx of average pooling: spread each dL/dy / divisor over its window."""

    _backward_name = "AvgPool2DBackwardBackward0"

    @staticmethod
    def forward(ctx, g, meta):
        shape, kernel, stride, padding, _, (ho, wo), div = meta
        n, c, h, w = shape
        ctx.meta = meta
        spread = (g._data / div).astype(g._data.dtype, copy=False)
        cols = np.broadcast_to(spread.transpose(1, 0, 2, 3)[:, None, None], (c, kernel[0], kernel[1], n, ho, wo))
        big_h = max(h + 2 * padding[0], (ho - 1) * stride[0] + kernel[0]) - 2 * padding[0]
        big_w = max(w + 2 * padding[1], (wo - 1) * stride[1] + kernel[1]) - 2 * padding[1]
        out = col2im(cols, (n, c, big_h, big_w), kernel, stride, padding, (1, 1))
        return np.ascontiguousarray(out[:, :, :h, :w])

    @staticmethod
    def backward(ctx, gg):
        shape, kernel, stride, padding, ceil_mode, _, div = ctx.meta
        win, _ = _pool_windows(gg._data, kernel, stride, padding, (1, 1), ceil_mode, 0)
        a = gg._data
        return Tensor._make((win.sum(axis=(2, 3)) / div).astype(a.dtype, copy=False)), None


def _divisor(size, kernel, stride, padding, out, count_include_pad, divisor_override):
    """Per-output divisors of average pooling, as PyTorch counts them: windows clipped to the
    padded input (count_include_pad) or to the input itself."""
    if divisor_override:
        return float(divisor_override)
    axes = []
    for L, k, s, p, o in zip(size, kernel, stride, padding, out):
        start = np.arange(o) * s - p
        end = np.minimum(start + k, L + p)
        if count_include_pad:
            cnt = end - start
        else:
            cnt = np.minimum(end, L) - np.maximum(start, 0)
        axes.append(cnt)
    return (axes[0][:, None] * axes[1][None, :]).astype(np.float64)


# --- nn.functional entry points -------------------------------------------------------------------
def _lift(x, nd):
    """Run 1-d pooling as 2-d on (N, C, 1, L); unbatched inputs get a batch dim."""
    unbatched = x.dim() == nd + 1
    if unbatched:
        x = x.unsqueeze(0)
    if nd == 1:
        x = x.unsqueeze(2)
    return x, unbatched


def _drop(y, unbatched, nd):
    if nd == 1:
        y = y.squeeze(2)
    return y.squeeze(0) if unbatched else y


def max_poolnd(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, nd):
    k = tuple_n(kernel_size, nd)
    s = tuple_n(stride if stride not in (None, []) and stride != () else kernel_size, nd)
    p, d = tuple_n(padding, nd), tuple_n(dilation, nd)
    if input.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(f"max_pool{nd}d: Expected {nd + 1}D or {nd + 2}D input tensor, but got {list(input.shape)}")
    if any(pp > kk // 2 for pp, kk in zip(p, k)):
        raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={p[0]}, "
                           f"kernel_size={k[0]} and dilation={d[0]}")
    x, unbatched = _lift(input, nd)
    lift = (lambda t, one=1: t) if nd == 2 else (lambda t, one=1: (one,) + t)
    y, idx = MaxPool2d.apply(x, lift(k), lift(s), lift(p, 0), lift(d), ceil_mode)
    y = _drop(y, unbatched, nd)
    if return_indices:
        return y, _drop(idx, unbatched, nd)
    return y


def avg_poolnd(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, nd):
    k = tuple_n(kernel_size, nd)
    s = tuple_n(stride if stride not in (None, []) and stride != () else kernel_size, nd)
    p = tuple_n(padding, nd)
    if any(pp > kk // 2 for pp, kk in zip(p, k)):
        raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={p[0]}, "
                           f"kernel_size={k[0]} and dilation=1")
    x, unbatched = _lift(input, nd)
    lift = (lambda t, one=1: t) if nd == 2 else (lambda t, one=1: (one,) + t)
    y = AvgPool2d.apply(x, lift(k), lift(s), lift(p, 0), ceil_mode, count_include_pad, divisor_override)
    return _drop(y, unbatched, nd)


def _adaptive_bounds(size, out):
    """PyTorch's adaptive windows: [floor(i L / o), ceil((i + 1) L / o))."""
    return [(i * size // out, -(-(i + 1) * size // out)) for i in range(out)]


def _adaptive_size(output_size, sizes, nd):
    """``output_size`` as a tuple of ints (None keeps the input's size in that dim)."""
    out = tuple(output_size) if isinstance(output_size, (tuple, list)) else (output_size,) * nd
    return tuple(s if o is None else int(o) for o, s in zip(out, sizes))


def adaptive_avg_poolnd(input, output_size, nd):
    """Mean over PyTorch's adaptive windows: equal windows become a reshape and a mean; unequal
    ones a product with a matrix of 1/window-size weights on each side."""
    sizes = input.shape[-nd:]
    out = _adaptive_size(output_size, sizes, nd)
    if all(o == 1 for o in out):
        return input.mean(tuple(range(-nd, 0)), keepdim=True)
    y = input
    for axis, (L, o) in enumerate(zip(sizes, out)):
        dim = input.dim() - nd + axis
        m = np.zeros((o, L), input._data.dtype)
        for i, (a, b) in enumerate(_adaptive_bounds(L, o)):
            m[i, a:b] = 1.0 / (b - a)
        y = y.movedim(dim, -1).matmul(Tensor._make(m.T)).movedim(-1, dim)
    return y


class AdaptiveMaxPool2d(Function):
    """Max over adaptive windows; the gradient goes to each window's maximum."""

    _backward_name = "AdaptiveMaxPool2DBackward0"

    @staticmethod
    def forward(ctx, x, out):
        a = x._data
        n, c, h, w = a.shape
        values = np.empty((n, c) + out, a.dtype)
        indices = np.empty((n, c) + out, np.int64)
        for i, (r0, r1) in enumerate(_adaptive_bounds(h, out[0])):
            for j, (c0, c1) in enumerate(_adaptive_bounds(w, out[1])):
                block = a[:, :, r0:r1, c0:c1].reshape(n, c, -1)
                arg = block.argmax(-1)
                values[:, :, i, j] = np.take_along_axis(block, arg[..., None], -1)[..., 0]
                rr, cc = np.divmod(arg, c1 - c0)
                indices[:, :, i, j] = (r0 + rr) * w + c0 + cc
        ctx.meta = (a.shape, indices)
        return values, indices

    @staticmethod
    def backward(ctx, g, _gi):
        shape, indices = ctx.meta
        return MaxUnpoolScatter.apply(g, Tensor._make(indices), shape), None


def adaptive_max_poolnd(input, output_size, return_indices, nd):
    out = _adaptive_size(output_size, input.shape[-nd:], nd)
    x, unbatched = _lift(input, nd)
    y, idx = AdaptiveMaxPool2d.apply(x, out if nd == 2 else (1,) + out)
    y = _drop(y, unbatched, nd)
    return (y, _drop(idx, unbatched, nd)) if return_indices else y


def max_unpoolnd(input, indices, kernel_size, stride, padding, output_size, nd):
    """Put each value back at its recorded index in a zero tensor (the inverse of max pooling
    up to the lost non-maxima)."""
    k = tuple_n(kernel_size, nd)
    s = tuple_n(stride if stride is not None else kernel_size, nd)
    p = tuple_n(padding, nd)
    if output_size is None:
        size = tuple((i - 1) * ss - 2 * pp + kk for i, ss, pp, kk in zip(input.shape[-nd:], s, p, k))
    else:
        size = tuple(output_size)[-nd:]
    x, unbatched = _lift(input, nd)
    idx, _ = _lift(indices, nd)
    shape = tuple(x.shape[:2]) + ((1,) + size if nd == 1 else size)
    y = MaxUnpoolScatter.apply(x, idx, shape)
    return _drop(y, unbatched, nd)


__all__ = []
