"""Normalisation: batch, layer, group and instance norm share one op.

    y = (x - mean) / sqrt(var + eps) * weight + bias

with mean and (biased) var taken over some dims of x (batch norm: all but the channel dim;
layer norm: the trailing ``normalized_shape``; group norm: each group of channels). Writing
x_hat = (x - mean) * r with r = 1/sqrt(var + eps), and g_hat = dL/dy * weight, the gradient is

    dL/dx = r * (g_hat - mean(g_hat) - x_hat * mean(g_hat * x_hat))

because mean and var themselves depend on every x in the group: the two subtracted means
are the paths through them. dL/dweight = sum(dL/dy * x_hat), dL/dbias = sum(dL/dy). In eval
mode batch norm uses fixed running statistics and dL/dx is just r * g_hat.
The backward is written with ember ops (recomputing x_hat from x), so it is differentiable.

A first-order backward (no ``create_graph``) takes a shorter road through the same formula,
in NumPy, because normalisation sits in every block of a CNN and the op-by-op form reads the
whole tensor about fourteen times. With the forward's mean m and r saved, and per group
S1 = sum(g_hat), S2 = sum(g_hat * x) (so that mean(g_hat * x_hat) = r (S2/n - m S1/n)), the
gradient is one multiply-add per element:

    dL/dx = r g_hat - r^2 mean(g_hat x_hat) x + r (r mean(g_hat x_hat) m - S1/n)

and for batch norm (weight constant within each group) S1 and S2 are weight * the sums of
dL/dy, which also give dL/dweight = r (sum(dL/dy x) - m sum(dL/dy)) without forming x_hat.
"""
import math

import numpy as np

from ..autograd import grad_mode
from ..autograd.function import Function


class Normalize(Function):
    """Normalise x over ``dims`` of x viewed as ``stat_shape``, then scale and shift by
    weight and bias broadcast as ``param_shape``; see the module docstring for the gradient."""

    _backward_name = "NativeBatchNormBackward0"

    @staticmethod
    def forward(ctx, x, weight, bias, stat_shape, dims, eps, param_shape, stats=None):
        a = x._data
        xs = a.reshape(stat_shape)
        if stats is None:
            # two passes, as PyTorch: the mean, then the mean square of the deviations d
            # (einsum sums d * d without forming it, in float32 at least); d then becomes y in place
            mean = xs.mean(dims, keepdims=True)
            d = xs - mean
            axes = list(range(xs.ndim))
            var = np.einsum(d, axes, d, axes, [i for i in axes if i not in dims],
                            dtype=np.float32 if a.dtype == np.float16 else None).reshape(mean.shape)
            var /= xs.size // mean.size
        else:
            mean, var = (s.reshape(param_shape) for s in stats)
            d = xs - mean.astype(a.dtype, copy=False)
        rstd = 1.0 / np.sqrt(var + eps)
        if mean.shape == tuple(param_shape):
            # batch norm: one scale per channel, y = d * alpha + bias with alpha = r * weight
            alpha = rstd if weight is None else rstd * weight._data.reshape(param_shape)
            d *= alpha.astype(a.dtype, copy=False)
            if bias is not None:
                d += bias._data.reshape(param_shape).astype(a.dtype, copy=False)
            y = d.reshape(a.shape)
        else:
            d *= rstd.astype(a.dtype, copy=False)
            y = d.reshape(a.shape)
            if weight is not None:
                y = y * weight._data.reshape(param_shape)
            if bias is not None:
                y = y + bias._data.reshape(param_shape)
        ctx.save_for_backward(x, weight)
        ctx.meta = (stat_shape, dims, eps, param_shape, stats, bias is not None)
        ctx.batch_stats = None if stats is not None else (mean, var)
        return y

    @staticmethod
    def backward(ctx, g):
        x, w = ctx.saved_tensors
        stat_shape, dims, eps, param_shape, stats, has_bias = ctx.meta
        from .._tensor import Tensor
        if stats is None and not grad_mode.is_grad_enabled():
            return _first_order_backward(ctx, x, w, g)
        xs = x.reshape(stat_shape)
        if stats is None:
            mean = xs.mean(dims, keepdim=True)
            diff = xs - mean
            rstd = ((diff * diff).mean(dims, keepdim=True) + eps).rsqrt()
        else:
            mean, var = (Tensor._make(s.reshape(param_shape)) for s in stats)
            diff = xs - mean
            rstd = Tensor._make(1.0 / np.sqrt(var._data + eps))
        xhat = diff * rstd
        gy = g if w is None else g * w.reshape(param_shape)
        gs = gy.reshape(stat_shape)
        nx, nw, nb = ctx.needs_input_grad[:3]
        gx = gw = gb = None
        if nx:
            if stats is None:
                gx = rstd * (gs - gs.mean(dims, keepdim=True) - xhat * (gs * xhat).mean(dims, keepdim=True))
            else:
                gx = gs * rstd
            gx = gx.reshape(x.shape)
        if nw and w is not None:
            gw = (g * xhat.reshape(x.shape)).sum_to_size(param_shape).reshape(w.shape)
        if nb and has_bias:
            gb = g.sum_to_size(param_shape).reshape(w.shape if w is not None else (-1,))
        return gx, gw, gb, None, None, None, None, None


def _first_order_backward(ctx, x, w, g):
    """The module docstring's one-pass form of Normalize's gradient, in NumPy, with the
    forward's batch statistics (no graph is being recorded, so they are constants here)."""
    from .._tensor import Tensor
    stat_shape, dims, eps, param_shape, stats, has_bias = ctx.meta
    nx, nw, nb = ctx.needs_input_grad[:3]
    mean, var = ctx.batch_stats
    r = 1.0 / np.sqrt(var + eps)
    a = x._data.reshape(stat_shape)
    gd = g._data.reshape(a.shape)
    n = a.size // mean.size
    keep = [d for d in range(a.ndim) if d not in dims]
    # batch norm: the weight is one number per group, so sum dL/dy and scale afterwards
    bn_like = mean.shape == tuple(param_shape)
    if w is None or bn_like:
        t1 = np.einsum(gd, list(range(a.ndim)), keep).reshape(mean.shape)  # sum(dL/dy)
        t2 = np.einsum(gd, list(range(a.ndim)), a, list(range(a.ndim)), keep).reshape(t1.shape)  # sum(dL/dy x)
        wk = 1.0 if w is None else w._data.reshape(mean.shape)
        s1, s2, gy, scale = t1 * wk, t2 * wk, gd, r * wk
    else:  # layer and group norm: the weight varies inside a group, so form g_hat itself
        gy = (g._data * w._data.reshape(param_shape)).reshape(a.shape)
        s1 = gy.sum(dims, keepdims=True)
        s2 = np.einsum(gy, list(range(a.ndim)), a, list(range(a.ndim)), keep).reshape(s1.shape)
        scale = r
    mg = s1 / n
    mgx = r * (s2 / n - mean * mg)  # mean(g_hat * x_hat)
    gx = gw = gb = None
    if nx:
        out = gy * scale
        out += a * (-r * r * mgx)
        out += r * (r * mgx * mean - mg)
        gx = Tensor._make(out.reshape(x._data.shape).astype(x._data.dtype, copy=False))
    if nw and w is not None:
        if bn_like:
            gw = Tensor._make((r * (t2 - mean * t1)).reshape(w._data.shape).astype(w._data.dtype, copy=False))
        else:
            xhat = Tensor._make(((a - mean) * r).reshape(x._data.shape).astype(x._data.dtype, copy=False))
            gw = (g * xhat).sum_to_size(param_shape).reshape(w.shape)
    if nb and has_bias:
        gb = (Tensor._make(t1.reshape(-1).astype(g._data.dtype, copy=False)) if bn_like
              else g.sum_to_size(param_shape).reshape(w.shape if w is not None else (-1,)))
    return gx, gw, gb, None, None, None, None, None


class LayerNormOp(Normalize):
    _backward_name = "NativeLayerNormBackward0"


class GroupNormOp(Normalize):
    _backward_name = "NativeGroupNormBackward0"


def _verify_batch_size(size):
    """PyTorch's training-mode check: batch statistics need more than one value per channel."""
    n = size[0]
    for L in size[2:]:
        n *= L
    if n == 1:
        from .._size import Size
        shown = Size(size) if isinstance(size, tuple) else size  # F.batch_norm prints a torch.Size
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {shown}")


def _check_dtypes(input, params, kernel):
    """PyTorch's CPU normalisation kernels: floating input only; parameters of the input's
    dtype (a half input may have float32 ones); the first defined parameter decides which
    message a mismatch gets. ``kernel`` names the kernel for the floating-input check (None: skip it)."""
    from .._dtype import type_word
    if kernel is not None and not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{type_word(input.dtype)}'")
    params = [p for p in params if p is not None]
    if not params:
        return
    first = params[0].dtype
    if first != input.dtype:
        if input.dtype.name not in ("float32", "float16", "bfloat16"):
            raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")
        if first.name != "float32" or input.dtype.name == "float32":
            raise RuntimeError("mixed dtype (CPU): expect parameter to have scalar type of Float")
    for p in params[1:]:
        if p.dtype != first:
            raise RuntimeError(f"expected scalar type {type_word(input.dtype)} but found {type_word(p.dtype)}")


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5):
    """Normalise each channel (dim 1) over the batch and spatial dims. In training, the batch
    statistics are used and the running ones updated in place:
    running = (1 - momentum) * running + momentum * batch (the variance unbiased, n/(n-1))."""
    if training:
        _verify_batch_size(tuple(input.shape))
    c = input.shape[1] if input.dim() > 1 else 0  # PyTorch counts no channels below 2 dims
    if input.numel() == 0:  # no statistics to take: PyTorch returns a copy, scaled and shifted by element 0
        out = input.clone()
        out = out * weight[0] if weight is not None else out
        return out + bias[0] if bias is not None else out
    for name, t in (("running_mean", running_mean), ("running_var", running_var)):
        if t is not None and t.numel() != c:
            raise RuntimeError(f"{name} should contain {c} elements not {t.numel()}")
        if t is None and not training:
            raise RuntimeError(f"{name} must be defined in evaluation mode")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and t.numel() != c:
            raise RuntimeError(f"{name} should contain {c} elements not {t.numel()}")
    _check_dtypes(input, (weight, bias, running_mean, running_var), "batch_norm")
    dims = (0,) + tuple(range(2, input.dim()))
    param_shape = (1, c) + (1,) * (input.dim() - 2)
    n = input.numel() // c if c else 0
    use_batch = training or running_mean is None
    stats = None if use_batch else (running_mean._data, running_var._data)
    y = Normalize.apply(input, weight, bias, tuple(input.shape), dims, eps, param_shape, stats)
    if training and running_mean is not None and n > 1:
        mean, var = y.grad_fn.batch_stats if y.grad_fn is not None else _stats(input, dims)
        m = momentum
        rm, rv = running_mean._data, running_var._data
        rm *= 1 - m
        rm += m * mean.reshape(-1).astype(rm.dtype)
        rv *= 1 - m
        rv += m * (var.reshape(-1) * (n / (n - 1))).astype(rv.dtype)
        running_mean._vc[0] += 1
        running_var._vc[0] += 1
    return y


def _stats(x, dims):
    a = x._data
    return a.mean(dims, keepdims=True), a.var(dims, keepdims=True)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Normalise over the trailing ``normalized_shape`` dims of each sample."""
    from ..nn.functional import _check_tensor_arg
    _check_tensor_arg("layer_norm", "input", 1, input)
    if isinstance(normalized_shape, int):  # nn.LayerNorm accepts one int; the function does not
        raise TypeError("layer_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, not int")
    normalized_shape = tuple(normalized_shape)
    shape = list(normalized_shape)
    if weight is not None and weight.dtype != input.dtype:  # layer norm checks mixed dtypes first
        _check_dtypes(input, (weight, bias), None)
    k = len(normalized_shape)
    if k == 0:
        raise RuntimeError("Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one "
                           "element, but got normalized_shape = []")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != normalized_shape:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but got {name} of shape "
                               f"{list(t.shape)} and normalized_shape = {shape}")
    if input.dim() < k or tuple(input.shape[-k:]) != normalized_shape:
        raise RuntimeError(f"Given normalized_shape={shape}, expected input with shape "
                           f"[*, {', '.join(map(str, normalized_shape))}], but got input of size{list(input.shape)}")
    _check_dtypes(input, (weight, bias), "LayerNormKernelImpl")
    dims = tuple(range(input.dim() - k, input.dim()))
    return LayerNormOp.apply(input, weight, bias, tuple(input.shape), dims, eps, normalized_shape)


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """Normalise each group of ``C / num_groups`` channels of each sample."""
    if input.dim() < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {input.dim()}")
    n, c = input.shape[0], input.shape[1]
    _verify_batch_size([n * c // num_groups, num_groups] + list(input.shape[2:]))  # PyTorch prints a list here
    if c % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by num_groups, but got input of "
                           f"shape {list(input.shape)} and num_groups={num_groups}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (t.dim() != 1 or t.numel() != c):
            # PyTorch's bias message shows the weight's shape ([0] when there is none)
            shown = list(weight.shape) if weight is not None else [0]
            raise RuntimeError(f"Expected {name} to be a vector of size equal to the number of channels in input, but "
                               f"got {name} of shape {shown} and input of shape {list(input.shape)}")
    _check_dtypes(input, (weight, bias), "GroupNormKernelImpl")
    param_shape = (1, c) + (1,) * (input.dim() - 2)
    return GroupNormOp.apply(input, weight, bias, (n, num_groups, -1), (2,), eps, param_shape)


def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True,
                  momentum=0.1, eps=1e-5):
    """Normalise each channel of each sample over its spatial dims (batch norm of a batch of
    one sample per channel group)."""
    if use_input_stats:
        size = tuple(input.shape)
        if math.prod(size[2:]) == 1:
            from .._size import Size
            raise ValueError(f"Expected more than 1 spatial element when training, got input size {Size(size)}")
    if not use_input_stats and running_mean is not None:
        return batch_norm(input, running_mean, running_var, weight, bias, False, momentum, eps)
    n, c = input.shape[0], input.shape[1]
    x = input.reshape(1, n * c, *input.shape[2:])
    w = weight.repeat(n) if weight is not None else None
    b = bias.repeat(n) if bias is not None else None
    # PyTorch checks the repeated running statistics too (against N * C)
    rm, rv = (t.repeat(n) if t is not None else None for t in (running_mean, running_var))
    for name, t in (("running_mean", rm), ("running_var", rv), ("weight", w), ("bias", b)):
        if t is not None and t.numel() != n * c:
            raise RuntimeError(f"{name} should contain {n * c} elements not {t.numel()}")
    _check_dtypes(input, (w, b, rm, rv), "batch_norm")
    y = batch_norm(x, None, None, w, b, True, momentum, eps)
    if running_mean is not None:
        mean, var = _stats(x, (0,) + tuple(range(2, x.dim())))
        count = x.numel() // (n * c)
        for rs, st, unbias in ((running_mean, mean, 1.0), (running_var, var, count / max(count - 1, 1))):
            rs._data *= 1 - momentum
            rs._data += momentum * (st.reshape(n, c).mean(0) * unbias).astype(rs._data.dtype)
            rs._vc[0] += 1
    return y.reshape(input.shape)


__all__ = []
