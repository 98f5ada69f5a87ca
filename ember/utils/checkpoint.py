"""``torch.utils.checkpoint``: trade compute for memory by not keeping a block's activations.

``checkpoint(fn, *args, use_reentrant=True)`` runs ``fn`` without recording a graph, so none
of its intermediate tensors are kept; the backward pass runs ``fn`` again, this time
recording, and backpropagates through that fresh graph. The generator state is saved before
the first run and restored for the second (``preserve_rng_state``), so dropout draws the same
masks and the gradients are exactly those of the unchecked block.

``use_reentrant=False`` is PyTorch's newer form, which keeps the ordinary graph (so
``grad_fn`` shows the block's last op) and recomputes saved tensors through saved-tensor
hooks. ember has no such hooks: in that mode it records the graph as usual, which gives the
same outputs, gradients and ``grad_fn`` but not the memory saving.
"""
import warnings

from .. import _random
from ..autograd import backward as _backward
from ..autograd.function import Function
from ..autograd.grad_mode import enable_grad, no_grad

__all__ = ["checkpoint", "checkpoint_sequential"]


class CheckpointFunction(Function):
    """out = fn(*args), recomputed for backward.   d out/d args is the gradient of fn itself:
    backward reruns fn with the saved generator state and propagates through that graph."""

    @staticmethod
    def forward(ctx, fn, preserve_rng_state, *args):
        ctx.fn, ctx.args = fn, args
        ctx.rng_state = _random.get_rng_state() if preserve_rng_state else None
        with no_grad():
            return fn(*args)

    @staticmethod
    def backward(ctx, *grads):
        from .._tensor import Tensor
        inputs = [a.detach().requires_grad_(a.requires_grad) if isinstance(a, Tensor) else a for a in ctx.args]
        saved = None
        if ctx.rng_state is not None:
            saved = _random.get_rng_state()
            _random.set_rng_state(ctx.rng_state)
        try:
            with enable_grad():
                outputs = ctx.fn(*inputs)
        finally:
            if saved is not None:
                _random.set_rng_state(saved)
        outputs = outputs if isinstance(outputs, tuple) else (outputs,)
        pairs = [(o, g) for o, g in zip(outputs, grads) if isinstance(o, Tensor) and o.requires_grad]
        if pairs:
            _backward([o for o, _ in pairs], [g for _, g in pairs])
        return (None, None) + tuple(a.grad if isinstance(a, Tensor) and a.requires_grad else None for a in inputs)


def checkpoint(function, *args, use_reentrant=None, context_fn=None, determinism_check="default", debug=False,
               preserve_rng_state=True, **kwargs):
    """``function(*args, **kwargs)`` without keeping its activations (see the module docstring)."""
    from .._tensor import Tensor
    if use_reentrant is None:
        warnings.warn("torch.utils.checkpoint: the use_reentrant parameter should be passed explicitly. Starting in "
                      "PyTorch 2.9, calling checkpoint without use_reentrant will raise an exception. "
                      "use_reentrant=False is recommended, but if you need to preserve the current default behavior, "
                      "you can pass use_reentrant=True. Refer to docs for more details on the differences between the "
                      "two variants.")
        use_reentrant = True
    if not use_reentrant:
        return function(*args, **kwargs)
    if kwargs:
        raise ValueError("Unexpected keyword arguments: " + ",".join(kwargs))
    if not any(isinstance(a, Tensor) and a.requires_grad for a in args):
        warnings.warn("None of the inputs have requires_grad=True. Gradients will be None")
    return CheckpointFunction.apply(function, preserve_rng_state, *args)


def checkpoint_sequential(functions, segments, input, use_reentrant=None, **kwargs):
    """Run ``functions`` (a Sequential or list of modules) in ``segments`` chunks, each one
    checkpointed except the last, as PyTorch does."""
    if isinstance(functions, (list, tuple)):
        functions = list(functions)
    else:
        functions = list(functions.children())
    size = len(functions) // segments

    def run(start, end):
        def forward(x):
            for f in functions[start:end + 1]:
                x = f(x)
            return x
        return forward

    end = -1
    for start in range(0, size * (segments - 1), size):
        end = start + size - 1
        input = checkpoint(run(start, end), input, use_reentrant=use_reentrant, **kwargs)
    return run(end + 1, len(functions) - 1)(input)
