"""Picking and placing along a dim: ``index_select``, ``gather``, ``scatter`` (and its
``_add``/``reduce`` forms), ``take``, ``take_along_dim`` and ``index_add``/``index_fill``/
``index_copy``.

Picking is linear in the source, and a position may be picked several times, so the
gradient of a pick *adds* every incoming gradient back at its position (a scatter-add).
Placing replaces values: the overwritten positions get no gradient, and each placed value
gets the gradient of the position it landed on (``scatter_add`` adds instead, so its
gradient reaches both).
"""
import numbers
import warnings

import numpy as np

from .. import _dtype
from .._tensor import Tensor
from ..autograd.function import Function
from ._arguments import invalid_combination, tensor_args, tp_name
from ._util import methods, normalize_dim, apply_inplace, check_broadcast, _CPP_TYPE
from .indexing import IndexPut, IndexPutZeros, _put, _overflows, _fill_number
from .masking import _check_0d_value


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


@tensor_args("index")
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


@tensor_args("index")
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


@tensor_args("index", "src")
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


@tensor_args("index", "src")
def scatter_add_(self, dim, index, src):
    return apply_inplace(self, scatter_add, dim, index, src)


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


@tensor_args("index")
def take(input, index):
    """Elements of the flattened ``input`` at ``index`` (int64), shaped like ``index``."""
    if index._data.dtype != np.int64:
        raise RuntimeError(f"take(): Expected a long tensor for index, but got {_dtype.type_word(index._data.dtype)}")
    return Take.apply(input, index)


@tensor_args("indices")
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


@tensor_args("index", "source")
def index_add(input, dim, index, source, *, alpha=1):
    """``input`` with ``alpha * source``'s slices along ``dim`` added at the slices ``index``
    names (positions named twice add twice; no negative positions)."""
    d = normalize_dim(dim, input._data.ndim)
    _index_func_checks(input, d, index, source, "index_add")
    return IndexAdd.apply(input, d, Tensor._make(index._data.reshape(-1).astype(np.int64)), source, alpha)


@tensor_args("index", "source")
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


@tensor_args("index", "source")
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


@tensor_args("index", "source")
def index_copy_(self, dim, index, source):
    return apply_inplace(self, index_copy, dim, index, source)

__all__ = ["index_select", "gather", "scatter", "scatter_add", "take", "take_along_dim", "index_add", "index_fill",
           "index_copy"]
methods(index_select, gather, scatter, scatter_add, scatter_, scatter_add_, take, take_along_dim, index_add, index_add_,
        index_fill, index_fill_, index_copy, index_copy_)
