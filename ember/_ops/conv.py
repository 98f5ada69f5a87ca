"""Convolution as a matrix product (im2col), its transpose, and ``unfold``/``fold``.

For a convolution with kernel (k1, ..., kd) over d spatial dims (1, 2 or 3), every output
position is a dot product between the flattened weights of one output channel and the
(C, k1, ..., kd) patch of the input under the kernel. Laying all patches side by side as the
columns of a matrix ("im2col"), e.g. in 2-d

    cols[(c, i, j), (n, y, x)] = x_pad[n, c, y*s + i*d, x*s + j*d]        shape (C kh kw, N Ho Wo)

turns the whole convolution into one matrix product ``W.reshape(O, C kh kw) @ cols`` — done by
BLAS. The patches are read through a strided *view* of the padded input (no Python loops);
only the final ``cols`` matrix is a copy. Nothing below is specific to a number of dims: a
1-d or 3-d convolution is the same code with shorter or longer index tuples.

Gradients: y = W cols is linear in both, so dL/dW = dL/dy cols^T (the "weight gradient", a
correlation of the input with the output gradient) and dL/dcols = W^T dL/dy, which "col2im"
adds back onto the input positions each patch came from (overlapping patches accumulate).
That input gradient is exactly a *transposed convolution* of dL/dy with W, so ``Convolution``
serves both directions and backward is written with ``Convolution`` and ``ConvWeight``
themselves, which makes double backward work.
"""
import itertools
import math

import numpy as np

from . import conv_flat
from .._dtype import type_word
from ..autograd.function import Function

_ALL2 = (slice(None), slice(None))  # the batch and channel dims, untouched by spatial indexing


def tuple_n(v, n):
    """``3 -> (3, 3)``; a sequence is checked for length ``n``."""
    if isinstance(v, (tuple, list)):
        if len(v) == 1 and n > 1:
            return tuple(v) * n
        return tuple(int(i) for i in v)
    return (int(v),) * n


def pad_spatial(x, pairs, value=0.0):
    """``x`` with (lo, hi) extra positions of ``value`` around each spatial dim. A filled array
    and one slice assignment: np.pad does the same but costs tens of microseconds more per call,
    which dominates small convolutions."""
    out = np.full(x.shape[:2] + tuple(L + lo + hi for L, (lo, hi) in zip(x.shape[2:], pairs)), value, x.dtype)
    out[_ALL2 + tuple(slice(lo, lo + L) for L, (lo, _) in zip(x.shape[2:], pairs))] = x
    return out


def _pad(x, padding):
    return pad_spatial(x, [(p, p) for p in padding]) if any(padding) else x


def windows(xp, kernel, stride, dilation, out=None, limit=None):
    """A strided view (N, C, *kernel, *out) of every kernel-sized patch of padded ``xp``: moving
    one step along a kernel dim moves ``dilation`` elements, along an output dim ``stride``.
    ``out`` defaults to every position the kernel fits at, at most ``limit`` per dim."""
    if out is None:
        out = tuple((size - d * (k - 1) - 1) // s + 1
                    for size, k, s, d in zip(xp.shape[2:], kernel, stride, dilation))
        if limit is not None:
            out = tuple(map(min, out, limit))
    st = xp.strides
    return np.lib.stride_tricks.as_strided(
        xp, xp.shape[:2] + tuple(kernel) + tuple(out),
        st[:2] + tuple(t * d for t, d in zip(st[2:], dilation)) + tuple(t * s for t, s in zip(st[2:], stride)),
        writeable=False)


def im2col(x, kernel, stride, padding, dilation, groups, limit=None):
    """``cols`` of shape (N, G, C/G * prod(kernel), prod(out)) and the output size ``out``:
    for each sample, one column per output position holding its patch. The layout is the
    windows' own order, so building it is one sequential copy, and each sample's product
    W (O, C k) @ cols (C k, positions) lands in (N, O, positions) order, which is already
    the (N, O, *out) output: no transposed copy on either side. ``limit`` caps ``out``."""
    nd = len(kernel)
    win = windows(_pad(x, padding), kernel, stride, dilation, limit=limit)
    n, c = win.shape[:2]
    out = win.shape[2 + nd:]
    return win.reshape(n, groups, (c // groups) * math.prod(kernel), math.prod(out)), out


def col2im(cols, shape, kernel, stride, padding, dilation):
    """The adjoint of ``im2col``: add each column back onto the positions its patch came from.
    ``cols`` is (N, C, *kernel, *out); ``shape`` the unpadded (N, C, *size). One strided slice
    per kernel offset: the loop runs prod(kernel) times, never over positions."""
    nd = len(kernel)
    size = shape[2:]
    out_size = cols.shape[2 + nd:]
    out = np.zeros(tuple(shape[:2]) + tuple(L + 2 * p for L, p in zip(size, padding)), cols.dtype)
    # per dim, the strided slice of output positions that kernel offset o touches
    dst = [[slice(o * d, o * d + s * (m - 1) + 1, s) for o in range(k)]
           for k, d, s, m in zip(kernel, dilation, stride, out_size)]
    for offs, sl in zip(itertools.product(*(range(k) for k in kernel)), itertools.product(*dst)):
        out[_ALL2 + sl] += cols[_ALL2 + offs]
    return out[_ALL2 + tuple(slice(p, p + L) for p, L in zip(padding, size))]


def _conv_np(x, w, stride, padding, dilation, groups):
    """y = conv(x, W): x (N, C, *size), W (O, C/G, *kernel) -> (N, O, *out)."""
    o = w.shape[0]
    cols, out = im2col(x, w.shape[2:], stride, padding, dilation, groups)
    y = np.matmul(w.reshape(groups, o // groups, -1), cols)  # (N, G, O/G, positions)
    return y.reshape((x.shape[0], o) + out)


def _conv_transpose_np(x, w, stride, padding, output_padding, dilation, groups):
    """y = conv_transpose(x, W): x (N, Cin, *size), W (Cin, Cout/G, *kernel): the adjoint of
    conv with the same W, i.e. col2im(W^T x); stride 1 takes conv_flat's whole-row adds."""
    flat = conv_flat.plan(x, w, stride, dilation, output_padding, groups)
    if flat is not None:
        return conv_flat.conv_transpose(x, w, flat, padding)
    n, cin = x.shape[:2]
    size, kernel, cout_g = x.shape[2:], w.shape[2:], w.shape[1]
    out = tuple((L - 1) * s - 2 * p + d * (k - 1) + op + 1
                for L, s, p, d, k, op in zip(size, stride, padding, dilation, kernel, output_padding))
    wm = w.reshape(groups, cin // groups, -1).transpose(0, 2, 1)  # (G, Cout/G prod(kernel), Cin/G)
    cols = np.matmul(wm, x.reshape(n, groups, cin // groups, math.prod(size)))  # (N, G, Cout/G prod(k), positions)
    cols = cols.reshape((n, groups * cout_g) + kernel + size)
    return col2im(cols, (n, groups * cout_g) + out, kernel, stride, padding, dilation)


def _conv_weight_np(a, b, wshape, stride, padding, dilation, groups):
    """dW of <b, conv(a, W)>: the correlation of input ``a`` with output gradient ``b``,
    summed over the samples: dW = sum_n b_n cols_n^T.

    A layer with many weights per group folds the samples into the product's inner
    dimension, dW = [b_1 .. b_N] [cols_1 .. cols_N]^T: the batch sum happens inside one
    large matrix product. A small one (few channels, many positions: a first layer) computes
    the N small products in one batched call and adds them up, which avoids the transposed
    copies that folding needs."""
    o, n = wshape[0], a.shape[0]
    if n == 0:
        return np.zeros(wshape, b.dtype)
    nd = len(wshape) - 2
    # a strided conv drops trailing positions of ``a`` (b is smaller: cut it), and a transposed
    # conv's output_padding adds positions b has no gradient for (limit the windows to b)
    win = windows(_pad(a, padding), wshape[2:], stride, dilation, limit=b.shape[2:])
    out = win.shape[2 + nd:]
    c = win.shape[1]
    bm = b[_ALL2 + tuple(slice(0, m) for m in out)].reshape(n, groups, o // groups, -1)
    if (o // groups) * (c // groups) * math.prod(wshape[2:]) < _FOLD_WEIGHTS:
        cols = win.reshape(n, groups, -1, math.prod(out))  # (N, G, C/G prod(kernel), positions)
        return np.matmul(bm, cols.swapaxes(-1, -2)).sum(0).reshape(wshape)
    # (N, G, C/G, *kernel, *out) -> (G, C/G, *kernel, N, *out): one copy, in the product's order
    win = win.reshape((n, groups, c // groups) + win.shape[2:])
    cols = win.transpose((1, 2) + tuple(range(3, 3 + nd)) + (0,) + tuple(range(3 + nd, 3 + 2 * nd)))
    cols = cols.reshape(groups, -1, n * math.prod(out))
    bm = bm.transpose(1, 2, 0, 3).reshape(groups, o // groups, -1)  # (G, O/G, N positions)
    return np.matmul(bm, cols.swapaxes(-1, -2)).reshape(wshape)


_FOLD_WEIGHTS = 4096  # weights per group from which the weight gradient folds the batch


class Convolution(Function):
    """y = conv(x, W) + b (or its transpose, ``transposed=True``) over 1, 2 or 3 spatial dims.

    dL/dx = conv_transpose(dL/dy, W)  (conv for a transposed convolution),
    dL/dW = correlation of x with dL/dy (``ConvWeight``),   dL/db = sum of dL/dy over N and space.
    """

    _backward_name = "ConvolutionBackward0"

    @staticmethod
    def forward(ctx, x, w, b, stride, padding, dilation, transposed, output_padding, groups):
        if transposed:
            y = _conv_transpose_np(x._data, w._data, stride, padding, output_padding, dilation, groups)
        else:
            y = _conv_np(x._data, w._data, stride, padding, dilation, groups)
        if b is not None:
            y += b._data.reshape((1, -1) + (1,) * len(stride))
        ctx.save_for_backward(x, w)
        ctx.params = (stride, padding, dilation, transposed, output_padding, groups, b is not None)
        return y

    @staticmethod
    def backward(ctx, g):
        x, w = ctx.saved_tensors
        stride, padding, dilation, transposed, output_padding, groups, has_bias = ctx.params
        nx, nw, nb = ctx.needs_input_grad[:3]
        gx = gw = gb = None
        if nx:
            if transposed:
                gx = _cut_to(Convolution.apply(g, w, None, stride, padding, dilation, False, (0,) * len(stride), groups), x)
            else:
                op = _fit_output_padding(x, g, w, stride, padding, dilation)
                gx = Convolution.apply(g, w, None, stride, padding, dilation, True, op, groups)
        if nw:
            gw = ConvWeight.apply(g, x, tuple(w._data.shape), stride, padding, dilation, groups) if transposed \
                else ConvWeight.apply(x, g, tuple(w._data.shape), stride, padding, dilation, groups)
        if nb and has_bias:
            gb = g.sum((0,) + tuple(range(2, g.dim())))
        return gx, gw, gb, None, None, None, None, None, None


def _cut_to(t, like):
    """``t`` cut to ``like``'s spatial size: a transposed convolution whose output_padding is
    at least its stride (possible when dilated) has output positions no input position reaches,
    and the convolution back over them yields those extra positions."""
    if t.shape[2:] == like.shape[2:]:
        return t
    return t[_ALL2 + tuple(slice(0, s) for s in like.shape[2:])]


def _fit_output_padding(x, g, w, stride, padding, dilation):
    """The output_padding that makes conv_transpose of ``g`` come back to x's spatial size
    (a strided conv drops up to stride-1 trailing positions, which the transpose must restore)."""
    return tuple(sx - ((sg - 1) * s - 2 * p + d * (k - 1) + 1) for sx, sg, k, s, p, d in
                 zip(x._data.shape[2:], g._data.shape[2:], w._data.shape[2:], stride, padding, dilation))


class ConvWeight(Function):
    """gW = correlation(a, b), the weight gradient of <b, conv(a, W)>; bilinear in (a, b):
    d/da = conv_transpose(b, ggW),   d/db = conv(a, ggW)."""

    _backward_name = "ConvolutionBackwardBackward0"

    @staticmethod
    def forward(ctx, a, b, wshape, stride, padding, dilation, groups):
        ctx.save_for_backward(a, b)
        ctx.params = (stride, padding, dilation, groups)
        return _conv_weight_np(a._data, b._data, wshape, stride, padding, dilation, groups)

    @staticmethod
    def backward(ctx, ggw):
        a, b = ctx.saved_tensors
        stride, padding, dilation, groups = ctx.params
        na, nb = ctx.needs_input_grad[:2]
        ga = gb = None
        if na:
            op = _fit_output_padding(a, b, ggw, stride, padding, dilation)
            ga = Convolution.apply(b, ggw, None, stride, padding, dilation, True, op, groups)
        if nb:
            # conv(a, .) has exactly b's size: b is the gradient of that very convolution's output
            gb = _cut_to(Convolution.apply(a, ggw, None, stride, padding, dilation, False, (0,) * len(stride), groups), b)
        return ga, gb, None, None, None, None, None


# --- nn.functional entry points ------------------------------------------------------------------
def _type_meta(t):
    """The C++ type name PyTorch prints in "Input type (double) ..." (``long int`` for int64)."""
    from .linalg import _word
    return _word(t)


def _check_conv(input, weight, bias, groups, nd, transposed, name, stride, padding, dilation,
                output_padding=None):
    """PyTorch's checks of a convolution's arguments, in PyTorch's order (the first that
    fails is the one reported)."""
    if not transposed and bias is not None and bias.dtype != input.dtype:
        raise RuntimeError(f"Input type ({_type_meta(input)}) and bias type ({_type_meta(bias)}) should be the same")
    if input.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to {name}, but got "
                           f"input of size: {list(input.shape)}")
    # PyTorch checks after giving an unbatched input its batch dim, and prints that shape
    shape = ([1] if input.dim() == nd + 1 else []) + list(input.shape)
    ws = list(weight.shape)
    if nd == 1 and weight.dim() != 3:
        # PyTorch stretches conv1d's one-element sizes to any weight, then compares ranks
        raise RuntimeError(f"Expected {weight.dim()}-dimensional input for {weight.dim()}-dimensional weight "
                           f"{ws}, but got {input.dim()}-dimensional input of size {list(input.shape)} instead")
    sizes = {"stride": stride, "padding": padding, "dilation": dilation}
    if output_padding is not None:
        sizes["output_padding"] = output_padding
    for what, v in sizes.items():  # one per weight dim
        if len(v) != weight.dim() - 2:
            raise RuntimeError(f"expected {what} to be a single integer value or a list of {weight.dim() - 2} "
                               f"values to match the convolution dimensions, but got {what}={list(v)}")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    if any(p < 0 for p in padding):
        raise RuntimeError("negative padding is not supported")
    if output_padding is not None and any(p < 0 for p in output_padding):
        raise RuntimeError("negative output_padding is not supported")
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(d < 0 for d in dilation):
        raise RuntimeError("dilation should be greater than zero")
    if weight.dim() != len(shape):
        raise RuntimeError(f"Expected {weight.dim()}-dimensional input for {weight.dim()}-dimensional weight {ws}, "
                           f"but got {len(shape)}-dimensional input of size {shape} instead")
    if ws[0] < groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be at least {groups} at dimension 0, but got "
                           f"weight of size {ws} instead")
    if ws[0] % groups:  # PyTorch prints this size in double brackets
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but "
                           f"got weight of size [{ws}] instead")
    c = shape[1]
    if transposed:
        if c != ws[0]:
            raise RuntimeError(f"Given transposed=1, weight of size {ws}, expected input{shape} to have {ws[0]} "
                               f"channels, but got {c} channels instead")
        if bias is not None and (bias.dim() != 1 or bias.shape[0] != ws[1] * groups):
            raise RuntimeError(f"Given transposed=1, weight of size {ws}, expected bias to be 1-dimensional with "
                               f"{ws[1] * groups} elements, but got bias of size {list(bias.shape)} instead")
        out = [(L - 1) * s - 2 * p + d * (k - 1) + op + 1 for L, s, p, d, k, op in
               zip(shape[2:], stride, padding, dilation, ws[2:], output_padding)]
        if any(o <= 0 for o in out):
            lead = [1] * (nd == 1)  # a 1-d convolution runs as 2-d (height 1) there
            raise RuntimeError(f"Given input size per channel: ({' x '.join(map(str, lead + shape[2:]))}). "
                               f"Calculated output size per channel: ({' x '.join(map(str, lead + out))}). "
                               "Output size is too small")
    else:
        if c != ws[1] * groups:
            raise RuntimeError(f"Given groups={groups}, weight of size {ws}, expected input{shape} to have "
                               f"{ws[1] * groups} channels, but got {c} channels instead")
        if bias is not None and (bias.dim() != 1 or bias.shape[0] != ws[0]):
            raise RuntimeError(f"Given weight of size {ws}, expected bias to be 1-dimensional with {ws[0]} elements, "
                               f"but got bias of size {list(bias.shape)} instead")
        padded = [L + 2 * p for L, p in zip(shape[2:], padding)]
        kernel = [d * (k - 1) + 1 for d, k in zip(dilation, ws[2:])]
        if any(L < k for L, k in zip(padded, kernel)):
            raise RuntimeError(f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). "
                               f"Kernel size: ({' x '.join(map(str, kernel))}). Kernel size can't be greater than "
                               "actual input size")
    # PyTorch runs batched float32 (and half) convolutions through oneDNN, and the rest through
    # its reference kernels; the two word their last checks differently
    onednn = input.dtype.name in ("float32", "float16", "bfloat16") and shape[0] > 1
    if any(d == 0 for d in dilation):
        if onednn and not transposed:
            raise RuntimeError("non-positive dilation is not supported")
        if transposed:
            dims = ("depth", "height", "width")[-max(nd, 2):]
            shown = (1,) * (len(dims) - nd) + tuple(dilation)
            raise RuntimeError("dilation should be greater than zero, but got " +
                               ", ".join(f"dilation_{dim}: {v}" for dim, v in zip(dims, shown)))
        raise RuntimeError(f"dilation should be greater than zero, but got {[1] * (nd == 1) + list(dilation)}")
    if input.dtype != weight.dtype:
        if onednn:
            from .._typeinfo import typename
            raise RuntimeError(f"Input type ({typename(input)}) and weight type ({typename(weight)}) should be the "
                               "same or input should be a MKLDNN tensor and weight is a dense tensor")
        raise RuntimeError(f"expected scalar type {type_word(input.dtype)} but found {type_word(weight.dtype)}")


def _same_padding(weight, dilation, nd):
    """'same' padding: total d (k - 1) per dim; PyTorch pads the odd extra on the right."""
    k = weight.shape[2:]
    total = [d * (kk - 1) for d, kk in zip(dilation, k)]
    return tuple(t // 2 for t in total), tuple(t - t // 2 for t in total)


_warned_same_copy = []


def convnd(input, weight, bias, stride, padding, dilation, groups, nd, name):
    """conv1d/2d/3d with PyTorch's argument handling (padding 'same'/'valid', unbatched input)."""
    stride, dilation = tuple_n(stride, nd), tuple_n(dilation, nd)
    if isinstance(padding, str) and padding not in ("valid", "same"):
        raise RuntimeError(f"Invalid padding string: '{padding}'")
    if padding == "same" and any(s != 1 for s in stride):
        raise RuntimeError("padding='same' is not supported for strided convolutions")
    if isinstance(padding, str):
        left, right = _same_padding(weight, dilation, nd) if padding == "same" else ((0,) * nd, (0,) * nd)
    else:
        left = right = tuple_n(padding, nd)
    # the check sees the larger side of an odd 'same' total, as PyTorch sees the input after its extra pad
    _check_conv(input, weight, bias, groups, nd, False, name, stride, right, dilation)
    unbatched = input.dim() == nd + 1
    if unbatched:
        input = input.unsqueeze(0)
    if left != right:  # 'same' with an odd total: the extra goes on the right
        if not _warned_same_copy:
            import warnings
            _warned_same_copy.append(True)  # PyTorch warns once per process
            warnings.warn("Using padding='same' with even kernel lengths and odd dilation may require a zero-padded "
                          "copy of the input be created", stacklevel=4)
        from ..nn.functional import pad
        extra = []
        for lo, hi in reversed(list(zip(left, right))):
            extra += [0, hi - lo]
        input = pad(input, extra)
    out = Convolution.apply(input, weight, bias, stride, left, dilation, False, (0,) * nd, groups)
    return out.squeeze(0) if unbatched else out


def conv_transposend(input, weight, bias, stride, padding, output_padding, groups, dilation, nd, name):
    for what, v in (("stride", stride), ("padding", padding), ("output_padding", output_padding),
                    ("dilation", dilation)):
        if isinstance(v, (tuple, list)) and any(not isinstance(i, int) for i in v):
            # e.g. ConvTranspose2d(padding='same') keeps the string's characters, as PyTorch does
            pos = next(i for i, x in enumerate(v) if not isinstance(x, int))
            arg = {"stride": 4, "padding": 5, "output_padding": 6, "dilation": 8}[what]
            raise TypeError(f"{name}(): argument '{what}' (position {arg}) must be tuple of ints, but found element "
                            f"of type {type(v[pos]).__name__} at pos {pos}")
    stride, padding = tuple_n(stride, nd), tuple_n(padding, nd)
    output_padding, dilation = tuple_n(output_padding, nd), tuple_n(dilation, nd)
    _check_conv(input, weight, bias, groups, nd, True, name, stride, padding, dilation, output_padding)
    if any(op >= s and op >= d for op, s, d in zip(output_padding, stride, dilation)):
        # PyTorch names every dim in the message; a 1-d convolution runs as 2-d there (height 1)
        dims = ("depth", "height", "width")[-max(nd, 2):]
        lead = len(dims) - nd
        got = [f"{what}_{dim}: {v}" for what, vals, fill in (("output_padding", output_padding, 0),
                                                             ("stride", stride, 1), ("dilation", dilation, 1))
               for dim, v in zip(dims, (fill,) * lead + vals)]
        raise RuntimeError("output padding must be smaller than either stride or dilation, but got " + " ".join(got))
    unbatched = input.dim() == nd + 1
    if unbatched:
        input = input.unsqueeze(0)
    out = Convolution.apply(input, weight, bias, stride, padding, dilation, True, output_padding, groups)
    return out.squeeze(0) if unbatched else out


class Im2Col(Function):
    """``unfold``: patches as columns, (N, C kh kw, L). Linear; its adjoint is ``fold``."""

    _backward_name = "Im2ColBackward0"

    @staticmethod
    def forward(ctx, x, kernel, dilation, padding, stride):
        n, c, h, w = x._data.shape
        cols, _ = im2col(x._data, kernel, stride, padding, dilation, 1)
        ctx.params = ((h, w), kernel, dilation, padding, stride)
        return cols.reshape(n, c * kernel[0] * kernel[1], -1)

    @staticmethod
    def backward(ctx, g):
        return Col2Im.apply(g, *ctx.params), None, None, None, None


class Col2Im(Function):
    """``fold``: sum columns back into an image. Linear; its adjoint is ``unfold``."""

    _backward_name = "Col2ImBackward0"

    @staticmethod
    def forward(ctx, cols, output_size, kernel, dilation, padding, stride):
        n, ckk, L = cols._data.shape
        kh, kw = kernel
        c = ckk // (kh * kw)
        h, w = output_size
        ho = (h + 2 * padding[0] - dilation[0] * (kh - 1) - 1) // stride[0] + 1
        wo = (w + 2 * padding[1] - dilation[1] * (kw - 1) - 1) // stride[1] + 1
        if ho * wo != L:
            raise RuntimeError(f"Given output_size={tuple(output_size)}, kernel_size={tuple(kernel)}, "
                               f"dilation={tuple(dilation)}, padding={tuple(padding)}, stride={tuple(stride)}, "
                               f"expected size of input's dimension 2 to match the calculated number of sliding "
                               f"blocks {ho} * {wo} = {ho * wo}, but got input.size(2)={L}.")
        ctx.params = (kernel, dilation, padding, stride)
        return col2im(cols._data.reshape(n, c, kh, kw, ho, wo), (n, c, h, w), kernel, stride, padding, dilation)

    @staticmethod
    def backward(ctx, g):
        return Im2Col.apply(g, *ctx.params), None, None, None, None, None


__all__ = []
