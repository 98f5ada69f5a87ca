"""Module backward hooks (``register_full_backward_hook``).

The module's tensor inputs and outputs are passed through an identity ``Function``. The
gradient reaching the output identity is the module's ``grad_output``; the one leaving the
input identity is its ``grad_input``. Hooks see both and may replace ``grad_input``.
"""
from .._tensor import Tensor
from ..autograd.function import Function


class BackwardHookFunction(Function):
    """Identity: out = x, so d out/dx = 1; it exists only to mark a point in the graph."""

    _backward_name = "BackwardHookFunctionBackward"

    @staticmethod
    def forward(ctx, *tensors):
        return tuple(t._data for t in tensors) if len(tensors) > 1 else tensors[0]._data

    @staticmethod
    def backward(ctx, *grads):
        return grads


class BackwardHook:
    def __init__(self, module, hooks, pre_hooks):
        self.module, self.hooks, self.pre_hooks = module, hooks, pre_hooks
        self.grad_outputs = None
        self.n_inputs = 0

    @staticmethod
    def _wrap(values, register):
        """Pass the tensors among ``values`` that require grad through the identity node and
        call ``register(node)``; returns the new values and whether any tensor was wrapped."""
        idx = [i for i, v in enumerate(values) if isinstance(v, Tensor) and v.requires_grad]
        if not idx:
            return values, False
        out = BackwardHookFunction.apply(*(values[i] for i in idx))
        out = out if isinstance(out, tuple) else (out,)
        register(out[0].grad_fn)
        values = list(values)
        for i, o in zip(idx, out):
            values[i] = o
        return tuple(values), True

    def setup_input_hook(self, args):
        self.n_inputs = len(args)
        args, self.has_inputs = self._wrap(args, lambda node: node.register_hook(self._on_input))
        return args

    def setup_output_hook(self, result):
        single = not isinstance(result, tuple)
        values, _ = self._wrap((result,) if single else result,
                               lambda node: node.register_prehook(self._on_output))
        return values[0] if single else values

    def _on_output(self, grad_outputs):
        for hook in self.pre_hooks.values():
            r = hook(self.module, grad_outputs)
            if r is not None:
                grad_outputs = tuple(r)
        self.grad_outputs = grad_outputs
        if not self.has_inputs:
            for hook in self.hooks.values():
                hook(self.module, (None,), self.grad_outputs)
        return grad_outputs

    def _on_input(self, grad_inputs, _grad_outputs):
        for hook in self.hooks.values():
            r = hook(self.module, grad_inputs, self.grad_outputs)
            if r is not None:
                grad_inputs = tuple(r)
        return grad_inputs
