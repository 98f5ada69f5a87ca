"""``optim.LBFGS``: limited-memory BFGS, optionally with a strong-Wolfe line search.

BFGS approximates the inverse Hessian from the last ``history_size`` pairs
s_k = x_{k+1} - x_k, y_k = g_{k+1} - g_k; the "two-loop recursion" applies that
approximation to the gradient without ever forming a matrix, giving a quasi-Newton
direction d. The step along d is lr (or the first step 1/|g|_1), or the one the strong-Wolfe
line search finds: sufficient decrease f(x + t d) <= f + c1 t g.d and a flat enough slope
|g(x + t d).d| <= c2 |g.d|, bracketing and zooming with cubic interpolation. The arithmetic
follows PyTorch's implementation step for step (float32 vectors and scalars).
"""
import numpy as np

from .._tensor import Tensor
from ..autograd.grad_mode import enable_grad
from .optimizer import Optimizer, _check_tensor_lr, _hyper


def _cubic_interpolate(x1, f1, g1, x2, f2, g2, bounds=None):
    """The minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), kept in bounds."""
    lo, hi = bounds if bounds is not None else ((x1, x2) if x1 <= x2 else (x2, x1))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1 ** 2 - g1 * g2
    if d2_square >= 0:
        d2 = np.sqrt(d2_square)
        if x1 <= x2:
            pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        else:
            pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
        return min(max(pos, lo), hi)
    return (lo + hi) / 2.0


def _strong_wolfe(obj, x, t, d, f, g, gtd, c1=1e-4, c2=0.9, tolerance_change=1e-9, max_ls=25):
    d_norm = np.abs(d).max()
    g = g.copy()
    f_new, g_new = obj(x, t, d)
    evals, gtd_new = 1, g_new.dot(d)
    t_prev, f_prev, g_prev, gtd_prev = 0, f, g, gtd
    done, it = False, 0
    while it < max_ls:  # bracketing phase
        if f_new > (f + c1 * t * gtd) or (it > 1 and f_new >= f_prev):
            bracket, bf, bg, bgtd = [t_prev, t], [f_prev, f_new], [g_prev, g_new.copy()], [gtd_prev, gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd:
            bracket, bf, bg, done = [t], [f_new], [g_new], True
            break
        if gtd_new >= 0:
            bracket, bf, bg, bgtd = [t_prev, t], [f_prev, f_new], [g_prev, g_new.copy()], [gtd_prev, gtd_new]
            break
        tmp = t
        t = _cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, bounds=(t + 0.01 * (t - t_prev), t * 10))
        t_prev, f_prev, g_prev, gtd_prev = tmp, f_new, g_new.copy(), gtd_new
        f_new, g_new = obj(x, t, d)
        evals += 1
        gtd_new = g_new.dot(d)
        it += 1
    if it == max_ls:
        bracket, bf, bg = [0, t], [f, f_new], [g, g_new]
    insuf = False
    low, high = (0, 1) if bf[0] <= bf[-1] else (1, 0)
    while not done and it < max_ls:  # zoom phase
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:
            break
        t = _cubic_interpolate(bracket[0], bf[0], bgtd[0], bracket[1], bf[1], bgtd[1])
        eps = 0.1 * (max(bracket) - min(bracket))
        if min(max(bracket) - t, t - min(bracket)) < eps:
            if insuf or t >= max(bracket) or t <= min(bracket):
                t = max(bracket) - eps if abs(t - max(bracket)) < abs(t - min(bracket)) else min(bracket) + eps
                insuf = False
            else:
                insuf = True
        else:
            insuf = False
        f_new, g_new = obj(x, t, d)
        evals += 1
        gtd_new = g_new.dot(d)
        it += 1
        if f_new > (f + c1 * t * gtd) or f_new >= bf[low]:
            bracket[high], bf[high], bg[high], bgtd[high] = t, f_new, g_new.copy(), gtd_new
            low, high = (0, 1) if bf[0] <= bf[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[high] - bracket[low]) >= 0:
                bracket[high], bf[high], bg[high], bgtd[high] = bracket[low], bf[low], bg[low], bgtd[low]
            bracket[low], bf[low], bg[low], bgtd[low] = t, f_new, g_new.copy(), gtd_new
    return bf[low], bg[low], bracket[low], evals


def _to_state(x):
    """The optimizer's state holds tensors, as PyTorch's does (its state_dict too): the
    working arrays and NumPy scalars of the iteration become tensors sharing their memory."""
    if isinstance(x, list):
        return [_to_state(v) for v in x]
    if isinstance(x, (np.ndarray, np.generic)):
        return Tensor._make(np.asarray(x))
    return x


def _from_state(x):
    """The arrays back from the state (which may also come from PyTorch's state_dict)."""
    if isinstance(x, list):
        return [_from_state(v) for v in x]
    if isinstance(x, Tensor):
        return x._data if x.dim() else x._data[()]
    return x


def _value(loss):
    """The closure's loss as a float. PyTorch reads it under no_grad, where converting a tensor
    that requires grad draws no warning; detaching first keeps ember equally quiet."""
    return float(loss.detach()) if isinstance(loss, Tensor) else float(loss)


class LBFGS(Optimizer):
    """Limited-memory BFGS (see the module docstring); ``step(closure)`` runs up to
    ``max_iter`` iterations, re-evaluating the loss through ``closure``."""

    def __init__(self, params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-7, tolerance_change=1e-9,
                 history_size=100, line_search_fn=None):
        _check_tensor_lr(lr)
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        super().__init__(params, dict(lr=lr, max_iter=max_iter, max_eval=max_eval, tolerance_grad=tolerance_grad,
                                      tolerance_change=tolerance_change, history_size=history_size,
                                      line_search_fn=line_search_fn))
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params = self.param_groups[0]["params"]
        self._numel_cache = None  # (as in PyTorch; ember does not need the cached size)

    def _flat_grad(self):
        return np.concatenate([np.zeros(p._data.size, p._data.dtype) if p._grad is None else
                               p._grad._data.reshape(-1) for p in self._params])

    def _add(self, step, update):
        offset = 0
        for p in self._params:
            n = p._data.size
            p._data += (update[offset:offset + n] * step).reshape(p._data.shape).astype(p._data.dtype)
            p._vc[0] += 1
            offset += n

    def _set(self, values):
        for p, v in zip(self._params, values):
            p._data[...] = v
            p._vc[0] += 1

    def _evaluate(self, closure, x, t, d):
        self._add(t, d)
        loss = _value(closure())
        g = self._flat_grad()
        self._set(x)
        return loss, g

    def step(self, closure):
        group = self.param_groups[0]
        lr, max_iter, max_eval = _hyper(group["lr"]), group["max_iter"], group["max_eval"]
        tol_grad, tol_change = group["tolerance_grad"], group["tolerance_change"]
        history = group["history_size"]

        def evaluate():
            with enable_grad():
                return closure()

        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)
        orig_loss = evaluate()
        loss = _value(orig_loss)
        evals = 1
        state["func_evals"] += 1
        g = self._flat_grad()
        if np.abs(g).max() <= tol_grad:
            return orig_loss
        d, t = _from_state(state.get("d")), _from_state(state.get("t"))
        old_dirs, old_stps = _from_state(state.get("old_dirs")), _from_state(state.get("old_stps"))
        ro, h_diag = _from_state(state.get("ro")), _from_state(state.get("H_diag"))
        prev_g, prev_loss = _from_state(state.get("prev_flat_grad")), state.get("prev_loss")
        al = _from_state(state.get("al"))
        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                d = -g
                old_dirs, old_stps, ro, h_diag = [], [], [], 1
            else:
                y = g - prev_g
                s = d * t
                ys = y.dot(s)
                if ys > 1e-10:
                    if len(old_dirs) == history:
                        old_dirs.pop(0)
                        old_stps.pop(0)
                        ro.pop(0)
                    old_dirs.append(y)
                    old_stps.append(s)
                    ro.append(1.0 / ys)
                    h_diag = ys / y.dot(y)
                if al is None:
                    al = state["al"] = [None] * history
                q = -g
                for i in range(len(old_dirs) - 1, -1, -1):  # the two-loop recursion
                    al[i] = old_stps[i].dot(q) * ro[i]
                    q = q - al[i] * old_dirs[i]
                d = r = q * h_diag
                for i in range(len(old_dirs)):
                    be = old_dirs[i].dot(r) * ro[i]
                    r += old_stps[i] * (al[i] - be)
            prev_g = g.copy()
            prev_loss = loss
            t = min(1.0, 1.0 / np.abs(g).sum()) * lr if state["n_iter"] == 1 else lr
            gtd = g.dot(d)
            if gtd > -tol_change:
                break
            ls_evals = 0
            if group["line_search_fn"] is not None:
                if group["line_search_fn"] != "strong_wolfe":
                    raise RuntimeError("only 'strong_wolfe' is supported")
                x0 = [p._data.copy() for p in self._params]
                loss, g, t, ls_evals = _strong_wolfe(lambda x, t_, d_: self._evaluate(evaluate, x, t_, d_), x0, t, d,
                                                     loss, g, gtd, max_ls=max_eval - evals)
                self._add(t, d)
                opt_cond = np.abs(g).max() <= tol_grad
            else:
                self._add(t, d)
                opt_cond = False
                if n_iter != max_iter:
                    loss = _value(evaluate())
                    g = self._flat_grad()
                    opt_cond = np.abs(g).max() <= tol_grad
                    ls_evals = 1
            evals += ls_evals
            state["func_evals"] += ls_evals
            if n_iter == max_iter or evals >= max_eval or opt_cond:
                break
            if np.abs(d * t).max() <= tol_change or abs(loss - prev_loss) < tol_change:
                break
        if al is not None:
            state["al"] = _to_state(al)
        state.update(d=_to_state(d), t=_to_state(t), old_dirs=_to_state(old_dirs), old_stps=_to_state(old_stps),
                     ro=_to_state(ro), H_diag=_to_state(h_diag), prev_flat_grad=_to_state(prev_g),
                     prev_loss=prev_loss)
        return orig_loss
