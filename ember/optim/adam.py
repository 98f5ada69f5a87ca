"""``optim.Adam`` and ``optim.AdamW``."""
import numpy as np

from .._tensor import Tensor
from .optimizer import Optimizer, step_tensor, _check_fused


class Adam(Optimizer):
    """Adaptive moments. With g the gradient and t the step count:

        m <- beta1 m + (1 - beta1) g          (mean of gradients)
        v <- beta2 v + (1 - beta2) g^2        (mean of squared gradients)
        p <- p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)

    The (1 - beta^t) factors undo the bias of m and v towards their zero start. Each
    coordinate's step is scaled by its own gradient size, so all move at a similar pace.
    ``weight_decay`` adds wd * p to g (L2); AdamW instead shrinks p by (1 - lr * wd) directly.
    """

    _decoupled = False
    _capturable_state = "params and state_steps"

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, *,
                 foreach=None, maximize=False, capturable=False, differentiable=False, fused=None,
                 decoupled_weight_decay=None):
        if isinstance(lr, Tensor):
            if foreach and not capturable:
                raise ValueError("lr as a Tensor is not supported for capturable=False and foreach=True")
            if lr.numel() != 1:
                raise ValueError("Tensor lr must be 1-element")
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if eps < 0.0:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not (all(isinstance(b, float) for b in betas[:2]) or all(isinstance(b, Tensor) for b in betas[:2])):
            raise ValueError("betas must be either both floats or both Tensors")
        for i, b in enumerate(betas[:2]):
            if isinstance(b, Tensor):
                if not capturable and foreach:
                    raise ValueError(f"betas[{i}] as a Tensor is not supported for capturable=False and foreach=True")
                if b.numel() != 1:
                    raise ValueError(f"Tensor betas[{i}] must be 1-element")
        # stored as a tuple (PyTorch prints a list of betas as one), 1-element tensors as 0-d ones
        betas = tuple(b.squeeze() if isinstance(b, Tensor) and b.dim() != 0 else b for b in betas)
        decoupled = self._decoupled if decoupled_weight_decay is None else decoupled_weight_decay
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                        maximize=maximize, foreach=foreach, capturable=capturable, differentiable=differentiable,
                        fused=fused, decoupled_weight_decay=decoupled)
        super().__init__(params, defaults)
        _check_fused(fused, foreach, differentiable)

    def __setstate__(self, state):
        super().__setstate__(state)
        self._restore_groups(dict(amsgrad=False, maximize=False, foreach=None, capturable=False, differentiable=False,
                                  decoupled_weight_decay=False, fused=None))
        if self._decoupled:  # AdamW is always decoupled
            for group in self.param_groups:
                group["decoupled_weight_decay"] = True

    def _update_group(self, group):
        lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
        wd, amsgrad, maximize = group["weight_decay"], group["amsgrad"], group["maximize"]
        decoupled = group.get("decoupled_weight_decay", False)
        items = list(self._grads(group))
        for p, _ in items:
            state = self.state[p]
            if not state:
                x = p._data
                state["step"] = step_tensor(fused=bool(group["fused"]))
                state["exp_avg"] = Tensor._make(np.zeros_like(x))
                state["exp_avg_sq"] = Tensor._make(np.zeros_like(x))
                if amsgrad:
                    state["max_exp_avg_sq"] = Tensor._make(np.zeros_like(x))
        self._check_step_flags(group, [p for p, _ in items])
        for p, g in items:
            x = p._data
            if maximize:
                g = -g
            state = self.state[p]
            state["step"]._data += 1
            step = float(state["step"]._data)
            if wd != 0:
                if decoupled:
                    x *= 1 - lr * wd
                else:
                    g = g + wd * x
            m, v = state["exp_avg"]._data, state["exp_avg_sq"]._data
            # one scratch array carries every intermediate: fresh arrays for each of them
            # cost more than the arithmetic (the operations and their order are unchanged)
            tmp = np.subtract(g, m)
            tmp *= 1 - beta1
            m += tmp                            # lerp towards g
            v *= beta2
            np.multiply(g, g, out=tmp)
            tmp *= 1 - beta2
            v += tmp
            bias1 = 1 - beta1 ** step
            bias2_sqrt = (1 - beta2 ** step) ** 0.5
            if amsgrad:
                vmax = state["max_exp_avg_sq"]._data
                np.maximum(vmax, v, out=vmax)
                np.sqrt(vmax, out=tmp)
            else:
                np.sqrt(v, out=tmp)
            tmp /= bias2_sqrt
            tmp += eps                          # the denominator
            np.divide(m, tmp, out=tmp)
            tmp *= lr / bias1
            x -= tmp
            p._vc[0] += 1


class AdamW(Adam):
    """Adam with decoupled weight decay: p <- p (1 - lr wd) before the Adam step."""

    _decoupled = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False, *,
                 maximize=False, foreach=None, capturable=False, differentiable=False, fused=None):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach, maximize=maximize,
                         capturable=capturable, differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)
