"""Loss functions that are single ops (as in PyTorch): negative log-likelihood, MSE, binary
cross-entropy (on probabilities and on logits), smooth L1 and Huber.

Each reduces inside the op ('none', 'mean' or 'sum'), so one node stands for the whole loss.
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
    _array_backward = True

    @staticmethod
    def forward(ctx, logp, target, weight, reduction, ignore_index):
        x = logp._data
        t = target._data
        c_dim = 1 if x.ndim > 1 else 0
        n_classes = x.shape[c_dim]
        lo, hi = (t.min(), t.max()) if t.size else (0, 0)
        if lo <= ignore_index <= hi:  # some targets may be ignored: they count as class 0, weight 0
            valid = t != ignore_index
            safe_t = np.where(valid, t, 0)
            lo, hi = (safe_t[valid].min(), safe_t[valid].max()) if valid.any() else (0, 0)
        else:  # the usual case: every target counts
            valid, safe_t = None, t
        if t.size and (lo < 0 or hi >= n_classes):
            counted = safe_t if valid is None else safe_t[valid]
            raise IndexError(f"Target {counted[(counted < 0) | (counted >= n_classes)][0]} is out of bounds.")
        w = np.ones(n_classes, x.dtype) if weight is None else weight._data
        wt = w[safe_t] if valid is None else w[safe_t] * valid  # per-sample weights
        if x.ndim == 1:
            picked = x[safe_t]
        elif x.ndim == 2:  # (N, C): plain fancy indexing, cheaper than the general form below
            picked = x[np.arange(x.shape[0]), safe_t]
        else:
            picked = np.take_along_axis(x, np.expand_dims(safe_t, 1), axis=1).squeeze(1)
        losses = -picked * wt
        ctx.meta = (x.shape, safe_t, wt, reduction, c_dim, valid)
        if reduction == "none":
            return losses.astype(x.dtype, copy=False)
        total = losses.sum(dtype=x.dtype)
        if reduction == "sum":
            return np.asarray(total)
        denom = wt.sum(dtype=x.dtype)
        ctx.meta += (denom,)
        if denom == 0:
            with np.errstate(invalid="ignore", divide="ignore"):  # every target ignored: nan, silently
                return np.asarray(total / denom, dtype=x.dtype)
        return np.asarray(total / denom, dtype=x.dtype)

    @staticmethod
    def backward(ctx, grad):
        from .._tensor import Tensor
        shape, t, wt, reduction, c_dim, valid = ctx.meta[:6]
        coef = -wt
        if reduction == "mean":
            with np.errstate(invalid="ignore", divide="ignore"):  # all ignored: 0/0, masked below
                coef = coef / ctx.meta[6]
        if valid is not None:  # ignored targets get no gradient at all, as in PyTorch
            coef = np.where(valid, coef, 0)
        arrays = grad.__class__ is np.ndarray
        if arrays:  # first order: the gradient scales the few target entries, not the whole array
            coef = coef * grad
        onehot = np.zeros(shape, wt.dtype)
        if len(shape) == 1:
            onehot[t] = coef
        elif len(shape) == 2:
            onehot[np.arange(shape[0]), t] = coef
        else:
            np.put_along_axis(onehot, np.expand_dims(t, 1), np.expand_dims(coef, 1), axis=1)
        if arrays:
            return onehot, None, None, None, None
        g = grad if reduction != "none" else grad.unsqueeze(c_dim)
        return g * Tensor._make(onehot), None, None, None, None


class MseLoss(Function):
    """loss = (x - y)^2 reduced.   d/dx = 2 (x - y) (divided by N for 'mean'), d/dy = -d/dx."""

    _backward_name = "MseLossBackward0"
    _graph_inputs = 2
    _array_backward = True  # when input and target share a dtype (NumPy promotes otherwise)

    @staticmethod
    def forward(ctx, x, y, reduction):
        ctx.save_for_backward(x, y)
        ctx.reduction = reduction
        if x._data.dtype != y._data.dtype:
            ctx._array_backward = False
        d = _promoted(x, y, "-")
        sq = d * d
        if reduction == "none":
            return sq
        return np.asarray(sq.mean() if reduction == "mean" else sq.sum(), dtype=sq.dtype)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_values
        g = (x - y) * 2 * grad
        if ctx.reduction == "mean":
            g = g / max(int(np.prod(np.broadcast_shapes(x.shape, y.shape))), 1)
        na, nb = ctx.needs_input_grad[:2]
        return (g if na else None), (-g if nb else None), None




def _promoted(x, y, op):
    """``x op y`` on the arrays, computed in PyTorch's promoted dtype (float32 with an integer
    target, where NumPy would pick float64)."""
    from .. import _dtype
    dt = _dtype.result_type(x, y).np
    a, b = x._data.astype(dt, copy=False), y._data.astype(dt, copy=False)
    return a - b if op == "-" else a * b


def _reduced(loss, reduction):
    """The per-element ``loss`` array reduced as asked (the mean of nothing is nan)."""
    if reduction == "none":
        return loss
    with np.errstate(invalid="ignore", divide="ignore"):
        total = loss.mean() if reduction == "mean" else loss.sum()
    return np.asarray(total, dtype=loss.dtype)


def _scaled(grad, reduction, n):
    """The incoming gradient per element: ``grad`` itself for 'none' and 'sum' (it broadcasts),
    divided by the element count for 'mean'."""
    return grad / n if reduction == "mean" else grad


_BCE_EPS = 1e-12


class BinaryCrossEntropy(Function):
    """loss = -w (y log p + (1 - y) log(1 - p)), each log clamped at -100 (so p = 0 or 1 gives a
    large finite loss, as in PyTorch), then reduced.

    dloss/dp = w (p - y) / (p (1 - p)): the derivative of -y log p is -y / p and that of
    -(1 - y) log(1 - p) is (1 - y) / (1 - p), whose sum over the common denominator p (1 - p) is
    (p - y) / (p (1 - p)); PyTorch keeps the denominator at least 1e-12. The loss is linear in
    the target: dloss/dy = w (log(1 - p) - log p). The weight gets no gradient.
    """

    _backward_name = "BinaryCrossEntropyBackward0"
    _graph_inputs = 2

    @staticmethod
    def forward(ctx, p, y, weight, reduction):
        a, t = p._data, y._data
        if not ((a >= 0) & (a <= 1)).all():
            raise RuntimeError("all elements of input should be between 0 and 1")
        if not ((t >= 0) & (t <= 1)).all():
            raise RuntimeError("all elements of target should be between 0 and 1")
        with np.errstate(divide="ignore"):
            log_p = np.maximum(np.log(a), -100)
            log_q = np.maximum(np.log1p(-a), -100)
        loss = (t - 1) * log_q - t * log_p
        if weight is not None:
            loss = loss * weight._data
        ctx.save_for_backward(p, y, weight)
        ctx.reduction, ctx.n = reduction, loss.size
        return _reduced(np.asarray(loss).astype(a.dtype, copy=False), reduction)

    @staticmethod
    def backward(ctx, grad):
        p, y, weight = ctx.saved_tensors
        g = _scaled(grad, ctx.reduction, ctx.n)
        if weight is not None:
            g = g * weight
        gp = gy = None
        if ctx.needs_input_grad[0]:
            gp = g * (p - y) / ((1 - p) * p).clamp(min=_BCE_EPS)
        if ctx.needs_input_grad[1]:
            gy = g * ((-p).log1p().clamp(min=-100) - p.log().clamp(min=-100))
        return gp, gy, None, None


class BinaryCrossEntropyWithLogits(Function):
    """loss = w ((1 - y) x + L softplus(-x)) with L = 1 + (pos_weight - 1) y: the binary cross-entropy
    of p = sigmoid(x), since -log sigmoid(x) = softplus(-x) and -log(1 - sigmoid(x)) = x + softplus(-x).
    softplus(-x) = log1p(e^-|x|) + max(-x, 0) never overflows (the log-sum-exp trick).

    dloss/dx = w (L sigmoid(x) - pos_weight y), which is w (sigmoid(x) - y) without pos_weight:
    d/dx x = 1 and d/dx softplus(-x) = -sigmoid(-x) = sigmoid(x) - 1, and 1 - y - L = -pos_weight y.
    The target gets dloss/dy = w (-x + (pos_weight - 1) softplus(-x)); weight and pos_weight get none.
    """

    _backward_name = "BinaryCrossEntropyWithLogitsBackward0"
    _graph_inputs = 2

    @staticmethod
    def forward(ctx, x, y, weight, pos_weight, reduction):
        from .. import _dtype
        dt = _dtype.result_type(x, y).np  # the loss has the promoted dtype of input and target
        a, t = x._data.astype(dt, copy=False), y._data.astype(dt, copy=False)
        soft = np.log1p(np.exp(-np.abs(a))) + np.maximum(-a, 0)  # softplus(-x) = -log sigmoid(x)
        if pos_weight is not None:
            loss = (1 - t) * a + (1 + (pos_weight._data - 1) * t) * soft
        else:
            loss = (1 - t) * a + soft
        if weight is not None:
            loss = loss * weight._data
        ctx.save_for_backward(x, y, weight, pos_weight)
        ctx.reduction, ctx.n = reduction, loss.size
        return _reduced(np.asarray(loss).astype(dt, copy=False), reduction)

    @staticmethod
    def backward(ctx, grad):
        from .activation import LogSigmoid
        x, y, weight, pos_weight = ctx.saved_tensors
        g = _scaled(grad, ctx.reduction, ctx.n)
        if weight is not None:
            g = g * weight
        gx = gy = None
        if ctx.needs_input_grad[0]:
            if pos_weight is None:
                gx = g * (x.sigmoid() - y)
            else:
                py = pos_weight * y
                gx = g * ((py + 1 - y) * x.sigmoid() - py)
        if ctx.needs_input_grad[1]:
            if pos_weight is None:
                gy = -g * x
            else:
                gy = -g * (x + (pos_weight - 1) * LogSigmoid.apply(x))
        return gx, gy, None, None, None


class SmoothL1Loss(Function):
    """loss = d^2 / (2 beta) where |d| < beta, else |d| - beta / 2, with d = x - y, then reduced.
    dloss/dx = d / beta clamped to [-1, 1], and dloss/dy = -dloss/dx: the quadratic piece has
    derivative d / beta, the linear piece sign(d), and the two meet at |d| = beta."""

    _backward_name = "SmoothL1LossBackward0"
    _graph_inputs = 2

    @staticmethod
    def forward(ctx, x, y, reduction, beta):
        d = _promoted(x, y, "-")
        ad = np.abs(d)
        loss = np.where(ad < beta, 0.5 * d * d / beta, ad - 0.5 * beta)
        ctx.save_for_backward(x, y)
        ctx.reduction, ctx.n, ctx.beta = reduction, loss.size, beta
        return _reduced(np.asarray(loss).astype(d.dtype, copy=False), reduction)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        g = _scaled(grad, ctx.reduction, ctx.n) * ((x - y) * (1 / ctx.beta)).clamp(-1, 1)
        nx, ny = ctx.needs_input_grad[:2]
        return (g if nx else None), (-g if ny else None), None, None


class HuberLoss(Function):
    """loss = d^2 / 2 where |d| < delta, else delta (|d| - delta / 2), with d = x - y, then reduced
    (smooth L1 times delta, with beta = delta).
    dloss/dx = d clamped to [-delta, delta], and dloss/dy = -dloss/dx: the quadratic piece has
    derivative d, the linear piece delta sign(d)."""

    _backward_name = "HuberLossBackward0"
    _graph_inputs = 2

    @staticmethod
    def forward(ctx, x, y, reduction, delta):
        d = _promoted(x, y, "-")
        ad = np.abs(d)
        loss = np.where(ad < delta, 0.5 * d * d, delta * (ad - 0.5 * delta))
        ctx.save_for_backward(x, y)
        ctx.reduction, ctx.n, ctx.delta = reduction, loss.size, delta
        # PyTorch's huber loss has the input's dtype (it is written into an empty_like(input))
        return _reduced(np.asarray(loss).astype(x._data.dtype, copy=False), reduction)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        g = _scaled(grad, ctx.reduction, ctx.n) * (x - y).clamp(-ctx.delta, ctx.delta)
        nx, ny = ctx.needs_input_grad[:2]
        return (g if nx else None), (-g if ny else None), None, None


def _not_differentiable(name, **tensors):
    """PyTorch's error for a weight that requires grad where the op has no gradient for it."""
    from ..autograd import grad_mode
    for arg, t in tensors.items():
        if t is not None and t.requires_grad and grad_mode.is_grad_enabled():
            raise RuntimeError(f"The function '{name}' is not differentiable with respect to argument '{arg}'. "
                               "This input cannot have requires_grad True.")


def bce_with_logits(input, target, weight=None, pos_weight=None, reduction="mean"):
    """``F.binary_cross_entropy_with_logits`` (``reduction`` a string), as one op, after
    PyTorch's checks (its composite kernel's errors, in its order)."""
    from .. import _dtype
    from ._util import check_broadcast
    check_reduction(reduction)
    if target.size() != input.size():
        raise ValueError(f"Target size ({target.size()}) must be the same as input size ({input.size()})")
    word = _dtype.type_word
    if target.dtype.name == "bool":
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
                           "`logical_xor()` operator instead.")
    if not target.dtype.is_floating_point:
        raise RuntimeError(f"result type {word(_dtype.result_type(input, target))} can't be cast to the desired "
                           f"output type {word(target.dtype)}")
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"log_sigmoid_cpu\" not implemented for '{word(input.dtype)}'")
    if pos_weight is not None:
        check_broadcast(tuple(pos_weight.shape), tuple(target.shape))
    if weight is not None:
        check_broadcast(tuple(input.shape), tuple(weight.shape))
        full = tuple(np.broadcast_shapes(tuple(input.shape), tuple(weight.shape)))
        if full != tuple(input.shape):  # PyTorch multiplies the weight in place into the loss
            raise RuntimeError(f"output with shape {list(input.shape)} doesn't match the broadcast shape {list(full)}")
    _not_differentiable("binary_cross_entropy_with_logits", weight=weight, pos_weight=pos_weight)
    return BinaryCrossEntropyWithLogits.apply(input, target, weight, pos_weight, reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, pos_weight=None, reduction=0):
    """``torch.binary_cross_entropy_with_logits``: PyTorch's ATen form, whose ``reduction`` is an int
    (0 'none', the default here, 1 'mean', 2 'sum')."""
    if not isinstance(reduction, int) or isinstance(reduction, bool):
        raise TypeError(f"binary_cross_entropy_with_logits(): argument 'reduction' must be int, not "
                        f"{type(reduction).__name__}")
    _not_differentiable("binary_cross_entropy_with_logits", weight=weight, pos_weight=pos_weight)
    return BinaryCrossEntropyWithLogits.apply(input, target, weight, pos_weight, _REDUCTIONS[reduction])


__all__ = ["binary_cross_entropy_with_logits"]
