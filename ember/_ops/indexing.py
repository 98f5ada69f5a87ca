"""Indexing: ``t[...]`` reads and writes, and ``index_put``.

Reading with ints, slices, ``None`` and ``...`` ("basic" indexing) gives a *view*: NumPy's
view of the same memory, so writes through it reach the original. Its gradient places the
incoming gradient back at the viewed positions of a zero tensor.

Reading with integer or boolean tensors ("advanced" indexing) copies. The same position may
be picked several times, so its gradient *adds* every incoming gradient at its position
(a scatter-add), which is also the gradient of ``gather``, ``index_select`` and ``take``
(``gather_scatter.py``).

Writing (``t[idx] = v``, ``index_put``) replaces values: the overwritten positions of the old
tensor get no gradient, and the written values get the gradient of the positions they landed
on. Masks, ``masked_fill`` and ``where`` are in ``masking.py``; in-place ops on views in
``views.py``.
"""
import operator
import warnings

import numpy as np

from .. import _dtype
from .._tensor import Tensor
from ..autograd.function import Function
from ._util import methods, apply_inplace, needs_grad, _CPP_TYPE
from .._tensor import _legacy_type_name
from ._arguments import tp_name
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


def _convert_index(index, shape=None):
    """A PyTorch index as a NumPy one; also says whether it is basic (a view). With ``shape``
    (the indexed tensor's), PyTorch's checks of its ints and masks run first.

    Where PyTorch and NumPy read an index differently, the NumPy index says what PyTorch means:
    a second ``...`` matches no dim; and with integer or boolean arrays in the index, the plain
    ints select first (as PyTorch does), so that they do not count as arrays when NumPy decides
    where the indexed dims go (``x[0, :, [1, 2]]`` keeps the slice's dim first). That last case
    returns a ``_TwoStep`` index: a basic index, then the rest applied to its view."""
    items = tuple(_convert_item(i) for i in _as_items(index))
    if shape is not None:
        _check_basic(shape, items)
    first = next((p for p, i in enumerate(items) if i is Ellipsis), None)
    out = tuple(i for p, i in enumerate(items) if i is not Ellipsis or p == first)  # (later ones: no dims)
    basic = not any(_is_array(i) for i in out)
    if not basic and any(i.__class__ is int or _is_bool_scalar(i) for i in out):
        out = _two_step(out)
    return out, basic


def _convert_item(i):
    """One item of a PyTorch index as NumPy's: an int, slice, None, ``...``, or an int64 or
    bool array."""
    if isinstance(i, Tensor):
        a = i._data
        # a 0-d uint8 tensor is a (deprecated) mask like a 0-d bool one, not an integer
        if a.dtype == np.bool_ or a.dtype == np.uint8 or a.ndim:
            if a.dtype.kind == "f":
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            return _index_tensor_array(a)
        if a.dtype.kind not in "iub":
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return int(a)
    if isinstance(i, np.ndarray) and i.ndim == 0 and i.dtype.kind in "biuf" and i.dtype != np.uint8:
        # PyTorch reads a 0-d NumPy array as the Python number it holds (floats truncate)
        i = bool(i) if i.dtype.kind == "b" else int(i)
    if i.__class__ is bool:
        return np.array(i)
    if isinstance(i, (int, np.integer)) and not isinstance(i, np.bool_):
        return int(i)
    if isinstance(i, slice):
        try:
            start, stop, step = (None if v is None else operator.index(v) for v in (i.start, i.stop, i.step))
        except TypeError:
            raise TypeError("slice indices must be integers or None or have an __index__ method") from None
        if step is not None and step <= 0:
            raise ValueError("slice step cannot be zero" if step == 0 else "step must be greater than zero")
        return slice(start, stop, step)
    if i is None or i is Ellipsis:
        return i
    if isinstance(i, (str, bytes)):
        raise TypeError(f"new(): invalid data type '{type(i).__name__}'")
    if isinstance(i, np.ndarray):  # made a tensor of indices, as a list is (floats truncate)
        if i.dtype.kind not in "biufc":
            raise TypeError(f"can't convert np.ndarray of type numpy.{i.dtype.type.__name__}. The only supported "
                            f"types are: float64, float32, float16, complex64, complex128, int64, int32, int16, "
                            f"int8, uint64, uint32, uint16, uint8, and bool.")
        if i.dtype.kind == "c":  # (PyTorch keeps the real part)
            i = i.real
        # bool and uint8 arrays are masks (uint8 deprecated), as the tensors made of them are
        return _index_tensor_array(i if i.dtype.kind == "b" or i.dtype == np.uint8 else i.astype(np.int64, copy=False))
    if isinstance(i, (list, tuple, range)):  # made a tensor, as torch.tensor(i) would be
        arr = np.asarray([int(v) if isinstance(v, Tensor) else v for v in i] if isinstance(i, (list, tuple)) else i)
        return arr if arr.dtype.kind == "b" else arr.astype(np.int64)  # (floats truncate, as in PyTorch)
    raise IndexError(f"only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
                     f"valid indices (got {tp_name(i)})")


def _check_basic(shape, idx):
    """PyTorch's checks of an index's ints and masks, done as it slices: no more dims named
    than there are; each int within the size of its dim in the tensor sliced so far (the
    message names the int's position in the index); then each mask's shape against the dims
    it covers in the fully sliced tensor (where None and True/False add dims of size 1 and
    ints remove theirs). Each ``...`` moves PyTorch's dim on by the dims not named, so
    anything but a last ``...`` that comes after another runs off the end (its errors too)."""
    ndim = len(shape)
    specified = sum(_dims_taken(i) for i in idx if i is not None and i is not Ellipsis)
    if specified > ndim:
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    sliced, dim, masks, named = list(shape), 0, [], 0
    for p, i in enumerate(idx):
        if i is Ellipsis:
            dim += ndim - specified
            continue
        new_dim = i is None or _is_bool_scalar(i)
        n = len(sliced) + new_dim  # (unsqueeze takes one more)
        if dim >= n and not (_is_array(i) and not new_dim) and i != slice(None):  # (":" is skipped, unchecked)
            raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
        if _is_array(i) and not new_dim:
            named = dim + _dims_taken(i)
        if new_dim:
            sliced.insert(dim, 1)
            dim += 1
        elif i.__class__ is int:
            size = sliced[dim]
            if not -size <= i < size:
                raise IndexError(f"index {i} is out of bounds for dimension {p} with size {size}")
            del sliced[dim]
        elif _is_array(i) and i.dtype == np.bool_:
            masks.append((i, dim))
            dim += i.ndim
        else:
            if i.__class__ is slice and dim < len(sliced):
                sliced[dim] = len(range(*i.indices(sliced[dim])))
            dim += 1
    if named > len(sliced):
        raise IndexError(f"too many indices for tensor of dimension {len(sliced)} (got {named})")
    for m, d in masks:
        for j, n in enumerate(m.shape):
            if n != sliced[d + j]:
                raise IndexError(f"The shape of the mask {list(m.shape)} at index {j} does not match the shape of the "
                                 f"indexed tensor {sliced} at index {d + j}")


def _is_array(i):
    return i.__class__ is np.ndarray


def _is_bool_scalar(i):
    """True or False as an index item (a 0-d bool array)."""
    return i.__class__ is np.ndarray and i.ndim == 0 and i.dtype == np.bool_


class _TwoStep(tuple):
    """``(first, second)``: index with ``first`` (basic, so a view), then that view with
    ``second``."""


def _two_step(idx):
    """``idx`` (with ints or True/False among index arrays) as PyTorch applies it: first the
    view ops (ints select, True/False add a dim), then the arrays, True and False there
    indexing their new dim with [0] or []."""
    first, second = [], []
    for i in idx:
        if i.__class__ is int:
            first.append(i)
        elif _is_bool_scalar(i):
            first.append(None)
            second.append(np.zeros(int(i), np.int64))
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
    """PyTorch's checks of the index arrays (see ``_check_indexers``), after ``_check_basic``.
    Returns the index to use and the IndexError of an index out of range, or None: PyTorch
    finds those only while reading or writing elements (after its other checks, so the
    caller raises it), and not at all where the result is empty. An index with such
    positions comes back with zeros in their arrays, which NumPy accepts."""
    if idx.__class__ is _TwoStep:
        second, error = _check_bounds(np.broadcast_to(np.empty((), np.bool_), a.shape)[idx[0]], idx[1])
        return (idx if second is idx[1] else _TwoStep((idx[0], second))), error
    dim, indexers = 0, []
    for i in idx:
        if i is None:
            continue
        if i is Ellipsis:
            dim += a.ndim - sum(_dims_taken(j) for j in idx if j is not None and j is not Ellipsis)
            continue
        # (array, its shape, the size of its dim); masks and True/False name no position out of range
        if _is_array(i) and i.dtype == np.bool_:
            if i.ndim == 0:  # True/False: PyTorch indexes a new dim of size 1 with [0] or []
                indexers.append((None, (int(i),), 1))
            else:  # a mask indexes as its nonzero positions, one indexer per dim
                count = (int(np.count_nonzero(i)),)
                indexers.extend((None, count, a.shape[dim + j]) for j in range(i.ndim))
        elif _is_array(i):
            indexers.append((i, i.shape, a.shape[dim]))
        dim += _dims_taken(i)
    return _check_indexers(a, idx, indexers) if indexers else (idx, None)


def _check_indexers(a, idx, indexers):
    """PyTorch's checks of the index arrays (``indexers``: (array or None for one that is in
    range, its shape, the size of its dim) in order):
    they must broadcast together; a dim of size 0 takes no index; otherwise the first index
    out of range, going through the result's elements in order and through the indexers of
    each, is reported with the indexer's number as its "dimension"."""
    if len(indexers) > 1:
        try:
            shape = np.broadcast_shapes(*(s for _, s, _ in indexers))
        except ValueError:
            raise IndexError("shape mismatch: indexing tensors could not be broadcast together with shapes "
                             + ", ".join(str(list(s)) for _, s, _ in indexers)) from None
    else:
        shape = indexers[0][1]
    if 0 in (n for _, _, n in indexers) and 0 not in shape:
        raise IndexError("index is out of bounds for dimension with size 0")
    if not any(i is not None and i.size and (i.max() >= n or i.min() < -n) for i, _, n in indexers):
        return idx, None
    # the result's size, with every index array made valid (zeros)
    zeros = {id(i): np.zeros(i.shape, np.int64) for i, _, _ in indexers if i is not None}
    safe = tuple(zeros.get(id(i), i) if _is_array(i) and i.dtype != np.bool_ else i for i in idx)
    if _at(np.broadcast_to(np.empty((), np.bool_), a.shape), safe).size == 0:
        return safe, None  # no element is read or written, so nothing is checked
    sizes = np.array([n for _, _, n in indexers]).reshape(-1, 1)
    flat = np.stack([np.broadcast_to(0 if i is None else i, shape).reshape(-1) for i, _, _ in indexers])
    bad = (flat >= sizes) | (flat < -sizes)
    pos = int(np.argmax(bad.any(axis=0)))
    j = int(np.argmax(bad[:, pos]))
    return safe, IndexError(f"index {flat[j, pos]} is out of bounds for dimension {j} with size {sizes[j, 0]}")


def _view_ops(shape, idx):
    """The view ops PyTorch's indexing applies for the basic items of ``idx`` (a NumPy index),
    in order: "Select", "Slice", "Unsqueeze" (also for True and False, which it reads as a
    new dim indexed by [0] or []). A slice from 0 (or None) to at least the dim's size with
    step 1 is no op: PyTorch skips it."""
    ops, dim = [], 0
    n_taken = sum(_dims_taken(j) for j in idx if j is not None and j is not Ellipsis)
    for i in idx:
        if i is Ellipsis:
            dim += len(shape) - n_taken
        elif i is None:
            ops.append("Unsqueeze")
        elif i.__class__ is int:
            ops.append("Select")
            dim += 1
        elif i.__class__ is slice:
            if i.start not in (None, 0) or i.step not in (None, 1) or i.stop is not None and i.stop < shape[dim]:
                ops.append("Slice")
            dim += 1
        elif _is_bool_scalar(i):
            ops.append("Unsqueeze")
        else:
            dim += _dims_taken(i)
    return ops


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


# --- numbers written into tensors ----------------------------------------------------------------
def _overflows(v, dt):
    """Whether PyTorch's checked conversion of the number ``v`` (int, float or complex) to the
    NumPy dtype ``dt`` fails (c10's ``overflows``): bool takes anything; a complex number needs
    a zero imaginary part; floats may be NaN or infinite, else within the type's range (no
    rounding first: -0.5 does not fit uint8); an int into an unsigned type may also be
    -max..-1 (it wraps around)."""
    if dt.kind == "b":
        return False
    if isinstance(v, complex):
        if v.imag != 0:
            return True
        v = v.real
    if dt.kind == "f":
        return v == v and abs(v) != float("inf") and abs(v) > float(np.finfo(dt).max)
    info = np.iinfo(dt)
    if isinstance(v, float):
        return v != v or not info.min <= v <= info.max
    return v > info.max or (v < -info.max if dt.kind == "u" else v < info.min)


def _as_number(value):
    """A Python bool, int, float or complex for a Python or NumPy number (other values as they are)."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    if isinstance(value, (complex, np.complexfloating)):
        return complex(value)
    return value


def _cast_number(v, dt):
    """The number ``v`` as a NumPy scalar of ``dt`` (ints wrap around, floats truncate toward
    zero and overflow to infinity, complex numbers keep their real part)."""
    if isinstance(v, complex) and dt.kind != "b":
        v = v.real
    with np.errstate(over="ignore", invalid="ignore"):
        return np.array(v).astype(dt)[()]


def _fill_number(value, dt):
    """``value`` (a number) as PyTorch converts a Scalar argument (``masked_fill``,
    ``index_fill``): an int must fit int64 or uint64, then the checked conversion to ``dt``."""
    v = _as_number(value)
    if v.__class__ is int:
        if v < -2 ** 63:
            raise OverflowError("can't convert negative int to unsigned")
        if v >= 2 ** 64:
            raise OverflowError("int too big to convert")
    if _overflows(v, dt):
        raise RuntimeError(f"value cannot be converted to type {_CPP_TYPE.get(dt.name, dt.name)} without overflow")
    return _cast_number(v, dt)


def _setitem_number(value, dt):
    """``value`` (a number) as ``t[i] = value`` converts it: an int must fit int64 (a
    ValueError otherwise); float16 takes any real number (too large ones become infinite);
    other types check the conversion, where a complex number into float16 names ``double``."""
    v = _as_number(value)
    if v.__class__ is int and not -2 ** 63 <= v < 2 ** 63:
        raise ValueError("Overflow when unpacking long long")
    if v.__class__ is not bool and _overflows(v, dt) and (dt != np.float16 or isinstance(v, complex)):
        name = "double" if dt == np.float16 else _CPP_TYPE.get(dt.name, dt.name)
        raise RuntimeError(f"value cannot be converted to type {name} without overflow")
    return _cast_number(v, dt)


# --- reading --------------------------------------------------------------------------------------
class BasicIndex(Function):
    """y = x[idx] (a view).   dL/dx = zeros with dL/dy placed at the viewed positions."""

    _accumulate = False

    @staticmethod
    def forward(ctx, x, idx):
        ctx.meta = (x._data.shape, idx)
        out = _at(x._data, idx)
        if out.__class__ is not np.ndarray:  # one element: NumPy gives a copy; with a trailing ``...``, a view
            out = x._data[idx + (Ellipsis,)]
        return out

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
    idx, basic = _convert_index(index, a.shape)
    idx, out_of_range = _check_bounds(a, idx)
    if out_of_range:
        raise out_of_range
    if basic:
        # the node of the last view op, as PyTorch's (a slice alone is always sliced)
        ops = ["Slice"] if index.__class__ is slice else _view_ops(a.shape, idx)
        return as_view(_BASIC[ops[-1] if ops else "Alias"].apply(self, idx), self)
    if idx.__class__ is _TwoStep:  # the view ops first, then the arrays index that view
        ops = _view_ops(a.shape, idx[0])
        self, idx = as_view(_BASIC[ops[-1] if ops else "Alias"].apply(self, idx[0]), self), idx[1]
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


class CopyPut(IndexPut):
    _backward_name = "CopyBackwards"


class FillPut(IndexPut):
    _backward_name = "FillBackward3"


def _is_basic(idx):
    return idx.__class__ is not _TwoStep and not any(isinstance(i, np.ndarray) for i in idx)


def _index_put_args(name, self, indices, values, accumulate, shift):
    """PyTorch's checks of ``index_put``'s arguments, in its order (``shift``: 1 for the
    method, whose argument positions count after self). Returns the NumPy index, the values
    to write, and the IndexError of a position out of range (raised last) or None."""
    if not isinstance(indices, (tuple, list)):
        raise TypeError(f"{name}(): argument 'indices' (position {2 - shift}) must be tuple of Tensors, not "
                        f"{tp_name(indices)}")
    for k, i in enumerate(indices):
        if not isinstance(i, Tensor):
            raise TypeError(f"expected Tensor as element {k} in argument {1 - shift}, but got {tp_name(i)}")
    if not isinstance(values, Tensor):
        raise TypeError(f"{name}(): argument 'values' (position {3 - shift}) must be Tensor, not {tp_name(values)}")
    a = self._data
    if len(indices) > a.ndim:
        raise IndexError(f"too many indices for tensor of dimension {a.ndim} (got {len(indices)})")
    for i in indices:
        if i._data.dtype.kind not in "iub":
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    # every index is a tensor here, a 0-d one too (not an int that selects)
    idx = tuple(_index_tensor_array(i._data) for i in indices)
    _check_basic(a.shape, idx)
    idx, out_of_range = _check_bounds(a, idx)
    return idx, _put_value(self, idx, values, strip=False, masked_fill=not accumulate), out_of_range


def index_put(input, indices, values, accumulate=False):
    """Out of place: ``input`` with ``values`` written (or, with ``accumulate``, added) at
    the positions the index tensors ``indices`` name."""
    idx, values, out_of_range = _index_put_args("index_put", input, indices, values, accumulate, 0)
    if out_of_range:
        raise out_of_range
    return IndexPut.apply(input, idx, values, accumulate)


def _index_put_method(self, indices, values, accumulate=False):
    idx, values, out_of_range = _index_put_args("index_put", self, indices, values, accumulate, 1)
    if out_of_range:
        raise out_of_range
    return IndexPut.apply(self, idx, values, accumulate)


index_put._method = _index_put_method


def _put(x, idx, v, accumulate=False, cls=IndexPut):
    """``x`` with ``v`` written (or added) at ``idx``; ``cls``: the Function that records it
    (its node's name is PyTorch's for the op)."""
    if isinstance(v, Tensor) and v._data.dtype != x._data.dtype:
        v = v.to(x.dtype)
    return cls.apply(x, idx, v, accumulate)


def setitem(self, index, value):
    """``self[index] = value``, differentiable. ``value`` is a Python number or a tensor.

    As in PyTorch, an index without integer or boolean arrays copies the tensor into the
    viewed positions (cast to ``self``'s dtype, and broadcast after dropping its leading size-1
    dims, with ``expand``'s errors); with arrays it is ``index_put_``, which needs the same
    dtype (except where the arrays are one bool mask and the value has one element: that is
    ``masked_fill_``). PyTorch's checks come in its order: the value (a number first), the
    index's ints and masks, a leaf that requires grad, the index arrays, the value against
    them, and last the positions the arrays name."""
    a = self._data
    if isinstance(value, (int, float, complex, np.integer)):  # (NumPy's float32 and bool_ are not numbers here)
        value = _setitem_number(value, a.dtype)
    elif not isinstance(value, Tensor):
        raise TypeError(f"can't assign a {tp_name(value)} to a {_legacy_type_name(self)}")
    if a.ndim == 0:
        _check_0d(index)
    idx, basic = _convert_index(index, a.shape)
    if needs_grad(self) and self.grad_fn is None:
        # where PyTorch writes through a view (self or one of it), its error speaks of a view
        view = self._base is not None or idx.__class__ is _TwoStep or _view_ops(a.shape, idx)
        raise RuntimeError(f"a {'view of a ' if view else ''}leaf Variable that requires grad is being used in an "
                           f"in-place operation.")
    idx, out_of_range = _check_bounds(a, idx)
    if isinstance(value, Tensor):
        value = _put_value(self, idx, value)
    if out_of_range:
        raise out_of_range
    apply_inplace(self, _put, idx, value, cls=_setitem_node(a.shape, idx, value))


def _setitem_node(shape, idx, value):
    """The Function whose node PyTorch's ``t[idx] = value`` leaves as ``t.grad_fn``: without
    a view on the way (only full slices and ``...``) a copy or fill of ``t`` itself
    (CopyBackwards; FillBackward3 for a number or a 0-d tensor written into a tensor of
    some dims), or ``index_put_`` of ``t`` (IndexPutBackward0); otherwise a write into a
    view (CopySlices)."""
    if idx.__class__ is _TwoStep or _view_ops(shape, idx):
        return CopySlicesPut
    if not _is_basic(idx):
        return IndexPut
    return CopyPut if isinstance(value, Tensor) and value._data.ndim or not shape else FillPut


def _put_value(self, idx, value, strip=True, masked_fill=True):
    """``value`` (a tensor) ready to be written at ``idx`` (see ``setitem``), with PyTorch's
    checks; ``strip``: drop the value's leading size-1 dims first (as setitem does, not
    index_put); ``masked_fill``: one mask and a one-element value go to ``masked_fill_``."""
    from .shape import expand
    target = _at(np.broadcast_to(np.empty((), np.bool_), self._data.shape), idx).shape
    shape = value._data.shape
    stripped = shape
    while strip and stripped and stripped[0] == 1:
        stripped = stripped[1:]
    arrays = [i for i in (idx[1] if idx.__class__ is _TwoStep else idx) if _is_array(i)]
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
    if masked_fill and value._data.size == 1 and len(arrays) == 1 and arrays[0].dtype == np.bool_ and arrays[0].ndim:
        # PyTorch's index_put_ hands one mask and one value to masked_fill_, which takes the
        # value's number (of any dtype that converts)
        dt = self._data.dtype
        if _overflows(value._data.item(), dt):
            raise RuntimeError(f"value cannot be converted to type {_CPP_TYPE.get(dt.name, dt.name)} without overflow")
        return value.reshape(())
    if value._data.dtype != self._data.dtype:
        raise RuntimeError(f"Index put requires the source and destination dtypes match, got "
                           f"{_dtype.type_word(self._data.dtype)} for the destination and "
                           f"{_dtype.type_word(value._data.dtype)} for the source.")
    return value.reshape(stripped) if stripped != shape else value


def _index_put_(self, indices, values, accumulate, shift):
    idx, values, out_of_range = _index_put_args("index_put_", self, indices, values, accumulate, shift)
    if out_of_range:
        raise out_of_range
    return apply_inplace(self, _put, idx, values, accumulate, cls=IndexPut)


def index_put_(self, indices, values, accumulate=False):
    """In place: ``index_put``."""
    return _index_put_(self, indices, values, accumulate, 0)


def _index_put_inplace_method(self, indices, values, accumulate=False):
    return _index_put_(self, indices, values, accumulate, 1)


index_put_._method = _index_put_inplace_method


__all__ = ["index_put"]
methods(index_put, index_put_, __getitem__=getitem, __setitem__=setitem)
