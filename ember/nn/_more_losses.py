"""Margin losses over classes and the triplet loss with a custom distance (for
``nn.functional``). Each is a composition of ember ops: gather the target scores, form the
hinge terms, mask the pairs that do not count, reduce; autograd gives the gradients.
"""
import numpy as np

import ember
from .._tensor import Tensor
from .._ops.loss import check_reduction


def _reduce(loss, reduction):
    check_reduction(reduction)
    if reduction == "mean":
        return loss.mean() if loss.numel() else loss.sum()  # PyTorch: the mean of no samples is 0 here
    return loss.sum() if reduction == "sum" else loss


def _legacy(size_average, reduce, reduction):
    from .functional import _legacy_reduction
    return _legacy_reduction(size_average, reduce, reduction)


_SCALAR_NAMES = {"float16": "Half", "bfloat16": "BFloat16", "float32": "Float", "float64": "Double", "int32": "Int",
                 "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def _as_matrix(input, target):
    """(C,) or (N, C) input as (N, C), and the target as a NumPy int64 array with a leading N."""
    if input.dim() > 2 or (input.dim() == 2 and input.shape[1] == 0) or (input.dim() == 1 and input.shape[0] == 0):
        raise RuntimeError(f"Expected non-empty vector or matrix with optional 0-dim batch size, but got: "
                           f"{list(input.shape)}")
    if target.dtype != ember.int64:
        found = _SCALAR_NAMES.get(str(target.dtype).split(".")[-1], str(target.dtype))
        raise RuntimeError(f"expected scalar type Long but found {found}")
    x = input.reshape(1, -1) if input.dim() <= 1 else input
    return x, target._data.astype(np.int64)


def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None, reduce=None,
                      reduction="mean"):
    """loss(x, y) = sum_{i != y} w[y] max(0, margin - x[y] + x[i])^p / C, for p = 1 or 2.

    The multi-class hinge: every wrong class i scoring within ``margin`` of the right one y is
    penalised. d/dx[i] = w[y] p z^(p-1) / C for each active term z = margin - x[y] + x[i] > 0,
    and x[y] gets minus the sum of those.
    """
    reduction = _legacy(size_average, reduce, reduction)
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.dim() != 1:
        raise ValueError("weight must be one-dimensional")
    x, t = _as_matrix(input, target)
    n, c = x.shape
    t = t.reshape(-1)
    if input.dim() == 2 and t.shape[0] != n or input.dim() < 2 and t.size != 1:
        raise RuntimeError(f"multi_margin_loss: target tensor should be 1-D with size equal to the number of input "
                           f"samples (batch size). Expected target size [{n}], but got {list(target.shape)}. "
                           f"Input has shape {list(input.shape)}.")
    if weight is not None and weight.shape[0] != c:
        raise RuntimeError(f"inconsistent weight size, expected {c} but got {list(weight.shape)}")
    check_reduction(reduction)
    if t.size and (t.min() < 0 or t.max() >= c):
        raise RuntimeError("target out of range")
    idx = Tensor._make(t.reshape(n, 1))
    z = (margin - x.gather(1, idx) + x).clamp(min=0)
    if p == 2:
        z = z * z
    if weight is not None:
        z = z * weight[Tensor._make(t)].unsqueeze(1)
    others = Tensor._make(np.arange(c) != t.reshape(n, 1))  # the target class itself does not count
    loss = (z * others).sum(1) / c
    if input.dim() < 2:
        loss = loss.reshape(())
    return _reduce(loss, reduction)


def multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """loss(x, y) = sum_{j in targets} sum_{i not in targets} max(0, 1 - (x[j] - x[i])) / C.

    ``target`` lists each sample's classes, ended by the first -1. Every target class should
    outscore every non-target class by 1; each violating pair adds its hinge, so d/dx[i] = +1/C
    and d/dx[j] = -1/C per active pair (i, j).
    """
    reduction = _legacy(size_average, reduce, reduction)
    x, t = _as_matrix(input, target)
    if tuple(target.shape) != tuple(input.shape):
        raise RuntimeError(f"inconsistent target size: {list(target.shape)} for input of size: {list(input.shape)}")
    n, c = x.shape
    t = t.reshape(n, c)
    check_reduction(reduction)
    # a target entry counts while no -1 has appeared before it (or at it) in its row
    listed = np.cumprod(t != -1, axis=1).astype(bool)
    if ((t[listed] < 0) | (t[listed] >= c)).any():
        raise RuntimeError("argument #2 'target' is out of range")
    safe = np.where(listed, t, 0)
    is_target = np.zeros((n, c), bool)
    is_target[np.nonzero(listed)[0], t[listed]] = True
    xt = x.gather(1, Tensor._make(safe))  # (N, C): the score of each listed target class
    hinge = (1 - xt.unsqueeze(2) + x.unsqueeze(1)).clamp(min=0)  # [n, j, i]
    pairs = Tensor._make((listed[:, :, None] & ~is_target[:, None, :]).astype(x._data.dtype))
    loss = (hinge * pairs).sum((1, 2)) / c
    if input.dim() < 2:
        loss = loss.reshape(())
    return _reduce(loss, reduction)


def triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function=None, margin=1.0,
                                      swap=False, reduction="mean"):
    """max(d(a, p) - d(a, n) + margin, 0) for any distance d (default: pairwise_distance);
    ``swap`` uses min(d(a, n), d(p, n)) as the negative distance (the harder of the two)."""
    from .functional import pairwise_distance
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    if not anchor.dim() == positive.dim() == negative.dim():
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the same number of "
                           f"dimensions, but got: anchor {anchor.dim()}D, positive {positive.dim()}D, and "
                           f"negative {negative.dim()}D inputs")
    dist = distance_function if distance_function is not None else pairwise_distance
    d_pos = dist(anchor, positive)
    d_neg = dist(anchor, negative)
    if swap:
        d_neg = ember.minimum(d_neg, dist(positive, negative))
    return _reduce((margin + d_pos - d_neg).clamp(min=0), reduction)
