"""Stride-1 transposed convolution (the input gradient of a convolution) on flat images.

A transposed convolution scatters: every input position (y, x) adds W-weighted copies of its
value onto the output positions (y + i d, x + j d) under the kernel, i.e. col2im of
``dcols = W^T g``. Done on 2-d windows (conv.py) each kernel offset adds Wo-element pieces.
For stride 1 it can add whole runs instead. Flatten the padded output image (Hp x Wp) row
by row: position (y + i d, x + j d) sits at (y Wp + x) + (i d Wp + j d). Number the input
positions on that same pitch, q = y Wp + x, letting x run over the whole padded width Wp
(the Wp - Wo extra columns per row are a margin of zeros), and each kernel offset becomes
one *shift* of the flat image:

    flat[n, c, q + i d Wp + j d] += dcols[(c, i, j), (n, q)]

so col2im is prod(kernel) shifted adds of whole rows. The margin columns of g are zero, so
their columns of dcols (W^T 0) are zero too and add nothing. The batch is folded into the
columns, making ``W^T g`` one large matrix product. 1-d has no margin; 3-d has margins in
its two trailing dims. The margins cost extra product columns, so past half again as many
columns as positions the window path is used instead.
"""
import itertools
import math

import numpy as np


class FlatPlan:
    """The layout over a padded output of spatial size ``padded``: the grid has ``rows``
    (the input's first spatial size) rows of the padded pitch, so ``grid`` positions per
    sample; ``offsets`` is the flat shift of each kernel offset and ``length`` the flat
    image plus room for the last shifts to run off its end."""

    def __init__(self, padded, kernel, dilation, rows):
        self.padded = tuple(padded)
        pitch = [math.prod(padded[i + 1:]) for i in range(len(padded))]
        self.grid_shape = (rows,) + self.padded[1:]
        self.grid = math.prod(self.grid_shape)
        self.offsets = [sum(i * d * p for i, d, p in zip(idx, dilation, pitch))
                        for idx in itertools.product(*(range(k) for k in kernel))]
        self.length = max(max(self.offsets) + self.grid, math.prod(padded))  # output_padding: trailing zeros


def plan(g, w, stride, dilation, output_padding, groups):
    """The FlatPlan for a transposed convolution of g (N, O, *size) with W (O, C/G, *kernel),
    or None where the flat layout does not apply (strides, groups, empty) or does not pay."""
    if groups != 1 or any(s != 1 for s in stride) or g.size == 0:
        return None
    size, kernel = g.shape[2:], w.shape[2:]
    p = FlatPlan([s + d * (k - 1) + op for s, k, d, op in zip(size, kernel, dilation, output_padding)],
                 kernel, dilation, size[0])
    return p if p.grid <= 1.5 * math.prod(size) else None


def conv_transpose(g, w, p, padding):
    """g (N, O, *size), W (O, C, *kernel) -> (N, C, *out), out = padded - 2 padding."""
    n, o = g.shape[:2]
    grid = (np.zeros if p.grid > math.prod(g.shape[2:]) else np.empty)((o, n) + p.grid_shape, g.dtype)
    grid[(slice(None),) * 2 + tuple(slice(0, s) for s in g.shape[2:])] = g.swapaxes(0, 1)
    dcols = w.reshape(o, -1).T @ grid.reshape(o, n * p.grid)  # (C K, N G)
    k = len(p.offsets)
    c = dcols.shape[0] // k
    blocks = dcols.reshape(c, k, n, p.grid)
    flat = np.zeros((c, n, p.length), dcols.dtype)
    for j, off in enumerate(p.offsets):
        flat[:, :, off:off + p.grid] += blocks[:, j]
    img = flat[:, :, :math.prod(p.padded)].reshape((c, n) + p.padded)
    crop = tuple(slice(q, s - q) for q, s in zip(padding, p.padded))
    return np.ascontiguousarray(img[(slice(None),) * 2 + crop].swapaxes(0, 1))
