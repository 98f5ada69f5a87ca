"""Loss functions that are single ops (as in PyTorch): negative log-likelihood and MSE.

The other losses of ``nn.functional`` are compositions of ordinary ops, so autograd derives
their gradients without a formula of their own.
"""
import numpy as np

from ..autograd.function import Function

_REDUCTIONS = ("none", "mean", "sum")


def check_reduction(reduction):
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")


class NllLoss(Function):
    """loss_i = -w[t_i] * logp[i, t_i] (zero where t_i == ignore_index); 'mean' divides the
    sum by sum_i w[t_i] over the counted samples.

    d loss_i / d logp[i, c] = -w[t_i] if c == t_i else 0: the gradient is a scatter of
    -w[t] (divided by the weight total for 'mean') into the target positions.
    """

    _backward_name = "NllLossBackward0"

    @staticmethod
    def forward(ctx, logp, target, weight, reduction, ignore_index):
        x = logp._data
        t = target._data
        c_dim = 1 if x.ndim > 1 else 0
        n_classes = x.shape[c_dim]
        valid = t != ignore_index
        safe_t = np.where(valid, t, 0)
        if valid.any() and (safe_t[valid].min() < 0 or safe_t[valid].max() >= n_classes):
            bad = safe_t[valid][(safe_t[valid] < 0) | (safe_t[valid] >= n_classes)][0]
            raise IndexError(f"Target {bad} is out of bounds.")
        w = np.ones(n_classes, x.dtype) if weight is None else weight._data
        wt = w[safe_t] * valid  # per-sample weights
        if x.ndim == 1:
            picked = x[safe_t]
        else:
            picked = np.take_along_axis(x, np.expand_dims(safe_t, 1), axis=1).squeeze(1)
        losses = -picked * wt
        ctx.meta = (x.shape, safe_t, wt, reduction, c_dim)
        if reduction == "none":
            return losses.astype(x.dtype, copy=False)
        total = losses.sum(dtype=x.dtype)
        if reduction == "sum":
            return np.asarray(total)
        denom = wt.sum(dtype=x.dtype)
        ctx.meta += (denom,)
        return np.asarray(total / denom, dtype=x.dtype)

    @staticmethod
    def backward(ctx, grad):
        from .._tensor import Tensor
        shape, t, wt, reduction, c_dim = ctx.meta[:5]
        coef = -wt
        if reduction == "mean":
            coef = coef / ctx.meta[5]
        onehot = np.zeros(shape, wt.dtype)
        if len(shape) == 1:
            onehot[t] = coef
        else:
            np.put_along_axis(onehot, np.expand_dims(t, 1), np.expand_dims(coef, 1), axis=1)
        g = grad if reduction != "none" else grad.unsqueeze(c_dim)
        return g * Tensor._make(onehot), None, None, None, None


class MseLoss(Function):
    """loss = (x - y)^2 reduced.   d/dx = 2 (x - y) (divided by N for 'mean'), d/dy = -d/dx."""

    _backward_name = "MseLossBackward0"

    @staticmethod
    def forward(ctx, x, y, reduction):
        ctx.save_for_backward(x, y)
        ctx.reduction = reduction
        d = x._data - y._data
        sq = d * d
        if reduction == "none":
            return sq
        return np.asarray(sq.mean() if reduction == "mean" else sq.sum(), dtype=sq.dtype)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        g = (x - y) * 2 * grad
        if ctx.reduction == "mean":
            g = g / max(int(np.prod(np.broadcast_shapes(x._data.shape, y._data.shape))), 1)
        na, nb = ctx.needs_input_grad[:2]
        return (g if na else None), (-g if nb else None), None


__all__ = []
