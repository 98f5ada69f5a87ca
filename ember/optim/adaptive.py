"""The other adaptive-rate optimizers: RMSprop, Adagrad, Adadelta, Adamax, NAdam, RAdam,
plus ASGD and Rprop. Each update follows PyTorch's single-tensor implementation operation
by operation (so float32 results agree to rounding), written on the parameters' arrays.
"""

import numpy as np

from .._tensor import Tensor
from .optimizer import Optimizer, step_tensor, _check_fused, _check_tensor_lr


def _zeros_like(x):
    return Tensor._make(np.zeros_like(x))


def _check(*checks):
    """PyTorch's hyperparameter checks, in the order each optimizer makes them: for each
    (what, value, ok), ``ValueError("Invalid <what>: <value>")`` unless ok."""
    for what, value, ok in checks:
        if not ok:
            raise ValueError(f"Invalid {what}: {value}")


def _lr(lr):
    _check_tensor_lr(lr)  # before the range check, as in PyTorch
    return ("learning rate", lr, lr >= 0.0)


def _eps(eps):
    return ("epsilon value", eps, eps >= 0.0)


def _wd(weight_decay):
    return ("weight_decay value", weight_decay, weight_decay >= 0.0)


def _betas(betas):
    return [(f"beta parameter at index {i}", b, 0.0 <= b < 1.0) for i, b in enumerate(betas[:2])]


def _nonneg(name, value):
    return (f"{name} value", value, value >= 0.0)


class _Stepper(Optimizer):
    """Shared loop: per parameter, its gradient (negated for ``maximize``, plus L2 weight
    decay) and its state, initialised on first use by ``_init_state``."""

    _capturable_state = "params and state_steps"
    _group_defaults = dict(foreach=None, maximize=False, differentiable=False, capturable=False)
    _scalar_state = ("step",)

    def __setstate__(self, state):
        super().__setstate__(state)
        self._restore_groups(self._group_defaults, self._scalar_state)

    def _update_group(self, group):
        wd, maximize = group.get("weight_decay", 0), group.get("maximize", False)
        items = list(self._grads(group))
        for p, _ in items:  # PyTorch initialises the group's state before checking its flags
            state = self.state[p]
            if not state:
                self._init_state(state, p._data, group)
        self._check_step_flags(group, [p for p, _ in items])
        for p, g in items:
            x = p._data
            if maximize:
                g = -g
            state = self.state[p]
            state["step"]._data += 1
            if wd != 0 and not group.get("decoupled_weight_decay", False):
                g = g + wd * x
            self._apply(x, g, state, group, float(state["step"]._data))
            p._vc[0] += 1

    def _init_state(self, state, x, group):
        state["step"] = step_tensor()


class RMSprop(_Stepper):
    """v <- alpha v + (1 - alpha) g^2;  p <- p - lr g / (sqrt(v) + eps): each coordinate's step
    is divided by a running RMS of its gradients. ``centered`` subtracts the squared running
    mean of g (an estimate of the variance); ``momentum`` accumulates the scaled steps."""

    _capturable_xla = (True, True)
    _group_defaults = dict(momentum=0, centered=False, **_Stepper._group_defaults)

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False,
                 capturable=False, foreach=None, maximize=False, differentiable=False):
        _check(_lr(lr), _eps(eps), _nonneg("momentum", momentum), _wd(weight_decay), _nonneg("alpha", alpha))
        super().__init__(params, dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
                                      weight_decay=weight_decay, capturable=capturable, foreach=foreach,
                                      maximize=maximize, differentiable=differentiable))

    def _init_state(self, state, x, group):
        super()._init_state(state, x, group)
        state["square_avg"] = _zeros_like(x)
        if group["momentum"] > 0:
            state["momentum_buffer"] = _zeros_like(x)
        if group["centered"]:
            state["grad_avg"] = _zeros_like(x)

    def _apply(self, x, g, state, group, step):
        alpha, eps, lr, mom = group["alpha"], group["eps"], group["lr"], group["momentum"]
        v = state["square_avg"]._data
        v *= alpha
        v += (1 - alpha) * (g * g)
        if group["centered"]:
            m = state["grad_avg"]._data
            m += (1 - alpha) * (g - m)
            avg = np.sqrt(v - m * m) + eps
        else:
            avg = np.sqrt(v) + eps
        if mom > 0:
            buf = state["momentum_buffer"]._data
            buf *= mom
            buf += g / avg
            x -= lr * buf
        else:
            x -= lr * (g / avg)


class Adagrad(_Stepper):
    """s <- s + g^2;  p <- p - lr_t g / (sqrt(s) + eps), lr_t = lr / (1 + (t - 1) lr_decay):
    coordinates that have seen large gradients take ever smaller steps."""

    _capturable_state = None  # Adagrad has no capturable flag
    _group_defaults = dict(foreach=None, maximize=False, differentiable=False, fused=None)

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10,
                 foreach=None, *, maximize=False, differentiable=False, fused=None):
        _check(_lr(lr), _nonneg("lr_decay", lr_decay), _wd(weight_decay),
               _nonneg("initial_accumulator_value", initial_accumulator_value), _eps(eps))
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value, foreach=foreach,
                                      maximize=maximize, differentiable=differentiable, fused=fused))
        _check_fused(fused, foreach, differentiable)
        for group in self.param_groups:  # Adagrad, unlike the others, creates its state up front
            for p in group["params"]:
                self._init_state(self.state[p], p._data, group)

    def _init_state(self, state, x, group):
        state["step"] = step_tensor(fused=bool(group["fused"]))
        state["sum"] = Tensor._make(np.full_like(x, group["initial_accumulator_value"]))

    def _apply(self, x, g, state, group, step):
        clr = group["lr"] / (1 + (step - 1) * group["lr_decay"])
        s = state["sum"]._data
        s += g * g
        x -= clr * (g / (np.sqrt(s) + group["eps"]))


class Adadelta(_Stepper):
    """v <- rho v + (1 - rho) g^2;  d = sqrt(u + eps) / sqrt(v + eps) g;
    u <- rho u + (1 - rho) d^2;  p <- p - lr d: the step has the units of p itself."""

    _capturable_xla = (False, False)

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *, capturable=False,
                 maximize=False, differentiable=False):
        _check(_lr(lr), ("rho value", rho, 0.0 <= rho <= 1.0), _eps(eps), _wd(weight_decay))
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize,
                                      capturable=capturable, foreach=foreach, differentiable=differentiable))

    def _init_state(self, state, x, group):
        super()._init_state(state, x, group)
        state["square_avg"] = _zeros_like(x)
        state["acc_delta"] = _zeros_like(x)

    def _apply(self, x, g, state, group, step):
        rho, eps = group["rho"], group["eps"]
        v, u = state["square_avg"]._data, state["acc_delta"]._data
        v *= rho
        v += (1 - rho) * (g * g)
        std = np.sqrt(v + eps)
        delta = np.sqrt(u + eps) / std * g
        u *= rho
        u += (1 - rho) * (delta * delta)
        x -= group["lr"] * delta


class Adamax(_Stepper):
    """Adam with the infinity norm: u <- max(beta2 u, |g| + eps);
    p <- p - lr / (1 - beta1^t) * m / u."""

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, foreach=None, *,
                 maximize=False, differentiable=False, capturable=False):
        _check(_lr(lr), _eps(eps), *_betas(betas), _wd(weight_decay))
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, foreach=foreach,
                                      maximize=maximize, differentiable=differentiable, capturable=capturable))

    def _init_state(self, state, x, group):
        super()._init_state(state, x, group)
        state["exp_avg"] = _zeros_like(x)
        state["exp_inf"] = _zeros_like(x)

    def _apply(self, x, g, state, group, step):
        (b1, b2), eps, lr = group["betas"], group["eps"], group["lr"]
        m, u = state["exp_avg"]._data, state["exp_inf"]._data
        m += (1 - b1) * (g - m)
        u *= b2
        np.maximum(u, np.abs(g) + eps, out=u)
        x -= (lr / (1 - b1 ** step)) * (m / u)


class NAdam(_Stepper):
    """Adam with Nesterov momentum: the momentum coefficient mu_t = beta1 (1 - 0.5 *
    0.96^(t psi)) warms up, and the step mixes the current gradient and the next momentum."""

    _capturable_state = "params, mu_products and state_steps"
    _capturable_state_foreach = "params, mu_products, and state_steps"
    _group_defaults = dict(maximize=False, foreach=None, capturable=False, differentiable=False,
                           decoupled_weight_decay=False)
    _scalar_state = ("step", "mu_product")

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False):
        _check(_lr(lr), _eps(eps), *_betas(betas), _wd(weight_decay), _nonneg("momentum_decay", momentum_decay))
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      momentum_decay=momentum_decay, decoupled_weight_decay=decoupled_weight_decay,
                                      maximize=maximize, foreach=foreach, capturable=capturable,
                                      differentiable=differentiable))

    def _init_state(self, state, x, group):
        super()._init_state(state, x, group)
        state["mu_product"] = step_tensor(1.0)
        state["exp_avg"] = _zeros_like(x)
        state["exp_avg_sq"] = _zeros_like(x)

    def _apply(self, x, g, state, group, step):
        (b1, b2), eps, lr, wd = group["betas"], group["eps"], group["lr"], group["weight_decay"]
        psi = group["momentum_decay"]
        if wd != 0 and group["decoupled_weight_decay"]:
            x *= 1 - lr * wd
        bias2 = 1 - b2 ** step
        mu = b1 * (1.0 - 0.5 * (0.96 ** (step * psi)))
        mu_next = b1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * psi)))
        mp = state["mu_product"]._data
        mp *= mu
        mu_product = float(mp)
        m, v = state["exp_avg"]._data, state["exp_avg_sq"]._data
        m += (1 - b1) * (g - m)
        v *= b2
        v += (1 - b2) * (g * g)
        denom = np.sqrt(v / bias2) + eps
        x += (-lr * (1.0 - mu) / (1.0 - mu_product)) * (g / denom)
        x += ((-lr * mu_next) / (1.0 - mu_product * mu_next)) * (m / denom)


class RAdam(_Stepper):
    """Rectified Adam: while the variance estimate is unreliable (rho_t <= 5, the first few
    steps) take plain momentum steps; afterwards Adam steps scaled by the rectification
    factor r_t = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))."""

    _group_defaults = dict(foreach=None, maximize=False, differentiable=False, decoupled_weight_decay=False,
                           capturable=False)

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, decoupled_weight_decay=False,
                 *, foreach=None, maximize=False, capturable=False, differentiable=False):
        _check(_lr(lr), _eps(eps), *_betas(betas), _wd(weight_decay))
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, maximize=maximize,
                                      foreach=foreach, capturable=capturable,
                                      decoupled_weight_decay=decoupled_weight_decay, differentiable=differentiable))

    def _init_state(self, state, x, group):
        super()._init_state(state, x, group)
        state["exp_avg"] = _zeros_like(x)
        state["exp_avg_sq"] = _zeros_like(x)

    def _apply(self, x, g, state, group, step):
        (b1, b2), eps, lr, wd = group["betas"], group["eps"], group["lr"], group["weight_decay"]
        if wd != 0 and group["decoupled_weight_decay"]:
            x *= 1 - lr * wd
        m, v = state["exp_avg"]._data, state["exp_avg_sq"]._data
        m += (1 - b1) * (g - m)
        v *= b2
        v += (1 - b2) * (g * g)
        bias1, bias2 = 1 - b1 ** step, 1 - b2 ** step
        corrected = m / bias1
        rho_inf = 2 / (1 - b2) - 1
        rho_t = rho_inf - 2 * step * (b2 ** step) / bias2
        if rho_t > 5.0:
            rect = ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
            adaptive = (bias2 ** 0.5) / (np.sqrt(v) + eps)
            x -= corrected * lr * adaptive * rect
        else:
            x -= corrected * lr


class ASGD(_Stepper):
    """Averaged SGD: p <- p (1 - lambd eta) - eta g, and ``ax`` keeps the running average of p
    once t > t0; eta_t = lr / (1 + lambd lr t)^alpha."""

    _capturable_state = "params, mus, etas, and state_steps"
    _scalar_state = ("step", "eta", "mu")

    def __init__(self, params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0, foreach=None,
                 maximize=False, differentiable=False, capturable=False):
        _check(_lr(lr), _wd(weight_decay))
        super().__init__(params, dict(lr=lr, lambd=lambd, alpha=alpha, t0=t0, weight_decay=weight_decay,
                                      foreach=foreach, maximize=maximize, differentiable=differentiable,
                                      capturable=capturable))

    def _init_state(self, state, x, group):
        super()._init_state(state, x, group)
        state["eta"] = step_tensor(group["lr"])
        state["mu"] = step_tensor(1.0)
        state["ax"] = _zeros_like(x)

    def _apply(self, x, g, state, group, step):
        eta = float(state["eta"]._data)
        x *= 1 - group["lambd"] * eta
        x -= eta * g
        mu = float(state["mu"]._data)
        ax = state["ax"]._data
        if mu != 1:
            ax += (x - ax) * mu
        else:
            ax[...] = x
        state["eta"]._data[...] = group["lr"] / ((1 + group["lambd"] * group["lr"] * step) ** group["alpha"])
        state["mu"]._data[...] = 1 / max(1, step - group["t0"])


class Rprop(_Stepper):
    """Resilient backprop: only the sign of g matters. Each coordinate's step size grows by
    eta+ while the gradient keeps its sign and shrinks by eta- when it flips (and that step
    is skipped)."""

    _capturable_xla = (True, True)

    def __init__(self, params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), *, capturable=False, foreach=None,
                 maximize=False, differentiable=False):
        _check_tensor_lr(lr)
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        super().__init__(params, dict(lr=lr, etas=etas, step_sizes=step_sizes, foreach=foreach, maximize=maximize,
                                      differentiable=differentiable, capturable=capturable))

    def _init_state(self, state, x, group):
        super()._init_state(state, x, group)
        state["prev"] = _zeros_like(x)
        state["step_size"] = Tensor._make(np.full_like(x, group["lr"]))

    def _apply(self, x, g, state, group, step):
        (eta_minus, eta_plus), (lo, hi) = group["etas"], group["step_sizes"]
        prev, size = state["prev"]._data, state["step_size"]._data
        sign = np.sign(g * prev)
        factor = np.where(sign > 0, eta_plus, np.where(sign < 0, eta_minus, 1)).astype(x.dtype)
        size *= factor
        np.clip(size, lo, hi, out=size)
        g = np.where(factor == np.asarray(eta_minus, x.dtype), 0, g).astype(x.dtype)
        x -= np.sign(g) * size
        prev[...] = g
