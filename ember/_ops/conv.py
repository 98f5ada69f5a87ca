"""Convolution as a matrix product (im2col), its transpose, and ``unfold``/``fold``.

For a 2-D convolution with kernel (kh, kw), every output pixel is a dot product between the
flattened weights of one output channel and the (C, kh, kw) patch of the input under the
kernel. Laying all patches side by side as the columns of a matrix ("im2col"),

    cols[(c, i, j), (n, y, x)] = x_pad[n, c, y*s + i*d, x*s + j*d]        shape (C kh kw, N Ho Wo)

turns the whole convolution into one matrix product ``W.reshape(O, C kh kw) @ cols`` — done by
BLAS. The patches are read through a strided *view* of the padded input (no Python loops);
only the final ``cols`` matrix is a copy.

Gradients: y = W cols is linear in both, so dL/dW = dL/dy cols^T (the "weight gradient", a
correlation of the input with the output gradient) and dL/dcols = W^T dL/dy, which "col2im"
adds back onto the input positions each patch came from (overlapping patches accumulate).
That input gradient is exactly a *transposed convolution* of dL/dy with W, so ``Convolution``
serves both directions and backward is written with ``Convolution`` and ``ConvWeight``
themselves, which makes double backward work.
"""
import numpy as np

from .._dtype import type_word
from ..autograd.function import Function


def tuple_n(v, n):
    """``3 -> (3, 3)``; a sequence is checked for length ``n``."""
    if isinstance(v, (tuple, list)):
        if len(v) == 1 and n > 1:
            return tuple(v) * n
        return tuple(int(i) for i in v)
    return (int(v),) * n


def _as2d(a, nd):
    """View a 1-d convolution's (N, C, L) array as (N, C, 1, L)."""
    return a[:, :, None, :] if nd == 1 else a


def _pad(x, padding, value=0.0):
    ph, pw = padding
    if ph == 0 and pw == 0:
        return x
    return np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=value)


def windows(xp, kernel, stride, dilation, out_hw=None):
    """A strided view (N, C, kh, kw, Ho, Wo) of every kernel-sized patch of padded ``xp``."""
    n, c, h, w = xp.shape
    (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
    if out_hw is None:
        out_hw = ((h - dh * (kh - 1) - 1) // sh + 1, (w - dw * (kw - 1) - 1) // sw + 1)
    s = xp.strides
    return np.lib.stride_tricks.as_strided(
        xp, (n, c, kh, kw, out_hw[0], out_hw[1]),
        (s[0], s[1], s[2] * dh, s[3] * dw, s[2] * sh, s[3] * sw), writeable=False)


def im2col(x, kernel, stride, padding, dilation, groups):
    """``cols`` of shape (G, C/G * kh * kw, N * Ho * Wo) and the output size (Ho, Wo)."""
    win = windows(_pad(x, padding), kernel, stride, dilation)
    n, c, kh, kw, ho, wo = win.shape
    cols = win.transpose(1, 2, 3, 0, 4, 5).reshape(groups, (c // groups) * kh * kw, n * ho * wo)
    return cols, (ho, wo)


def col2im(cols, shape, kernel, stride, padding, dilation):
    """The adjoint of ``im2col``: add each column back onto the pixels its patch came from.
    ``cols`` is (C, kh, kw, N, Ho, Wo); ``shape`` the unpadded (N, C, H, W)."""
    n, c, h, w = shape
    (kh, kw), (sh, sw), (dh, dw), (ph, pw) = kernel, stride, dilation, padding
    ho, wo = cols.shape[4], cols.shape[5]
    out = np.zeros((n, c, h + 2 * ph, w + 2 * pw), cols.dtype)
    for i in range(kh):
        for j in range(kw):
            y0, x0 = i * dh, j * dw
            out[:, :, y0:y0 + sh * (ho - 1) + 1:sh, x0:x0 + sw * (wo - 1) + 1:sw] += \
                cols[:, i, j].transpose(1, 0, 2, 3)
    return out[:, :, ph:ph + h, pw:pw + w]


def _conv_np(x, w, stride, padding, dilation, groups):
    """y = conv(x, W): x (N, C, H, W), W (O, C/G, kh, kw) -> (N, O, Ho, Wo)."""
    o, _, kh, kw = w.shape
    n = x.shape[0]
    cols, (ho, wo) = im2col(x, (kh, kw), stride, padding, dilation, groups)
    wm = w.reshape(groups, o // groups, -1)
    y = wm[0] @ cols[0] if groups == 1 else np.matmul(wm, cols)
    return np.ascontiguousarray(y.reshape(o, n, ho, wo).transpose(1, 0, 2, 3))


def _conv_transpose_np(x, w, stride, padding, output_padding, dilation, groups):
    """y = conv_transpose(x, W): x (N, Cin, H, W), W (Cin, Cout/G, kh, kw): the adjoint of
    conv with the same W, i.e. col2im(W^T x)."""
    n, cin, h, wd = x.shape
    _, cout_g, kh, kw = w.shape
    (sh, sw), (ph, pw), (oph, opw), (dh, dw) = stride, padding, output_padding, dilation
    hout = (h - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1
    wout = (wd - 1) * sw - 2 * pw + dw * (kw - 1) + opw + 1
    xm = x.transpose(1, 0, 2, 3).reshape(groups, cin // groups, n * h * wd)
    wm = w.reshape(groups, cin // groups, cout_g * kh * kw)
    cols = np.matmul(wm.transpose(0, 2, 1), xm)  # (G, Cout/G kh kw, N H W)
    cols = cols.reshape(groups * cout_g, kh, kw, n, h, wd)
    return col2im(cols, (n, groups * cout_g, hout, wout), (kh, kw), stride, padding, dilation)


def _conv_weight_np(a, b, wshape, stride, padding, dilation, groups):
    """dW of <b, conv(a, W)>: the correlation of input ``a`` with output gradient ``b``."""
    o, cg, kh, kw = wshape
    cols, (ho, wo) = im2col(a, (kh, kw), stride, padding, dilation, groups)
    n = a.shape[0]
    bm = b[:, :, :ho, :wo].transpose(1, 0, 2, 3).reshape(groups, o // groups, n * ho * wo)
    gw = np.matmul(bm, cols.transpose(0, 2, 1))
    return gw.reshape(wshape)


class Convolution(Function):
    """y = conv(x, W) + b (or its transpose, ``transposed=True``), 1-d or 2-d.

    dL/dx = conv_transpose(dL/dy, W)  (conv for a transposed convolution),
    dL/dW = correlation of x with dL/dy (``ConvWeight``),   dL/db = sum of dL/dy over N, H, W.
    """

    _backward_name = "ConvolutionBackward0"

    @staticmethod
    def forward(ctx, x, w, b, stride, padding, dilation, transposed, output_padding, groups):
        nd = x._data.ndim - 2
        xa, wa = _as2d(x._data, nd), _as2d(w._data, nd)
        if transposed:
            y = _conv_transpose_np(xa, wa, stride, padding, output_padding, dilation, groups)
        else:
            y = _conv_np(xa, wa, stride, padding, dilation, groups)
        if b is not None:
            y += b._data.reshape(1, -1, 1, 1)
        ctx.save_for_backward(x, w)
        ctx.params = (stride, padding, dilation, transposed, output_padding, groups, b is not None)
        return y[:, :, 0, :] if nd == 1 else y

    @staticmethod
    def backward(ctx, g):
        x, w = ctx.saved_tensors
        stride, padding, dilation, transposed, output_padding, groups, has_bias = ctx.params
        nx, nw, nb = ctx.needs_input_grad[:3]
        gx = gw = gb = None
        if nx:
            if transposed:
                gx = Convolution.apply(g, w, None, stride, padding, dilation, False, (0, 0), groups)
            else:
                op = _fit_output_padding(x, g, w, stride, padding, dilation)
                gx = Convolution.apply(g, w, None, stride, padding, dilation, True, op, groups)
        if nw:
            gw = ConvWeight.apply(g, x, tuple(w._data.shape), stride, padding, dilation, groups) if transposed \
                else ConvWeight.apply(x, g, tuple(w._data.shape), stride, padding, dilation, groups)
        if nb and has_bias:
            gb = g.sum((0, 2, 3) if g.dim() == 4 else (0, 2))
        return gx, gw, gb, None, None, None, None, None, None


def _fit_output_padding(x, g, w, stride, padding, dilation):
    """The output_padding that makes conv_transpose of ``g`` come back to x's spatial size
    (a strided conv drops up to stride-1 trailing pixels, which the transpose must restore)."""
    nd = x._data.ndim - 2
    size_x = _as2d(x._data, nd).shape[2:]
    size_g = _as2d(g._data, nd).shape[2:]
    k = _as2d(w._data, nd).shape[2:]
    return tuple(sx - ((sg - 1) * s - 2 * p + d * (kk - 1) + 1)
                 for sx, sg, kk, s, p, d in zip(size_x, size_g, k, stride, padding, dilation))


class ConvWeight(Function):
    """gW = correlation(a, b), the weight gradient of <b, conv(a, W)>; bilinear in (a, b):
    d/da = conv_transpose(b, ggW),   d/db = conv(a, ggW)."""

    _backward_name = "ConvolutionBackwardBackward0"

    @staticmethod
    def forward(ctx, a, b, wshape, stride, padding, dilation, groups):
        nd = a._data.ndim - 2
        ctx.save_for_backward(a, b)
        ctx.params = (stride, padding, dilation, groups)
        ws = wshape if nd == 2 else (wshape[0], wshape[1], 1, wshape[2])
        return _conv_weight_np(_as2d(a._data, nd), _as2d(b._data, nd), ws, stride, padding, dilation,
                               groups).reshape(wshape)

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
            gb = Convolution.apply(a, ggw, None, stride, padding, dilation, False, (0, 0), groups)
        return ga, gb, None, None, None, None, None


# --- nn.functional entry points ------------------------------------------------------------------
def _check_conv(input, weight, groups, nd, transposed, name):
    if input.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to {name}, but got "
                           f"input of size: {list(input.shape)}")
    if input.dtype != weight.dtype:
        raise RuntimeError(f"expected scalar type {type_word(input.dtype)} but found {type_word(weight.dtype)}")
    c = input.shape[-nd - 1]
    if transposed:
        if c != weight.shape[0]:
            raise RuntimeError(f"Given transposed=1, weight of size {list(weight.shape)}, expected input"
                               f"{list(input.shape)} to have {weight.shape[0]} channels, but got {c} channels "
                               "instead")
    elif c != weight.shape[1] * groups:
        raise RuntimeError(f"Given groups={groups}, weight of size {list(weight.shape)}, expected input"
                           f"{list(input.shape)} to have {weight.shape[1] * groups} channels, but got {c} "
                           "channels instead")


def _same_padding(weight, dilation, nd):
    """'same' padding: total d (k - 1) per dim; PyTorch pads the odd extra on the right."""
    k = weight.shape[2:]
    total = [d * (kk - 1) for d, kk in zip(dilation, k)]
    return tuple(t // 2 for t in total), tuple(t - t // 2 for t in total)


def convnd(input, weight, bias, stride, padding, dilation, groups, nd, name):
    """conv1d/conv2d with PyTorch's argument handling (padding 'same'/'valid', unbatched input)."""
    stride, dilation = tuple_n(stride, nd), tuple_n(dilation, nd)
    _check_conv(input, weight, groups, nd, False, name)
    unbatched = input.dim() == nd + 1
    if unbatched:
        input = input.unsqueeze(0)
    if isinstance(padding, str):
        if padding == "valid":
            padding = (0,) * nd
        elif padding == "same":
            if any(s != 1 for s in stride):
                raise RuntimeError("padding='same' is not supported for strided convolutions")
            left, right = _same_padding(weight, dilation, nd)
            if left != right:
                from ..nn.functional import pad
                extra = []
                for lo, hi in reversed(list(zip(left, right))):
                    extra += [0, hi - lo]
                input = pad(input, extra)
            padding = left
        else:
            raise ValueError(f"Invalid padding string '{padding}', should be one of {{'valid', 'same'}}")
    padding = tuple_n(padding, nd)
    pad2 = padding if nd == 2 else (0,) + padding
    st2 = stride if nd == 2 else (1,) + stride
    dl2 = dilation if nd == 2 else (1,) + dilation
    out = Convolution.apply(input, weight, bias, st2, pad2, dl2, False, (0, 0), groups)
    return out.squeeze(0) if unbatched else out


def conv_transposend(input, weight, bias, stride, padding, output_padding, groups, dilation, nd, name):
    stride, padding = tuple_n(stride, nd), tuple_n(padding, nd)
    output_padding, dilation = tuple_n(output_padding, nd), tuple_n(dilation, nd)
    _check_conv(input, weight, groups, nd, True, name)
    for op, s, d in zip(output_padding, stride, dilation):
        if op >= s and op >= d:
            raise RuntimeError("output padding must be smaller than either stride or dilation, but got "
                               f"output_padding: {op}, stride: {s}, dilation: {d}")
    unbatched = input.dim() == nd + 1
    if unbatched:
        input = input.unsqueeze(0)
    lift = (lambda t: t) if nd == 2 else (lambda t: (1 if t is stride or t is dilation else 0,) + t)
    out = Convolution.apply(input, weight, bias, lift(stride), lift(padding), lift(dilation), True,
                            lift(output_padding), groups)
    return out.squeeze(0) if unbatched else out


class Im2Col(Function):
    """``unfold``: patches as columns, (N, C kh kw, L). Linear; its adjoint is ``fold``."""

    _backward_name = "Im2ColBackward0"

    @staticmethod
    def forward(ctx, x, kernel, dilation, padding, stride):
        n, c, h, w = x._data.shape
        cols, (ho, wo) = im2col(x._data, kernel, stride, padding, dilation, 1)
        ctx.params = ((h, w), kernel, dilation, padding, stride)
        return np.ascontiguousarray(cols[0].reshape(c * kernel[0] * kernel[1], n, ho * wo).transpose(1, 0, 2))

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
        c6 = cols._data.reshape(n, c, kh, kw, ho, wo).transpose(1, 2, 3, 0, 4, 5)
        return col2im(c6, (n, c, h, w), kernel, stride, padding, dilation)

    @staticmethod
    def backward(ctx, g):
        return Im2Col.apply(g, *ctx.params), None, None, None, None, None


__all__ = []
