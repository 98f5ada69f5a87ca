"""``optim.SGD``: stochastic gradient descent with momentum, dampening and Nesterov."""
import numpy as np

from .._tensor import Tensor
from .optimizer import Optimizer, required, _check_fused, _check_tensor_lr


class SGD(Optimizer):
    """p <- p - lr * d, where g = grad (+ weight_decay * p) and, with momentum mu,

        b <- mu * b + (1 - dampening) * g      (b = g on the first step)
        d = g + mu * b  (Nesterov)   or   d = b

    Momentum averages past gradients so steps keep going along directions that agree."""

    _foreach_rejects_autograd = False  # PyTorch's foreach SGD fails later, at the in-place update

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *,
                 maximize=False, foreach=None, differentiable=False, fused=None):
        _check_tensor_lr(lr)
        if lr is not required and lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                        nesterov=nesterov, maximize=maximize, foreach=foreach, differentiable=differentiable,
                        fused=fused)
        super().__init__(params, defaults)
        _check_fused(fused, foreach, differentiable)

    def __setstate__(self, state):
        super().__setstate__(state)
        self._restore_groups(dict(nesterov=False, maximize=False, foreach=None, differentiable=False, fused=False),
                             scalar_state=())

    def _update_group(self, group):
        lr, mu, damp = group["lr"], group["momentum"], group["dampening"]
        wd, nesterov, maximize = group["weight_decay"], group["nesterov"], group["maximize"]
        items = list(self._grads(group))
        self._check_step_flags(group, [p for p, _ in items])
        for p, g in items:
            x = p._data
            if maximize:
                g = -g
            if wd != 0:
                g = g + wd * x
            if mu != 0:
                state = self.state[p]
                buf = state.get("momentum_buffer")
                if buf is None:
                    buf = state["momentum_buffer"] = Tensor._make(np.array(g, copy=True))
                else:
                    b = buf._data
                    b *= mu
                    b += (1 - damp) * g
                g = g + mu * buf._data if nesterov else buf._data
            x -= lr * g
            p._vc[0] += 1
