"""Functional forms behind ``more_layers.py``: extra dropouts, channel shuffle, the deprecated
upsampling aliases, RMS/local-response normalisation, power-average pooling, RReLU and
Gumbel-softmax.

All of them are compositions of existing ember ops, so their gradients are the chain rule
through those ops (the same graph PyTorch builds for its Python-level versions). Random draws
are made in PyTorch's order and dtype, so the same seed gives the same masks and slopes.
"""
import math
import warnings

import numpy as np

import ember
from .._tensor import Tensor
from . import functional as F


def _apply(input, factor, inplace):
    return input.mul_(factor) if inplace else input * factor


def dropout3d(input, p=0.5, training=True, inplace=False):
    """Zero whole 3-D feature maps (dim 1 of (N, C, D, H, W), dim 0 of (C, D, H, W)) with
    probability p and scale the kept ones by 1/(1-p)."""
    F._check_p(p)
    d = input.dim()
    F._warn_feature_dims(3, d)
    if not training or p == 0 or input.numel() == 0:
        return input
    # an unbatched input is treated as a batch of one, so its channels are dim 0
    shape = F._feature_mask_shape(input if d == 5 else input.unsqueeze(0))[1 if d != 5 else 0:]
    if p == 1:
        return _apply(input, ember.zeros((), dtype=input.dtype), inplace)
    mask = ember.empty(shape, dtype=input.dtype).bernoulli_(1 - p).div_(1 - p)
    return _apply(input, mask, inplace)


_SELU_SATURATION = 1.7580993408473766  # alpha * scale of SELU: SELU(x) -> -this as x -> -inf


def feature_alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Alpha dropout of whole channels: with keep mask m (one Bernoulli(1-p) per (N, C)),
    y = a (x m + s (m - 1)) + a s p, where s = 1.7581 (the SELU saturation value's size) and
    a = ((1-p)(1 + p s^2))^(-1/2), so a SELU network keeps zero mean and unit variance.
    dy/dx = a m."""
    F._check_p(p)
    if not training or p == 0 or input.numel() == 0:
        return input
    if p == 1:
        return _apply(input, ember.zeros((), dtype=input.dtype), inplace)
    keep = ember.empty(F._feature_mask_shape(input), dtype=input.dtype).bernoulli_(1 - p)
    a = 1.0 / math.sqrt((_SELU_SATURATION ** 2 * p + 1) * (1 - p))
    # the same order of in-place steps as PyTorch, for the same float32 rounding
    b = keep.add(-1).mul_(_SELU_SATURATION * a).add_(_SELU_SATURATION * a * p)
    keep.mul_(a)
    out = _apply(input, keep, inplace)
    return out.add_(b) if inplace else out + b


def channel_shuffle(input, groups):
    """(N, g*k, *) -> (N, k*g, *): view channels as a (g, k) grid and transpose it, so each
    group receives one channel from every other group (ShuffleNet)."""
    if input.dim() <= 2:
        raise RuntimeError(f"channel_shuffle expects input with > 2 dims, but got input with sizes {list(input.shape)}")
    n, c, *rest = input.shape
    if groups <= 0:
        raise RuntimeError(f"Number of groups to divide channels in must be positive. Value of groups:{groups}")
    if c % groups:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {c} channels and {groups} groups.")
    x = input.reshape(n, groups, c // groups, *rest).transpose(1, 2)
    return x.reshape(n, c, *rest)


def native_channel_shuffle(input, groups):
    return channel_shuffle(input, groups)


def upsample_nearest(input, size=None, scale_factor=None):
    """Deprecated alias of ``interpolate(..., mode='nearest')``."""
    warnings.warn("`nn.functional.upsample_nearest` is deprecated. Use `nn.functional.interpolate` instead.",
                  stacklevel=2)
    return F.interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    """Deprecated alias of ``interpolate(..., mode='bilinear', align_corners=True)``."""
    warnings.warn("`nn.functional.upsample_bilinear` is deprecated. Use `nn.functional.interpolate` instead.",
                  stacklevel=2)
    return F.interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


def rms_norm(input, normalized_shape, weight=None, eps=None):
    """y = x / sqrt(mean(x^2) + eps) * weight, the mean over the trailing ``normalized_shape``
    dims; eps defaults to the machine epsilon of x's dtype. Unlike LayerNorm nothing is
    subtracted: only the scale is normalised."""
    if isinstance(normalized_shape, int):
        normalized_shape = (normalized_shape,)
    k = len(normalized_shape)
    if k == 0 or tuple(input.shape[input.dim() - k:]) != tuple(normalized_shape) or input.dim() < k:
        raise RuntimeError(f"Given normalized_shape={list(normalized_shape)}, expected input with shape "
                           f"[*{', '.join(str(s) for s in normalized_shape)}], but got input of size"
                           f"{list(input.shape)}")
    if eps is None:
        eps = float(np.finfo(input._data.dtype).eps)
    dims = tuple(range(input.dim() - k, input.dim()))
    out = input * (input * input).mean(dims, keepdim=True).add(eps).rsqrt()
    return out if weight is None else out * weight


def local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0):
    """b_c = a_c / (k + alpha/n * sum_{c'} a_{c'}^2)^beta, the sum over the n = ``size``
    channels c' in [c - n//2, c + (n-1)//2] (zero beyond the edges)."""
    d = input.dim()
    if d < 3:
        # the long run of spaces is PyTorch's own message (an indented line continuation)
        raise ValueError(f"Expected 3D or higher dimensionality                          input (got {d} dimensions)")
    if input.numel() == 0:
        return input
    sq = input * input
    # zero-pad the channel dim by the window's reach, then add the `size` shifted copies
    padded = F.pad(sq, (0, 0) * (d - 2) + (size // 2, (size - 1) // 2))
    c = input.shape[1]
    window = padded.narrow(1, 0, c)
    for j in range(1, size):
        window = window + padded.narrow(1, j, c)
    return input / (window * (alpha / size) + k).pow(beta)


def _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, nd):
    """(sum over each window of x^p)^(1/p), computed as (window mean * window size)^(1/p).
    sign(s) * relu(|s|) keeps the sum s as it is but gives it PyTorch's gradient (0 at s = 0)."""
    ks = tuple(kernel_size) if isinstance(kernel_size, (tuple, list)) else (kernel_size,) * nd
    pool = (F.avg_pool1d, F.avg_pool2d, F.avg_pool3d)[nd - 1]
    out = pool(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    return (ember.sign(out) * F.relu(out.abs())).mul(math.prod(ks)).pow(1.0 / norm_type)


def lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 1)


def lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 2)


def lp_pool3d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 3)


def _rrelu_slopes(input, lower, upper):
    """Slope 1 for x > 0; for each x <= 0, in memory order, one U(lower, upper) drawn in
    float64 (PyTorch's kernel draws only for those elements, one double each)."""
    neg = input._data <= 0
    # PyTorch first rounds the bounds to x's dtype, then draws in double between them
    lo, hi = (float(np.asarray(b, input._data.dtype)) for b in (lower, upper))
    r = ember.empty(int(neg.sum()), dtype=ember.float64).uniform_(lo, hi)._data
    slopes = np.ones(input._data.shape, input._data.dtype)
    slopes[neg] = r.astype(slopes.dtype)
    return Tensor._make(slopes)


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    """Randomized leaky ReLU: y = x for x > 0, else a x with a ~ U(lower, upper) drawn per
    element while training and a = (lower + upper) / 2 in eval. dy/dx = the slope used."""
    if lower > upper:
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    if not training:
        return F.leaky_relu(input, (lower + upper) / 2, inplace)
    slopes = _rrelu_slopes(input, lower, upper)
    return input.mul_(slopes) if inplace else input * slopes


def rrelu_(input, lower=1.0 / 8, upper=1.0 / 3, training=False):
    """In-place ``rrelu``."""
    return rrelu(input, lower, upper, training, inplace=True)


def gumbel_softmax(logits, tau=1.0, hard=False, eps=1e-10, dim=-1):
    """Samples from the Gumbel-softmax (Concrete) distribution: softmax((logits + g) / tau)
    with g = -log(E), E ~ Exp(1) (a standard Gumbel draw). With ``hard`` the forward value is
    the one-hot argmax, while the gradient is the soft sample's (straight-through:
    y_hard - stop_grad(y_soft) + y_soft)."""
    if eps != 1e-10:
        warnings.warn("`eps` parameter is deprecated and has no effect.", stacklevel=2)
    gumbels = -ember.empty_like(logits).exponential_().log()
    y_soft = ((logits + gumbels) / tau).softmax(dim)
    if not hard:
        return y_soft
    index = y_soft.max(dim, keepdim=True)[1]
    y_hard = ember.zeros_like(logits).scatter_(dim, index, 1.0)
    return y_hard - y_soft.detach() + y_soft
