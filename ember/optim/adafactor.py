"""``optim.Adafactor``: Adam-like steps with a factored second moment (Shazeer & Stern, 2018).

For a matrix gradient G (m x n), instead of a full running mean of G^2 it keeps a row
factor R (mean over each row, m x 1) and a column factor C (1 x n) and estimates
V = R C / mean(R); vectors keep the full running mean. With t the step count:

    1 - beta2_t = t^beta2_decay               (the running means' weight on the new value)
    rho_t = min(lr, 1 / sqrt(t)),  alpha_t = max(eps2, RMS(p)) rho_t
    U = G / sqrt(max(V, eps1^2)),  U <- U / max(1, RMS(U) / d)     (update clipping)
    p <- p (1 - lr wd) - alpha_t U

The arithmetic follows PyTorch's single-tensor implementation operation by operation.
"""
import numpy as np

from .._tensor import Tensor
from .optimizer import Optimizer, _check_tensor_lr, step_tensor


def _norm(x):
    """The 2-norm as a Python float, summed in float64 and rounded to x's dtype (as close
    to PyTorch's float32 norm as one rounding allows)."""
    return float(np.asarray(np.sqrt(np.sum(np.square(x, dtype=np.float64))), x.dtype))


def _mean_square(g, axis):
    """``norm(g, dim=axis, keepdim=True).square_().div_(g.size(axis))``."""
    r = np.sqrt(np.sum(np.square(g, dtype=np.float64), axis=axis, keepdims=True)).astype(g.dtype)
    r *= r
    r /= np.asarray(g.shape[axis], g.dtype)
    return r


def _lerp_(a, b, weight):
    """``a.lerp_(b, weight)`` with PyTorch's two formulas (exact at weight 1)."""
    w = np.asarray(weight, a.dtype)
    if abs(weight) < 0.5:
        a += w * (b - a)
    else:
        a[...] = b - (b - a) * (np.asarray(1, a.dtype) - w)


class Adafactor(Optimizer):
    """Adafactor (see the module docstring). ``eps=(eps1, eps2)``: eps1 (None: the dtype's
    machine epsilon) keeps the variance estimate away from 0, eps2 is the smallest RMS(p)
    that scales the step."""

    def __init__(self, params, lr=1e-2, beta2_decay=-0.8, eps=(None, 1e-3), d=1.0, weight_decay=0.0, *,
                 foreach=None, maximize=False):
        _check_tensor_lr(lr)
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 >= beta2_decay:
            raise ValueError(f"beta2_decay should be <= 0 but is: {beta2_decay}")
        if eps[0] is not None and not 0.0 <= eps[0]:
            raise ValueError(f"epsilon1 should be >= 0 but is: {eps[0]}")
        if not 0.0 <= eps[1]:
            raise ValueError(f"epsilon2 should be >= 0 but is: {eps[1]}")
        if not 1.0 <= d:
            raise ValueError(f"Clipping threshold d should be >= 1 but is: {d}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight_decay should be >= 0 but is: {weight_decay}")
        super().__init__(params, dict(lr=lr, beta2_decay=beta2_decay, eps=eps, d=d, weight_decay=weight_decay,
                                      foreach=foreach, maximize=maximize))

    def __setstate__(self, state):
        super().__setstate__(state)
        self._restore_groups(dict(foreach=None))

    def _update_group(self, group):
        items = []
        for p in group["params"]:
            if p._grad is None:
                continue
            if p.is_complex():
                raise RuntimeError("Adafactor does not support complex parameters")
            items.append((p, p._grad._data))
            state = self.state[p]
            if len(state) == 0:
                state["step"] = step_tensor()
                g = p._grad._data
                if g.ndim > 1:
                    state["row_var"] = Tensor._make(np.zeros(g.shape[:-1] + (1,), g.dtype))
                    state["col_var"] = Tensor._make(np.zeros(g.shape[:-2] + (1,) + g.shape[-1:], g.dtype))
                else:
                    state["variance"] = Tensor._make(np.zeros_like(g))
        lr, beta2_decay, wd, d = group["lr"], group["beta2_decay"], group["weight_decay"], group["d"]
        eps1, eps2 = group["eps"]
        for p, g in items:
            x = p._data
            if group["maximize"]:
                g = -g
            state = self.state[p]
            if eps1 is None:  # (set by the first parameter, then kept for the group, as in PyTorch)
                eps1 = float(np.finfo(x.dtype).eps)
            state["step"]._data += 1
            step = float(state["step"]._data)
            one_minus_beta2 = step ** beta2_decay
            rho = min(lr, 1 / step ** 0.5)
            alpha = max(eps2, _norm(x) / x.size ** 0.5) * rho
            if wd != 0:
                x *= 1 - lr * wd
            if g.ndim > 1:
                row_var, col_var = state["row_var"]._data, state["col_var"]._data
                _lerp_(row_var, _mean_square(g, -1), one_minus_beta2)
                _lerp_(col_var, _mean_square(g, -2), one_minus_beta2)
                var_estimate = row_var @ col_var
                var_estimate /= np.maximum(row_var.mean(axis=-2, keepdims=True), np.asarray(eps1, x.dtype))
            else:
                variance = state["variance"]._data
                _lerp_(variance, g * g, one_minus_beta2)
                var_estimate = variance.copy()
            np.maximum(var_estimate, np.asarray(eps1 * eps1, x.dtype), out=var_estimate)
            update = np.asarray(1, x.dtype) / np.sqrt(var_estimate)
            update *= g
            denom = max(1.0, _norm(update) / (update.size ** 0.5 * d))
            x += np.asarray(-alpha / denom, x.dtype) * update
            p._vc[0] += 1
