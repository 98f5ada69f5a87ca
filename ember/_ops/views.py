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
from ..autograd import grad_mode

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
    from .indexing import TakeRegion, _geometry
    base = view._base
    with grad_mode.enable_grad():
        derived = TakeRegion.apply(base, _geometry(view, base))
    view._requires_grad = True
    view._output_nr = 0
    view.grad_fn = derived._grad_fn  # the setter records the version it now matches
