"""Views and shape operations: view, reshape, expand, permute, transpose, squeeze, ...

A view op returns a NumPy view of its input's array, so the two share memory exactly as
PyTorch views share storage; ``as_view`` also makes the output share the input's version
counter and remember its base. The backward of a shape op is the inverse shape op applied to
the gradient (reshape back, permute by the inverse permutation, sum an expansion back down).
"""
import itertools
import math

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _legacy_type_name
from ..autograd import grad_mode
from ..autograd.function import Function
from ._arguments import int_list, invalid_combination, is_int, one_int, size_args
from ._util import methods, normalize_dim

_grad = grad_mode._state


def as_view(out, src):
    """Mark ``out`` as a view of ``src``: shared version counter, common base, and the
    version it matches (see ``views.py``). A view made in no_grad mode of a tensor that
    requires grad requires grad too, as in PyTorch, with no history (a leaf)."""
    v = src._vc
    out._vc = v
    out._base = src if src._base is None else src._base
    if src._requires_grad and not _grad[0]:
        out._requires_grad = True
        out._view = (v[0], "no_grad")
    else:
        out._view = (v[0], None)
    return out


def infer_size(shape, numel):
    """Resolve one ``-1`` in ``shape`` for ``numel`` elements, with PyTorch's errors."""
    shape = list(shape)
    neg = [i for i, s in enumerate(shape) if s == -1]
    if len(neg) > 1:
        raise RuntimeError("only one dimension can be inferred")
    for i, s in enumerate(shape):
        if s < -1:
            raise RuntimeError(f"invalid shape dimension {s} at index {i} of shape {_fmt(shape)}")
    known = math.prod(s for s in shape if s != -1)
    if neg:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{_fmt(shape)}' is invalid for input of size {numel}")
        shape[neg[0]] = numel // known
    elif known != numel:
        raise RuntimeError(f"shape '{_fmt(shape)}' is invalid for input of size {numel}")
    return tuple(shape)


def _fmt(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _type_str(t):
    """How PyTorch's shape errors name a tensor's type: ``torch.FloatTensor``, but
    ``CPUBoolType`` for bool."""
    return "CPUBoolType" if t._data.dtype == np.bool_ else _legacy_type_name(t)


class View(Function):
    """out = x with a new shape, same memory.   The gradient is reshaped back."""

    _backward_name = "ViewBackward0"
    _array_backward = True

    @staticmethod
    def forward(ctx, x, shape):
        a = x._data
        ctx.in_shape = a.shape
        try:
            return np.reshape(a, shape, copy=False)
        except ValueError:
            raise RuntimeError("view size is not compatible with input tensor's size and stride (at least one "
                               "dimension spans across two contiguous subspaces). Use .reshape(...) "
                               "instead.") from None

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.in_shape), None


class UnsafeView(Function):
    """out = x reshaped into new memory (a reshape that no view of x's memory can describe,
    or an op's fresh result given its final shape).   Reshaping moves no value, so the
    gradient is the output's gradient reshaped back to x's shape."""

    _backward_name = "UnsafeViewBackward0"
    _array_backward = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.in_shape = x._data.shape
        return np.reshape(x._data, shape)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.in_shape), None


_VIEW_SIGNATURES = ("torch.dtype dtype", "tuple of ints size")


def view(self, *shape, **kwargs):
    """The same memory seen with another shape (one size may be -1): ``view(2, 3)``,
    ``view((2, 3))``, ``view(size=...)``; or reinterpreted as another dtype: ``view(dtype)``."""
    if len(shape) == 1 and not kwargs and shape[0].__class__ is _dtype.dtype:
        return _view_dtype(self, shape[0])
    if not shape and list(kwargs) == ["dtype"]:
        if kwargs["dtype"].__class__ is not _dtype.dtype:
            raise invalid_combination("view", shape, kwargs, _VIEW_SIGNATURES)
        return _view_dtype(self, kwargs["dtype"])
    shape = infer_size(size_args("view", "size", shape, kwargs, signatures=_VIEW_SIGNATURES), self._data.size)
    return as_view(View.apply(self, shape), self)


def _view_dtype(self, d):
    """The same bytes read as dtype ``d``. With a different element size the last dim (which
    must be contiguous) is regrouped: ``n`` elements of ``b`` bytes become ``n * b / b'``
    elements of ``b'`` bytes; PyTorch also checks that the offset and every other stride
    split evenly into the new elements. Reinterpreting bits is not differentiable (the result
    has no history)."""
    a = self._data
    old, new = a.itemsize, d.itemsize
    if old != new:
        why = (f"to view {_dtype.type_word(a.dtype)} as {_dtype.type_word(d)} (different element sizes)")
        if a.ndim == 0:
            raise RuntimeError(f"self.dim() cannot be 0 {why}")
        strides = self.stride()
        if strides[-1] != 1:
            raise RuntimeError(f"self.stride(-1) must be 1 {why}, but got {strides[-1]}")
        if new > old:
            r = new // old
            if a.shape[-1] % r:
                raise RuntimeError(f"self.size(-1) must be divisible by {r} {why}, but got {a.shape[-1]}")
            if self.storage_offset() % r:
                raise RuntimeError(f"self.storage_offset() must be divisible by {r} {why}, but got "
                                   f"{self.storage_offset()}")
            for i, st in enumerate(strides[:-1]):
                if st % r:
                    raise RuntimeError(f"self.stride({i}) must be divisible by {r} {why}, but got {st}")
    # NumPy regroups the bytes of a contiguous last axis itself
    return as_view(Tensor._make(a.view(d.np)), self)


def reshape(input, *shape, **kwargs):
    """A tensor with the given shape: a view when the memory allows, else a copy."""
    shape = infer_size(size_args("reshape", "shape", shape, kwargs), input._data.size)
    a = input._data
    try:
        np.reshape(a, shape, copy=False)
    except ValueError:
        return UnsafeView.apply(input, shape)
    return as_view(View.apply(input, shape), input)


def view_as(self, other):
    return view(self, other._data.shape)


def reshape_as(self, other):
    return reshape(self, other._data.shape)


def flatten(input, start_dim=0, end_dim=-1):
    """Merge dims ``start_dim..end_dim`` into one."""
    a = input._data
    if a.ndim == 0:
        return reshape(input, 1)
    s = normalize_dim(start_dim, a.ndim)
    e = normalize_dim(end_dim, a.ndim)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return input
    shape = a.shape[:s] + (math.prod(a.shape[s:e + 1]),) + a.shape[e + 1:]
    return reshape(input, shape)


class Expand(Function):
    """out = x broadcast to a larger shape (no copy).   Each input element feeds every copy
    of itself, so its gradient is the sum over the copies: ``sum_to_size``."""

    _backward_name = "ExpandBackward0"

    @staticmethod
    def forward(ctx, x, shape):
        ctx.in_shape = x._data.shape
        return np.broadcast_to(x._data, shape)

    @staticmethod
    def backward(ctx, grad):
        return grad.sum_to_size(ctx.in_shape), None


def expand(self, *sizes, implicit=False, **kwargs):
    """Broadcast to ``sizes`` (``-1`` keeps a dim) without copying."""
    sizes = size_args("expand", "size", sizes, kwargs)
    a = self._data
    if len(sizes) < a.ndim:
        raise RuntimeError(f"expand({_type_str(self)}{{{list(a.shape)}}}, size={list(sizes)}): the number of sizes "
                           "provided (" + str(len(sizes)) + ") must be greater or equal to the number of dimensions "
                           f"in the tensor ({a.ndim})")
    lead = len(sizes) - a.ndim
    shape = list(sizes)
    for i in reversed(range(len(sizes))):  # from the last dim, as PyTorch checks (and reports) them
        s = sizes[i]
        if i < lead:
            if s < 0:
                raise RuntimeError(f"The expanded size of the tensor ({s}) isn't allowed in a leading, "
                                   f"non-existing dimension {i}")
            continue
        cur = a.shape[i - lead]
        if s == -1:
            shape[i] = cur
        elif cur != s and cur != 1:
            raise RuntimeError(f"The expanded size of the tensor ({s}) must match the existing size ({cur}) at "
                               f"non-singleton dimension {i}.  Target sizes: {list(sizes)}.  Tensor sizes: "
                               f"{list(a.shape)}")
    shape = tuple(shape)
    if shape == a.shape:
        return as_view(View.apply(self, shape), self) if self._requires_grad else self._alias()
    return as_view(Expand.apply(self, shape), self)


def expand_as(self, other):
    return expand(self, other._data.shape)


class Permute(Function):
    """out = x with its dims reordered.   The gradient is permuted back by the inverse order."""

    _backward_name = "PermuteBackward0"

    @staticmethod
    def forward(ctx, x, dims):
        ctx.inverse = tuple(np.argsort(dims))
        return np.transpose(x._data, dims)

    @staticmethod
    def backward(ctx, grad):
        return grad.permute(ctx.inverse), None


def _dims_op(name, impl, doc):
    """``name(input, dims)`` taking one sequence of ints, whose Tensor method (``_method``)
    also takes them one by one, ``x.name(1, 0)``, each with PyTorch's argument errors."""
    def function(input, dims):
        return impl(input, int_list(name, "dims", dims, 2))

    def method(self, *dims, **kwargs):
        return impl(self, size_args(name, "dims", dims, kwargs))
    function.__name__ = function.__qualname__ = method.__name__ = method.__qualname__ = name
    function.__doc__ = method.__doc__ = doc
    function._method = method
    return function


def _permute(input, dims):
    nd = input._data.ndim
    if len(dims) != nd:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does not match "
                           f"the length of the desired ordering of dimensions i.e. input.dim() = {nd} is not "
                           f"equal to len(dims) = {len(dims)}")
    dims = tuple(normalize_dim(d, nd) for d in dims)
    if len(set(dims)) != nd:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return as_view(Permute.apply(input, dims), input)


permute = _dims_op("permute", _permute, "Reorder the dimensions (a view): ``permute(x, (1, 0))``.")


class Transpose(Function):
    """out = x with two dims swapped.   Swapping them again gives the gradient."""

    _backward_name = "TransposeBackward0"
    _array_backward = True

    @staticmethod
    def forward(ctx, x, d0, d1):
        ctx.dims = (d0, d1)
        return np.swapaxes(x._data, d0, d1)

    @staticmethod
    def backward(ctx, grad):
        if grad.__class__ is np.ndarray:
            return np.swapaxes(grad, *ctx.dims), None, None
        return grad.transpose(*ctx.dims), None, None


def transpose(input, dim0, dim1):
    """Swap two dimensions (a view)."""
    nd = input._data.ndim
    d0, d1 = normalize_dim(dim0, nd), normalize_dim(dim1, nd)
    if nd < 2:
        return input._alias() if not input._requires_grad else as_view(View.apply(input, input._data.shape), input)
    return as_view(Transpose.apply(input, d0, d1), input)


swapaxes = swapdims = transpose


class T(Transpose):
    _backward_name = "TBackward0"


def t(input):
    """Transpose a tensor of at most 2 dims."""
    nd = input._data.ndim
    if nd > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {nd}D")
    if nd < 2:
        return transpose(input, 0, 0)
    return as_view(T.apply(input, 0, 1), input)


class Unsqueeze(Function):
    """out = x with a new size-1 dim.   The gradient drops it again."""

    _backward_name = "UnsqueezeBackward0"
    _array_backward = True

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        return np.expand_dims(x._data, dim)

    @staticmethod
    def backward(ctx, grad):
        return grad.squeeze(ctx.dim), None


def unsqueeze(input, dim):
    """Insert a size-1 dimension at ``dim`` (a view)."""
    d = normalize_dim(dim, input._data.ndim + 1)
    return as_view(Unsqueeze.apply(input, d), input)


class Squeeze(Function):
    """out = x without some size-1 dims.   The gradient is reshaped back."""

    _backward_name = "SqueezeBackward1"
    _array_backward = True

    @staticmethod
    def forward(ctx, x, dims):
        ctx.in_shape = x._data.shape
        return np.squeeze(x._data, axis=dims)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.in_shape), None


class SqueezeAll(Squeeze):
    _backward_name = "SqueezeBackward0"


class SqueezeInPlace(Squeeze):
    # PyTorch's in-place squeeze_(dim), which its matmul applies to a vector operand's result
    _backward_name = "SqueezeBackward4"


def squeeze(input, dim=None):
    """Remove size-1 dims: all of them, or those among ``dim`` (an int or a tuple)."""
    a = input._data
    if dim is None:
        dims = tuple(i for i, s in enumerate(a.shape) if s == 1)
        return as_view(SqueezeAll.apply(input, dims), input)
    dl = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    dims = tuple(sorted({normalize_dim(d, a.ndim) for d in dl if a.ndim}))
    dims = tuple(d for d in dims if a.shape[d] == 1)
    return as_view(Squeeze.apply(input, dims), input)


class Contiguous(Function):
    """out = x laid out row-major (a copy if it was not).   d out/dx = 1."""

    _backward_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, x):
        return np.ascontiguousarray(x._data)

    @staticmethod
    def backward(ctx, grad):
        return grad


def contiguous(self, memory_format=None):
    """``self`` if already row-major, else a row-major copy."""
    if self.is_contiguous():
        return self
    return Contiguous.apply(self)


__all__ = ["reshape", "flatten", "permute", "transpose", "swapaxes", "swapdims", "t", "unsqueeze",
           "squeeze"]
methods(view, reshape, view_as, reshape_as, flatten, expand, expand_as, permute, transpose, swapaxes,
        swapdims, t, unsqueeze, squeeze, contiguous)
Tensor.T = property(lambda self: _permute(self, tuple(reversed(range(self._data.ndim)))))
Tensor.mT = property(lambda self: transpose(self, -2, -1))


# --- slicing along one dim ---------------------------------------------------------------------
class Slice(Function):
    """y = x[..., start:stop:step, ...] along ``dim`` (a view).   The gradient goes back into
    the sliced positions of zeros (``_sliced_grad``)."""

    _backward_name = "SliceBackward0"
    _array_backward = True

    @staticmethod
    def forward(ctx, x, dim, start, stop, step):
        ctx.meta = (x._data.shape, dim, start, stop, step)
        idx = (slice(None),) * dim + (slice(start, stop, step),)
        return x._data[idx]

    @staticmethod
    def backward(ctx, g):
        shape, dim, start, stop, step = ctx.meta
        if g.__class__ is np.ndarray:
            return _pad_slice(g, shape, dim, start, stop, step), None, None, None, None
        return PadSlice.apply(g, shape, dim, start, stop, step), None, None, None, None


def _pad_slice(g, shape, dim, start, stop, step):
    """An array of zeros of ``shape`` holding ``g`` in a slice along ``dim``."""
    out = np.zeros(shape, g.dtype)
    out[(slice(None),) * dim + (slice(start, stop, step),)] = g
    return out


class PadSlice(Function):
    """zeros(shape) with g in a slice along ``dim``: the adjoint of Slice (its gradient)."""

    _backward_name = "SliceBackwardBackward0"

    @staticmethod
    def forward(ctx, g, shape, dim, start, stop, step):
        ctx.meta = (dim, start, stop, step)
        return _pad_slice(g._data, shape, dim, start, stop, step)

    @staticmethod
    def backward(ctx, gg):
        return (Slice.apply(gg, *ctx.meta),) + (None,) * 5


class Select(Function):
    """y = x[..., index, ...] along ``dim`` (a view, one dim fewer).   dL/dx is zero except
    the selected slice, which receives dL/dy: each y element is one x element, unchanged."""

    _backward_name = "SelectBackward0"
    _array_backward = True

    @staticmethod
    def forward(ctx, x, dim, index):
        ctx.meta = (x._data.shape, dim, index)
        return x._data[(slice(None),) * dim + (index,)]

    @staticmethod
    def backward(ctx, g):
        shape, dim, index = ctx.meta
        stop = index + 1 if index != -1 else None
        if g.__class__ is np.ndarray:
            return _pad_slice(np.expand_dims(g, dim), shape, dim, index, stop, 1), None, None
        return PadSlice.apply(g.unsqueeze(dim), shape, dim, index, stop, 1), None, None


def narrow(input, dim, start, length):
    """Elements ``start .. start+length-1`` along ``dim`` (a view)."""
    d = normalize_dim(dim, input._data.ndim)
    size = input._data.shape[d]
    start = int(start)
    if start < 0:
        start += size
    if not 0 <= start <= size or length < 0 or start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return as_view(Slice.apply(input, d, start, start + length, 1), input)


def select(input, dim, index):
    """The slice at ``index`` along ``dim``, without that dim (a view)."""
    d = normalize_dim(dim, input._data.ndim)
    size = input._data.shape[d]
    if not -size <= index < size:
        raise IndexError(f"select(): index {index} out of range for tensor of size {list(input.shape)} at "
                         f"dimension {dim}")
    return as_view(Select.apply(input, d, index % size), input)


def _split_at(input, d, bounds, cls):
    """Views of ``input`` between consecutive ``bounds`` along dim ``d``: the outputs of one
    node, as PyTorch's split ops are (see ``SplitViews``)."""
    return _multi_views(cls.apply(input, d, bounds), input, cls)


def _multi_views(pieces, input, cls):
    """Mark the pieces of a multi-output view op: views of ``input``, which in-place ops may
    not modify while they are part of a graph (see ``check_multi_output_view``)."""
    recorded = pieces and pieces[0]._grad_fn is not None
    for i, t in enumerate(pieces):
        as_view(t, input)
        if recorded:
            t._view = (t._view[0], (cls._op_name, i))
    return pieces


class SplitViews(Function):
    """The pieces of ``input`` between consecutive ``bounds`` along ``dim``, all outputs of
    one node (PyTorch's ``SplitBackward0``). Each piece is a view, so d piece/d x is the
    identity on its slice: dL/dx is the pieces' gradients laid side by side again
    (concatenated along ``dim``; a piece nothing used contributes zeros)."""

    _backward_name = "SplitBackward0"
    _op_name = "Split"  # how PyTorch names the op in its in-place error
    _graph_inputs = 1
    _array_backward = True

    @staticmethod
    def forward(ctx, x, dim, bounds):
        ctx.dim = dim
        a, head = x._data, (slice(None),) * dim
        return tuple(a[head + (slice(lo, hi),)] for lo, hi in zip(bounds[:-1], bounds[1:]))

    @staticmethod
    def backward(ctx, *grads):
        if grads[0].__class__ is np.ndarray:
            return np.concatenate(grads, ctx.dim), None, None
        return cat(grads, ctx.dim), None, None


class SplitWithSizesViews(SplitViews):
    _backward_name = "SplitWithSizesBackward0"
    _op_name = "SplitWithSizes"


class UnbindViews(Function):
    """Every slice of ``input`` along ``dim``, that dim removed, as the outputs of one node
    (PyTorch's ``UnbindBackward0``). dL/dx is the slices' gradients stacked along ``dim``."""

    _backward_name = "UnbindBackward0"
    _op_name = "Unbind"
    _graph_inputs = 1
    _array_backward = True

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        a, head = x._data, (slice(None),) * dim
        return tuple(a[head + (i,)] for i in range(a.shape[dim]))

    @staticmethod
    def backward(ctx, *grads):
        if grads[0].__class__ is np.ndarray:
            return np.stack(grads, ctx.dim), None
        return stack(grads, ctx.dim), None


def split(tensor, split_size_or_sections, dim=0):
    """Pieces of ``split_size`` along ``dim`` (the last may be smaller), or of the listed sizes."""
    d = normalize_dim(dim, tensor._data.ndim)
    size = tensor._data.shape[d]
    if isinstance(split_size_or_sections, (tuple, list)) or not is_int(split_size_or_sections):
        return split_with_sizes(tensor, split_size_or_sections, d)
    step = int(split_size_or_sections)
    if step < 0:
        raise RuntimeError(f"split expects split_size be non-negative, but got split_size={step}")
    if step == 0 and size:
        raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {size}")
    bounds = list(range(0, size, step)) + [size] if size else [0, 0]
    return _split_at(tensor, d, bounds, SplitViews)


def _split_method(self, split_size, dim=0):
    return split(self, split_size, dim)


_split_method.__name__ = "split"
_split_method.__qualname__ = "Tensor.split"  # (Python names it so in its argument errors, as PyTorch's)
split._method = _split_method


def split_with_sizes(self, split_sizes, dim=0):
    """Pieces of the listed sizes along ``dim`` (they must add up to its length)."""
    sizes = list(int_list("split_with_sizes", "split_sizes", split_sizes, 2))
    d = normalize_dim(dim, self._data.ndim)
    size = self._data.shape[d]
    if any(n < 0 for n in sizes):
        raise RuntimeError(f"split_with_sizes expects split_sizes have only non-negative entries, but got "
                           f"split_sizes={sizes}")
    if sum(sizes) != size:
        raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's size at "
                           f"dimension {d}), but got split_sizes={sizes}")
    return _split_at(self, d, [0] + list(itertools.accumulate(sizes)), SplitWithSizesViews)


def chunk(input, chunks, dim=0):
    """``chunks`` nearly equal pieces along ``dim`` (ceil(size / chunks) each)."""
    chunks = one_int("chunk", "chunks", chunks, 1)
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    d = normalize_dim(dim, input._data.ndim)
    size = input._data.shape[d]
    if not size:  # PyTorch gives `chunks` empty pieces
        return _split_at(input, d, [0] * (chunks + 1), SplitWithSizesViews)
    return split(input, -(-size // chunks), d)


_TENSOR_SPLIT_SIGNATURES = ("tuple of ints indices, int dim = 0", "Tensor tensor_indices_or_sections, int dim = 0",
                            "int sections, int dim = 0")


def tensor_split(input, indices_or_sections=None, dim=0, *, sections=None, indices=None,
                 tensor_indices_or_sections=None):
    """numpy.array_split semantics: n sections (the first ones one longer) or split points
    (a list, or an int64 tensor: 0-d for sections, 1-d for split points)."""
    given = [v for v in (indices_or_sections, sections, indices, tensor_indices_or_sections) if v is not None]
    if len(given) != 1:
        raise invalid_combination("tensor_split", given, {}, _TENSOR_SPLIT_SIGNATURES)
    arg = given[0]
    if isinstance(arg, Tensor):
        if arg._data.dtype != np.int64:
            raise RuntimeError(f"tensor_split expected tensor_indices_or_sections to have dtype of long, but got "
                               f"{_dtype.type_word(arg._data.dtype)}")
        if arg._data.ndim > 1:
            raise RuntimeError(f"tensor_split expected tensor_indices_or_sections to be a zero-dimensional or "
                               f"one-dimensional tensor, but got a tensor with {arg._data.ndim} dims")
        arg = arg.item() if arg._data.ndim == 0 else arg.tolist()
    elif not (isinstance(arg, (tuple, list)) and all(is_int(i) for i in arg) or is_int(arg)):
        raise invalid_combination("tensor_split", (arg,), {}, _TENSOR_SPLIT_SIGNATURES)
    d = normalize_dim(dim, input._data.ndim)
    size = input._data.shape[d]
    if not isinstance(arg, (tuple, list)):
        n = int(arg)
        if n <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {n}")
        q, r = divmod(size, n)
        bounds = [0]
        for i in range(n):
            bounds.append(bounds[-1] + q + (1 if i < r else 0))
    else:
        idx = [int(i) for i in arg]
        bounds = [0] + [min(max(i if i >= 0 else i + size, 0), size) for i in idx] + [size]
        bounds = [bounds[0]] + [max(b, a) for a, b in zip(bounds[:-1], bounds[1:])]
    # one slice node per piece, as PyTorch's tensor_split (in-place ops on them are allowed)
    return tuple(as_view(Slice.apply(input, d, a, b, 1), input) for a, b in zip(bounds[:-1], bounds[1:]))


def unbind(input, dim=0):
    """Every slice along ``dim``, that dim removed (views)."""
    if input._data.ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    d = normalize_dim(dim, input._data.ndim)
    if not input._data.shape[d]:
        return ()
    return _multi_views(UnbindViews.apply(input, d), input, UnbindViews)


# --- joining -----------------------------------------------------------------------------------------
class Cat(Function):
    """y = the inputs one after another along ``dim``.   Each input's gradient is its slice
    of dL/dy."""

    _backward_name = "CatBackward0"
    _array_backward = True

    @staticmethod
    def forward(ctx, dim, *tensors):
        from .. import _dtype
        rt = tensors[0].dtype
        for t in tensors[1:]:
            rt = _dtype.promote_types(rt, t.dtype)
        arrays = [t._data for t in tensors if not (t._data.ndim == 1 and t._data.size == 0)] or \
            [tensors[0]._data]
        ctx.meta = (dim, [t._data.shape for t in tensors])
        return np.concatenate([a.astype(rt.np, copy=False) for a in arrays], axis=dim)

    @staticmethod
    def backward(ctx, g):
        dim, shapes = ctx.meta
        arrays = g.__class__ is np.ndarray  # first order: plain slices of the array
        grads, start = [None], 0
        for s in shapes:
            if len(s) == 1 and s[0] == 0 and g.ndim > 1:  # a legacy empty tensor that cat skipped
                empty = np.zeros((0,), g.dtype if arrays else g._data.dtype)
                grads.append(empty if arrays else Tensor._make(empty))
                continue
            n = s[dim]
            grads.append(g[(slice(None),) * dim + (slice(start, start + n),)] if arrays
                         else Slice.apply(g, dim, start, start + n, 1))
            start += n
        return tuple(grads)


def _check_tensors(tensors, name):
    """The tensors of a joining op's ``tensors`` argument (a sequence of tensors), with
    PyTorch's errors for anything else and for an empty sequence."""
    if isinstance(tensors, Tensor):
        raise TypeError(f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor")
    tensors = list(tensors)
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
    if not tensors:
        if name == "cat":
            raise ValueError("torch.cat(): expected a non-empty list of Tensors")
        raise RuntimeError(f"{name} expects a non-empty TensorList")
    return tensors


def _dim_arg(fname, dim, axis):
    """A joining op's ``dim`` (NumPy's name ``axis`` is accepted too, as in PyTorch)."""
    if axis is not None:
        dim = axis
    # (None can only be a keyword; other wrong types are most often passed by position)
    return one_int(fname, "dim", dim, None if dim is None else 2)


def _check_out_dtype(tensors, out):
    """PyTorch refuses an ``out=`` whose dtype the inputs' common dtype can't be cast to
    (a float result into an integer tensor, anything but bool into a bool one)."""
    if out is None or not isinstance(out, Tensor):
        return
    rt = tensors[0].dtype
    for t in tensors[1:]:
        rt = _dtype.promote_types(rt, t.dtype)
    if rt._category > out.dtype._category:
        raise TypeError(f"torch.cat(): input types can't be cast to the desired output type "
                        f"{_dtype.type_word(out.dtype)}")


def cat(tensors, dim=0, *, out=None, axis=None):
    """Concatenate along an existing dim (shapes must agree elsewhere)."""
    tensors = _check_tensors(tensors, "cat")
    dim = _dim_arg("cat", dim, axis)
    for i, t in enumerate(tensors):
        if t._data.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    _check_out_dtype(tensors, out)
    ref = next((t for t in tensors if not (t._data.ndim == 1 and t._data.size == 0)), tensors[0])
    d = normalize_dim(dim, ref._data.ndim)
    for i, t in enumerate(tensors):
        if t._data.ndim == 1 and t._data.size == 0:
            continue
        if t._data.ndim != ref._data.ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {ref._data.ndim} and "
                               f"{t._data.ndim}")
        for k, (a, b) in enumerate(zip(ref._data.shape, t._data.shape)):
            if k != d and a != b:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. Expected size {a} but got "
                                   f"size {b} for tensor number {i} in the list.")
    r = Cat.apply(d, *tensors)
    if out is not None:
        from .pointwise import _out
        return _out(r, out)
    return r


concat = concatenate = cat


def stack(tensors, dim=0, *, out=None, axis=None):
    """Join equal-shaped tensors along a new dim."""
    tensors = _check_tensors(tensors, "stack")
    dim = _dim_arg("stack", dim, axis)
    _check_out_dtype(tensors, out)
    shape = tensors[0]._data.shape
    for i, t in enumerate(tensors):
        if t._data.shape != shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(shape)} at entry 0 and "
                               f"{list(t._data.shape)} at entry {i}")
    d = normalize_dim(dim, len(shape) + 1)
    r = StackCat.apply(d, *[t.unsqueeze(d) for t in tensors])
    if out is not None:
        from .pointwise import _out
        return _out(r, out)
    return r


class StackCat(Cat):
    _backward_name = "StackBackward0"


def hstack(tensors, *, out=None):
    tensors = [atleast_1d(t) for t in _check_tensors(tensors, "hstack")]
    return cat(tensors, 0 if tensors[0].dim() == 1 else 1)


def vstack(tensors, *, out=None):
    return cat([atleast_2d(t) for t in _check_tensors(tensors, "vstack")], 0)


row_stack = vstack


def dstack(tensors, *, out=None):
    return cat([atleast_3d(t) for t in _check_tensors(tensors, "dstack")], 2)


def column_stack(tensors, *, out=None):
    tensors = _check_tensors(tensors, "column_stack")
    return hstack([t.reshape(-1, 1) if t.dim() <= 1 else t for t in tensors])


def atleast_1d(*tensors):
    out = [t.reshape(1) if t.dim() == 0 else t for t in (tensors[0] if len(tensors) == 1 and
                                                           isinstance(tensors[0], (list, tuple)) else tensors)]
    return out[0] if len(out) == 1 else tuple(out)


def atleast_2d(*tensors):
    out = [t.reshape(1, -1) if t.dim() < 2 else t for t in (tensors[0] if len(tensors) == 1 and
                                                              isinstance(tensors[0], (list, tuple)) else tensors)]
    return out[0] if len(out) == 1 else tuple(out)


def atleast_3d(*tensors):
    def lift(t):
        if t.dim() == 0:
            return t.reshape(1, 1, 1)
        if t.dim() == 1:
            return t.reshape(1, -1, 1)
        if t.dim() == 2:
            return t.unsqueeze(-1)
        return t
    out = [lift(t) for t in (tensors[0] if len(tensors) == 1 and isinstance(tensors[0], (list, tuple))
                             else tensors)]
    return out[0] if len(out) == 1 else tuple(out)


# --- reordering -------------------------------------------------------------------------------------
class Flip(Function):
    """y = x reversed along ``dims``.   Reversing the gradient the same way undoes it."""

    _backward_name = "FlipBackward0"

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return np.flip(x._data, dims).copy()

    @staticmethod
    def backward(ctx, g):
        return Flip.apply(g, ctx.dims), None


def _flip(input, dims):
    dims = tuple(normalize_dim(d, input._data.ndim) for d in dims)
    for d in dims:
        if dims.count(d) > 1:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return Flip.apply(input, dims)


flip = _dims_op("flip", _flip, "Reverse the order of elements along ``dims`` (a copy, as in PyTorch).")


def fliplr(input):
    if input.dim() < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return _flip(input, (1,))


def flipud(input):
    if input.dim() < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return _flip(input, (0,))


class Roll(Function):
    """y = x shifted cyclically by ``shifts`` along ``dims``.   dL/dx = dL/dy rolled back by
    -shifts: y_j = x_(j - s), so the gradient of x_i is the one of y_(i + s)."""

    _backward_name = "RollBackward0"

    @staticmethod
    def forward(ctx, x, shifts, dims):
        ctx.meta = (shifts, dims)
        if dims is None:
            return np.roll(x._data.reshape(-1), shifts).reshape(x._data.shape)
        return np.roll(x._data, shifts, dims)

    @staticmethod
    def backward(ctx, g):
        shifts, dims = ctx.meta
        neg = tuple(-s for s in shifts) if isinstance(shifts, tuple) else -shifts
        return Roll.apply(g, neg, dims), None, None


def roll(input, shifts, dims=None):
    """Shift elements cyclically (flattened when ``dims`` is None)."""
    if dims is None:
        if isinstance(shifts, (tuple, list)):
            if len(shifts) != 1:
                raise RuntimeError(f"roll: shifts and dims must align. shifts: {len(shifts)}, dims:0")
            shifts = shifts[0]
        return Roll.apply(input, int(shifts), None)
    shifts = tuple(shifts) if isinstance(shifts, (tuple, list)) else (shifts,)
    dims = tuple(dims) if isinstance(dims, (tuple, list)) else (dims,)
    if len(shifts) != len(dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
    return Roll.apply(input, shifts, tuple(normalize_dim(d, input._data.ndim) for d in dims))


def movedim(input, source, destination):
    """Move dims ``source`` to positions ``destination`` (a permutation, hence a view)."""
    nd = input._data.ndim
    src = (source,) if isinstance(source, int) else tuple(source)
    dst = (destination,) if isinstance(destination, int) else tuple(destination)
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({list(src)} dims) should contain "
                           f"the same number of dims as destination ({list(dst)} dims)")
    src = [normalize_dim(s, nd) for s in src]
    dst = [normalize_dim(s, nd) for s in dst]
    order = [i for i in range(nd) if i not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return permute(input, order)


moveaxis = movedim


class Repeat(Function):
    """y = x tiled ``repeats`` times per dim.   Each x element's gradient sums its copies."""

    _backward_name = "RepeatBackward0"

    @staticmethod
    def forward(ctx, x, repeats):
        a = x._data
        lead = len(repeats) - a.ndim
        ctx.meta = (a.shape, repeats)
        return np.tile(a.reshape((1,) * lead + a.shape), repeats)

    @staticmethod
    def backward(ctx, g):
        shape, repeats = ctx.meta
        lead = len(repeats) - len(shape)
        full = (1,) * lead + shape
        split_shape = []
        for r, s in zip(repeats, full):
            split_shape += [r, s]
        gs = g.reshape(split_shape).sum(tuple(range(0, 2 * len(full), 2)))
        return gs.reshape(shape), None


def repeat(self, *sizes, **kwargs):
    """Tile the tensor ``sizes[i]`` times along each dim (more sizes than dims add dims)."""
    sizes = size_args("repeat", "repeats", sizes, kwargs)
    return _repeat(self, sizes)


def _repeat(self, sizes):
    nd = self._data.ndim
    if len(sizes) < nd:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of "
                           "tensor")
    if any(r < 0 for r in sizes):  # the output's size is what PyTorch finds negative
        shape = [r * s for r, s in zip(sizes, (1,) * (len(sizes) - nd) + self._data.shape)]
        bad = next(n for n in shape if n < 0)
        raise RuntimeError(f"Trying to create tensor with negative dimension {bad}: {shape}")
    return Repeat.apply(self, tuple(sizes))


def _tile(input, dims):
    if len(dims) < input._data.ndim:
        dims = (1,) * (input._data.ndim - len(dims)) + tuple(dims)
    return _repeat(input, dims)


tile = _dims_op("tile", _tile, "``input`` repeated ``dims[i]`` times along each dim; fewer dims than ``input`` "
                "has count from the last one (ones are prepended), so ``tile`` never fails as ``repeat`` does.")


def unflatten(input, dim, sizes):
    """Split dim ``dim`` into ``sizes`` (one may be -1)."""
    d = normalize_dim(dim, input._data.ndim)
    sizes = tuple(sizes)
    shape = input._data.shape
    new = infer_size(sizes, shape[d]) if -1 in sizes else sizes
    if math.prod(new) != shape[d]:
        raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {dim} "
                           f"({shape[d]}) in the input tensor")
    return view(input, shape[:d] + new + shape[d + 1:])


def broadcast_to(input, size):
    return expand(input, int_list("broadcast_to", "size", size, 2))


def broadcast_tensors(*tensors):
    """Every tensor expanded to their common broadcast shape (views)."""
    from ._util import check_broadcast
    shape = ()
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
        check_broadcast(shape, t._data.shape)  # PyTorch's error names the shape so far as "tensor a"
        shape = np.broadcast_shapes(shape, t._data.shape)
    return tuple(expand(t, shape) for t in tensors)


def broadcast_shapes(*shapes):
    """The shape that tensors of ``shapes`` broadcast to, with PyTorch's error naming the
    first argument that does not fit the shape of the ones before it."""
    from .._size import Size
    shapes = [tuple(s) if not isinstance(s, int) else (s,) for s in shapes]
    result = []
    for i, shape in enumerate(shapes):
        if any(n < 0 for n in shape):
            raise ValueError("Attempting to broadcast a dimension with negative length!")
        result = [1] * (len(shape) - len(result)) + result
        for k in range(1, len(shape) + 1):
            n = shape[-k]
            if n != 1 and result[-k] != 1 and n != result[-k]:
                raise RuntimeError(f"Attempting to broadcast a dimension of length {n} at {-k}! Mismatching argument "
                                   f"at index {i} had {shape}; but expected shape should be broadcastable to {result}")
            if result[-k] == 1:
                result[-k] = n
    return Size(result)


# --- triangles and diagonals ------------------------------------------------------------------------
class Tril(Function):
    """y = x with elements above diagonal k zeroed (``Triu``: below).   The gradient is
    masked the same way."""

    _backward_name = "TrilBackward0"
    _np = staticmethod(np.tril)

    @staticmethod
    def forward(ctx, x, k):
        ctx.k = k
        return ctx._forward_cls._np(x._data, k)

    @staticmethod
    def backward(ctx, g):
        return ctx._forward_cls.apply(g, ctx.k), None


class Triu(Tril):
    _backward_name = "TriuBackward0"
    _np = staticmethod(np.triu)


def tril(input, diagonal=0, *, out=None):
    """The lower triangle (on and below diagonal ``diagonal``) of the last two dims."""
    if input._data.ndim < 2:
        raise RuntimeError("tril: input tensor must have at least 2 dimensions")
    return Tril.apply(input, diagonal)


def triu(input, diagonal=0, *, out=None):
    """The upper triangle (on and above diagonal ``diagonal``) of the last two dims."""
    if input._data.ndim < 2:
        raise RuntimeError("triu: input tensor must have at least 2 dimensions")
    return Triu.apply(input, diagonal)


class Diagonal(Function):
    """y = the diagonal ``offset`` of dims (d1, d2), as a new last dim (a view).   The
    gradient is written back onto that diagonal of zeros."""

    _backward_name = "DiagonalBackward0"

    @staticmethod
    def forward(ctx, x, offset, d1, d2):
        ctx.meta = (x._data.shape, offset, d1, d2)
        d = np.diagonal(x._data, offset, d1, d2)
        if x._data.flags.writeable:  # NumPy hands out diagonals read-only; PyTorch's view is writable
            d.flags.writeable = True
        return d

    @staticmethod
    def backward(ctx, g):
        shape, offset, d1, d2 = ctx.meta
        return DiagEmbed.apply(g, shape, offset, d1, d2), None, None, None


class DiagEmbed(Function):
    """zeros(shape) with g on the diagonal ``offset`` of dims (d1, d2): the adjoint of
    Diagonal."""

    _backward_name = "DiagEmbedBackward0"

    @staticmethod
    def forward(ctx, g, shape, offset, d1, d2):
        out = np.zeros(shape, g._data.dtype)
        view_ = np.diagonal(out, offset, d1, d2)
        view_.setflags(write=True)
        view_[...] = g._data
        ctx.meta = (offset, d1, d2)
        return out

    @staticmethod
    def backward(ctx, gg):
        return Diagonal.apply(gg, *ctx.meta), None, None, None, None


def diagonal(input, offset=0, dim1=0, dim2=1):
    """A diagonal of two dims, as a view."""
    nd = input._data.ndim
    d1, d2 = normalize_dim(dim1, nd), normalize_dim(dim2, nd)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return as_view(Diagonal.apply(input, offset, d1, d2), input)


def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    """Put the last dim of ``input`` on diagonals of new (dim1, dim2) matrices."""
    n = input.shape[-1] + abs(offset)
    out_nd = input.dim() + 1
    d1, d2 = normalize_dim(dim1, out_nd), normalize_dim(dim2, out_nd)
    batch = list(input.shape[:-1])
    shape = batch[:]
    for d in sorted((d1, d2)):
        shape.insert(d, n)
    moved = input
    return DiagEmbed.apply(moved, tuple(shape), offset, d1, d2)


def diag(input, diagonal=0):
    """1-D input: a matrix with it on diagonal ``diagonal``; 2-D input: that diagonal."""
    if input._data.ndim == 1:
        n = input._data.shape[0] + abs(diagonal)
        return DiagEmbed.apply(input, (n, n), diagonal, 0, 1)
    if input._data.ndim == 2:
        return DiagonalCopy.apply(input, diagonal, 0, 1)
    raise RuntimeError("diag(): Supports 1D or 2D tensors. Got " + f"{input._data.ndim}D")


class DiagonalCopy(Diagonal):
    _backward_name = "DiagonalBackward0_copy"

    @staticmethod
    def forward(ctx, x, offset, d1, d2):
        return Diagonal.forward(ctx, x, offset, d1, d2).copy()


__all__ += ["narrow", "select", "split", "chunk", "tensor_split", "unbind", "cat", "concat", "concatenate", "stack",
            "hstack", "vstack", "row_stack", "dstack", "column_stack", "atleast_1d", "atleast_2d", "atleast_3d",
            "flip", "fliplr", "flipud", "roll", "movedim", "moveaxis", "tile", "unflatten", "broadcast_to",
            "broadcast_tensors", "broadcast_shapes", "tril", "triu", "diagonal", "diag_embed", "diag"]
methods(narrow, select, split, split_with_sizes, chunk, tensor_split, unbind, flip, fliplr, flipud, roll, movedim, moveaxis, repeat,
        tile, unflatten, broadcast_to, tril, triu, diagonal, diag_embed, diag)
