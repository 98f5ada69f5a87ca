"""``Variable``: the pre-0.4 wrapper, today just a name for Tensor (old tutorials use it)."""


def Variable(data, requires_grad=False, volatile=False):
    """Return ``data`` itself with ``requires_grad`` set, as PyTorch's Variable now does."""
    from .._tensor import Tensor
    if not isinstance(data, Tensor):
        raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
    if requires_grad:
        data.requires_grad_(True)
    return data
