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
from ._util import (methods, normalize_dim, apply_inplace, binary_arrays, check_scalar, needs_grad,
                    check_broadcast, _CPP_TYPE)
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


# --- gather / scatter / select ----------------------------------------------------------------------
def _tensor_args(*names):
    """Decorator: the arguments ``names`` of an op must be tensors. PyTorch's TypeError counts
    an argument's position from 1 in the function and from 0 after ``self`` in the method, so
    the op gets a method form (``_method``, which ``methods`` attaches) of its own."""
    def decorate(fn):
        params = fn.__code__.co_varnames[:fn.__code__.co_argcount]
        where = [(n, params.index(n)) for n in names]

        def check(args, kwargs, shift):
            for n, i in where:
                given = i < len(args) or n in kwargs  # (one not given fails in the call itself)
                v = args[i] if i < len(args) else kwargs.get(n)
                if given and not isinstance(v, Tensor):
                    raise TypeError(f"{fn.__name__}(): argument '{n}' (position {i + 1 - shift}) must be Tensor, "
                                    f"not {tp_name(v)}")

        def function(*args, **kwargs):
            check(args, kwargs, 0)
            return fn(*args, **kwargs)

        def method(*args, **kwargs):
            check(args, kwargs, 1)
            return fn(*args, **kwargs)
        for f in (function, method):
            f.__name__, f.__qualname__, f.__doc__ = fn.__name__, fn.__qualname__, fn.__doc__
        function._method = method
        return function
    return decorate


def _index_array(index, name="index"):
    """The array of an op's ``index`` argument: an int64 or int32 tensor."""
    if not isinstance(index, Tensor):
        raise TypeError(f"{name}(): argument 'index' (position 2) must be Tensor, not {tp_name(index)}")
    if index._data.dtype != np.int64 and index._data.dtype != np.int32:
        kinds = "int32 or int64" if name == "index_select" else "int32/int64"  # (PyTorch words them apart)
        # scatter_add and scatter_reduce report this as scatter
        raise RuntimeError(f"{'scatter' if name.startswith('scatter') else name}(): Expected dtype {kinds} for index")
    return index._data


def _first_out_of_range(i, low, size, dim=-1):
    """The first entry of the index array ``i`` outside ``[low, size)``, going along ``dim``
    innermost (the order of PyTorch's kernels), or None."""
    bad = (i >= size) | (i < low)
    if not bad.any():
        return None
    flat = np.moveaxis(i, dim, -1).reshape(-1) if i.ndim else i.reshape(-1)
    bad = np.moveaxis(bad, dim, -1).reshape(-1) if i.ndim else bad.reshape(-1)
    return int(flat[np.argmax(bad)])


class IndexSelect(Function):
    """y = x.take(idx, dim).   dL/dx: scatter-add dL/dy into the selected slices.
    (A 0-d x with its one index 0: y = x, dL/dx = dL/dy.)"""

    _backward_name = "IndexSelectBackward0"

    @staticmethod
    def forward(ctx, x, dim, index):
        idx = index._data
        ctx.meta = (x._data.shape, dim, idx)
        if x._data.ndim == 0:
            return x._data.copy()
        return np.take(x._data, idx, axis=dim)

    @staticmethod
    def backward(ctx, g):
        shape, dim, idx = ctx.meta
        if not shape:
            return g * 1, None, None
        full = (slice(None),) * dim + (idx,)
        return IndexPutZeros.apply(g, shape, full, True), None, None


@_tensor_args("index")
def index_select(input, dim, index):
    """Slices of ``input`` along ``dim`` at the positions ``index`` (a vector or a 0-d tensor;
    no negative positions, unlike ``t[index]``)."""
    _index_array(index, "index_select")
    if index._data.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    d = normalize_dim(dim, input._data.ndim)
    i = index._data.reshape(-1)
    if input._data.ndim == 0 and i.size != 1:
        raise RuntimeError(f"index_select(): Index to scalar can have only 1 value, got {i.size} value(s)")
    size = input._data.shape[d] if input._data.ndim else 1
    if i.size and (i.max() >= size or i.min() < 0):
        raise IndexError("index out of range in self")
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
    than a tensor ``src`` anywhere, which also needs index's number of dims; an empty index
    is not checked there), and every position in range (no negative ones)."""
    xs, ix = input._data.shape, index._data.shape
    if name == "gather":
        if max(len(xs), 1) != max(len(ix), 1):
            raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
        for d, (si, sx) in enumerate(zip(ix, xs)):
            if d != dim and si > sx:
                raise RuntimeError(f"Size does not match at dimension {d} expected index {list(ix)} to be no larger "
                                   f"than self {list(xs)} apart from dimension {dim}")
    elif index._data.size:
        if max(len(xs), 1) != max(len(ix), 1):
            raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
        srcs = src._data.shape if isinstance(src, Tensor) else None
        size = lambda shape, d: shape[d] if shape else 1  # (0-d tensors have size 1 along dim 0)
        too_big = any(d != dim and size(ix, d) > size(xs, d) for d in range(max(len(xs), 1)))
        if not too_big and srcs is not None:
            for d in range(max(len(xs), 1)):
                if srcs:
                    normalize_dim(d, len(srcs))  # (PyTorch asks src for each dim's size)
                if size(ix, d) > size(srcs, d):
                    too_big = True
                    break
        if srcs is not None and max(len(srcs), 1) != max(len(ix), 1):  # (PyTorch checks this before the sizes)
            raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
        if too_big:
            raise RuntimeError(f"Expected index {list(ix)} to be no larger than self {list(xs)} apart from dimension "
                               f"{dim}" + ("" if srcs is None else f" and to be no larger size than src {list(srcs)}"))
    size = xs[dim] if xs else 1
    bad = _first_out_of_range(index._data, 0, size, dim if index._data.ndim else -1)
    if bad is not None:
        raise RuntimeError(f"index {bad} is out of bounds for dimension {dim} with size {size}")


@_tensor_args("index")
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
        index = Tensor._make(idx)
        gx = (g if reduce else ScatterValue.apply(g, dim, index, 0.0, None)) if nx else None
        gs = Gather.apply(g, dim, index) if ns else None
        return gx, None, None, gs, None


class ScatterAdd(Scatter):
    _backward_name = "ScatterAddBackward0"


class ScatterValue(Scatter):
    """``scatter`` with a number (PyTorch's other overload, so its node's name)."""

    _backward_name = "ScatterBackward1"


class ScatterReduced(Scatter):
    """``scatter(..., reduce=...)``: PyTorch has no derivative for it and fails in backward."""

    _backward_name = "NotImplemented"

    @staticmethod
    def backward(ctx, g):
        raise RuntimeError("derivative for aten::scatter is not implemented")


_SCATTER_SIGNATURES = ("Tensor input, int dim, Tensor index, Tensor src, *, Tensor out = None",
                       "Tensor input, int dim, Tensor index, Tensor src, *, str reduce, Tensor out = None",
                       "Tensor input, int dim, Tensor index, Number value, *, Tensor out = None",
                       "Tensor input, int dim, Tensor index, Number value, *, str reduce, Tensor out = None")


_SCATTER_METHOD_SIGNATURES = ("int dim, Tensor index, Tensor src", "int dim, Tensor index, Tensor src, *, str reduce",
                              "int dim, Tensor index, Number value",
                              "int dim, Tensor index, Number value, *, str reduce")


def _scatter_args(name, shown, index, src, value, signatures):
    """PyTorch's TypeError for scatter's arguments (``shown``: those before src or value)."""
    s = src if src is not None else value
    if not isinstance(index, Tensor) or not isinstance(s, (Tensor, numbers.Number)):
        raise invalid_combination(name, shown + ((s,) if src is not None else ()),
                                  {"value": value} if src is None and value is not None else {}, signatures)
    return s


def scatter(input, dim, index, src=None, value=None, *, reduce=None):
    """Write ``src`` (or ``value``) into a copy of ``input`` at ``index`` along ``dim``; with
    ``reduce`` ("add" or "multiply"), combine them with what is there instead."""
    s = _scatter_args("scatter", (input, dim, index), index, src, value, _SCATTER_SIGNATURES)
    return _scatter(input, dim, index, s, reduce)


def _scatter_method(self, dim, index, src=None, value=None, *, reduce=None):
    s = _scatter_args("scatter", (dim, index), index, src, value, _SCATTER_METHOD_SIGNATURES)
    return _scatter(self, dim, index, s, reduce)


scatter._method = _scatter_method


def _scatter(input, dim, index, s, reduce=None):
    """``scatter`` once its arguments have the right types."""
    _index_array(index, "scatter")
    d = normalize_dim(dim, input._data.ndim)
    if isinstance(s, Tensor) and s._data.dtype != input._data.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    if reduce is not None and reduce not in ("add", "multiply"):
        raise RuntimeError("reduce argument must be either add or multiply.")
    _check_gather(input, d, index, "scatter", s)
    if reduce is not None:
        if isinstance(s, Tensor):
            warnings.warn("The reduce argument of torch.scatter with Tensor src is deprecated and will be removed in "
                          "a future PyTorch release. Use torch.scatter_reduce instead for more reduction options.",
                          UserWarning, stacklevel=2)
        return ScatterReduced.apply(input, d, index, s, reduce)
    return (Scatter if isinstance(s, Tensor) else ScatterValue).apply(input, d, index, s, reduce)


@_tensor_args("index", "src")
def scatter_add(input, dim, index, src):
    """Add ``src`` into a copy of ``input`` at ``index`` along ``dim`` (duplicates add up)."""
    _index_array(index, "scatter_add")
    if src._data.dtype != input._data.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    d = normalize_dim(dim, input._data.ndim)
    _check_gather(input, d, index, "scatter_add", src)
    return ScatterAdd.apply(input, d, index, src, "add")


def scatter_(self, dim, index, src=None, value=None, *, reduce=None):
    s = _scatter_args("scatter_", (dim, index), index, src, value, _SCATTER_METHOD_SIGNATURES)
    return apply_inplace(self, _scatter, dim, index, s, reduce)


@_tensor_args("index", "src")
def scatter_add_(self, dim, index, src):
    return apply_inplace(self, scatter_add, dim, index, src)


class MaskedFill(Function):
    """y = where(mask, value, x), broadcast.   dL/dx = dL/dy where not masked (summed back
    to x's shape); dL/dvalue = sum of dL/dy where masked (for a tensor value)."""

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


class MaskedFillTensor(MaskedFill):
    """``masked_fill`` with a 0-d tensor value (PyTorch's other overload, so its node's name)."""

    _backward_name = "MaskedFillBackward1"


_MASKED_FILL_SIGNATURES = ("Tensor input, Tensor mask, Tensor value", "Tensor input, Tensor mask, Number value")
_MASKED_FILL_SIGNATURES_METHOD = ("Tensor mask, Tensor value", "Tensor mask, Number value")


def _masked_fill_args(name, args, mask, value, signatures):
    """PyTorch's argument errors of masked_fill: a mask that is no tensor or a value that is no
    tensor or number (TypeError), a Python int past uint64 (OverflowError)."""
    if not isinstance(mask, Tensor) or not isinstance(value, (Tensor, numbers.Number)):
        raise invalid_combination(name, args, {}, signatures)
    if not isinstance(value, Tensor) and _as_number(value).__class__ is int:
        _fill_number(value, np.dtype(np.bool_))  # only the OverflowErrors


def _check_0d_value(value, name):
    if isinstance(value, Tensor) and value._data.ndim:
        raise RuntimeError(f"{name} only supports a 0-dimensional value tensor, but got tensor with "
                           f"{value._data.ndim} dimension(s).")


# the C++ names PyTorch's mask errors give the dtypes
_CPP_NAME = {"bool": "bool", "uint8": "unsigned char", "int8": "signed char", "int16": "short int", "int32": "int",
             "int64": "long int", "float16": "c10::Half", "float32": "float", "float64": "double"}


def _check_bool_mask(mask, name):
    if mask._data.dtype != np.bool_:
        raise RuntimeError(f"{name} only supports boolean masks, but got mask with dtype "
                           f"{_CPP_NAME.get(mask._data.dtype.name, mask._data.dtype.name)}")


def _masked_fill(input, mask, value):
    """The checks after broadcasting, and the op."""
    _check_0d_value(value, "masked_fill_")
    _check_bool_mask(mask, "masked_fill_")
    dt = input._data.dtype
    if isinstance(value, Tensor):  # PyTorch reads the tensor's number and converts it, checked
        v = value._data.item()
        if _overflows(v, dt):
            raise RuntimeError(f"value cannot be converted to type {_CPP_TYPE.get(dt.name, dt.name)} without overflow")
        return MaskedFillTensor.apply(input, mask, value)
    return MaskedFill.apply(input, mask, _fill_number(value, dt))


def masked_fill(input, mask, value):
    """``value`` where ``mask`` (bool) is True, ``input`` elsewhere; the result has the shape
    ``input`` and ``mask`` broadcast to."""
    _masked_fill_args("masked_fill", (input, mask, value), mask, value, _MASKED_FILL_SIGNATURES)
    check_broadcast(mask._data.shape, input._data.shape)
    return _masked_fill(input, mask, value)


def _masked_fill_method(self, mask, value):
    _masked_fill_args("masked_fill", (mask, value), mask, value, _MASKED_FILL_SIGNATURES_METHOD)
    check_broadcast(mask._data.shape, self._data.shape)
    return _masked_fill(self, mask, value)


masked_fill._method = _masked_fill_method


def masked_fill_(self, mask, value):
    """In place: the mask must broadcast to ``self``'s shape (PyTorch checks the mask's dtype
    first here, and names the tensors the other way round)."""
    _masked_fill_args("masked_fill_", (mask, value), mask, value, _MASKED_FILL_SIGNATURES_METHOD)
    _check_0d_value(value, "masked_fill_")
    _check_bool_mask(mask, "masked_fill_")
    _check_inplace_broadcast(self, mask)
    return apply_inplace(self, _masked_fill, mask, value)


def _check_inplace_broadcast(self, other):
    """PyTorch's errors when ``other`` does not broadcast to ``self``'s shape (in-place ops)."""
    check_broadcast(self._data.shape, other._data.shape)
    shape = np.broadcast_shapes(self._data.shape, other._data.shape)
    if shape != self._data.shape:
        raise RuntimeError(f"output with shape {list(self._data.shape)} doesn't match the broadcast shape "
                           f"{list(shape)}")


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


@_tensor_args("mask")
def masked_select(input, mask):
    """The elements of ``input`` where ``mask`` is True (both broadcast), flattened."""
    if mask._data.dtype != np.bool_:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    check_broadcast(mask._data.shape, input._data.shape)
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
    if condition._data.dtype == np.uint8:  # deprecated in PyTorch, but still read as a mask
        warnings.warn("where received a uint8 condition tensor. This behavior is deprecated and will be removed in a "
                      "future version of PyTorch. Use a boolean condition instead.", UserWarning, stacklevel=2)
        condition = Tensor._make(condition._data.astype(np.bool_))
    if condition._data.dtype != np.bool_:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype "
                           f"{_dtype.type_word(condition._data.dtype)}")
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        input = Tensor._make(np.asarray(input, _dtype.result_type(input, other).np))
    rt = _dtype.result_type(input, other).np
    check_scalar(input, rt)
    check_scalar(other, rt)
    return Where.apply(condition, input, other)


@_tensor_args("input")
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


@_tensor_args("input")
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


@_tensor_args("index")
def take(input, index):
    """Elements of the flattened ``input`` at ``index`` (int64), shaped like ``index``."""
    if index._data.dtype != np.int64:
        raise RuntimeError(f"take(): Expected a long tensor for index, but got {_dtype.type_word(index._data.dtype)}")
    return Take.apply(input, index)


@_tensor_args("indices")
def take_along_dim(input, indices, dim=None, *, out=None):
    """``gather`` along ``dim`` with ``input`` and ``indices`` broadcast to each other (except
    along ``dim``); PyTorch takes the indices modulo the size of ``dim`` there. Without
    ``dim``: ``gather`` of the flattened tensors."""
    if dim is None:
        return gather(input.reshape(-1), 0, indices.reshape(-1))
    xs, ix = input._data.shape, indices._data.shape
    if len(xs) != len(ix):
        raise RuntimeError(f"torch.take_along_dim(): input and indices should have the same number of dimensions, "
                           f"but got {len(xs)} dimensions for input, and {len(ix)} dimensions for indices")
    if indices._data.dtype != np.int64:
        raise RuntimeError(f"torch.take_along_dim(): dtype of indices should be Long but got "
                           f"{_dtype.type_word(indices._data.dtype)}")
    d = normalize_dim(dim, len(xs))
    if not xs:
        return gather(input, d, indices)
    sizes = list(xs)
    sizes[d] = ix[d]
    check_broadcast(sizes, ix)  # (PyTorch's message names input "a" and indices "b")
    shape = list(np.broadcast_shapes(tuple(sizes), ix))
    i = indices._data
    if i.size:
        if xs[d] == 0:
            raise RuntimeError("ZeroDivisionError")
        i = i % xs[d]
    x_shape = list(shape)
    x_shape[d] = xs[d]
    return gather(input.expand(x_shape), d, Tensor._make(i).expand(shape))


def _index_func_checks(input, dim, index, source, name):
    """PyTorch's checks of ``index_add``'s (and ``index_reduce``'s) arguments, in its order."""
    i = index._data
    if i.ndim > 1:
        raise IndexError(f"{name}_(): Index is supposed to be a vector, but got dim: {i.ndim} with type: "
                         f"{_dtype.type_word(i.dtype)} and size: {list(i.shape)}")
    if i.dtype != np.int64 and i.dtype != np.int32:
        raise RuntimeError(f"{name}_(): Expected dtype int32/int64 for index but got: {_dtype.type_word(i.dtype)}")
    if input._data.dtype != source._data.dtype:
        raise RuntimeError(f"{name}_(): self ({_dtype.type_word(input._data.dtype)}) and source "
                           f"({_dtype.type_word(source._data.dtype)}) must have the same scalar type")
    xs, ss = input._data.shape, source._data.shape
    if dim != 0 and dim >= len(ss):
        raise RuntimeError(f"{name}_(): Indexing dim {dim} is out of bounds of the source tensor with dim {len(ss)}")
    if i.size != (ss[dim] if ss else 1):
        raise RuntimeError(f"{name}_(): Number of indices ({i.size}) should be equal to source.size(dim): "
                           f"({ss[dim] if ss else 1}), for dim: {dim}")
    if xs and ss and xs[:dim] + xs[dim + 1:] != ss[:dim] + ss[dim + 1:]:
        raise RuntimeError(f"source tensor shape must match self tensor shape, excluding the specified dimension. "
                           f"Got self.shape = {list(xs)} source.shape = {list(ss)}")
    size = xs[dim] if xs else 1
    bad = _first_out_of_range(i, 0, size)
    if bad is not None:
        raise RuntimeError(f"index {bad} is out of bounds for dimension {dim} with size {size}")


class IndexAdd(Function):
    """y = x with alpha * src added at ``index`` along dim.   dL/dx = dL/dy;
    dL/dsrc = alpha * index_select(dL/dy, dim, index)."""

    _backward_name = "IndexAddBackward0"

    @staticmethod
    def forward(ctx, x, dim, index, src, alpha):
        out = x._data.copy()
        target = out.reshape(-1) if out.ndim == 0 else out  # (a 0-d x has one slice, at 0)
        full = (slice(None),) * dim + (index._data,)
        np.add.at(target, full, src._data * alpha if alpha != 1 else src._data)
        ctx.meta = (dim, index, alpha)
        return out

    @staticmethod
    def backward(ctx, g):
        dim, index, alpha = ctx.meta
        ns = ctx.needs_input_grad[3]
        gs = IndexSelect.apply(g, dim, index) * alpha if ns else None
        return g, None, None, gs, None


@_tensor_args("index", "source")
def index_add(input, dim, index, source, *, alpha=1):
    """``input`` with ``alpha * source``'s slices along ``dim`` added at the slices ``index``
    names (positions named twice add twice; no negative positions)."""
    d = normalize_dim(dim, input._data.ndim)
    _index_func_checks(input, d, index, source, "index_add")
    return IndexAdd.apply(input, d, Tensor._make(index._data.reshape(-1).astype(np.int64)), source, alpha)


@_tensor_args("index", "source")
def index_add_(self, dim, index, source, *, alpha=1):
    return apply_inplace(self, index_add, dim, index, source, alpha=alpha)


class IndexFill(IndexPut):
    """y = x with the slices ``idx`` set to a number.   dL/dx = dL/dy with those slices zeroed."""

    _backward_name = "IndexFillBackward0"


class IndexFillTensor(IndexPut):
    """y = x with the slices ``idx`` (distinct positions) set to a 0-d tensor v.
    dL/dx = dL/dy with those slices zeroed;  dL/dv = the sum of dL/dy over them."""

    _backward_name = "IndexFillBackward1"


_INDEX_FILL_SIGNATURES = ("Tensor input, int dim, Tensor index, Tensor value",
                          "Tensor input, int dim, Tensor index, Number value")
_INDEX_FILL_METHOD_SIGNATURES = ("int dim, Tensor index, Tensor value", "int dim, Tensor index, Number value")


def _index_fill(input, dim, index, value):
    """``index_fill`` once its arguments have the right types."""
    _check_0d_value(value, "index_fill_")
    i = index._data
    if i.dtype != np.int64:
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    d = normalize_dim(dim, input._data.ndim)
    if i.ndim > 1:
        raise RuntimeError("Index has to be a vector/scalar")
    dt = input._data.dtype
    if isinstance(value, Tensor):
        if _overflows(value._data.item(), dt):
            raise RuntimeError(f"value cannot be converted to type {_CPP_TYPE.get(dt.name, dt.name)} without overflow")
    else:
        value = _fill_number(value, dt)
    size = input._data.shape[d] if input._data.ndim else 1
    bad = _first_out_of_range(i, -size, size)
    if bad is not None:
        raise IndexError(f"index {bad} is out of bounds for dimension {d} with size {size}")
    # each slice once: the value's gradient counts every filled slice once
    i = np.unique(i.reshape(-1) % max(size, 1))
    # (a 0-d input: a 0-d mask, True when there is an index)
    idx = (slice(None),) * d + (i,) if input._data.ndim else (np.array(i.size > 0),)
    return _put(input, idx, value, cls=IndexFillTensor if isinstance(value, Tensor) else IndexFill)


def index_fill(input, dim, index, value):
    """``input`` with the slices along ``dim`` that ``index`` names (negative ones count from
    the end) set to ``value``, a number or a 0-d tensor."""
    if not isinstance(index, Tensor) or not isinstance(value, (Tensor, numbers.Number)):
        raise invalid_combination("index_fill", (input, dim, index, value), {}, _INDEX_FILL_SIGNATURES)
    return _index_fill(input, dim, index, value)


def _index_fill_method(self, dim, index, value):
    if not isinstance(index, Tensor) or not isinstance(value, (Tensor, numbers.Number)):
        raise invalid_combination("index_fill", (dim, index, value), {}, _INDEX_FILL_METHOD_SIGNATURES)
    return _index_fill(self, dim, index, value)


index_fill._method = _index_fill_method


def index_fill_(self, dim, index, value):
    if not isinstance(index, Tensor) or not isinstance(value, (Tensor, numbers.Number)):
        raise invalid_combination("index_fill_", (dim, index, value), {}, _INDEX_FILL_METHOD_SIGNATURES)
    return apply_inplace(self, _index_fill, dim, index, value)


class IndexCopy(IndexPut):
    """y = x with the slices ``idx`` replaced by source's.   dL/dx = dL/dy with those slices
    zeroed;  dL/dsource = dL/dy at them (``index_select``)."""

    _backward_name = "IndexCopyBackward0"


def _index_copy_checks(input, dim, index, source):
    """PyTorch's checks of ``index_copy``'s arguments, in its order."""
    i, xs, ss = index._data, input._data.shape, source._data.shape
    if i.ndim > 1:
        raise IndexError(f"index_copy_(): Index should have dimension 1 or 0 (got {i.ndim})")
    if not ss and i.size != 1:
        raise IndexError(f"index_copy_(): When source is scalar, index should have one element (got {i.size})")
    if ss and xs and len(ss) != len(xs):
        raise IndexError(f"index_copy_(): When source and destination are not scalars, their dimensionality must "
                         f"match. Source dimensionality ({len(ss)}), destination dimensionality ({len(xs)})")
    if i.dtype != np.int64:
        raise RuntimeError(f"index_copy_(): Expected a long tensor for index, but got {_dtype.type_word(i.dtype)}")
    if input._data.dtype != source._data.dtype:
        raise RuntimeError(f"index_copy_(): self and source expected to have the same dtype, but got (self) "
                           f"{_dtype.type_word(input._data.dtype)} and (source) {_dtype.type_word(source._data.dtype)}")
    xsl, ssl = xs[:dim] + xs[dim + 1:], ss[:dim] + ss[dim + 1:]
    if xsl != ssl:
        raise RuntimeError(f"index_copy_(): Source/destination tensor must have same slice shapes. Destination slice "
                           f"shape: {' '.join(map(str, xsl))} at dimension {dim} and source slice shape: "
                           f"{' '.join(map(str, ssl))} at dimension 0.")
    if ss and i.size != ss[dim]:
        raise IndexError(f"index_copy_(): Number of indices ({i.size}) should be equal to source.size(dim) "
                         f"({ss[dim]})")
    size = xs[dim] if xs else 1
    bad = _first_out_of_range(i, 0, size)
    if bad is not None:
        raise IndexError(f"index_copy_(): index {bad} is out of bounds for dimension {dim} with size {size}")


@_tensor_args("index", "source")
def index_copy(input, dim, index, source):
    """``input`` with its slices along ``dim`` at ``index`` replaced by ``source``'s slices
    (no negative positions; of positions named twice, the last write is kept)."""
    d = normalize_dim(dim, input._data.ndim)
    _index_copy_checks(input, d, index, source)
    i = index._data.reshape(-1)
    if not input._data.ndim:
        return _put(input, (), source.reshape(()), cls=IndexCopy)
    return _put(input, (slice(None),) * d + (i,), source if source._data.ndim else source.reshape((1,) * input.ndim),
                cls=IndexCopy)


@_tensor_args("index", "source")
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
