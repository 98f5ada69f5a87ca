"""Pooling: max and average over kernel windows, and their adaptive forms, over 1, 2 or 3
spatial dims with one piece of code (index tuples as long as the number of dims).

Windows are read through the same strided view as convolution (``conv.windows``). Max
pooling remembers which element of each window won (``indices``, flat positions in the
input's spatial volume, as PyTorch returns them); its gradient goes to that element only, and
windows that overlap add up there. Average pooling's gradient spreads dL/dy / (window size)
over each window, which is the adjoint of the forward sum.
"""
import functools
import itertools

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Function
from .conv import windows, tuple_n, col2im, pad_spatial, _ALL2


def _out_size(size, k, s, p, d, ceil_mode):
    """Output length of a pooling window sweep; in ceil mode the last window must still start
    inside the input or its left padding."""
    span = size + 2 * p - d * (k - 1) - 1
    out = (-(-span // s) if ceil_mode else span // s) + 1
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1
    return out


def _pool_windows(x, kernel, stride, padding, dilation, ceil_mode, fill):
    """Windows (N, C, *kernel, *out) over ``x`` padded with ``fill`` (extra on the right in
    ceil mode so the last partial window exists)."""
    out, pads = [], []
    for L, k, s, p, d in zip(x.shape[2:], kernel, stride, padding, dilation):
        o = _out_size(L, k, s, p, d, ceil_mode)
        out.append(o)
        pads.append((p, p + max(0, (o - 1) * s + d * (k - 1) + 1 - L - 2 * p)))
    xp = pad_spatial(x, pads, fill) if any(lo or hi for lo, hi in pads) else x
    return windows(xp, kernel, stride, dilation, tuple(out)), tuple(out)


def _unravel(flat, shape):
    """Per-dim coordinates of row-major positions ``flat`` in ``shape`` (np.unravel_index,
    but one divmod per dim after the first, which is several times faster)."""
    coords = []
    for L in reversed(shape[1:]):
        flat, rem = np.divmod(flat, L)
        coords.append(rem)
    return [flat] + coords[::-1]


def _flat_index(starts, offsets, size):
    """Row-major flat positions in a volume of ``size`` from per-dim coordinates
    ``starts[i] + offsets[i]`` (PyTorch's max-pool indices count within one channel)."""
    index = 0
    for st, off, L in zip(starts, offsets, size):
        index = index * L + st + off
    return index


class MaxPoolNd(Function):
    """y = max over each window; dL/dx_i = sum of dL/dy over the windows whose max is x_i."""

    _backward_name = "MaxPool2DWithIndicesBackward0"

    @staticmethod
    def forward(ctx, x, kernel, stride, padding, dilation, ceil_mode):
        a = x._data
        nd = len(kernel)
        fill = -np.inf if a.dtype.kind == "f" else np.iinfo(a.dtype).min
        win, out = _pool_windows(a, kernel, stride, padding, dilation, ceil_mode, fill)
        # Each kernel offset j is a strided (N, C, *out) view of the windows, so the maximum is
        # prod(kernel) - 1 np.maximum passes over output-sized arrays (NaN propagates, as in
        # PyTorch), and no window is ever copied. The winner is then the first offset equal to
        # it (PyTorch keeps the first of equal maxima), found without branches: ``found``
        # marks windows already decided, ``arg`` adds j where offset j is the first match.
        views = [win[_ALL2 + offs] for offs in itertools.product(*(range(k) for k in kernel))]
        values = views[0].copy()
        for v in views[1:]:
            np.maximum(values, v, out=values)
        found = views[0] == values
        arg = np.zeros(values.shape, np.int32)
        for j, v in enumerate(views[1:], 1):
            take = v == values
            take &= ~found
            found |= take
            arg += take * np.int32(j)
        if a.dtype.kind == "f" and not found.all():  # NaN windows: PyTorch keeps the last NaN
            for j, v in enumerate(views):
                arg[(v != v) & ~found] = j
        # flat index in the input plane = the window's start + the winning offset's position
        starts = [(np.arange(o) * s - p).reshape([-1 if i == ax else 1 for i in range(nd)])
                  for ax, (o, s, p) in enumerate(zip(out, stride, padding))]
        base = _flat_index(starts, [0] * nd, a.shape[2:])
        offset_of = np.array([_flat_index(offs, [0] * nd, a.shape[2:]) for offs in
                              itertools.product(*([k * d for k in range(kk)] for kk, d in zip(kernel, dilation)))],
                             np.int64)
        indices = base + offset_of[arg]
        # windows that cannot overlap send each gradient to its own element
        disjoint = all(s_ >= d * (k - 1) + 1 for k, s_, d in zip(kernel, stride, dilation))
        ctx.meta = (a.shape, indices, disjoint)
        return values, indices

    @staticmethod
    def backward(ctx, g, _gi):
        shape, indices, disjoint = ctx.meta
        return MaxUnpoolScatter.apply(g, Tensor._make(indices), shape, disjoint), None, None, None, None, None


class MaxPool3d(MaxPoolNd):
    # the same op; only the node name differs, as PyTorch's 3-d kernels are separate functions
    _backward_name = "MaxPool3DWithIndicesBackward0"


class MaxUnpoolScatter(Function):
    """x = zeros(shape) with g added at ``indices`` (per channel); the adjoint of gathering at
    ``indices``, so its own gradient is that gather."""

    _backward_name = "MaxPool2DWithIndicesBackwardBackward0"

    @staticmethod
    def forward(ctx, g, indices, shape, disjoint=False):
        nc, vol = shape[0] * shape[1], int(np.prod(shape[2:]))
        idx = indices._data.reshape(nc, -1) + (np.arange(nc) * vol)[:, None]
        ctx.save_for_backward(indices)
        if disjoint:  # every index at most once: plain assignment, no summing needed
            out = np.zeros(nc * vol, g._data.dtype)
            out[idx.ravel()] = g._data.reshape(-1)
            return out.reshape(shape)
        out = np.bincount(idx.ravel(), weights=g._data.reshape(-1).astype(np.float64), minlength=nc * vol)
        return out.astype(g._data.dtype).reshape(shape)

    @staticmethod
    def backward(ctx, gg):
        indices, = ctx.saved_tensors
        n, c = indices.shape[:2]
        return gg.reshape(n, c, -1).gather(2, indices.reshape(n, c, -1)).reshape(indices.shape), None, None, None


class AvgPoolNd(Function):
    """y = mean of each window (the divisor counts padding unless ``count_include_pad`` is
    False). Linear in x: dL/dx adds dL/dy / divisor to every element of each window."""

    _backward_name = "AvgPool2DBackward0"

    @staticmethod
    def forward(ctx, x, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override):
        a = x._data
        nd = len(kernel)
        win, out = _pool_windows(a, kernel, stride, padding, (1,) * nd, ceil_mode, 0)
        div = _divisor(a.shape[2:], kernel, stride, padding, out, count_include_pad, divisor_override)
        ctx.meta = (a.shape, kernel, stride, padding, ceil_mode, out, div)
        return (win.sum(axis=tuple(range(2, 2 + nd))) / div).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        return AvgPoolAdjoint.apply(g, ctx.meta), None, None, None, None, None, None


class AvgPool3d(AvgPoolNd):
    # the same op under PyTorch's 3-d node name
    _backward_name = "AvgPool3DBackward0"


class AvgPoolAdjoint(Function):
    """dL/dx of average pooling: spread each dL/dy / divisor over its window. Linear in g; its
    own adjoint is the average pooling again."""

    _backward_name = "AvgPool2DBackwardBackward0"

    @staticmethod
    def forward(ctx, g, meta):
        shape, kernel, stride, padding, _, out, div = meta
        n, c, size, nd = shape[0], shape[1], shape[2:], len(kernel)
        ctx.meta = meta
        spread = (g._data / div).astype(g._data.dtype, copy=False)
        # every kernel offset of a window receives the same value: a broadcast, not a copy
        cols = np.broadcast_to(spread[_ALL2 + (None,) * nd], (n, c) + kernel + out)
        # ceil mode windows may hang over the right edge: accumulate into a big enough volume
        big = tuple(max(L + 2 * p, (o - 1) * s + k) - 2 * p
                    for L, p, o, s, k in zip(size, padding, out, stride, kernel))
        res = col2im(cols, (n, c) + big, kernel, stride, padding, (1,) * nd)
        return np.ascontiguousarray(res[_ALL2 + tuple(slice(0, L) for L in size)])

    @staticmethod
    def backward(ctx, gg):
        shape, kernel, stride, padding, ceil_mode, _, div = ctx.meta
        a = gg._data
        win, _ = _pool_windows(a, kernel, stride, padding, (1,) * len(kernel), ceil_mode, 0)
        return Tensor._make((win.sum(axis=tuple(range(2, 2 + len(kernel)))) / div).astype(a.dtype, copy=False)), None


def _divisor(size, kernel, stride, padding, out, count_include_pad, divisor_override):
    """Per-output divisors of average pooling, as PyTorch counts them: windows clipped to the
    padded input (count_include_pad) or to the input itself; the count of a box is the
    product of its per-dim lengths (an outer product over the dims)."""
    if divisor_override:
        return float(divisor_override)
    axes = []
    for L, k, s, p, o in zip(size, kernel, stride, padding, out):
        start = np.arange(o) * s - p
        end = np.minimum(start + k, L + p)
        axes.append(end - start if count_include_pad else np.minimum(end, L) - np.maximum(start, 0))
    return functools.reduce(np.multiply.outer, axes).astype(np.float64)


def _adaptive_bounds(size, out):
    """PyTorch's adaptive windows: [floor(i L / o), ceil((i + 1) L / o))."""
    return [(i * size // out, -(-(i + 1) * size // out)) for i in range(out)]


class AdaptiveMaxPoolNd(Function):
    """Max over adaptive windows; the gradient goes to each window's maximum."""

    _backward_name = "AdaptiveMaxPool2DBackward0"

    @staticmethod
    def forward(ctx, x, out):
        a = x._data
        n, c, size = a.shape[0], a.shape[1], a.shape[2:]
        values = np.empty((n, c) + out, a.dtype)
        indices = np.empty((n, c) + out, np.int64)
        bounds = [_adaptive_bounds(L, o) for L, o in zip(size, out)]
        # one window at a time: adaptive windows differ in size, so there is no single strided view
        for pos in itertools.product(*(range(o) for o in out)):
            box = [bounds[ax][i] for ax, i in enumerate(pos)]
            block = a[_ALL2 + tuple(slice(lo, hi) for lo, hi in box)]
            flat = block.reshape(n, c, -1)
            arg = flat.argmax(-1)
            values[_ALL2 + pos] = np.take_along_axis(flat, arg[..., None], -1)[..., 0]
            indices[_ALL2 + pos] = _flat_index([lo for lo, _ in box], _unravel(arg, block.shape[2:]), size)
        ctx.meta = (a.shape, indices)
        return values, indices

    @staticmethod
    def backward(ctx, g, _gi):
        shape, indices = ctx.meta
        return MaxUnpoolScatter.apply(g, Tensor._make(indices), shape), None


class AdaptiveMaxPool3d(AdaptiveMaxPoolNd):
    # the same op under PyTorch's 3-d node name
    _backward_name = "AdaptiveMaxPool3DBackward0"


# --- nn.functional entry points -------------------------------------------------------------------
def _check_dims(input, nd, name):
    """PyTorch's error for an input that is neither (C, *size) nor (N, C, *size); its wording
    differs from kernel to kernel."""
    if input.dim() in (nd + 1, nd + 2):
        return
    got = list(input.shape)
    if name == "max_pool1d":
        msg = ("max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, "
               f"but got:{got}")
    elif nd == 1:
        msg = (f"Expected 2 to 3 dimensions, but got {input.dim()}-dimensional tensor for argument #1 'self' "
               f"(while checking arguments for {name})")
    elif name.startswith("adaptive"):
        msg = f"{name}(): Expected {nd + 1}D or {nd + 2}D tensor, but got{':' if 'max' in name else ''} {got}"
    else:
        msg = f"non-empty {nd + 1}D or {nd + 2}D (batch mode) tensor expected for input"
    raise RuntimeError(msg)


def _check_pad(k, p, d):
    for kk, pp, dd in zip(k, p, d):
        if pp > kk // 2:
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={pp}, "
                               f"kernel_size={kk} and dilation={dd}")


def _batched(x, nd):
    """Unbatched (C, *size) inputs get a batch dim for the duration of the op."""
    unbatched = x.dim() == nd + 1
    return (x.unsqueeze(0) if unbatched else x), unbatched


def _drop(y, unbatched):
    return y.squeeze(0) if unbatched else y


def _stride(stride, kernel_size, nd):
    return tuple_n(stride if stride not in (None, []) and stride != () else kernel_size, nd)


def max_poolnd(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, nd):
    k, s = tuple_n(kernel_size, nd), _stride(stride, kernel_size, nd)
    p, d = tuple_n(padding, nd), tuple_n(dilation, nd)
    _check_dims(input, nd, f"max_pool{nd}d")
    _check_pad(k, p, d)
    x, unbatched = _batched(input, nd)
    y, idx = (MaxPool3d if nd == 3 else MaxPoolNd).apply(x, k, s, p, d, ceil_mode)
    return (_drop(y, unbatched), _drop(idx, unbatched)) if return_indices else _drop(y, unbatched)


def avg_poolnd(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, nd):
    k, s, p = tuple_n(kernel_size, nd), _stride(stride, kernel_size, nd), tuple_n(padding, nd)
    _check_dims(input, nd, f"avg_pool{nd}d")
    _check_pad(k, p, (1,) * nd)
    x, unbatched = _batched(input, nd)
    y = (AvgPool3d if nd == 3 else AvgPoolNd).apply(x, k, s, p, ceil_mode, count_include_pad, divisor_override)
    return _drop(y, unbatched)


def _adaptive_size(output_size, sizes, nd):
    """``output_size`` as a tuple of ints (None keeps the input's size in that dim)."""
    out = tuple(output_size) if isinstance(output_size, (tuple, list)) else (output_size,) * nd
    return tuple(s if o is None else int(o) for o, s in zip(out, sizes))


def adaptive_avg_poolnd(input, output_size, nd):
    """Mean over PyTorch's adaptive windows: equal windows become a reshape and a mean; unequal
    ones a product with a matrix of 1/window-size weights on each side."""
    _check_dims(input, nd, f"adaptive_avg_pool{nd}d")
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


def adaptive_max_poolnd(input, output_size, return_indices, nd):
    _check_dims(input, nd, f"adaptive_max_pool{nd}d")
    out = _adaptive_size(output_size, input.shape[-nd:], nd)
    x, unbatched = _batched(input, nd)
    y, idx = (AdaptiveMaxPool3d if nd == 3 else AdaptiveMaxPoolNd).apply(x, out)
    return (_drop(y, unbatched), _drop(idx, unbatched)) if return_indices else _drop(y, unbatched)


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
    x, unbatched = _batched(input, nd)
    idx, _ = _batched(indices, nd)
    y = MaxUnpoolScatter.apply(x, idx, tuple(x.shape[:2]) + size)
    return _drop(y, unbatched)


__all__ = []
