"""``torch.compile``: PyTorch traces a model and generates fused kernels for it; the results
are the same numbers as running it eagerly. ember has no compiler, so ``compile`` returns
what runs eagerly -- but in PyTorch's shape: a module comes back wrapped in an
``OptimizedModule`` whose ``_orig_mod`` is the model (so its ``state_dict`` keys carry the
``_orig_mod.`` prefix a compiled PyTorch model's checkpoint has), a function comes back as a
function."""
import functools

from .nn.modules.module import Module


class OptimizedModule(Module):
    """A compiled module: calls ``_orig_mod``; attributes read through to it."""

    def __init__(self, mod):
        super().__init__()
        self._orig_mod = mod

    def forward(self, *args, **kwargs):
        return self._orig_mod(*args, **kwargs)

    def __getattr__(self, name):
        try:
            return super().__getattr__(name)
        except AttributeError:
            return getattr(self._modules["_orig_mod"], name)


def compile(model=None, *, fullgraph=False, dynamic=None, backend="inductor", mode=None, options=None,
            disable=False):
    """``compile(model)`` or ``@compile(...)``: the model, to be run eagerly (see the module
    docstring)."""
    if model is None:
        return functools.partial(compile, fullgraph=fullgraph, dynamic=dynamic, backend=backend, mode=mode,
                                 options=options, disable=disable)
    if disable:
        return model
    if isinstance(model, Module):
        return OptimizedModule(model)
    if not callable(model):
        raise RuntimeError("Invalid argument type: expected a callable (function or nn.Module)")

    @functools.wraps(model)
    def compiled(*args, **kwargs):
        return model(*args, **kwargs)
    return compiled
