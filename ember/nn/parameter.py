"""``nn.Parameter``: a tensor that a Module registers as one of its learnable weights."""
from .._tensor import Tensor


class Parameter(Tensor):
    """A leaf tensor (``requires_grad=True`` by default) that ``Module.__setattr__`` puts in
    ``_parameters``. It shares memory with the tensor it was made from."""

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            from .._ops.creation import empty
            data = empty(0)
        if not isinstance(data, Tensor):
            data.detach()  # PyTorch's first step: anything else fails with this AttributeError
            raise TypeError(f"Parameter data must be a Tensor, got {type(data).__name__}")
        if requires_grad and not (data.dtype.is_floating_point or data.dtype.is_complex):
            # worded differently from Tensor.requires_grad_'s error, as in PyTorch
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        p = data._leaf_on_same_memory(cls)
        if requires_grad:
            p.requires_grad_(True)
        return p

    def __init__(self, data=None, requires_grad=True):
        pass

    def __repr__(self):
        from .._tensor_str import tensor_repr
        return "Parameter containing:\n" + tensor_repr(self)

    def __reduce_ex__(self, proto):
        return (_rebuild_parameter, (self._data.copy(), self._requires_grad))

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        new = Parameter(Tensor._make(self._data.copy()), self._requires_grad)
        memo[id(self)] = new
        return new


def _rebuild_parameter(arr, requires_grad):
    return Parameter(Tensor._make(arr), requires_grad)


class Buffer(Tensor):
    """``nn.Buffer``: marks a tensor to be registered as a module buffer on assignment."""

    def __new__(cls, data=None, *, persistent=True):
        if data is None:
            from .._ops.creation import empty
            data = empty(0)
        if not isinstance(data, Tensor):
            data.detach()  # PyTorch's first step: anything else fails with this AttributeError
            raise TypeError(f"Buffer data must be a Tensor, got {type(data).__name__}")
        b = Tensor.__new__(cls)
        b._data, b._grad, b._grad_fn, b._view, b._output_nr = data._data, None, None, None, 0
        b._vc, b._base, b._meta, b._requires_grad = data._vc, None, None, data._requires_grad
        b.persistent = persistent
        return b

    def __init__(self, data=None, *, persistent=True):
        pass


class UninitializedParameter(Parameter):
    """Lazy modules are not supported by ember."""

    def __new__(cls, *args, **kwargs):
        raise NotImplementedError("torch.nn.parameter.UninitializedParameter (lazy modules) is not supported by ember")
