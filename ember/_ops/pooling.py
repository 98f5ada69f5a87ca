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

from .._dtype import type_word
from .._tensor import Tensor
from ..autograd.grad_mode import is_grad_enabled
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
# PyTorch checks pooling arguments in C++, with wording that differs from kernel to kernel; the
# helpers below reproduce its checks in its order, so the first problem is the one reported.
_COUNT = {1: "one", 2: "two", 3: "three"}


def _check_dims(input, nd, name):
    """PyTorch's error for an input that is neither (C, *size) nor (N, C, *size)."""
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
    elif name == "avg_pool2d" and input.dim() < 3:  # PyTorch reads size(-3) before any check
        d = max(input.dim(), 1)
        raise IndexError(f"Dimension out of range (expected to be in range of [{-d}, {d - 1}], but got -3)")
    elif name == "avg_pool2d":
        msg = f"Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:{got}"
    else:
        msg = f"non-empty {nd + 1}D or {nd + 2}D (batch mode) tensor expected for input"
    raise RuntimeError(msg)


def _pool_arg(value, what, nd, name, default=None):
    """``kernel_size``/``stride``/``padding``/``dilation`` as an nd-tuple; a single int, or a
    sequence of one or nd ints (``stride`` None or empty: the kernel size)."""
    if what == "stride" and (value is None or (isinstance(value, (tuple, list)) and len(value) == 0)):
        return default
    seq = tuple(value) if isinstance(value, (tuple, list)) else (value,)
    if len(seq) in (1, nd):
        return tuple(int(v) for v in seq) * (nd // len(seq))
    if name == "max_pool1d":
        kinds = {"kernel_size": "an int, list of ints or tuple of ints",
                 "dilation": "an int, list of ints or tuple of ints",
                 "stride": "None, an int, list of ints, or tuple of ints",
                 "padding": "an int, list of ints, or tuple of ints"}
        msg = f"max_pool1d() {what} must be {kinds[what]} of size 1 but got size {len(seq)}"
    elif name == "avg_pool1d":
        msg = f"avg_pool1d() argument '{what}' should contain one int (got {len(seq)})"
    else:
        either = "" if name == "avg_pool3d" else "either "
        lead = {"kernel_size": f"must {either}be", "stride": f"must {either}be omitted,", "padding": f"must {either}be",
                "dilation": "must be either"}[what]
        msg = f"{name}: {what} {lead} a single int, or a tuple of {_COUNT[nd]} ints"
    raise RuntimeError(msg)


def _check_output_shape(k, s, p, d):
    """PyTorch's pooling_output_shape checks, dim by dim."""
    for kk, ss, pp, dd in zip(k, s, p, d):
        if ss == 0:
            raise RuntimeError("stride should not be zero")
        if pp < 0:
            raise RuntimeError(f"pad must be non-negative, but got pad: {pp}")
        if pp > ((kk - 1) * dd + 1) // 2:
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={pp}, "
                               f"kernel_size={kk} and dilation={dd}")


def _check_pool_shape(input, k, s, p, d, ceil_mode, name, avg3d=False):
    """PyTorch's pool2d/pool3d_shape_check, on the (C, *size) or (N, C, *size) input."""
    nd = len(k)
    letters = ("T", "H", "W")[-nd:]
    if any(kk <= 0 for kk in k):
        raise RuntimeError("kernel size should be greater than zero, but got " +
                           " ".join(f"k{c}: {kk}" for c, kk in zip(letters, k)))
    if any(ss <= 0 for ss in s):
        raise RuntimeError("stride should be greater than zero, but got " +
                           " ".join(f"d{c}: {ss}" for c, ss in zip(letters, s)))
    if any(dd <= 0 for dd in d):
        raise RuntimeError("dilation should be greater than zero, but got " +
                           " ".join(f"dilation{c}: {dd}" for c, dd in zip(letters, d)))
    shape, size = list(input.shape), input.shape[-nd:]
    if nd == 2:
        batch = input.dim() == 4
        if 0 in shape[1:] or (not batch and shape[0] == 0):
            raise RuntimeError("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, "
                               f"but got:{shape}")
    else:
        if 0 in shape[input.dim() - 4:]:
            fn = "avg_pool3d" if avg3d else "max_pool3d_with_indices_out_cpu_template"
            # PyTorch names dimension 0 whichever one is empty
            raise RuntimeError(f"{fn}(): Expected input's non-batch dimensions to have positive length, but input "
                               f"has a shape of {shape} and non-batch dimension 0 has length zero!")
        if avg3d and any(L < kk for L, kk in zip(size, k)):
            raise RuntimeError("input image (" + " ".join(f"{c}: {L}" for c, L in zip(letters, size)) +
                               ") smaller than kernel size (" +
                               " ".join(f"k{c}: {kk}" for c, kk in zip(letters, k)) + ")")
    out = [_out_size(L, kk, ss, pp, dd, ceil_mode) for L, kk, ss, pp, dd in zip(size, k, s, p, d)]
    if any(o < 1 for o in out):
        c = input.shape[-nd - 1]
        raise RuntimeError(f"Given input size: ({'x'.join(map(str, (c,) + tuple(size)))}). Calculated output size: "
                           f"({'x'.join(map(str, [c] + out))}). Output size is too small")


def _check_max_pool1d(input, k, s, p, d, ceil_mode):
    """max_pool1d's own kernel (no indices, no gradient) checks and words everything its way."""
    if any(L == 0 for L in input.shape[-2:]) or (input.dim() == 3 and input.shape[1] == 0):
        _check_dims(input[None, None], 1, "max_pool1d")  # the rank message, naming the empty shape
    (k,), (s,), (p,), (d,) = k, s, p, d
    if k <= 0:
        raise RuntimeError(f"max_pool1d() kernel_size must be greater than zero, but got {k}")
    if s <= 0:
        raise RuntimeError(f"max_pool1d() stride must be greater than zero, but got {s}")
    if p < 0:
        raise RuntimeError(f"max_pool1d() padding must be non-negative, but got {p}")
    if p > k // 2:
        raise RuntimeError(f"max_pool1d() padding should be at most half of kernel size, but got padding={p} and "
                           f"kernel_size={k}")
    if d <= 0:
        raise RuntimeError(f"max_pool1d() dilation must be greater than zero, but got {d}")
    out = _out_size(input.shape[-1], k, s, p, d, ceil_mode)
    if out <= 0:
        raise RuntimeError(f"max_pool1d() Invalid computed output size: {out}")
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"max_pool1d_impl\" not implemented for '{type_word(input.dtype)}'")


def _check_tensor_arg(fn, name, position, value):
    from ..nn.functional import _check_tensor_arg as check
    check(fn, name, position, value)


def _batched(x, nd):
    """Unbatched (C, *size) inputs get a batch dim for the duration of the op."""
    unbatched = x.dim() == nd + 1
    return (x.unsqueeze(0) if unbatched else x), unbatched


def _drop(y, unbatched):
    return y.squeeze(0) if unbatched else y


def _window_args(input, kernel_size, stride, padding, nd, name):
    """The checks every pooling makes first, in PyTorch's order, and its kernel, stride
    (the kernel by default) and padding as ``nd``-tuples."""
    _check_tensor_arg(name, "input", 1, input)
    if nd == 1:
        _check_dims(input, nd, name)
    k = _pool_arg(kernel_size, "kernel_size", nd, name)
    return k, _pool_arg(stride, "stride", nd, name, default=k), _pool_arg(padding, "padding", nd, name)


def max_poolnd(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, nd):
    name = f"max_pool{nd}d"
    k, s, p = _window_args(input, kernel_size, stride, padding, nd, name)
    d = _pool_arg(dilation, "dilation", nd, name)
    if nd == 1 and not (return_indices or (input.requires_grad and is_grad_enabled())):
        _check_max_pool1d(input, k, s, p, d, ceil_mode)
    elif nd == 1:  # PyTorch runs this as a 2-d pooling of height 1, with its messages
        _check_output_shape((1,) + k, (1,) + s, (0,) + p, (1,) + d)
        _check_pool_shape(input.unsqueeze(-2), (1,) + k, (1,) + s, (0,) + p, (1,) + d, ceil_mode, name)
    else:
        _check_dims(input, nd, name)
        _check_output_shape(k, s, p, d)
        _check_pool_shape(input, k, s, p, d, ceil_mode, name)
    x, unbatched = _batched(input, nd)
    y, idx = (MaxPool3d if nd == 3 else MaxPoolNd).apply(x, k, s, p, d, ceil_mode)
    return (_drop(y, unbatched), _drop(idx, unbatched)) if return_indices else _drop(y, unbatched)


def avg_poolnd(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, nd):
    name = f"avg_pool{nd}d"
    k, s, p = _window_args(input, kernel_size, stride, padding, nd, name)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    if nd == 1:  # a 2-d pooling of height 1 in PyTorch, which words every error that way
        _check_output_shape((1,) + k, (1,) + s, (0,) + p, (1, 1))
        _check_pool_shape(input.unsqueeze(-2), (1,) + k, (1,) + s, (0,) + p, (1, 1), ceil_mode, name)
    else:
        _check_dims(input, nd, name)
        _check_output_shape(k, s, p, (1,) * nd)
        _check_pool_shape(input, k, s, p, (1,) * nd, ceil_mode, name, avg3d=nd == 3)
    x, unbatched = _batched(input, nd)
    y = (AvgPool3d if nd == 3 else AvgPoolNd).apply(x, k, s, p, ceil_mode, count_include_pad, divisor_override)
    return _drop(y, unbatched)


def _adaptive_size(input, output_size, nd, kind):
    """``output_size`` as a tuple of ints (None keeps the input's size in that dim), with
    PyTorch's checks of it and of the input, in its order and words."""
    name = f"adaptive_{kind}_pool{nd}d"
    seq = tuple(output_size) if isinstance(output_size, (tuple, list)) else (output_size,) * nd
    if nd == 1:
        if len(seq) != 1:
            raise RuntimeError(f"{name}() argument 'output_size' should contain one int (got {len(seq)})")
        if seq[0] is None:  # only the 2-d and 3-d functions accept None
            raise TypeError(f"{name}(): argument 'output_size' (position 2) must be tuple of ints, but found element "
                            "of type NoneType at pos 0")
    _check_dims(input, nd, name)
    shape = list(input.shape)
    if len(seq) != nd:
        raise RuntimeError(f"{name}: output_size must be {nd}" if kind == "avg" else
                           f"{name}(): internal error: output_size.size() must be {nd}")
    out = tuple(L if o is None else int(o) for o, L in zip(seq, input.shape[-nd:]))
    if kind == "avg":
        if any(o < 0 for o in out):
            shown = (1,) + out if nd == 1 else out  # 1-d runs as 2-d, height 1
            inner = ", ".join(map(str, shown[:2])) + (f",{shown[2]}" if nd == 3 else "")
            raise RuntimeError(f"adaptive_avg_pool{max(nd, 2)}d: elements of output_size must be greater than or "
                               f"equal to 0 but received {{{inner}}}")
        # the 2-d kernel (also 1-d's) checks only the spatial dims, the 3-d one every non-batch dim
        view = shape[:-1] + [1, shape[-1]] if nd == 1 else shape
        dims = range(len(view) - 2, len(view)) if nd < 3 else range(1, len(view))
        for i in dims:
            if view[i] == 0:
                raise RuntimeError(f"adaptive_avg_pool{max(nd, 2)}d(): Expected input to have non-zero size for "
                                   f"non-batch dimensions, but input has sizes {view} with dimension {i} being empty")
        if not input.dtype.is_floating_point:
            kernel = "adaptive_avg_pool3d_cpu" if nd == 3 else "adaptive_avg_pool2d"
            raise NotImplementedError(f"\"{kernel}\" not implemented for '{type_word(input.dtype)}'")
    else:
        for i in range(1, len(shape)):
            if shape[i] == 0:
                raise RuntimeError(f"{name}(): Expected input to have non-zero size for non-batch dimensions, but "
                                   f"input has sizes {shape} with dimension {i} being empty")
        if any(o < 0 for o in out):
            new = shape[:-nd] + ([1] if nd == 1 else []) + list(out)
            bad = next(o for o in out if o < 0)
            raise RuntimeError(f"Trying to create tensor with negative dimension {bad}: {new}")
        if not input.dtype.is_floating_point:
            kernel = "adaptive_max_pool3d_cpu" if nd == 3 else "adaptive_max_pool2d"
            raise NotImplementedError(f"\"{kernel}\" not implemented for '{type_word(input.dtype)}'")
    return out


def adaptive_avg_poolnd(input, output_size, nd):
    """Mean over PyTorch's adaptive windows: equal windows become a reshape and a mean; unequal
    ones a product with a matrix of 1/window-size weights on each side."""
    out = _adaptive_size(input, output_size, nd, "avg")
    sizes = input.shape[-nd:]
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
    out = _adaptive_size(input, output_size, nd, "max")
    x, unbatched = _batched(input, nd)
    y, idx = (AdaptiveMaxPool3d if nd == 3 else AdaptiveMaxPoolNd).apply(x, out)
    return (_drop(y, unbatched), _drop(idx, unbatched)) if return_indices else _drop(y, unbatched)


def _unpool_output_size(input, k, s, p, output_size):
    """The size max pooling came from: the default inverse of its output size formula, or
    ``output_size`` if it is one of the sizes that pool to the input's (PyTorch's checks)."""
    nd = len(k)
    default = [(L - 1) * ss + kk - 2 * pp for L, ss, kk, pp in zip(input.shape[-nd:], s, k, p)]
    if output_size is None:
        return tuple(default)
    if len(output_size) == nd + 2:
        output_size = output_size[2:]
    if len(output_size) != nd:
        raise ValueError(f"output_size should be a sequence containing {nd} or {nd + 2} elements, but it has a "
                         f"length of '{len(output_size)}'")
    for i in range(nd):
        lo, hi = default[i] - s[i], default[i] + s[i]
        if not lo < output_size[i] < hi:
            raise ValueError(f'invalid output_size "{output_size}" (dim {i} must be between {lo} and {hi})')
    return tuple(output_size)


def max_unpoolnd(input, indices, kernel_size, stride, padding, output_size, nd):
    """Put each value back at its recorded index in a zero tensor (the inverse of max pooling
    up to the lost non-maxima)."""
    k = tuple_n(kernel_size, nd)
    s = tuple_n(stride if stride is not None else kernel_size, nd)
    p = tuple_n(padding, nd)
    size = _unpool_output_size(input, k, s, p, output_size)
    x, unbatched = _batched(input, nd)
    idx, _ = _batched(indices, nd)
    y = MaxUnpoolScatter.apply(x, idx, tuple(x.shape[:2]) + size)
    return _drop(y, unbatched)


__all__ = []
