"""Spatial transformers and distances: ``affine_grid``, ``grid_sample``, ``cdist``, ``pdist``,
``logcumsumexp`` and the trapezoid rule.

Most are compositions of ember ops: their values are PyTorch's and autograd derives gradients
(and gradients of gradients) from the pieces. ``grid_sample`` is written that way on purpose:
bilinear interpolation is a weighted sum of gathered pixels whose weights are differentiable
functions of the grid, so one expression gives the gradient for the image (through the
gather) and for the grid (through the weights), which is what a spatial transformer trains.
``logcumsumexp`` is a Function because its stable forward is NumPy's ``logaddexp.accumulate``.
"""
import itertools
import warnings

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Function
from ._util import methods
from .pointwise import _out

__all__ = ["cdist", "pdist", "logcumsumexp", "trapezoid", "trapz", "cumulative_trapezoid"]

_ALIGN_WARNING = ("Default grid_sample and affine_grid behavior has changed to align_corners=False since 1.3.0. "
                  "Please specify align_corners=True if the old behavior is desired. See the documentation of "
                  "grid_sample for details.")


def _tensor(data):
    return Tensor._make(np.asarray(data))


# ---------------------------------------------------------------- affine_grid

def _base_coords(n, align_corners, dtype):
    """The n sample positions along one axis in [-1, 1]: pixel corners when ``align_corners``
    (the ends are -1 and 1), else pixel centres (shrunk by (n - 1) / n). A single pixel sits at 0."""
    if n <= 1:
        return np.zeros(max(n, 0), dtype)
    c = np.linspace(-1.0, 1.0, n)
    if not align_corners:
        c = c * (n - 1) / n
    return c.astype(dtype)


def affine_grid(theta, size, align_corners=None):
    """The sampling grid of an affine map: output point (x, y[, z], 1) goes to theta @ that point.

    theta (N, 2, 3) with size (N, C, H, W) gives a grid (N, H, W, 2) of (x, y) pairs; theta
    (N, 3, 4) with size (N, C, D, H, W) gives (N, D, H, W, 3). One batched matmul with theta, so
    autograd gives d grid / d theta (the base coordinates).
    """
    if align_corners is None:
        warnings.warn(_ALIGN_WARNING)
        align_corners = False
    if not theta.dtype.is_floating_point:
        raise ValueError(f"Expected theta to have floating point type, but got {theta.dtype}")
    size = tuple(size)
    if len(size) == 4:
        k, spatial = 2, size[2:]
        if theta.dim() != 3 or tuple(theta.shape[-2:]) != (2, 3):
            raise ValueError(f"Expected a batch of 2D affine matrices of shape Nx2x3 for size {size}. "
                             f"Got {theta.shape}.")
    elif len(size) == 5:
        k, spatial = 3, size[2:]
        if theta.dim() != 3 or tuple(theta.shape[-2:]) != (3, 4):
            raise ValueError(f"Expected a batch of 3D affine matrices of shape Nx3x4 for size {size}. "
                             f"Got {theta.shape}.")
    else:
        raise NotImplementedError(f"affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, "
                                  f"respectively. Got size {size}.")
    if align_corners and min(spatial) == 1:
        warnings.warn("Since version 1.3.0, affine_grid behavior has changed for unit-size grids when "
                      "align_corners=True. This is not an intended use case of affine_grid. See the documentation "
                      "of affine_grid for details.")
    elif min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {size}")
    if size[0] != theta.shape[0]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{size[0]}, {k + 1}] but got: [{theta.shape[0]}, {k + 1}].")
    dt = theta._data.dtype
    # grid coordinate order is (x, y[, z]) = (W, H[, D]): the reverse of the spatial dims
    axes = [_base_coords(n, align_corners, dt) for n in reversed(spatial)]
    mesh = list(np.meshgrid(*axes[::-1], indexing="ij"))[::-1]  # x, y[, z], each shaped ([D,] H, W)
    base = np.stack(mesh + [np.ones_like(mesh[0])], axis=-1).reshape(1, -1, k + 1)
    grid = _tensor(base).matmul(theta.transpose(1, 2))  # (N, points, k)
    return grid.reshape(size[0], *spatial, k)


# ---------------------------------------------------------------- grid_sample

def _unnormalize(coord, n, align_corners):
    """[-1, 1] -> pixel index: -1 and 1 are the centres of the end pixels when ``align_corners``,
    else their outer edges (so -1 maps to -0.5)."""
    if align_corners:
        return (coord + 1) * ((n - 1) / 2)
    return ((coord + 1) * n - 1) / 2


def _reflect(x, twice_low, twice_high):
    """Fold x into [low, high] by mirroring at both ends, as light between two mirrors:
    |x - low| taken modulo the span, then flipped back on odd passes. Piecewise x -> ±x + c,
    so its derivative is ±1 (autograd follows abs and the sign of the flip)."""
    if twice_low == twice_high:
        return x * 0
    low, span = twice_low / 2, (twice_high - twice_low) / 2
    d = (x - low).abs()
    flips = (d.detach() / span).floor()
    extra = d - flips * span
    even = _tensor(np.remainder(flips._data, 2) == 0)
    from .. import where
    return where(even, extra + low, span - extra + low)


def _source_coord(coord, n, padding_mode, align_corners):
    """A grid coordinate as a (fractional) pixel index, with the padding rule applied."""
    x = _unnormalize(coord, n, align_corners)
    if padding_mode == "border":
        x = x.clamp(0, n - 1)
    elif padding_mode == "reflection":
        x = _reflect(x, 0, 2 * (n - 1)) if align_corners else _reflect(x, -1, 2 * n - 1)
        x = x.clamp(0, n - 1)
    return x


def _gather(flat, spatial, idx):
    """input values at integer positions ``idx`` (one array per spatial dim, each (N, P)):
    (N, C, P), with 0 where a position falls outside the image (zeros padding)."""
    inside = np.ones(idx[0].shape, bool)
    lin = np.zeros(idx[0].shape, np.int64)
    for i, n in zip(idx, spatial):
        inside &= (i >= 0) & (i < n)
        lin = lin * n + np.clip(i, 0, n - 1)
    nb, c = flat.shape[:2]
    index = _tensor(np.broadcast_to(lin[:, None, :], (nb, c, lin.shape[1])))
    vals = flat.gather(2, index)
    if inside.all():
        return vals
    from .. import where  # a select, not a product: an inf in the image must not leak in as inf * 0
    return where(_tensor(inside[:, None, :]), vals, 0.0)


_CUBIC_A = -0.75  # the sharpness of Keys' cubic convolution kernel, as in PyTorch (and OpenCV)


def _cubic_weights(t):
    """Keys' kernel at the distances 1 + t, t, 1 - t, 2 - t from the four taps around a point at
    fraction t of its cell: W(d) = ((A + 2) d - (A + 3)) d^2 + 1 for d <= 1 and
    ((A d - 5A) d + 8A) d - 4A for 1 < d < 2. Polynomials in t, so autograd differentiates them."""
    a = _CUBIC_A

    def near(d):
        return ((a + 2) * d - (a + 3)) * d * d + 1

    def far(d):
        return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a
    return [far(t + 1), near(t), near(1 - t), far(2 - t)]


def _bicubic(flat, g, spatial, padding_mode, align_corners):
    """Bicubic grid_sample on (N, C, H*W) and a (N, P, 2) grid: the 4 x 4 taps around each point,
    weighted by Keys' kernel in x times that in y. The padding rule applies to each tap's integer
    position (not to the point), so taps outside the image repeat or mirror the edge pixels."""
    h, w = spatial
    xs = _unnormalize(g[..., 0], w, align_corners)
    ys = _unnormalize(g[..., 1], h, align_corners)
    x0, y0 = xs.detach().floor(), ys.detach().floor()
    wx, wy = _cubic_weights(xs - x0), _cubic_weights(ys - y0)
    ix, iy = _taps(x0, w, padding_mode, align_corners), _taps(y0, h, padding_mode, align_corners)
    out = None
    for j in range(4):
        for i in range(4):
            term = _gather(flat, spatial, [iy[j], ix[i]]) * (wx[i] * wy[j]).unsqueeze(1)
            out = term if out is None else out + term
    return out


def _taps(base, n, padding_mode, align_corners):
    """The integer tap positions base - 1 .. base + 2 along one axis, after the padding rule
    (border: clamp into the image; reflection: mirror at its edges, then clamp)."""
    out = []
    for i in range(4):
        pos = base._data - 1 + i
        if padding_mode == "border":
            pos = np.clip(pos, 0, n - 1)
        elif padding_mode == "reflection":
            pos = _reflect(_tensor(pos), 0, 2 * (n - 1))._data if align_corners else \
                _reflect(_tensor(pos), -1, 2 * n - 1)._data
            pos = np.clip(pos, 0, n - 1)
        out.append(pos.astype(np.int64))
    return out


class _ZeroGradFor(Function):
    """out = value; ``other`` (the grid of a nearest-neighbour grid_sample) is a second input.

    d out / d value = 1 and d out / d other = 0 (a zero tensor, not None).
    Nearest-neighbour sampling is a step function of the grid: its derivative is 0 almost
    everywhere, and PyTorch reports that zero gradient for the grid rather than none."""

    _backward_name = "GridSampler2DBackward0"

    @staticmethod
    def forward(ctx, value, other):
        ctx.other_shape, ctx.other_dtype = other.shape, other.dtype
        return value._data

    @staticmethod
    def backward(ctx, grad):
        from .. import zeros
        return grad, zeros(ctx.other_shape, dtype=ctx.other_dtype)


def grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=None):
    """output[n, :, p] = input[n, :] sampled at grid[n, p] (x, y[, z] in [-1, 1]).

    bilinear: sum over the 2^k corners c of the cell holding the point of w_c * input[c], with
    w_c = prod_d (1 - |x_d - c_d|). d out / d input is a scatter of the weights into the
    corners (the gather's backward); d out / d x_d = sum_c ±(prod of the other weights) input[c],
    since each weight is linear in x_d inside a cell. Both come from autograd on this expression.
    nearest: the pixel at round-half-even(x); no gradient for the grid (a step function).
    bicubic (4-D only): the 4 x 4 taps around the point weighted by Keys' cubic kernel.
    """
    if mode not in ("bilinear", "nearest", "bicubic"):
        raise ValueError(f"nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', "
                         f"but got: '{mode}'")
    if padding_mode not in ("zeros", "border", "reflection"):
        raise ValueError(f"nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or "
                         f"'reflection', but got: '{padding_mode}'")
    if align_corners is None:
        warnings.warn(_ALIGN_WARNING)
        align_corners = False
    k = input.dim() - 2
    sizes = f"input with sizes {list(input.shape)} and grid with sizes {list(grid.shape)}"
    if input.dim() != grid.dim() or input.shape[0] != grid.shape[0]:
        raise RuntimeError(f"grid_sampler(): expected grid and input to have same batch size, but got {sizes}")
    if k not in (2, 3):
        raise RuntimeError(f"grid_sampler(): expected 4D or 5D input and grid with same number of dimensions, "
                           f"but got {sizes}")
    if grid.shape[-1] != k:
        raise RuntimeError(f"grid_sampler(): expected grid to have size {k} in last dimension, but got grid with "
                           f"sizes {list(grid.shape)}")
    if input.dtype != grid.dtype:
        raise RuntimeError(f"expected scalar type {input.dtype} but found {grid.dtype}")
    if mode == "bicubic":
        if k != 2:
            raise RuntimeError("grid_sampler(): bicubic interpolation only supports 4D input")
    nb, c, *spatial = input.shape
    out_spatial = tuple(grid.shape[1:-1])
    flat = input.reshape(nb, c, -1)
    g = grid.reshape(nb, -1, k)
    if mode == "bicubic":
        return _bicubic(flat, g, spatial, padding_mode, align_corners).reshape(nb, c, *out_spatial)
    # grid component d is x, y, z: it indexes spatial dim k - 1 - d
    coords = [_source_coord(g[..., k - 1 - d], spatial[d], padding_mode, align_corners) for d in range(k)]
    if mode == "nearest":
        out = _gather(flat, spatial, [np.round(x._data).astype(np.int64) for x in coords])
        if grid.requires_grad:
            out = _ZeroGradFor.apply(out, grid)
        return out.reshape(nb, c, *out_spatial)
    lows = [x.detach().floor() for x in coords]
    fracs = [x - lo for x, lo in zip(coords, lows)]  # position inside the cell, in [0, 1)
    out = None
    for corner in itertools.product((0, 1), repeat=k):
        w = None
        for f, bit in zip(fracs, corner):
            wd = f if bit else 1 - f
            w = wd if w is None else w * wd
        idx = [lo._data.astype(np.int64) + bit for lo, bit in zip(lows, corner)]
        term = _gather(flat, spatial, idx) * w.unsqueeze(1)
        out = term if out is None else out + term
    return out.reshape(nb, c, *out_spatial)


# ---------------------------------------------------------------- distances

def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """out[..., i, j] = ||x1[..., i, :] - x2[..., j, :]||_p, batched over the leading dims.

    The pairwise differences broadcast to (..., P, R, M) and ``norm`` reduces the last dim, so the
    gradient is norm's: sign(d) |d|^(p-1) / ||d||^(p-1), zero where the distance is zero (as in
    PyTorch, whose cdist backward also gives 0 there).
    """
    if x1.dim() < 2 or x2.dim() < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X{1 if x1.dim() < 2 else 2} got: "
                           f"{min(x1.dim(), x2.dim())}D")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: {x1.shape[-1]} "
                           f"X2: {x2.shape[-1]}")
    if not (x1.dtype.is_floating_point and x2.dtype.is_floating_point):
        raise RuntimeError(f"cdist only supports floating-point dtypes, X1 got: {x1.dtype}")
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    d = x1.unsqueeze(-2) - x2.unsqueeze(-3)
    return d.norm(p, dim=-1)


def pdist(input, p=2):
    """The upper triangle (i < j, row by row) of cdist(input, input): N (N - 1) / 2 distances."""
    if input.dim() != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.dim()}D")
    if p < 0:
        raise RuntimeError("pdist only supports non-negative p values")
    n = input.shape[0]
    i, j = np.triu_indices(n, 1)
    return (input[_tensor(i)] - input[_tensor(j)]).norm(p, dim=-1)


class LogCumSumExp(Function):
    """out_i = log sum_{j <= i} exp(x_j), computed as a running logaddexp so nothing overflows.

    d out_i / d x_j = exp(x_j - out_i) for j <= i (the softmax of the prefix), so
    grad_x_j = sum_{i >= j} g_i exp(x_j - out_i). Every exponent is <= 0 (out_i >= x_j), so the
    masked (j, i) matrix of them is stable; it is written with ember ops for double backward.
    """

    _backward_name = "LogcumsumexpBackward0"

    @staticmethod
    def forward(ctx, x, dim):
        a = x._data
        ctx.save_for_backward(x)
        ctx.dim = dim
        if a.ndim == 0 or a.size == 0:
            return a.copy()
        return np.logaddexp.accumulate(a, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        if x.dim() == 0:
            return grad, None
        dim = ctx.dim
        out = LogCumSumExp.apply(x, dim).movedim(dim, -1)
        xs, g = x.movedim(dim, -1), grad.movedim(dim, -1)
        n = xs.shape[-1]
        later = _tensor(np.triu(np.ones((n, n), bool)))  # [j, i]: i >= j
        expo = (xs.unsqueeze(-1) - out.unsqueeze(-2)).masked_fill(~later, float("-inf"))
        gx = (expo.exp() * g.unsqueeze(-2)).sum(-1)
        return gx.movedim(-1, dim), None


def logcumsumexp(input, dim, *, out=None):
    """log(cumsum(exp(input), dim)) without overflow."""
    if not input.dtype.is_floating_point:
        name = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}
        kind = name.get(str(input.dtype).split(".")[-1], str(input.dtype))
        raise NotImplementedError(f'"logcumsumexp_out_cpu" not implemented for \'{kind}\'')
    dim = dim + input.dim() if dim < 0 else dim
    if not 0 <= dim < max(input.dim(), 1):
        raise IndexError(f"Dimension out of range (expected to be in range of [{-max(input.dim(), 1)}, "
                         f"{max(input.dim(), 1) - 1}], but got {dim - input.dim() if dim >= input.dim() else dim})")
    return _out(LogCumSumExp.apply(input, dim), out)


def _trapezoid_parts(y, x, dx, dim):
    """The interval widths and the interval averages (y_i + y_{i+1}) / 2 along ``dim``."""
    if x is not None and dx is not None:
        raise TypeError("trapezoid() received an invalid combination of arguments - got (Tensor, Tensor, dx=...), "
                        "but expected one of: (Tensor y, Tensor x, *, int dim = -1) or "
                        "(Tensor y, *, Number dx = 1, int dim = -1)")
    n = y.shape[dim]
    mean = (y.narrow(dim, 1, n - 1) + y.narrow(dim, 0, n - 1)) / 2
    if x is None:
        return (1 if dx is None else dx), mean
    if x.dim() == 1:
        if x.shape[0] != n:
            raise RuntimeError("trapezoid: There must be one `x` value for each sample point")
        width = x[1:] - x[:-1]
        d = dim + y.dim() if dim < 0 else dim
        width = width.reshape(n - 1, *([1] * (y.dim() - d - 1)))
        return width, mean
    return x.diff(dim=dim), mean


def trapezoid(y, x=None, *, dx=None, dim=-1):
    """sum_i (x_{i+1} - x_i) (y_i + y_{i+1}) / 2 along ``dim`` (spacing ``dx``, default 1, if no x)."""
    if y.shape[dim] == 0:  # no intervals: zeros, and (as in PyTorch) not part of the graph
        return y.detach().sum(dim) * 0
    width, mean = _trapezoid_parts(y, x, dx, dim)
    return (width * mean).sum(dim)


def trapz(y, x=None, *, dx=None, dim=-1):
    return trapezoid(y, x, dx=dx, dim=dim)


def cumulative_trapezoid(y, x=None, *, dx=None, dim=-1):
    """The running trapezoid sums: entry i integrates from the first sample to sample i + 1."""
    if y.shape[dim] == 0:
        return y * 1
    width, mean = _trapezoid_parts(y, x, dx, dim)
    return (width * mean).cumsum(dim)


methods(logcumsumexp)
