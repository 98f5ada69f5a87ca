"""``ember.autograd``: reverse-mode automatic differentiation (PyTorch's ``torch.autograd``).

See ``docs/autograd.md`` for how the pieces fit: ``function.py`` (ops as Function
subclasses, the graph nodes), ``engine.py`` (the backward pass), ``grad_mode.py``.
"""
import numpy as np

from .._size import Size
from .grad_mode import (no_grad, enable_grad, set_grad_enabled, inference_mode, is_grad_enabled,
                        is_inference_mode_enabled)
from .function import Function, once_differentiable, BackwardCFunction as _BackwardCFunction
from .function import FunctionMeta as _FunctionMeta
from . import function, grad_mode, engine
from .engine import run_backward as _run_backward


def _tensors(x, what):
    if isinstance(x, function.Tensor):
        return (x,)
    if isinstance(x, (tuple, list)):
        return tuple(x)
    if x is None:
        return ()
    raise TypeError(f"{what} must be a Tensor or a sequence of Tensors, got {type(x).__name__}")


def _make_grads(outputs, grad_outputs):
    Tensor = function.Tensor
    grads = []
    for i, (out, g) in enumerate(zip(outputs, grad_outputs)):
        if g is None:
            if out._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if out._data.dtype.kind != "f":
                raise RuntimeError(f"grad can be implicitly created only for real scalar outputs but got "
                                   f"{out.dtype}")
            one = np.empty(out._data.shape, out._data.dtype)  # (np.ones costs ten times more)
            one.fill(1)
            g = Tensor._make(one)
        elif not isinstance(g, Tensor):
            g = Tensor._make(np.full(out._data.shape, g, out._data.dtype))
        elif g._data.shape != out._data.shape:
            raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of {Size(g._data.shape)} "
                               f"and output[{i}] has a shape of {Size(out._data.shape)}.")
        grads.append(g)
    return grads


def _check_requires_grad(outputs):
    for i, t in enumerate(outputs):
        if not t._requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, grad_variables=None,
             inputs=None):
    """Accumulate into ``.grad`` of the graph's leaves the gradients of ``tensors``."""
    tensors = _tensors(tensors, "tensors")
    if grad_tensors is None:
        grad_tensors = grad_variables
    grad_tensors = _tensors(grad_tensors, "grad_tensors") if grad_tensors is not None else (None,) * len(tensors)
    if len(grad_tensors) != len(tensors):
        raise RuntimeError(f"grad_tensors has {len(grad_tensors)} elements but tensors has {len(tensors)}")
    if retain_graph is None:
        retain_graph = create_graph
    if inputs is not None:
        inputs = _tensors(inputs, "inputs")
        if len(inputs) == 0:
            raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    _check_requires_grad(tensors)
    grads = _make_grads(tensors, grad_tensors)
    _run_backward(tensors, grads, retain_graph, create_graph, inputs=inputs, allow_unused=True,
                  accumulate=True)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, only_inputs=True,
         allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """Return the gradients of ``outputs`` with respect to ``inputs`` (nothing is accumulated)."""
    if is_grads_batched:
        raise NotImplementedError("torch.autograd.grad(is_grads_batched=True) is not supported by ember")
    single_input = not isinstance(inputs, (tuple, list))
    outputs = _tensors(outputs, "outputs")
    inputs = _tensors(inputs, "inputs")
    if allow_unused is None:
        allow_unused = materialize_grads
    if materialize_grads and allow_unused is False:
        raise ValueError("Expected allow_unused to be True or not passed when materialize_grads=True, "
                         "but got: allow_unused=False.")
    grad_outputs = _tensors(grad_outputs, "grad_outputs") if grad_outputs is not None else (None,) * len(outputs)
    if len(grad_outputs) != len(outputs):
        raise RuntimeError(f"grad requires one grad_output per output: got {len(grad_outputs)} for "
                           f"{len(outputs)} outputs")
    if retain_graph is None:
        retain_graph = create_graph
    for t in inputs:
        if not t._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    _check_requires_grad(outputs)
    grads = _make_grads(outputs, grad_outputs)
    result = _run_backward(outputs, grads, retain_graph, create_graph, inputs=inputs,
                           allow_unused=allow_unused, accumulate=False)
    if materialize_grads:
        from .._ops.creation import zeros_like
        result = [zeros_like(i) if r is None else r for r, i in zip(result, inputs)]
    return tuple(result)


from .gradcheck import gradcheck, gradgradcheck  # noqa: E402
from .anomaly_mode import detect_anomaly, set_detect_anomaly  # noqa: E402
from . import forward_ad  # noqa: E402,F401
from .variable import Variable  # noqa: E402
from . import profiler  # noqa: E402,F401

from .._missing import module_getattr as _module_getattr  # noqa: E402
__getattr__ = _module_getattr("torch.autograd")
