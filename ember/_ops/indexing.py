"""Indexing: ``t[...]`` reads and writes, gather/scatter, masks and ``where``.

Reading with ints, slices, ``None`` and ``...`` ("basic" indexing) gives a *view*: NumPy's
view of the same memory, so writes through it reach the original. Its gradient places the
incoming gradient back at the viewed positions of a zero tensor.

Reading with integer or boolean tensors ("advanced" indexing) copies. The same position may
be picked several times, so its gradient *adds* every incoming gradient at its position
(a scatter-add), which is also the gradient of ``gather``, ``index_select`` and ``take``.

Writing (``t[idx] = v``, ``scatter``, ``masked_fill``, in-place ops on views) replaces
values: the overwritten positions of the old tensor get no gradient, and the written values
get the gradient of the positions they landed on.
"""
import numbers
import operator
import warnings

import numpy as np

from .. import _dtype
from .._tensor import Tensor
from ..autograd.function import Function
from ._util import methods, normalize_dim, apply_inplace, binary_arrays, check_scalar, write_into
from .._tensor import _legacy_type_name
from ._arguments import invalid_combination, tp_name
from .shape import as_view


# --- index normalisation ------------------------------------------------------------------------
def _as_items(index):
    """The items of an index: a tuple's items; a short list that holds a sequence, a tensor, a
    slice, ``...`` or None is also read as a tuple (NumPy's old rule, which PyTorch keeps:
    ``x[[0, [1, 2]]]`` is ``x[0, [1, 2]]``); anything else is one item."""
    if isinstance(index, tuple):
        return index
    if index.__class__ is list and len(index) < 32:
        for v in index:
            if isinstance(v, (Tensor, list, tuple, range, np.ndarray, str, slice)) or v is None or v is Ellipsis:
                return tuple(index)
    return (index,)


def _index_tensor_array(a):
    """The NumPy index for an index tensor's array: int32/int64 positions, or a bool mask
    (uint8 is read as a mask, which PyTorch deprecates)."""
    k = a.dtype
    if k == np.bool_ or k == np.int64 or k == np.int32:
        return a
    if k == np.uint8:
        warnings.warn("indexing with dtype torch.uint8 is now deprecated, please use a dtype torch.bool instead.",
                      UserWarning, stacklevel=4)
        return a.astype(np.bool_)
    raise IndexError("tensors used as indices must be long, int, byte or bool tensors")


def _convert_index(index):
    """A PyTorch index as a NumPy one; also says whether it is basic (a view) and names the
    last basic step (for the grad_fn name PyTorch gives).

    Where PyTorch and NumPy read an index differently, the NumPy index says what PyTorch means:
    a second ``...`` matches no dim; and with integer or boolean arrays in the index, the plain
    ints select first (as PyTorch does), so that they do not count as arrays when NumPy decides
    where the indexed dims go (``x[0, :, [1, 2]]`` keeps the slice's dim first). That last case
    returns a ``_TwoStep`` index: a basic index, then the rest applied to its view."""
    out, basic, last, ellipsis = [], True, "Alias", False
    for i in _as_items(index):
        if isinstance(i, Tensor):
            a = i._data
            if a.dtype == np.bool_ or a.ndim:
                if a.dtype.kind == "f":
                    raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
                out.append(_index_tensor_array(a))
                basic = False
                continue
            if a.dtype.kind not in "iub":
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            i = int(a)
        if isinstance(i, (bool, np.bool_)):
            out.append(np.array(i))
            basic = False
        elif isinstance(i, (int, np.integer)):
            out.append(int(i))
            last = "Select"
        elif isinstance(i, slice):
            try:
                start, stop, step = (None if v is None else operator.index(v) for v in (i.start, i.stop, i.step))
            except TypeError:
                raise TypeError("slice indices must be integers or None or have an __index__ method") from None
            if step is not None and step <= 0:
                raise ValueError("slice step cannot be zero" if step == 0 else "step must be greater than zero")
            out.append(slice(start, stop, step))
            last = "Slice"
        elif i is None:
            out.append(None)
            last = "Unsqueeze"
        elif i is Ellipsis:
            if not ellipsis:  # later ones stand for no dims at all
                out.append(Ellipsis)
            ellipsis = True
        elif isinstance(i, str):
            raise TypeError("new(): invalid data type 'str'")
        elif isinstance(i, np.ndarray):  # made a tensor of indices, as a list is (floats truncate)
            if i.dtype.kind not in "biuf":
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            out.append(_index_tensor_array(i if i.dtype.kind == "b" else i.astype(np.int64, copy=False)))
            basic = False
        elif isinstance(i, (list, tuple, range)):  # made a tensor, as torch.tensor(i) would be
            arr = np.asarray([int(v) if isinstance(v, Tensor) else v for v in i] if isinstance(i, (list, tuple))
                             else i)
            if arr.dtype.kind != "b":
                arr = arr.astype(np.int64)  # (floats truncate, as PyTorch's conversion does)
            out.append(arr)
            basic = False
        else:
            raise IndexError(f"only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
                             f"valid indices (got {type(i).__name__})")
    out = tuple(out)
    if not basic and any(i.__class__ is int for i in out) and not any(_is_array(i) and i.ndim == 0 for i in out):
        out = _two_step(out)
    return out, basic, last


def _is_array(i):
    return i.__class__ is np.ndarray


class _TwoStep(tuple):
    """``(first, second)``: index with ``first`` (basic, so a view), then that view with
    ``second``."""


def _two_step(idx):
    first, second = [], []
    for i in idx:
        if i.__class__ is int:
            first.append(i)
        elif _is_array(i):
            n = i.ndim if i.dtype == np.bool_ else 1
            first.extend([slice(None)] * n)
            second.append(i)
        elif i is None or i.__class__ is slice:
            first.append(i)
            second.append(slice(None))
        else:  # Ellipsis
            first.append(i)
            second.append(i)
    return _TwoStep((tuple(first), tuple(second)))


def _at(a, idx):
    """``a[idx]`` for a NumPy index or a ``_TwoStep`` one."""
    if idx.__class__ is _TwoStep:
        return a[idx[0]][idx[1]]
    return a[idx]


def _set_at(a, idx, value, accumulate=False):
    """``a[idx] = value`` (``accumulate``: ``+=``, where a position named twice adds twice)."""
    if idx.__class__ is _TwoStep:
        a, idx = a[idx[0]], idx[1]  # a view: writing into it writes into a
    if accumulate:
        np.add.at(a, idx, value)
    else:
        a[idx] = value


def _check_bounds(a, idx):
    """Raise PyTorch's IndexError for out-of-range integers and for masks of the wrong shape
    (NumPy's messages differ)."""
    if idx.__class__ is _TwoStep:
        _check_bounds(a, idx[0])
        _check_bounds(np.broadcast_to(np.empty((), np.bool_), a.shape)[idx[0]], idx[1])
        return
    if sum(_dims_taken(j) for j in idx if j is not None and j is not Ellipsis) > a.ndim:
        raise IndexError(f"too many indices for tensor of dimension {a.ndim}")
    dim = 0
    for i in idx:
        if i is None:
            continue
        if i is Ellipsis:
            dim = a.ndim - sum(_dims_taken(j) for j in idx if j is not None and j is not Ellipsis)
            continue
        if isinstance(i, int):
            if dim >= a.ndim:
                raise IndexError(f"too many indices for tensor of dimension {a.ndim}")
            size = a.shape[dim]
            if not -size <= i < size:
                raise IndexError(f"index {i} is out of bounds for dimension {dim} with size {size}")
        elif isinstance(i, np.ndarray) and i.dtype == np.bool_:
            if dim + i.ndim > a.ndim:
                raise IndexError(f"too many indices for tensor of dimension {a.ndim}")
            for j, n in enumerate(i.shape):
                if dim + j < a.ndim and n != a.shape[dim + j]:
                    raise IndexError(f"The shape of the mask {list(i.shape)} at index {j} does not match the shape "
                                     f"of the indexed tensor {list(a.shape)} at index {dim + j}")
        elif isinstance(i, np.ndarray) and i.size and dim < a.ndim:
            size = a.shape[dim]
            if i.max() >= size or i.min() < -size:
                bad = i.max() if i.max() >= size else i.min()
                raise IndexError(f"index {bad} is out of bounds for dimension {dim} with size {size}")
        dim += _dims_taken(i)
    if dim > a.ndim:
        raise IndexError(f"too many indices for tensor of dimension {a.ndim}")


def _dims_taken(i):
    """How many dims of the indexed tensor an index item uses up (a mask: its own ndim)."""
    if isinstance(i, np.ndarray) and i.dtype == np.bool_:
        return i.ndim
    return 1


def _check_0d(index):
    """PyTorch's errors for an int or a slice alone indexing a 0-d tensor."""
    if isinstance(index, slice):
        raise IndexError("slice() cannot be applied to a 0-dim tensor.")
    if isinstance(index, (int, np.integer)) and not isinstance(index, (bool, np.bool_)):
        raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in "
                         "C++ to convert a 0-dim tensor to a number")


# --- reading --------------------------------------------------------------------------------------
class BasicIndex(Function):
    """y = x[idx] (a view).   dL/dx = zeros with dL/dy placed at the viewed positions."""

    _accumulate = False

    @staticmethod
    def forward(ctx, x, idx):
        ctx.meta = (x._data.shape, idx)
        return _at(x._data, idx)

    @staticmethod
    def backward(ctx, g):
        shape, idx = ctx.meta
        return IndexPutZeros.apply(g, shape, idx, ctx._forward_cls._accumulate), None


def _named(base, name):
    return type(name.replace("Backward0", ""), (base,), {"_backward_name": name, "__module__": __name__})


_BASIC = {k: _named(BasicIndex, f"{k}Backward0") for k in ("Select", "Slice", "Unsqueeze", "Alias")}


class AdvancedIndex(BasicIndex):
    """y = x[idx] with integer/boolean index arrays (a copy).   dL/dx: scatter-add dL/dy back
    to the picked positions (a position picked twice gets both gradients)."""

    _backward_name = "IndexBackward0"
    _accumulate = True


class IndexPutZeros(Function):
    """zeros(shape) with g written (basic) or added (advanced) at ``idx``; the adjoint of
    reading ``x[idx]``, whose gradient it is."""

    _backward_name = "IndexPutBackward0"

    @staticmethod
    def forward(ctx, g, shape, idx, accumulate):
        out = np.zeros(shape, g._data.dtype)
        _set_at(out, idx, g._data, accumulate)
        ctx.meta = (idx, accumulate)
        return out

    @staticmethod
    def backward(ctx, gg):
        idx, accumulate = ctx.meta
        return (AdvancedIndex if accumulate else _BASIC["Alias"]).apply(gg, idx), None, None, None


def getitem(self, index):
    """``self[index]``: a view for basic indices, a copy for advanced ones (as in PyTorch)."""
    a = self._data
    if a.ndim == 0:
        _check_0d(index)
    idx, basic, last = _convert_index(index)
    _check_bounds(a, idx)
    if basic:
        return as_view(_BASIC[last].apply(self, idx), self)
    if idx.__class__ is _TwoStep:  # the ints select first (a view), then the arrays index that
        self, idx = as_view(_BASIC["Select"].apply(self, idx[0]), self), idx[1]
    try:
        return AdvancedIndex.apply(self, idx)
    except IndexError as e:
        raise IndexError(str(e).replace("axis", "dimension")) from None


# --- writing ----------------------------------------------------------------------------------------
class IndexPut(Function):
    """y = x with y[idx] = v.   dL/dx = dL/dy with the written positions zeroed;
    dL/dv = dL/dy at the written positions (summed over broadcasting by the engine)."""

    _backward_name = "IndexPutBackward0"

    @staticmethod
    def forward(ctx, x, idx, v, accumulate):
        out = x._data.copy()
        val = v._data if isinstance(v, Tensor) else v
        _set_at(out, idx, np.asarray(val, out.dtype) if accumulate else val, accumulate)
        ctx.meta = (idx, accumulate, x._data.shape)
        return out

    @staticmethod
    def backward(ctx, g):
        idx, accumulate, shape = ctx.meta
        nx, _, nv = ctx.needs_input_grad[:3]
        gx = gv = None
        if nx:
            gx = g if accumulate else IndexPut.apply(g, idx, 0.0, False)
        if nv:
            gv = (_BASIC["Alias"] if _is_basic(idx) else AdvancedIndex).apply(g, idx)
        return gx, None, gv, None


class CopySlicesPut(IndexPut):
    _backward_name = "CopySlices"


def _is_basic(idx):
    return idx.__class__ is not _TwoStep and not any(isinstance(i, np.ndarray) for i in idx)


def index_put(input, indices, values, accumulate=False):
    """Out of place: ``input`` with ``values`` written (or added) at ``indices``."""
    idx, basic, _ = _convert_index(tuple(indices))
    return IndexPut.apply(input, idx, values, accumulate)


def _put(x, idx, v, accumulate=False):
    cls = CopySlicesPut if _is_basic(idx) and not accumulate else IndexPut
    if isinstance(v, Tensor) and v._data.dtype != x._data.dtype:
        v = v.to(x.dtype)
    return cls.apply(x, idx, v, accumulate)


def setitem(self, index, value):
    """``self[index] = value``, differentiable. ``value`` is a Python number or a tensor.

    As in PyTorch, an index without integer or boolean arrays copies the tensor into the
    viewed positions (cast to ``self``'s dtype, and broadcast after dropping its leading size-1
    dims, with ``expand``'s errors); with arrays it is ``index_put_``, which needs the same
    dtype (except for one bool mask and a one-element value: that is ``masked_fill_``)."""
    a = self._data
    if a.ndim == 0:
        _check_0d(index)
    idx, basic, _ = _convert_index(index)
    _check_bounds(a, idx)
    if isinstance(value, Tensor):
        value = _setitem_value(self, idx, index, value)
    elif not isinstance(value, (int, float, complex, np.integer)):
        raise TypeError(f"can't assign a {tp_name(value)} to a {_legacy_type_name(self)}")
    else:
        check_scalar(value, a.dtype)
    apply_inplace(self, _put, idx, value)


def _setitem_value(self, idx, index, value):
    """``value`` (a tensor) ready to be written at ``idx``: see ``setitem``."""
    from .shape import expand
    target = _at(np.broadcast_to(np.empty((), np.bool_), self._data.shape), idx).shape
    shape = value._data.shape
    stripped = shape
    while stripped and stripped[0] == 1:
        stripped = stripped[1:]
    arrays = [i for i in (idx[1] if idx.__class__ is _TwoStep else idx) if _is_array(i) and i.ndim]
    if not arrays:  # a copy into the view
        if shape != target and value._data.ndim:
            value = expand(value.reshape(stripped) if stripped != shape else value, target)
        return value
    try:
        fits = np.broadcast_shapes(stripped, target) == target
    except ValueError:
        fits = False
    if not fits:
        raise RuntimeError(f"shape mismatch: value tensor of shape {list(stripped)} cannot be broadcast to indexing "
                           f"result of shape {list(target)}")
    single_mask = len(_as_items(index)) == 1 and arrays[0].dtype == np.bool_
    if value._data.dtype != self._data.dtype and not (single_mask and value._data.size == 1):
        raise RuntimeError(f"Index put requires the source and destination dtypes match, got "
                           f"{_dtype.type_word(self._data.dtype)} for the destination and "
                           f"{_dtype.type_word(value._data.dtype)} for the source.")
    return value.reshape(stripped) if stripped != shape else value


def index_put_(self, indices, values, accumulate=False):
    idx, _, _ = _convert_index(tuple(indices))
    return apply_inplace(self, _put, idx, values, accumulate)


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


def inplace_on_view(view, op, args, kwargs):
    """Record ``op_`` applied to a view: the base gets a new history (ScatterRegion of the old
    base and the op's result) and the view is re-derived from the base (TakeRegion)."""
    base = view._base
    if base.grad_fn is None and base._requires_grad:  # the leaf would silently become a non-leaf
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")
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


# --- gather / scatter / select ----------------------------------------------------------------------
def _index_array(index, name="index"):
    """The array of an op's ``index`` argument: an int64 or int32 tensor."""
    if not isinstance(index, Tensor):
        raise TypeError(f"{name}(): argument 'index' (position 2) must be Tensor, not {tp_name(index)}")
    if index._data.dtype != np.int64 and index._data.dtype != np.int32:
        kinds = "int32 or int64" if name == "index_select" else "int32/int64"  # (PyTorch words them apart)
        raise RuntimeError(f"{name}(): Expected dtype {kinds} for index")
    return index._data


class IndexSelect(Function):
    """y = x.take(idx, dim).   dL/dx: scatter-add dL/dy into the selected slices."""

    _backward_name = "IndexSelectBackward0"

    @staticmethod
    def forward(ctx, x, dim, index):
        idx = index._data
        ctx.meta = (x._data.shape, dim, idx)
        return np.take(x._data, idx, axis=dim)

    @staticmethod
    def backward(ctx, g):
        shape, dim, idx = ctx.meta
        full = (slice(None),) * dim + (idx,)
        return IndexPutZeros.apply(g, shape, full, True), None, None


def index_select(input, dim, index):
    """Slices of ``input`` along ``dim`` at the positions ``index`` (1-D int64)."""
    _index_array(index, "index_select")
    if index._data.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    d = normalize_dim(dim, input._data.ndim)
    size = input._data.shape[d] if input._data.ndim else 1
    i = index._data.reshape(-1)
    if i.size and (i.max() >= size or i.min() < -size):
        raise IndexError(f"index out of range in self")
    if input._data.ndim == 0:
        return input.reshape(1).index_select(0, index).reshape(()) if i.size == 1 else input.reshape(1)[i]
    return IndexSelect.apply(input, d, Tensor._make(i.astype(np.int64)))


class Gather(Function):
    """y[i][j][k] = x[i][idx[i][j][k]][k] (for dim 1).   dL/dx: scatter-add dL/dy by idx."""

    _backward_name = "GatherBackward0"

    @staticmethod
    def forward(ctx, x, dim, index):
        idx = index._data
        ctx.meta = (x._data.shape, dim, idx)
        if x._data.ndim == 0 or idx.ndim == 0:  # 0-d and 1-d alike, as in PyTorch
            return x._data.reshape(-1)[idx]
        return np.take_along_axis(x._data[tuple(slice(0, s) for s in idx.shape[:dim]) + (slice(None),) +
                                          tuple(slice(0, s) for s in idx.shape[dim + 1:])], idx, axis=dim)

    @staticmethod
    def backward(ctx, g):
        shape, dim, idx = ctx.meta
        return ScatterAddZeros.apply(g, shape, dim, idx), None, None


class ScatterAddZeros(Function):
    """zeros(shape) with g added along ``dim`` at ``idx``: the gradient of gather."""

    _backward_name = "ScatterAddBackward0"

    @staticmethod
    def forward(ctx, g, shape, dim, idx):
        out = np.zeros(shape, g._data.dtype)
        ctx.meta = (dim, idx)
        if out.ndim == 0 or idx.ndim == 0:  # 0-d and 1-d alike, as in PyTorch
            np.add.at(out.reshape(-1), idx.reshape(-1), g._data.reshape(-1))
            return out
        np.add.at(out, _full_index(idx, dim), g._data)
        return out

    @staticmethod
    def backward(ctx, gg):
        dim, idx = ctx.meta
        return Gather.apply(gg, dim, Tensor._make(idx)), None, None, None


def _full_index(idx, dim):
    """Index arrays that address x[..., idx, ...] elementwise along ``dim``."""
    grids = list(np.indices(idx.shape, sparse=True))
    grids[dim] = idx
    return tuple(grids)


def _check_gather(input, dim, index, name, src=None):
    """PyTorch's checks of gather's and scatter's index: the same number of dims as ``input``
    (0-d and 1-d count alike), no larger than it except along ``dim`` (nor, for scatter,
    than ``src`` anywhere), and every position in range (no negative ones)."""
    xs, ix = input._data.shape, index._data.shape
    if len(xs) != len(ix) and not (len(xs) <= 1 and len(ix) <= 1):
        raise RuntimeError(f"Index tensor must have the same number of dimensions as "
                           f"{'input' if name == 'gather' else 'self'} tensor")
    if name == "gather":
        for d, (si, sx) in enumerate(zip(ix, xs)):
            if d != dim and si > sx:
                raise RuntimeError(f"Size does not match at dimension {d} expected index {list(ix)} to be no larger "
                                   f"than self {list(xs)} apart from dimension {dim}")
    else:
        srcs = src._data.shape if isinstance(src, Tensor) else None
        too_big = any(d != dim and si > sx for d, (si, sx) in enumerate(zip(ix, xs)))
        if srcs is not None and len(srcs) == len(ix):
            too_big = too_big or any(si > ss for si, ss in zip(ix, srcs))
        if too_big:
            raise RuntimeError(f"Expected index {list(ix)} to be no larger than self {list(xs)} apart from dimension "
                               f"{dim}" + ("" if srcs is None else f" and to be no larger size than src {list(srcs)}"))
    i = index._data
    size = xs[dim] if xs else 1
    if i.size and (i.max() >= size or i.min() < 0):
        raise RuntimeError(f"index {int(i.max() if i.max() >= size else i.min())} is out of bounds for dimension "
                           f"{dim} with size {size}")


def gather(input, dim, index, *, sparse_grad=False, out=None):
    """Pick, along ``dim``, the elements ``index`` names (index has input's number of dims)."""
    _index_array(index, "gather")
    d = normalize_dim(dim, input._data.ndim)
    _check_gather(input, d, index, "gather")
    return Gather.apply(input, d, index)


class Scatter(Function):
    """y = x with y[...idx...] = src along dim.   dL/dx = dL/dy zeroed where written;
    dL/dsrc = gather(dL/dy, dim, idx)."""

    _backward_name = "ScatterBackward0"

    @staticmethod
    def forward(ctx, x, dim, index, src, reduce):
        out = x._data.copy()
        idx = index._data
        src_data = src._data if isinstance(src, Tensor) else None
        target = out
        if out.ndim == 0 or idx.ndim == 0:  # PyTorch treats 0-d and 1-d input and index alike
            target, idx = out.reshape(-1), idx.reshape(-1)
            src_data = None if src_data is None else src_data.reshape(-1)
        val = src if src_data is None else src_data[tuple(slice(0, s) for s in idx.shape)]
        full = _full_index(idx, dim)
        if reduce is None:
            target[full] = val
        elif reduce in ("add", "sum"):
            np.add.at(target, full, val)
        elif reduce in ("multiply", "prod"):
            np.multiply.at(target, full, val)
        else:
            raise RuntimeError(f"reduce argument must be either add or multiply. Got {reduce}")
        ctx.meta = (dim, index._data, reduce)
        return out

    @staticmethod
    def backward(ctx, g):
        dim, idx, reduce = ctx.meta
        nx, _, _, ns = ctx.needs_input_grad[:4]
        if reduce not in (None, "add", "sum"):
            raise NotImplementedError("the gradient of scatter(reduce='multiply') is not implemented in ember")
        index = Tensor._make(idx)
        gx = (g if reduce else Scatter.apply(g, dim, index, 0.0, None)) if nx else None
        gs = Gather.apply(g, dim, index) if ns else None
        return gx, None, None, gs, None


class ScatterAdd(Scatter):
    _backward_name = "ScatterAddBackward0"


def scatter(input, dim, index, src=None, value=None, *, reduce=None):
    """Write ``src`` (or ``value``) into a copy of ``input`` at ``index`` along ``dim``."""
    _index_array(index, "scatter")
    d = normalize_dim(dim, input._data.ndim)
    s = src if src is not None else value
    if isinstance(s, Tensor) and s._data.dtype != input._data.dtype:
        raise RuntimeError(f"scatter(): Expected self.dtype to be equal to src.dtype")
    if reduce is not None and reduce not in ("add", "multiply"):
        raise RuntimeError("reduce argument must be either add or multiply.")
    _check_gather(input, d, index, "scatter", s)
    return Scatter.apply(input, d, index, s, reduce)


def scatter_add(input, dim, index, src):
    """Add ``src`` into a copy of ``input`` at ``index`` along ``dim`` (duplicates add up)."""
    _index_array(index, "scatter_add")
    if not isinstance(src, Tensor):
        raise TypeError(f"scatter_add(): argument 'src' (position 3) must be Tensor, not {tp_name(src)}")
    if src._data.dtype != input._data.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    d = normalize_dim(dim, input._data.ndim)
    _check_gather(input, d, index, "scatter_add", src)
    return ScatterAdd.apply(input, d, index, src, "add")


def scatter_(self, dim, index, src=None, value=None, *, reduce=None):
    return apply_inplace(self, scatter, dim, index, src, value, reduce=reduce)


def scatter_add_(self, dim, index, src):
    return apply_inplace(self, scatter_add, dim, index, src)


class MaskedFill(Function):
    """y = where(mask, value, x).   dL/dx = dL/dy where not masked; dL/dvalue = sum of dL/dy
    where masked (for a tensor value)."""

    _backward_name = "MaskedFillBackward0"

    @staticmethod
    def forward(ctx, x, mask, value):
        m = mask._data
        v = value._data if isinstance(value, Tensor) else value
        ctx.mask = m
        return np.where(m, np.asarray(v, x._data.dtype), x._data)

    @staticmethod
    def backward(ctx, g):
        m = Tensor._make(ctx.mask)
        nx, _, nv = ctx.needs_input_grad[:3]
        gx = MaskedFill.apply(g, m, 0.0) if nx else None
        gv = (g * m).sum() if nv else None
        return gx, None, gv


def masked_fill(input, mask, value):
    """``value`` where ``mask`` (bool, broadcastable) is True, ``input`` elsewhere."""
    if not isinstance(mask, Tensor) or mask._data.dtype != np.bool_:
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{mask.dtype if isinstance(mask, Tensor) else type(mask).__name__}")
    if isinstance(value, Tensor) and value._data.ndim:
        raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                           f"{value._data.ndim} dimension(s).")
    try:
        if np.broadcast_shapes(mask._data.shape, input._data.shape) != input._data.shape:
            raise ValueError
    except ValueError:
        raise RuntimeError(f"The size of tensor a ({input._data.shape[-1] if input._data.ndim else 1}) must match the "
                           f"size of tensor b ({mask._data.shape[-1]}) at non-singleton dimension "
                           f"{max(input._data.ndim, mask._data.ndim) - 1}") from None
    check_scalar(value, input._data.dtype)
    return MaskedFill.apply(input, mask, value)


def masked_fill_(self, mask, value):
    return apply_inplace(self, masked_fill, mask, value)


class MaskedSelect(Function):
    """y = the elements of x where mask (broadcast) is True, as a 1-D tensor.
    dL/dx: dL/dy put back at those positions."""

    _backward_name = "MaskedSelectBackward0"

    @staticmethod
    def forward(ctx, x, mask):
        shape = np.broadcast_shapes(x._data.shape, mask._data.shape)
        m = np.broadcast_to(mask._data, shape)
        ctx.meta = (x._data.shape, shape, m)
        return np.broadcast_to(x._data, shape)[m]

    @staticmethod
    def backward(ctx, g):
        xshape, shape, m = ctx.meta
        return IndexPutZeros.apply(g, shape, (m,), False), None


def masked_select(input, mask):
    """The elements of ``input`` where ``mask`` is True, flattened."""
    if mask._data.dtype != np.bool_:
        raise RuntimeError(f"masked_select: expected BoolTensor for mask")
    return MaskedSelect.apply(input, mask)


class Where(Function):
    """y = x where cond else other.   dL/dx = dL/dy * cond,  dL/dother = dL/dy * (not cond)."""

    _graph_inputs = (1, 2)  # the values, not the condition; a number operand counts

    _backward_name = "WhereBackward0"

    @staticmethod
    def forward(ctx, cond, x, y):
        a, b = binary_arrays(x, y) if isinstance(x, Tensor) or isinstance(y, Tensor) else (x, y)
        ctx.cond = cond._data
        return np.asarray(np.where(cond._data, a, b))

    @staticmethod
    def backward(ctx, g):
        c = Tensor._make(ctx.cond)
        _, nx, ny = ctx.needs_input_grad[:3]
        zero = 0.0
        gx = Where.apply(c, g, zero) if nx else None
        gy = Where.apply(c, zero, g) if ny else None
        return None, gx, gy


_WHERE_SIGNATURES = ("Tensor condition", "Tensor condition, Tensor input, Tensor other, *, Tensor out = None",
                     "Tensor condition, Number self, Tensor other", "Tensor condition, Tensor input, Number other",
                     "Tensor condition, Number self, Number other")


_UNSET = object()  # an argument not given (None is a value that can be passed)


def where(condition, input=_UNSET, other=_UNSET, *, out=None):
    """``input`` where ``condition`` else ``other`` (broadcast, promoted); with one argument,
    ``nonzero(condition, as_tuple=True)``."""
    if not isinstance(condition, Tensor):
        raise TypeError(f"where(): argument 'condition' (position 1) must be Tensor, not {tp_name(condition)}")
    if input is _UNSET and other is _UNSET:
        return nonzero(condition, as_tuple=True)
    if not all(isinstance(v, (Tensor, numbers.Number)) for v in (input, other)):
        args = tuple(v for v in (condition, input) if v is not _UNSET)
        kwargs = {}
        if other is not _UNSET:
            if input is _UNSET:
                kwargs["other"] = other
            else:
                args += (other,)
        raise invalid_combination("where", args, kwargs, _WHERE_SIGNATURES)
    if condition._data.dtype != np.bool_:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype "
                           f"{_dtype.type_word(condition._data.dtype)}")
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        input = Tensor._make(np.asarray(input, _dtype.result_type(input, other).np))
    rt = _dtype.result_type(input, other).np
    check_scalar(input, rt)
    check_scalar(other, rt)
    return Where.apply(condition, input, other)


def nonzero(input, *, out=None, as_tuple=False):
    """Indices of the non-zero elements: an (n, ndim) int64 tensor, or one tensor per dim."""
    a = input._data
    if as_tuple:
        if a.ndim == 0:
            return (Tensor._make(np.zeros(int(bool(a)), np.int64)),)
        return tuple(Tensor._make(i.astype(np.int64)) for i in np.nonzero(a))
    if a.ndim == 0:
        return Tensor._make(np.zeros((int(bool(a)), 0), np.int64))
    return Tensor._make(np.argwhere(a).astype(np.int64))


def argwhere(input):
    return nonzero(input)


class Take(Function):
    """y = x.flatten()[idx].   dL/dx: scatter-add dL/dy into the flat positions."""

    _backward_name = "TakeBackward0"

    @staticmethod
    def forward(ctx, x, index):
        idx = index._data
        n = x._data.size
        if idx.size and (idx.max() >= n or idx.min() < -n):
            raise IndexError(f"out of range: tried to access index {int(idx.max() if idx.max() >= n else idx.min())} "
                             f"on a tensor of {n} elements.")
        ctx.meta = (x._data.shape, idx)
        return np.take(x._data.reshape(-1), idx)

    @staticmethod
    def backward(ctx, g):
        shape, idx = ctx.meta
        flat = IndexPutZeros.apply(g, (int(np.prod(shape)),), (idx,), True)
        return flat.reshape(shape), None


def take(input, index):
    """Elements of the flattened ``input`` at ``index``, shaped like ``index``."""
    return Take.apply(input, index)


def take_along_dim(input, indices, dim=None, *, out=None):
    if dim is None:
        return take(input, indices.reshape(-1))
    d = normalize_dim(dim, input._data.ndim)
    shape = list(np.broadcast_shapes(tuple(s if i != d else 1 for i, s in enumerate(input._data.shape)),
                                     tuple(s if i != d else 1 for i, s in enumerate(indices._data.shape))))
    xs = list(shape)
    xs[d] = input._data.shape[d]
    ix = list(shape)
    ix[d] = indices._data.shape[d]
    return gather(input.expand(xs), d, indices.expand(ix))


class IndexAdd(Function):
    """y = x with alpha * src added at ``index`` along dim.   dL/dx = dL/dy;
    dL/dsrc = alpha * index_select(dL/dy, dim, index)."""

    _backward_name = "IndexAddBackward0"

    @staticmethod
    def forward(ctx, x, dim, index, src, alpha):
        out = x._data.copy()
        full = (slice(None),) * dim + (index._data,)
        np.add.at(out, full, src._data * alpha if alpha != 1 else src._data)
        ctx.meta = (dim, index, alpha)
        return out

    @staticmethod
    def backward(ctx, g):
        dim, index, alpha = ctx.meta
        ns = ctx.needs_input_grad[3]
        gs = IndexSelect.apply(g, dim, index) * alpha if ns else None
        return g, None, None, gs, None


def index_add(input, dim, index, source, *, alpha=1):
    d = normalize_dim(dim, input._data.ndim)
    return IndexAdd.apply(input, d, index, source, alpha)


def index_add_(self, dim, index, source, *, alpha=1):
    return apply_inplace(self, index_add, dim, index, source, alpha=alpha)


def index_fill(input, dim, index, value):
    d = normalize_dim(dim, input._data.ndim)
    return _put(input, (slice(None),) * d + (index._data,), value)


def index_fill_(self, dim, index, value):
    return apply_inplace(self, index_fill, dim, index, value)


def index_copy(input, dim, index, source):
    d = normalize_dim(dim, input._data.ndim)
    return _put(input, (slice(None),) * d + (index._data,), source)


def index_copy_(self, dim, index, source):
    return apply_inplace(self, index_copy, dim, index, source)


__all__ = ["index_select", "gather", "scatter", "scatter_add", "masked_fill", "masked_select", "where", "nonzero",
           "argwhere", "take", "take_along_dim", "index_add", "index_fill", "index_copy", "index_put"]
methods(index_select, gather, scatter, scatter_add, scatter_, scatter_add_, masked_fill, masked_fill_,
        masked_select, nonzero, argwhere, take, take_along_dim, index_add, index_add_, index_fill, index_fill_,
        index_copy, index_copy_, index_put, index_put_, __getitem__=getitem, __setitem__=setitem)
_WHERE_METHOD_SIGNATURES = ("Tensor condition, Tensor other", "Tensor condition, Number other")


def _where_method(self, condition, other=_UNSET):
    """``self.where(condition, other)``: ``torch.where(condition, self, other)``."""
    if not isinstance(other, (Tensor, numbers.Number)):
        raise invalid_combination("where", (condition,) if other is _UNSET else (condition, other), {},
                                  _WHERE_METHOD_SIGNATURES)
    return where(condition, self, other)


_where_method.__name__ = "where"
Tensor.where = _where_method
