"""``nn.functional``: layers and losses as plain functions of tensors.

Most are compositions of ember ops (so autograd derives their gradients); those that are
single ops in PyTorch (the activations of ``ember/_ops/activation.py``, ``nll_loss``,
``mse_loss``, the binary cross-entropies, ``smooth_l1_loss``, ``huber_loss``) have their own
Function in ``ember/_ops``, so their ``grad_fn`` is PyTorch's.
"""
import math

import numpy as np

import ember
from .._tensor import Tensor
from .._ops.loss import (NllLoss, MseLoss, BinaryCrossEntropy, SmoothL1Loss, HuberLoss, check_reduction,
                         bce_with_logits as _bce_with_logits, _not_differentiable)
from .._ops import pointwise


def _reduce(x, reduction):
    check_reduction(reduction)
    if reduction == "mean":
        return x.mean()
    if reduction == "sum":
        return x.sum()
    return x


# --- linear ----------------------------------------------------------------------------------
def linear(input, weight, bias=None):
    """y = x W^T + b."""
    if input.dim() == 2 and bias is not None:
        return ember.addmm(bias, input, weight.t())
    if input.dim() != 2 and bias is not None:  # every row (or the one vector) in one addmm, as PyTorch does
        out = ember.addmm(bias, input.reshape(-1, input.shape[-1]), weight.t())
        return out.view(*input.shape[:-1], out.shape[-1])
    out = input.matmul(weight.t())
    return out + bias if bias is not None else out


def bilinear(input1, input2, weight, bias=None):
    """y_k = x1^T W_k x2 + b_k."""
    out = ember.einsum("...i,kij,...j->...k", input1, weight, input2)
    return out + bias if bias is not None else out


# --- activations -----------------------------------------------------------------------------
def relu(input, inplace=False):
    """max(x, 0)."""
    return input.relu_() if inplace else pointwise.relu(input)


from .._ops.activation import (  # noqa: E402,F401  single ops, see ember/_ops/activation.py
    prelu, relu6, leaky_relu, leaky_relu_, hardtanh, hardtanh_, elu, elu_, selu, selu_, celu, celu_, gelu, silu,
    mish, hardsigmoid, hardswish, softplus, threshold, threshold_, glu, logsigmoid, hardshrink, softshrink)
from .._ops.pointwise import relu_  # noqa: E402,F401


def sigmoid(input):
    return input.sigmoid()


def tanh(input):
    return input.tanh()


def softsign(input):
    """x / (1 + |x|) (a composition in PyTorch too: its node is ``DivBackward0``)."""
    return input / (1 + input.abs())


def tanhshrink(input):
    """x - tanh x (a composition in PyTorch too: ``SubBackward0``)."""
    return input - input.tanh()


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    return input.softmax(dim, dtype=dtype) if dtype is not None else input.softmax(dim)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    return input.log_softmax(dim, dtype=dtype) if dtype is not None else input.log_softmax(dim)


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    return softmax(-input, dim, dtype=dtype)


from .._ops.embedding import embedding  # noqa: E402,F401


def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False, mode="mean",
                  sparse=False, per_sample_weights=None, include_last_offset=False, padding_idx=None):
    from .modules.sparse import embedding_bag as bag
    return bag(input, weight, offsets, max_norm, norm_type, mode, per_sample_weights, include_last_offset,
               padding_idx)


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None,
                                 enable_gqa=False):
    """softmax(Q K^T / sqrt(d) + mask) V (see ``nn/modules/activation_attention.py``)."""
    from .modules.activation_attention import scaled_dot_product_attention as sdpa
    return sdpa(query, key, value, attn_mask, dropout_p, is_causal, scale, enable_gqa)


# --- dropout ----------------------------------------------------------------------------------
def dropout(input, p=0.5, training=True, inplace=False):
    """Zero each element with probability p and scale the survivors by 1/(1-p), so the
    expected value is unchanged; the identity when not training."""
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0:
        return input
    if p == 1:
        return input * 0
    # the mask is scaled first, as PyTorch does: one product with x (one MulBackward0 node),
    # and the same float32 rounding as PyTorch's x * (mask / (1 - p))
    mask = ember.empty_like(input).bernoulli_(1 - p).div_(1 - p)
    out = input * mask
    if inplace:
        input.copy_(out)
        return input
    return out


def dropout1d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels (dim 1 of (N, C, L)) with probability p."""
    return _channel_dropout(input, p, training, inplace, 1)


def dropout2d(input, p=0.5, training=True, inplace=False):
    """Zero whole feature maps (dim 1 of (N, C, H, W)) with probability p."""
    return _channel_dropout(input, p, training, inplace, 2)


def _channel_dropout(input, p, training, inplace, spatial):
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0:
        return input
    batched = input.dim() == spatial + 2
    if input.dim() < spatial + 1:  # e.g. (N, C) into dropout2d: PyTorch drops single elements
        import warnings
        name, n = f"dropout{spatial}d", spatial
        warnings.warn(f"{name}: Received a {input.dim()}-D input to {name}, which is deprecated and will result in an "
                      "error in a future release. To retain the behavior and silence this warning, please use dropout "
                      f"instead. Note that {name} exists to provide channel-wise dropout on inputs with {n} spatial "
                      f"dimensions, a channel dimension, and an optional batch dimension (i.e. {n + 1}D or {n + 2}D "
                      "inputs).")
        shape = tuple(input.shape)
    else:
        shape = tuple(input.shape[:2 if batched else 1]) + (1,) * spatial
    mask = ember.empty(shape, dtype=input.dtype).bernoulli_(1 - p) / (1 - p) if p < 1 else ember.zeros(shape)
    out = input * mask
    if inplace:
        input.copy_(out)
        return input
    return out


def alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Dropout that keeps a SELU network's mean 0 and variance 1: dropped units are set to
    the SELU saturation value -alpha*scale, then an affine map a*x + b restores the moments."""
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0:
        return input
    alpha_p = -1.7580993408473766
    keep = ember.empty_like(input).bernoulli_(1 - p)
    a = ((1 - p) * (1 + p * alpha_p ** 2)) ** -0.5
    b = -a * alpha_p * p
    return (input * keep + alpha_p * (1 - keep)) * a + b


# --- losses -----------------------------------------------------------------------------------
def _legacy_reduction(size_average, reduce, reduction):
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    return ("mean" if size_average else "sum") if reduce else "none"


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    """The negative log-likelihood of the target classes, given log-probabilities."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction)
    if input.dim() > 2:  # (N, C, d1, ...) -> (N*d1*..., C)
        c = input.shape[1]
        flat = input.movedim(1, -1).reshape(-1, c)
        out = NllLoss.apply(flat, target.reshape(-1), weight, reduction, ignore_index)
        return out.reshape(target.shape) if reduction == "none" else out
    if target.dtype.is_floating_point:
        raise RuntimeError(f"expected scalar type Long but found {target.dtype.name.capitalize()}")
    if input.dim() == 2 and target.dim() == 1 and input.shape[0] != target.shape[0]:
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target batch_size "
                         f"({target.shape[0]}).")
    return NllLoss.apply(input, target, weight, reduction, ignore_index)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    """log_softmax over the class dim followed by ``nll_loss``; or, for probability targets,
    -sum_c target_c log p_c. With label smoothing eps, the target is mixed with the uniform
    distribution: (1 - eps) * loss + eps * mean over classes of -log p_c."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction)
    c_dim = 1 if input.dim() > 1 else 0
    logp = input.log_softmax(c_dim)
    n_classes = input.shape[c_dim]
    if target.dtype.is_floating_point:  # class probabilities
        if label_smoothing > 0:
            target = target * (1 - label_smoothing) + label_smoothing / n_classes
        w = 1 if weight is None else weight.reshape((n_classes,) + (1,) * (input.dim() - c_dim - 1))
        losses = -(logp * target * w).sum(c_dim)
        if reduction == "mean":
            return losses.sum() / (input.numel() // n_classes)
        return _reduce(losses, reduction)
    nll = nll_loss(logp, target, weight, ignore_index=ignore_index, reduction=reduction)
    if label_smoothing <= 0:
        return nll
    w = 1 if weight is None else weight.reshape((n_classes,) + (1,) * (input.dim() - c_dim - 1))
    smooth = -(logp * w).sum(c_dim)
    valid = target != ignore_index
    smooth = smooth * valid
    if reduction == "mean":
        if weight is None:
            smooth = smooth.sum() / valid.sum()
        else:
            wt = weight[target.clamp(min=0)] * valid
            smooth = smooth.sum() / wt.sum()
    elif reduction == "sum":
        smooth = smooth.sum()
    return (1 - label_smoothing) * nll + (label_smoothing / n_classes) * smooth


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean squared error: mean of (x - y)^2."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction)
    return MseLoss.apply(input, target, reduction)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean absolute error: mean of |x - y|."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    return _reduce((input - target).abs(), reduction)


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """-w (y log p + (1 - y) log(1 - p)), with each log clamped at -100 as PyTorch does (so
    p = 0 or 1 gives a large finite loss instead of inf). One op: ``BinaryCrossEntropyBackward0``."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(f"Using a target size ({target.shape}) that is different to the input size "
                         f"({input.shape}) is deprecated. Please ensure they have the same size.")
    _not_differentiable("binary_cross_entropy", weight=weight)
    if weight is not None and tuple(weight.shape) != tuple(input.shape):
        weight = weight.expand(*np.broadcast_shapes(tuple(target.shape), tuple(weight.shape)))
    return BinaryCrossEntropy.apply(input, target, weight, reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):
    """BCE of sigmoid(x), computed stably in one op: (1 - y) x + (1 + (pw - 1) y) softplus(-x),
    with softplus(-x) = log1p(e^-|x|) + max(-x, 0), which never overflows."""
    return _bce_with_logits(input, target, weight, pos_weight, _legacy_reduction(size_average, reduce, reduction))


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta (d = x - y); ``l1_loss`` when beta = 0,
    as in PyTorch."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0:
        return l1_loss(input, target, reduction=reduction)
    return SmoothL1Loss.apply(input, target, reduction, float(beta))


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta): smooth_l1 scaled by delta. One op
    (``HuberLossBackward0``) without ``weight``; PyTorch composes the weighted form from ops too."""
    check_reduction(reduction)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    if weight is None:
        return HuberLoss.apply(input, target, reduction, float(delta))
    d = (input - target).abs()
    loss = ember.where(d < delta, 0.5 * d * d, delta * (d - 0.5 * delta)) * weight
    return _reduce(loss, reduction)


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """KL(target || p) pointwise, with ``input`` = log p: y (log y - log p) (0 where y = 0)."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if log_target:
        loss = target.exp() * (target - input)
    else:
        loss = ember.xlogy(target, target) - target * input
    if reduction == "batchmean":
        return loss.sum() / input.shape[0] if input.dim() else loss.sum()
    return _reduce(loss, reduction)


def margin_ranking_loss(input1, input2, target, margin=0.0, size_average=None, reduce=None, reduction="mean"):
    """max(0, -y (x1 - x2) + margin)."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    return _reduce((-target * (input1 - input2) + margin).clamp(min=0), reduction)


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None, reduction="mean"):
    """x where y = 1, max(0, margin - x) where y = -1."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    zeros = ember.zeros_like(input)
    pos = ember.where(target == 1, input, zeros)
    neg = ember.where(target == -1, (margin - input).clamp(min=0), zeros)
    return _reduce(pos + neg, reduction)


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """log(1 + e^(-y x))."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    return _reduce(softplus(-target * input), reduction)


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """Mean over classes of BCE-with-logits, per sample."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    loss = loss.sum(-1) / input.shape[-1]
    return _reduce(loss, reduction)


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """<x1, x2> / (max(||x1||, eps) max(||x2||, eps)) along ``dim``."""
    n1 = (x1 * x1).sum(dim).sqrt().clamp(min=eps)
    n2 = (x2 * x2).sum(dim).sqrt().clamp(min=eps)
    return (x1 * x2).sum(dim) / (n1 * n2)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """||x1 - x2 + eps||_p along the last dim."""
    return (x1 - x2 + eps).norm(p, dim=-1, keepdim=keepdim)


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """x / max(||x||_p, eps) along ``dim``."""
    return input / input.norm(p, dim, keepdim=True).clamp(min=eps).expand_as(input)


def cosine_embedding_loss(input1, input2, target, margin=0.0, size_average=None, reduce=None, reduction="mean"):
    """1 - cos(x1, x2) where y = 1, max(0, cos(x1, x2) - margin) where y = -1."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    cos = cosine_similarity(input1, input2, dim=-1, eps=1e-12) if input1.dim() > 1 else \
        cosine_similarity(input1, input2, dim=0, eps=1e-12)
    zeros = ember.zeros_like(cos)
    loss = ember.where(target == 1, 1 - cos, zeros) + ember.where(target == -1, (cos - margin).clamp(min=0), zeros)
    return _reduce(loss, reduction)


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False, size_average=None,
                        reduce=None, reduction="mean"):
    """max(d(a, p) - d(a, n) + margin, 0) with d the p-norm distance."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    d_pos = pairwise_distance(anchor, positive, p, eps)
    d_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_neg = ember.minimum(d_neg, pairwise_distance(positive, negative, p, eps))
    return _reduce((d_pos - d_neg + margin).clamp(min=0), reduction)


def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8, reduce=None,
                     reduction="mean"):
    """Negative log-likelihood of a Poisson target: e^x - y x (log_input) or x - y log(x + eps),
    plus Stirling's approximation of log(y!) when ``full``."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    loss = input.exp() - target * input if log_input else input - target * (input + eps).log()
    if full:
        stirling = target * target.log() - target + 0.5 * (2 * math.pi * target).log()
        loss = loss + ember.where(target > 1, stirling, ember.zeros_like(stirling))
    return _reduce(loss, reduction)


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """0.5 (log(max(var, eps)) + (x - y)^2 / max(var, eps)) (+ 0.5 log 2 pi when ``full``)."""
    if var.dim() == input.dim() - 1 and tuple(var.shape) == tuple(input.shape[:-1]):
        var = var.unsqueeze(-1)
    if (var < 0).any():
        raise ValueError("var has negative entry/entries")
    var = var.clamp(min=eps)
    loss = 0.5 * (var.log() + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)


def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean", zero_infinity=False):
    """Connectionist temporal classification loss (see ember/_ops/ctc.py)."""
    from .._ops.ctc import ctc_loss as _ctc_loss
    check_reduction(reduction)
    return _ctc_loss(log_probs, targets, input_lengths, target_lengths, blank, reduction, zero_infinity)


def one_hot(tensor, num_classes=-1):
    """A (..., num_classes) int64 tensor with a 1 at each index of ``tensor``."""
    if tensor.dtype.name != "int64":
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    idx = tensor._data
    if num_classes == -1:
        num_classes = int(idx.max()) + 1 if idx.size else 0
    if idx.size and (idx.min() < 0 or idx.max() >= num_classes):
        raise RuntimeError("Class values must be smaller than num_classes." if idx.max() >= num_classes
                           else "Class values must be non-negative.")
    out = np.zeros(idx.shape + (num_classes,), np.int64)
    np.put_along_axis(out, idx[..., None], 1, axis=-1)
    return Tensor._make(out)


# --- convolution and pooling (see ember/_ops/conv.py and pooling.py) -------------------------------
from .._ops import conv as _conv, pooling as _pool, padding as _padding  # noqa: E402

pad = _padding.pad


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _conv.convnd(input, weight, bias, stride, padding, dilation, groups, 1, "conv1d")


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _conv.convnd(input, weight, bias, stride, padding, dilation, groups, 2, "conv2d")


def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _conv.convnd(input, weight, bias, stride, padding, dilation, groups, 3, "conv3d")


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    return _conv.conv_transposend(input, weight, bias, stride, padding, output_padding, groups, dilation, 1,
                                  "conv_transpose1d")


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    return _conv.conv_transposend(input, weight, bias, stride, padding, output_padding, groups, dilation, 2,
                                  "conv_transpose2d")


def conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    return _conv.conv_transposend(input, weight, bias, stride, padding, output_padding, groups, dilation, 3,
                                  "conv_transpose3d")


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding patches as columns: (N, C, H, W) -> (N, C * kh * kw, L)."""
    if input.dim() < 3:  # PyTorch fails while indexing the missing dims
        d = max(input.dim(), 1)
        raise IndexError(f"Dimension out of range (expected to be in range of [{-d}, {d - 1}], but got {input.dim()})")
    if input.dim() not in (3, 4):
        raise RuntimeError("Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero "
                           f"dimensions for input, but got: {list(input.shape)}")
    if input.dim() == 3:  # unbatched (C, H, W): a batch of one
        return unfold(input.unsqueeze(0), kernel_size, dilation, padding, stride).squeeze(0)
    t = _conv.tuple_n
    return _conv.Im2Col.apply(input, t(kernel_size, 2), t(dilation, 2), t(padding, 2), t(stride, 2))


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Sum columns of patches back into an image (the adjoint of ``unfold``)."""
    if input.dim() not in (2, 3):
        raise RuntimeError("Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero "
                           f"dimensions for input, but got: {list(input.shape)}")
    if input.dim() == 2:  # unbatched (C * kh * kw, L): a batch of one
        return fold(input.unsqueeze(0), output_size, kernel_size, dilation, padding, stride).squeeze(0)
    t = _conv.tuple_n
    return _conv.Col2Im.apply(input, t(output_size, 2), t(kernel_size, 2), t(dilation, 2), t(padding, 2),
                              t(stride, 2))


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    return _pool.max_poolnd(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 1)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    return _pool.max_poolnd(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 2)


def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    return _pool.max_poolnd(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 3)


max_pool1d_with_indices = max_pool1d
max_pool2d_with_indices = max_pool2d
max_pool3d_with_indices = max_pool3d


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    return _pool.avg_poolnd(input, kernel_size, stride, padding, ceil_mode, count_include_pad, None, 1)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    return _pool.avg_poolnd(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, 2)


def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    return _pool.avg_poolnd(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, 3)


def adaptive_avg_pool1d(input, output_size):
    return _pool.adaptive_avg_poolnd(input, output_size, 1)


def adaptive_avg_pool2d(input, output_size):
    return _pool.adaptive_avg_poolnd(input, output_size, 2)


def adaptive_avg_pool3d(input, output_size):
    return _pool.adaptive_avg_poolnd(input, output_size, 3)


def adaptive_max_pool1d(input, output_size, return_indices=False):
    return _pool.adaptive_max_poolnd(input, output_size, return_indices, 1)


def adaptive_max_pool2d(input, output_size, return_indices=False):
    return _pool.adaptive_max_poolnd(input, output_size, return_indices, 2)


def adaptive_max_pool3d(input, output_size, return_indices=False):
    return _pool.adaptive_max_poolnd(input, output_size, return_indices, 3)


def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    return _pool.max_unpoolnd(input, indices, kernel_size, stride, padding, output_size, 1)


def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    return _pool.max_unpoolnd(input, indices, kernel_size, stride, padding, output_size, 2)


def max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    return _pool.max_unpoolnd(input, indices, kernel_size, stride, padding, output_size, 3)


from .._ops import norm as _norm  # noqa: E402

batch_norm = _norm.batch_norm
layer_norm = _norm.layer_norm
group_norm = _norm.group_norm
instance_norm = _norm.instance_norm



# --- resampling -----------------------------------------------------------------------------------
def _source_coords(out_size, in_size, scale, align_corners, mode):
    """Where each output pixel samples the input (PyTorch's coordinate conventions)."""
    import numpy as np
    dst = np.arange(out_size, dtype=np.float64)
    if mode == "nearest":
        s = (1.0 / scale) if scale else in_size / out_size
        return np.minimum(np.floor(dst * s).astype(np.int64), in_size - 1)
    if align_corners:
        return dst * ((in_size - 1) / (out_size - 1) if out_size > 1 else 0.0)
    s = (1.0 / scale) if scale else in_size / out_size
    src = (dst + 0.5) * s - 0.5
    return src if mode == "bicubic" else np.maximum(src, 0.0)  # cubic taps clamp one by one instead


def _cubic_weights(t, a=-0.75):
    """The four weights of Keys' cubic convolution kernel (a = -0.75, as PyTorch) for taps at
    offsets -1, 0, 1, 2 from floor(src), with t = src - floor(src) in [0, 1)."""
    def near(x):  # |x| <= 1
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x):  # 1 < |x| < 2
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return far(t + 1), near(t), near(1 - t), far(2 - t)


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    """Resize the spatial dims: 'nearest' picks the source pixel, 'linear'/'bilinear'/'trilinear'
    blend the two nearest source pixels per dim, 'bicubic' the four nearest with Keys' cubic
    kernel (weighted sums, so gradients flow back to every source pixel used)."""
    import numpy as np
    from .._tensor import Tensor
    linear_dims = {"linear": 1, "bilinear": 2, "trilinear": 3, "bicubic": 2}
    if mode != "nearest" and mode not in linear_dims:
        raise NotImplementedError(f"torch.nn.functional.interpolate(mode='{mode}') is not supported by ember")
    if antialias:
        raise NotImplementedError("torch.nn.functional.interpolate(antialias=True) is not supported by ember")
    nd = input.dim() - 2
    if mode in linear_dims and nd != linear_dims[mode]:
        raise NotImplementedError(f"Got {input.dim()}D input, but {mode} mode needs {linear_dims[mode] + 2}D input")
    if size is None and scale_factor is None:
        raise ValueError("either size or scale_factor should be defined")
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    in_sizes = list(input.shape[2:])
    if size is not None:
        out_sizes = [size] * nd if isinstance(size, int) else list(size)
        scales = [None] * nd
    else:
        scales = [scale_factor] * nd if isinstance(scale_factor, (int, float)) else list(scale_factor)
        out_sizes = [int(np.floor(s * f)) for s, f in zip(in_sizes, scales)]
        if recompute_scale_factor:
            scales = [None] * nd
    out = input
    for k in range(nd):
        dim = 2 + k
        src = _source_coords(out_sizes[k], in_sizes[k], scales[k], align_corners, mode)
        if mode == "nearest":
            out = out.index_select(dim, Tensor._make(src))
            continue
        shape = (-1,) + (1,) * (nd - 1 - k)
        if mode == "bicubic":
            base = np.floor(src).astype(np.int64)
            weights = _cubic_weights(src - base)
            taps = [out.index_select(dim, Tensor._make(np.clip(base + j, 0, in_sizes[k] - 1))) *
                    Tensor._make(w.astype(input._data.dtype).reshape(shape)) for j, w in zip((-1, 0, 1, 2), weights)]
            out = taps[0] + taps[1] + taps[2] + taps[3]
            continue
        i0 = np.floor(src).astype(np.int64)
        i1 = np.minimum(i0 + 1, in_sizes[k] - 1)
        w = (src - i0).astype(input._data.dtype).reshape((-1,) + (1,) * (nd - 1 - k))
        lo, hi = out.index_select(dim, Tensor._make(i0)), out.index_select(dim, Tensor._make(i1))
        out = lo + (hi - lo) * Tensor._make(w)
    return out


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    return interpolate(input, size, scale_factor, mode, align_corners)


def pixel_shuffle(input, upscale_factor):
    """(*, C r^2, H, W) -> (*, C, H r, W r)."""
    r = upscale_factor
    *lead, c, h, w = input.shape
    if c % (r * r):
        raise RuntimeError(f"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of "
                           f"upscale_factor, but input.size(-3)={c} is not divisible by {r * r}")
    x = input.reshape(*lead, c // (r * r), r, r, h, w)
    n = len(lead)
    x = x.permute(*range(n), n, n + 3, n + 1, n + 4, n + 2)
    return x.reshape(*lead, c // (r * r), h * r, w * r)


def pixel_unshuffle(input, downscale_factor):
    """(*, C, H r, W r) -> (*, C r^2, H, W)."""
    r = downscale_factor
    *lead, c, h, w = input.shape
    x = input.reshape(*lead, c, h // r, r, w // r, r)
    n = len(lead)
    x = x.permute(*range(n), n, n + 2, n + 4, n + 1, n + 3)
    return x.reshape(*lead, c * r * r, h // r, w // r)

from .._ops.spatial import affine_grid, grid_sample, pdist  # noqa: E402,F401
from ._more_losses import (  # noqa: E402,F401
    multi_margin_loss, multilabel_margin_loss, triplet_margin_with_distance_loss)

from ._functional_layers import (dropout3d, feature_alpha_dropout, channel_shuffle,  # noqa: E402,F401
                                 native_channel_shuffle, upsample_nearest, upsample_bilinear, rms_norm,
                                 local_response_norm, lp_pool1d, lp_pool2d, lp_pool3d, rrelu, rrelu_,
                                 gumbel_softmax)

from .._missing import module_getattr as _module_getattr  # noqa: E402
__getattr__ = _module_getattr("torch.nn.functional")
