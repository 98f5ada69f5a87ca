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


def _check_tensor_arg(fn, name, position, value):
    """PyTorch's argument-parser error for a non-tensor where a tensor is required (a NumPy array
    or a list, the usual slip), naming the type as Python's C level does (``numpy.ndarray``)."""
    if not isinstance(value, Tensor):
        cls = type(value)
        heap = cls.__flags__ & (1 << 9)  # classes written in Python are named bare, C types with their module
        shown = cls.__name__ if heap or cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__name__}"
        raise TypeError(f"{fn}(): argument '{name}' (position {position}) must be Tensor, not {shown}")


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
    _check_tensor_arg("linear", "input", 1, input)
    _check_tensor_arg("linear", "weight", 2, weight)
    if input.dim() == 0 or weight.dim() == 0:
        raise RuntimeError(f"both arguments to linear need to be at least 1D, but they are {input.dim()}D and "
                           f"{weight.dim()}D")
    if bias is not None and (input.dim() == 2 or bias.dim() == 1):
        # every row (or the one vector) in one addmm, as PyTorch does; so its checks, in its order
        rows = input.reshape(-1, input.shape[-1]) if input.dim() != 2 else input
        _check_addmm_dtypes(bias, rows, weight)
        if weight.dim() == 2 and (bias.dim() != 1 or bias.shape[0] != weight.shape[0]):
            target = (rows.shape[0], weight.shape[0])
            try:
                np.broadcast_shapes(tuple(bias.shape), target)
            except ValueError:
                bias.expand(*target)  # raises PyTorch's "The expanded size of the tensor ..." error
        out = ember.addmm(bias, rows, weight.t())
        return out if input.dim() == 2 else out.view(*input.shape[:-1], out.shape[-1])
    out = input.matmul(weight.t())
    return out + bias if bias is not None else out


def _check_addmm_dtypes(bias, mat1, weight):
    from .._dtype import type_word
    if bias.dtype != weight.dtype:
        raise RuntimeError(f"self and mat2 must have the same dtype, but got {type_word(bias.dtype)} and "
                           f"{type_word(weight.dtype)}")
    if mat1.dtype != weight.dtype:
        raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got {type_word(mat1.dtype)} and "
                           f"{type_word(weight.dtype)}")


def bilinear(input1, input2, weight, bias=None):
    """y_k = x1^T W_k x2 + b_k."""
    def check(ok, msg):
        if not ok:
            raise RuntimeError("bilinear(): " + msg)
    check(input1.dim() == input2.dim(), f"input dimensions do not match: got {input1.dim()} and {input2.dim()}")
    for d in range(input1.dim() - 1):
        check(input1.shape[d] == input2.shape[d],
              f"input batch dimensions do not match at dim {d}: got {input1.shape[d]} and {input2.shape[d]}")
    check(input1.shape[-1] == weight.shape[1],
          f"input1 size does not match weight size: got {input1.shape[-1]} but expected {weight.shape[1]}")
    check(input2.shape[-1] == weight.shape[2],
          f"input2 size does not match weight size: got {input2.shape[-1]} but expected {weight.shape[2]}")
    check(bias is None or bias.shape[0] == weight.shape[0],
          f"bias size does not match weight size: got {bias.shape[0] if bias is not None else 0} but expected "
          f"{weight.shape[0]}")
    tensors = [("input1", input1), ("input2", input2), ("weight", weight)] + ([("bias", bias)] if bias is not None
                                                                              else [])
    if len({t.dtype for _, t in tensors}) > 1:
        from .._ops.linalg import _word
        raise RuntimeError("All tensors must have the same dtype, got " + ", ".join(f"{n}: {_word(t)}"
                                                                                   for n, t in tensors))
    out = ember.einsum("...i,kij,...j->...k", input1, weight, input2)
    return out + bias if bias is not None else out


# --- activations -----------------------------------------------------------------------------
def relu(input, inplace=False):
    """max(x, 0)."""
    _check_tensor_arg("relu", "input", 1, input)
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


def _get_softmax_dim(name, ndim, stacklevel):
    """PyTorch's legacy choice when no ``dim`` is given (0 for 0-, 1- and 3-D inputs, else 1),
    with its deprecation warning naming the function."""
    import warnings
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X as "
                  "an argument.", stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    if dim is None:
        dim = _get_softmax_dim("softmax", input.dim(), _stacklevel)
    return input.softmax(dim, dtype=dtype) if dtype is not None else input.softmax(dim)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    if dim is None:
        dim = _get_softmax_dim("log_softmax", input.dim(), _stacklevel)
    return input.log_softmax(dim, dtype=dtype) if dtype is not None else input.log_softmax(dim)


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    if dim is None:
        dim = _get_softmax_dim("softmin", input.dim(), _stacklevel)
    return softmax(-input, dim, dtype=dtype)


from .._ops.embedding import embedding  # noqa: E402,F401


def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False, mode="mean",
                  sparse=False, per_sample_weights=None, include_last_offset=False, padding_idx=None):
    from .modules.sparse import embedding_bag as bag
    return bag(input, weight, offsets, max_norm, norm_type, mode, per_sample_weights, include_last_offset,
               padding_idx, scale_grad_by_freq, sparse)


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
    _check_tensor_arg("dropout", "input", 1, input)
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
    """Zero whole channels (dim 1 of (N, C, L), dim 0 of (C, L)) with probability p."""
    _check_p(p)
    d = input.dim()
    if d not in (2, 3):
        raise RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a {d}D input. Note that dropout1d exists "
                           "to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, "
                           "and an optional batch dimension (i.e. 2D or 3D inputs).")
    if d == 3:
        return _feature_dropout(input, p, training, inplace)
    out = _feature_dropout(input.unsqueeze(0), p, training, False).squeeze(0)  # unbatched: a batch of one
    return input.copy_(out) if inplace else out


def dropout2d(input, p=0.5, training=True, inplace=False):
    """Zero whole feature maps (dim 1 of (N, C, H, W)) with probability p. PyTorch reads a 3-D
    input as (N, C, L), not as an unbatched (C, H, W), and warns about it."""
    import warnings
    _check_p(p)
    d = input.dim()
    _warn_feature_dims(2, d)
    if d == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior "
                      "is desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior "
                      "will change in a future release to interpret the input as one without a batch dimension, i.e. "
                      "shape (C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to using "
                      "dropout1d instead.", stacklevel=2)
    return _feature_dropout(input, p, training, inplace)


def _check_p(p):
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _warn_feature_dims(n, d):
    """PyTorch's deprecation warning for a ``d``-D input to ``dropout{n}d``, which expects
    n spatial dims, a channel dim and an optional batch dim."""
    if d not in (n + 1, n + 2):
        import warnings
        warnings.warn(f"dropout{n}d: Received a {d}-D input to dropout{n}d, which is deprecated and will result in "
                      "an error in a future release. To retain the behavior and silence this warning, please use "
                      f"dropout instead. Note that dropout{n}d exists to provide channel-wise dropout on inputs with "
                      f"{n} spatial dimensions, a channel dimension, and an optional batch dimension (i.e. {n + 1}D "
                      f"or {n + 2}D inputs).", stacklevel=3)


def _feature_mask_shape(input):
    """One Bernoulli draw per (dim 0, dim 1) pair, as PyTorch's make_feature_noise: the mask
    keeps dims 0 and 1 and broadcasts over every other dim."""
    if input.dim() < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    return tuple(input.shape[:2]) + (1,) * (input.dim() - 2)


def _feature_dropout(input, p, training, inplace):
    """PyTorch's feature dropout: one Bernoulli(1 - p) draw per (dim 0, dim 1) pair, scaled by
    1/(1-p) and broadcast over the other dims."""
    if not training or p == 0 or input.numel() == 0:
        return input
    shape = _feature_mask_shape(input)
    mask = ember.empty(shape, dtype=input.dtype).bernoulli_(1 - p) / (1 - p) if p < 1 else \
        ember.zeros(shape, dtype=input.dtype)
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
    """The reduction the deprecated ``size_average``/``reduce`` flags ask for, with PyTorch's warning."""
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    reduction = ("mean" if size_average else "sum") if reduce else "none"
    import warnings
    warnings.warn(f"size_average and reduce args will be deprecated, please use reduction='{reduction}' instead.",
                  stacklevel=3)
    return reduction


def _word(dtype):
    from .._dtype import type_word
    return type_word(dtype)


def _warn_size_mismatch(input, target):
    """PyTorch's warning for the classic regression bug: (N, 1) predictions against an (N,) target
    broadcast to (N, N) without an error."""
    if target.size() != input.size():
        import warnings
        warnings.warn(f"Using a target size ({target.size()}) that is different to the input size ({input.size()}). "
                      "This will likely lead to incorrect results due to broadcasting. Please ensure they have the "
                      "same size.", stacklevel=3)


def _check_broadcast(a, b):
    """PyTorch's error for tensors of shapes ``a`` and ``b`` that do not broadcast ("tensor a" is
    the first operand of the failing op)."""
    from .._ops._util import check_broadcast
    check_broadcast(tuple(a), tuple(b))


def _broadcast_pair(input, target):
    """``torch.broadcast_tensors(input, target)``, as PyTorch's regression losses start."""
    _check_broadcast(input.shape, target.shape)
    return ember.broadcast_tensors(input, target)


def _broadcast_shapes(*shapes):
    """``torch.broadcast_shapes``, with its error message."""
    from .._size import Size
    common = [1] * max(len(sh) for sh in shapes)
    for i, shape in enumerate(shapes):
        for d in range(-1, -1 - len(shape), -1):
            if shape[d] == common[d] or shape[d] == 1:
                continue
            if common[d] != 1:
                raise RuntimeError(f"Attempting to broadcast a dimension of length {shape[d]} at {d}! Mismatching "
                                   f"argument at index {i} had {Size(shape)}; but expected shape should be "
                                   f"broadcastable to {common}")
            common[d] = shape[d]
    return tuple(common)


def _class_target_checks(input, target, weight):
    """The checks of PyTorch's nll_loss on (C) or (N, C) log-probabilities, in its order."""
    if target.dim() > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if target.dtype.name not in ("int64", "uint8"):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {_word(target.dtype)}")
    n_classes = input.shape[-1]
    if weight is not None and (weight.dim() != 1 or weight.numel() != n_classes):
        raise RuntimeError(f"weight tensor should be defined either for all {n_classes} classes or no classes but "
                           f"got weight tensor of shape: {list(weight.shape)}")
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"nll_loss_out_frame\" not implemented for '{_word(input.dtype)}'")
    if weight is not None and weight.dtype != input.dtype:
        raise RuntimeError(f"expected scalar type {_word(input.dtype)} but found {_word(weight.dtype)}")


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    """The negative log-likelihood of the target classes, given log-probabilities."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction)
    _check_tensor_arg("nll_loss_nd", "input", 1, input)
    _check_tensor_arg("nll_loss_nd", "target", 2, target)
    if input.dim() < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.dim()})")
    if input.dim() == 1 and target.dim() == 1 and target.shape[0] != 1:
        raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: {target.shape[0]}")
    if input.dim() != 1 and target.dim() >= 1 and input.shape[0] != target.shape[0]:
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target batch_size "
                         f"({target.shape[0]}).")
    if input.dim() > 2:  # (N, C, d1, ...) -> (N*d1*..., C)
        n, c = input.shape[0], input.shape[1]
        if input.dim() != 4 and tuple(target.shape[1:]) != tuple(input.shape[2:]):
            raise RuntimeError(f"Expected target size {[n] + list(input.shape[2:])}, got {list(target.shape)}")
        if input.dim() == 4 and target.dim() != 3:
            raise RuntimeError("only batches of spatial targets supported (3D tensors) but got targets of dimension: "
                               f"{target.dim()}")
        if weight is not None and weight.numel() != c:
            raise RuntimeError("weight tensor should be defined either for all or no classes")
        if input.dim() == 4 and tuple(target.shape) != (n,) + tuple(input.shape[2:]):
            # PyTorch's message, spacing and unclosed parenthesis included
            raise RuntimeError(f"size mismatch (got input: {list(input.shape)} , target: {list(target.shape)}")
        if target.dtype.name not in ("int64", "uint8"):
            raise RuntimeError(f"expected target dtype to be Long or Byte, but got {_word(target.dtype)}")
        flat = input.movedim(1, -1).reshape(-1, c)
        out = NllLoss.apply(flat, target.reshape(-1), weight, reduction, ignore_index)
        return out.reshape(target.shape) if reduction == "none" else out
    _class_target_checks(input, target, weight)
    return NllLoss.apply(input, target, weight, reduction, ignore_index)


def _log_softmax_over_classes(input, c_dim):
    if not input.dtype.is_floating_point:  # PyTorch names its kernel, which differs for the last dim
        kernel = "log_softmax_lastdim_kernel_impl" if c_dim == input.dim() - 1 else "log_softmax_kernel_impl"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_word(input.dtype)}'")
    return input.log_softmax(c_dim)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    """log_softmax over the class dim followed by ``nll_loss``; or, for probability targets
    (a target shaped like the input), -sum_c target_c log p_c. With label smoothing eps, the
    target is mixed with the uniform distribution: (1 - eps) * loss + eps * mean over classes
    of -log p_c."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction)
    _check_tensor_arg("cross_entropy_loss", "input", 1, input)
    _check_tensor_arg("cross_entropy_loss", "target", 2, target)
    c_dim = 0 if input.dim() == 1 else 1
    if tuple(input.shape) == tuple(target.shape):  # class probabilities, as PyTorch decides
        if not target.dtype.is_floating_point:
            raise RuntimeError(f"Expected floating point type for target with class probabilities, got "
                               f"{_word(target.dtype)}")
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        if input.dim() == 0:
            raise IndexError("Dimension specified as 1 but tensor has no dimensions")
        n_classes = input.shape[c_dim]
        if weight is not None and (weight.dim() != 1 or weight.numel() != n_classes):
            raise RuntimeError(f"cross_entropy: weight tensor should be defined either for all {n_classes} classes "
                               f"or no classes but got weight tensor of shape: {list(weight.shape)}")
        logp = _log_softmax_over_classes(input, c_dim)
        if label_smoothing > 0:
            if label_smoothing > 1.0:
                raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
            target = target * (1 - label_smoothing) + label_smoothing / n_classes
        w = 1 if weight is None else weight.reshape((n_classes,) + (1,) * (input.dim() - c_dim - 1))
        losses = -(logp * target * w).sum(c_dim)
        if reduction == "mean":
            return losses.sum() / (input.numel() // n_classes)
        return _reduce(losses, reduction)
    if label_smoothing > 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    logp = _log_softmax_over_classes(input, c_dim)
    n_classes = input.shape[c_dim]
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


def _pointwise_loss_dtype(input, target, kernel):
    """The dtype of mse/smooth_l1: PyTorch's type promotion of input and target, floating only."""
    dt = ember.result_type(input, target)
    if not dt.is_floating_point:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_word(dt)}'")
    return dt


def _weighted(loss, weight, input, reduction):
    """PyTorch's weighted regression losses: elementwise weights, 'mean' divides by their sum."""
    if tuple(weight.shape) != tuple(input.shape):
        raise ValueError("Weights and input must have the same size.")
    loss = loss * weight
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    if reduction == "mean":
        return loss.sum() / weight.sum()
    raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.")


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean squared error: mean of (x - y)^2."""
    _warn_size_mismatch(input, target)
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if tuple(input.shape) != tuple(target.shape):
        input, target = _broadcast_pair(input, target)
    if weight is not None:
        return _weighted((input - target) ** 2, weight, input, reduction)
    check_reduction(reduction)
    _pointwise_loss_dtype(input, target, "mse_cpu")
    return MseLoss.apply(input, target, reduction)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean absolute error: mean of |x - y|."""
    _warn_size_mismatch(input, target)
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if tuple(input.shape) != tuple(target.shape):
        input, target = _broadcast_pair(input, target)
    if weight is not None:
        return _weighted((input - target).abs(), weight, input, reduction)
    return _reduce((input - target).abs(), reduction)


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """-w (y log p + (1 - y) log(1 - p)), with each log clamped at -100 as PyTorch does (so
    p = 0 or 1 gives a large finite loss instead of inf). One op: ``BinaryCrossEntropyBackward0``."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction)
    if target.size() != input.size():
        raise ValueError(f"Using a target size ({target.size()}) that is different to the input size "
                         f"({input.size()}) is deprecated. Please ensure they have the same size.")
    if weight is not None and tuple(weight.shape) != tuple(input.shape):
        weight = weight.expand(*_broadcast_shapes(tuple(target.shape), tuple(weight.shape)))
    if target.dtype != input.dtype:
        raise RuntimeError(f"Found dtype {_word(target.dtype)} but expected {_word(input.dtype)}")
    _not_differentiable("binary_cross_entropy", weight=weight)
    if weight is not None and weight.dtype != input.dtype:
        weight = weight.to(input.dtype)  # PyTorch computes in the input's dtype
    return BinaryCrossEntropy.apply(input, target, weight, reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):
    """BCE of sigmoid(x), computed stably in one op: (1 - y) x + (1 + (pw - 1) y) softplus(-x),
    with softplus(-x) = log1p(e^-|x|) + max(-x, 0), which never overflows."""
    return _bce_with_logits(input, target, weight, pos_weight, _legacy_reduction(size_average, reduce, reduction))


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta (d = x - y); ``l1_loss`` when beta = 0,
    as in PyTorch."""
    _warn_size_mismatch(input, target)
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if tuple(input.shape) != tuple(target.shape):
        input, target = _broadcast_pair(input, target)
    check_reduction(reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0:
        return l1_loss(input, target, reduction=reduction)
    _pointwise_loss_dtype(input, target, "smooth_l1_cpu")
    return SmoothL1Loss.apply(input, target, reduction, float(beta))


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta): smooth_l1 scaled by delta. One op
    (``HuberLossBackward0``) without ``weight``; PyTorch composes the weighted form from ops too.
    The loss has the input's dtype."""
    _warn_size_mismatch(input, target)
    if tuple(input.shape) != tuple(target.shape):
        input, target = _broadcast_pair(input, target)
    if weight is not None:  # unlike mse and l1, PyTorch's weighted 'mean' here divides by the count
        if tuple(weight.shape) != tuple(input.shape):
            raise ValueError("Weights and input must have the same size.")
        loss = huber_loss(input, target, "none", delta) * weight
        if reduction not in ("none", "mean", "sum"):
            raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.")
        return _reduce(loss, reduction)
    check_reduction(reduction)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    if not input.dtype.is_floating_point:
        dt = ember.result_type(input, target)
        if dt.is_floating_point:
            raise RuntimeError(f"result type {_word(dt)} can't be cast to the desired output type "
                               f"{_word(input.dtype)}")
        raise NotImplementedError(f"\"huber_cpu\" not implemented for '{_word(dt)}'")
    return HuberLoss.apply(input, target, reduction, float(delta))


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """KL(target || p) pointwise, with ``input`` = log p: y (log y - log p) (0 where y = 0)."""
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce, reduction)
    elif reduction == "mean":
        import warnings
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the support size."
                      "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
                      "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
                      stacklevel=2)
    if reduction != "batchmean":
        check_reduction(reduction)
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
    check_reduction(reduction)
    if not input1.dim() == input2.dim() == target.dim():
        raise RuntimeError(f"margin_ranking_loss : All input tensors should have same dimension but got sizes: "
                           f"input1: {input1.size()}, input2: {input2.size()}, target: {target.size()} ")
    return _reduce((-target * (input1 - input2) + margin).clamp(min=0), reduction)


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None, reduction="mean"):
    """x where y = 1, max(0, margin - x) where y = -1."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction)
    _check_broadcast(target.shape, input.shape)  # PyTorch's first op mixing the two is a where(target ...)
    zeros = ember.zeros_like(input)
    pos = ember.where(target == 1, input, zeros)
    neg = ember.where(target == -1, (margin - input).clamp(min=0), zeros)
    return _reduce(pos + neg, reduction)


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """log(1 + e^(-y x)), computed as PyTorch does (so it overflows where PyTorch's does)."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction)
    return _reduce((-input * target).exp().log1p(), reduction)


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
    check_reduction(reduction)
    if target.dim() > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    want = target.dim() + 1  # a 1-D target pairs rows of 2-D inputs; a 0-D one, two vectors
    if input1.dim() != want or input2.dim() != want:
        raise RuntimeError(f"{target.dim()}D target tensor expects {want}D input tensors, but found inputs with "
                           f"sizes {list(input1.shape)} and {list(input2.shape)}.")
    _check_broadcast(input1.shape, input2.shape)
    cos = cosine_similarity(input1, input2, dim=-1, eps=1e-12) if input1.dim() > 1 else \
        cosine_similarity(input1, input2, dim=0, eps=1e-12)
    _check_broadcast(target.shape, cos.shape)
    zeros = ember.zeros_like(cos)
    loss = ember.where(target == 1, 1 - cos, zeros) + ember.where(target == -1, (cos - margin).clamp(min=0), zeros)
    return _reduce(loss, reduction)


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False, size_average=None,
                        reduce=None, reduction="mean"):
    """max(d(a, p) - d(a, n) + margin, 0) with d the p-norm distance."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction)
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    if not anchor.dim() == positive.dim() == negative.dim():
        raise RuntimeError("The anchor, positive, and negative tensors are expected to have the same number of "
                           f"dimensions, but got: anchor {anchor.dim()}D, positive {positive.dim()}D, and negative "
                           f"{negative.dim()}D inputs")
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
    """0.5 (log(max(var, eps)) + (x - y)^2 / max(var, eps)) (+ 0.5 log 2 pi when ``full``).
    As in PyTorch, the clamp at eps is applied without recording it, so the gradient with
    respect to var passes through it unchanged."""
    if isinstance(var, float):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        var = var * ember.ones_like(input)
    elif (var < 0).any():
        raise ValueError("var has negative entry/entries")
    if tuple(var.shape) != tuple(input.shape):
        if tuple(input.shape[:-1]) == tuple(var.shape):  # one variance per sample: homoscedastic
            var = var.unsqueeze(-1)
        elif not (input.dim() == var.dim() and
                  sum(v for i, v in zip(input.shape, var.shape) if i != v) == 1):
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    var = var.clone()
    with ember.no_grad():
        var.clamp_(min=eps)
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
        if not idx.size:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(idx.max()) + 1
    if idx.size and (idx.min() < 0 or idx.max() >= num_classes):
        raise RuntimeError("Class values must be smaller than num_classes." if idx.max() >= num_classes
                           else "Class values must be non-negative.")
    out = np.zeros(idx.shape + (num_classes,), np.int64)
    np.put_along_axis(out, idx[..., None], 1, axis=-1)
    return Tensor._make(out)


# --- convolution and pooling (see ember/_ops/conv.py and pooling.py) -------------------------------
from .._ops import conv as _conv, pooling as _pool, padding as _padding  # noqa: E402

def pad(input, pad, mode="constant", value=None):
    """Pad the last ``len(pad) // 2`` dims (see ember/_ops/padding.py), after PyTorch's checks of
    the arguments, in its order and words."""
    import operator
    if isinstance(pad, Tensor):
        raise TypeError("pad(): argument 'pad' (position 2) must be tuple of ints, not Tensor")
    pad = tuple(pad)
    for i, p in enumerate(pad):
        try:
            operator.index(p)
        except TypeError:
            if i == 0:
                raise TypeError("pad(): argument 'pad' (position 2) must be tuple of ints, but found element of type "
                                f"{type(p).__name__} at pos 0") from None
            raise TypeError(f"pad(): argument 'pad' failed to unpack the object at pos 2 with error \"type must be "
                            f"tuple of ints,but got {type(p).__name__}\"") from None
    if mode != "constant":
        if value is not None and value != 0:
            raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
        dims = len(pad) // 2
        if len(pad) % 2 == 0 and mode in ("reflect", "replicate", "circular"):
            if dims not in (1, 2, 3) or input.dim() not in (dims + 1, dims + 2):
                raise NotImplementedError(
                    f"Padding size {len(pad)} is not supported for {input.dim()}D input tensor.\n"
                    "Supported combinations for non-constant padding:\n"
                    "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
                    "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
                    "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")
            if mode != "circular" and 0 in input.shape[input.dim() - dims - 1:]:
                # every dim but an optional batch dim must be non-empty
                raise RuntimeError(f"Expected {dims + 1}D or {dims + 2}D (batch mode) tensor with possibly 0 batch "
                                   f"size and other non-zero dimensions for input, but got: {list(input.shape)}")
    elif len(pad) % 2 == 0 and len(pad) // 2 <= input.dim():
        sizes = input.shape[input.dim() - len(pad) // 2:][::-1]  # pad lists the last dim first
        pairs = [(pad[2 * i], pad[2 * i + 1]) for i in range(len(pad) // 2)]
        # PyTorch first narrows every dim by its negative pads
        if any(n + min(lo, 0) + min(hi, 0) < 0 for n, (lo, hi) in zip(sizes, pairs)):
            raise RuntimeError("narrow(): length must be non-negative.")
    return _padding.pad(input, pad, mode, value)



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
    if mode in ("nearest", "nearest-exact"):
        s = (1.0 / scale) if scale else in_size / out_size
        offset = 0.5 if mode == "nearest-exact" else 0.0  # the pixel whose centre is nearest
        return np.minimum(np.floor((dst + offset) * s).astype(np.int64), in_size - 1)
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
    """Resize the spatial dims: 'nearest' picks the source pixel ('nearest-exact' the one whose
    centre is nearest), 'linear'/'bilinear'/'trilinear' blend the two nearest source pixels per
    dim, 'bicubic' the four nearest with Keys' cubic kernel (weighted sums, so gradients flow
    back to every source pixel used), 'area' averages (adaptive average pooling).
    PyTorch's argument checks come first, in its order and words."""
    import numpy as np
    from .._tensor import Tensor
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating modes: "
                             "linear | bilinear | bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    nd = input.dim() - 2
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        if isinstance(size, (list, tuple)):
            if len(size) != nd:
                raise ValueError("Input and output must have the same number of spatial dimensions, but got input "
                                 f"with spatial dimensions of {list(input.shape[2:])} and output size of {size}. "
                                 "Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in "
                                 "(o1, o2, ...,oK) format.")
            if not all(isinstance(x, (int, np.integer)) or (isinstance(x, Tensor) and not x.is_floating_point())
                       for x in size):
                raise TypeError("expected size to be one of int or Tuple[int] or Tuple[int, int] or "
                                f"Tuple[int, int, int], but got size with types {[type(x) for x in size]}")
            out_sizes = [int(x) for x in size]
        else:
            out_sizes = [size] * nd
        scales = [None] * nd
    elif scale_factor is not None:
        if isinstance(scale_factor, (list, tuple)):
            if len(scale_factor) != nd:
                raise ValueError("Input and scale_factor must have the same number of spatial dimensions, but got "
                                 f"input with spatial dimensions of {list(input.shape[2:])} and scale_factor of shape "
                                 f"{scale_factor}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and "
                                 "scale_factor in (s1, s2, ...,sK) format.")
            scales = list(scale_factor)
        else:
            scales = [scale_factor] * nd
        out_sizes = None
    else:
        raise ValueError("either size or scale_factor should be defined")
    if recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    if mode == "area" and out_sizes is None:
        recompute_scale_factor = True
    if recompute_scale_factor:
        out_sizes = [int(math.floor(float(L) * f)) for L, f in zip(input.shape[2:], scales)]
        scales = [None] * nd
    if antialias and not (mode in ("bilinear", "bicubic", "lanczos") and input.dim() == 4):
        raise ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and requires a 4-D "
                         "tensor as input")
    linear_dims = {"linear": 1, "bilinear": 2, "trilinear": 3, "bicubic": 2}
    known = ("nearest", "nearest-exact", "area") + tuple(linear_dims)
    if mode not in known or nd not in (1, 2, 3) or (mode in linear_dims and nd != linear_dims[mode]):
        if nd in (1, 2, 3) and mode in linear_dims and mode != "bicubic":
            raise NotImplementedError(f"Got {input.dim()}D input, but {mode} mode needs {linear_dims[mode] + 2}D "
                                      "input")
        raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.dim()}D) for "
                                  "the modes: nearest | linear | bilinear | bicubic | trilinear | lanczos | area | "
                                  f"nearest-exact (got {mode})")
    if antialias:
        raise NotImplementedError("torch.nn.functional.interpolate(antialias=True) is not supported by ember")
    if mode == "area":
        return (adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d)[nd - 1](input, out_sizes)
    in_sizes = list(input.shape[2:])
    if out_sizes is None:
        out_sizes = [int(math.floor(L * f)) for L, f in zip(in_sizes, scales)]
    if any(L <= 0 for L in in_sizes) or any(o <= 0 for o in out_sizes):
        names = ("D", "H", "W")[-nd:]
        shown_in = ", ".join(f"{n}: {L}" for n, L in zip(names, in_sizes))
        shown_out = ", ".join(f"{n}: {o}" for n, o in zip(names, out_sizes))
        joint = " and " if nd == 1 else " "  # PyTorch's 1-d message alone says "and"
        raise RuntimeError(f"Input and output sizes should be greater than 0, but got input ({shown_in}){joint}"
                           f"output ({shown_out})")
    if not input.dtype.is_floating_point:
        kind = {"nearest": "nearest", "nearest-exact": "nearest", "bicubic": "cubic"}.get(mode, "linear")
        raise NotImplementedError(f"\"compute_indices_weights_{kind}\" not implemented for "
                                  f"'{_word(input.dtype)}'")
    out = input
    for k in range(nd):
        dim = 2 + k
        src = _source_coords(out_sizes[k], in_sizes[k], scales[k], align_corners, mode)
        if mode in ("nearest", "nearest-exact"):
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
    import warnings
    warnings.warn("`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` instead.", stacklevel=2)
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
    for what, size, k in (("height", h, -2), ("width", w, -1)):
        if size % r:
            raise RuntimeError(f"pixel_unshuffle expects {what} to be divisible by downscale_factor, but "
                               f"input.size({k})={size} is not divisible by {r}")
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
