"""How autograd follows views whose memory changes in place.

A view shares memory with its base, so an in-place op through the base (or through another
view of it) changes the view's values too. The view's recorded history (say SelectBackward0
of the old base) no longer describes them: its values are now a region of the base's *new*
values. So, as in PyTorch, a view remembers the version of its memory when its ``grad_fn``
was set (``Tensor._view``); when the version has moved on, the next look at ``grad_fn``
replaces it with that region of the base (``AsStridedBackward0``, ember's ``TakeRegion``),
and gradients reach the base's current history.

Two kinds of view may not be rebased like that, and PyTorch refuses them by name:

* the pieces of one multi-output view op (split, chunk, unbind): they share one backward
  node, which cannot be rewritten for one piece alone;
* a view made in no_grad mode of a tensor that requires grad: whether a later in-place op
  should be recorded is ambiguous.

Both are refused when modified in place while a graph is recorded, and when their memory was
changed in place through another view (on the next look at ``grad_fn``).
"""
import numpy as np

from .._tensor import Tensor
from ..autograd import grad_mode
from ..autograd.function import Function

__all__ = []  # (no torch.* functions: the nodes below serve in-place ops on views)

_NO_GRAD_HINT = (" Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code "
                 "by moving both the view and the inplace either both inside the no_grad block (if you don't want "
                 "the inplace to be tracked) or both outside (if you want the inplace to be tracked).")
_MULTI_HINT = (" This view is the output of a function that returns multiple views. Such functions do not allow "
               "the output views to be modified inplace. You should replace the inplace operation by an "
               "out-of-place one.")


def _refusal(creation, what):
    """PyTorch's error for rebasing a view that may not be rebased; ``what`` says which
    in-place change: the view's own, or one through its base."""
    if creation == "no_grad":
        return RuntimeError(f"A view was created in no_grad mode and {what} with grad mode enabled." + _NO_GRAD_HINT)
    name, i = creation
    return RuntimeError(f"Output {i} of {name} is a view and {what}." + _MULTI_HINT)


def check_inplace(view):
    """Before an in-place op records a graph on ``view``: refuse the views of the module
    docstring."""
    creation = view._view[1] if view._view is not None else None
    if creation is not None:
        raise _refusal(creation, "is being modified inplace")


def regenerate(view):
    """Give ``view`` the history of its region of the base's current values."""
    creation = view._view[1]
    if creation is not None:
        raise _refusal(creation, "its base or another view of its base has been modified inplace")
    base = view._base
    with grad_mode.enable_grad():
        derived = TakeRegion.apply(base, _geometry(view, base))
    view._requires_grad = True
    view._output_nr = 0
    view.grad_fn = derived._grad_fn  # the setter records the version it now matches


# --- in-place ops on views (PyTorch's CopySlices) ----------------------------------------------------
class TakeRegion(Function):
    """y = the elements of x at a strided region (offset, shape, strides in elements of the
    row-major x).   Its gradient puts dL/dy back into that region of zeros."""

    _backward_name = "AsStridedBackward0"

    @staticmethod
    def forward(ctx, x, geom):
        ctx.meta = (x._data.shape, geom)
        return _region(np.ascontiguousarray(x._data), geom).copy()

    @staticmethod
    def backward(ctx, g):
        shape, geom = ctx.meta
        return PutRegion.apply(g, shape, geom), None


class PutRegion(Function):
    """zeros(shape) with g at the region; the adjoint of TakeRegion."""

    _backward_name = "AsStridedBackwardBackward0"

    @staticmethod
    def forward(ctx, g, shape, geom):
        out = np.zeros(shape, g._data.dtype)
        _region(out, geom)[...] = g._data
        ctx.geom = geom
        return out

    @staticmethod
    def backward(ctx, gg):
        return TakeRegion.apply(gg, ctx.geom), None, None


class ScatterRegion(Function):
    """y = base with its region replaced by r (an in-place op on a view, seen from the base).
    dL/dbase = dL/dy with the region zeroed;  dL/dr = dL/dy at the region."""

    _backward_name = "CopySlices"

    @staticmethod
    def forward(ctx, base, r, geom):
        out = np.ascontiguousarray(base._data).copy()
        _region(out, geom)[...] = r._data
        ctx.geom = geom
        return out

    @staticmethod
    def backward(ctx, g):
        geom = ctx.geom
        nb, nr = ctx.needs_input_grad[:2]
        gr = TakeRegion.apply(g, geom) if (nr or nb) else None
        gb = g - PutRegion.apply(gr, tuple(g.shape), geom) if nb else None
        return gb, (gr if nr else None), None


def _region(arr, geom):
    offset, shape, strides = geom
    item = arr.itemsize
    flat = arr.reshape(-1)
    return np.lib.stride_tricks.as_strided(flat[offset:], shape, tuple(s * item for s in strides))


def _geometry(view, base):
    """Where ``view``'s elements sit in ``base``'s (row-major) memory."""
    v, b = view._data, base._data
    if not b.flags.c_contiguous:
        raise NotImplementedError("in-place operations on views of non-contiguous tensors that require grad are "
                                  "not supported by ember; call .contiguous() first")
    item = b.itemsize
    offset = (v.__array_interface__["data"][0] - b.__array_interface__["data"][0]) // item
    return offset, v.shape, tuple(s // item for s in v.strides)


VIEW_OF_LEAF = "a view of a leaf Variable that requires grad is being used in an in-place operation."


def inplace_on_view(view, op, args, kwargs):
    """Record ``op_`` applied to a view: the base gets a new history (ScatterRegion of the old
    base and the op's result) and the view is re-derived from the base (TakeRegion)."""
    base = view._base
    if base.grad_fn is None and (base._requires_grad or view._requires_grad):
        # the leaf would silently become a non-leaf (PyTorch asks only that the view requires
        # grad and its base be a leaf: a leaf made from a view, reshape().requires_grad_(), too)
        raise RuntimeError(VIEW_OF_LEAF)
    geom = _geometry(view, base)
    old = TakeRegion.apply(base, geom) if base._requires_grad else Tensor._make(view._data.copy())
    r = op(old, *args, **kwargs)
    if r._data.dtype != view._data.dtype:
        from ._util import check_inplace_dtype
        check_inplace_dtype(view, r.dtype)
        r = r.to(view.dtype)
    new_base = ScatterRegion.apply(base, r, geom)
    np.copyto(base._data, new_base._data)
    base._vc[0] += 1
    base.grad_fn, base._output_nr, base._requires_grad = new_base.grad_fn, 0, new_base._requires_grad
    derived = TakeRegion.apply(base, geom)
    view.grad_fn, view._output_nr, view._requires_grad = derived.grad_fn, 0, derived._requires_grad
    return view
