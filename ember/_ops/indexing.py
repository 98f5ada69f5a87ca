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
import numpy as np

from .. import _dtype
from .._tensor import Tensor
from ..autograd.function import Function
from ._util import methods, normalize_dim, apply_inplace, binary_arrays, check_scalar, write_into
from .shape import as_view


# --- index normalisation ------------------------------------------------------------------------
def _convert_index(idx):
    """A PyTorch index as a NumPy one; also says whether it is basic (a view) and names the
    last basic step (for the grad_fn name PyTorch gives)."""
    if not isinstance(idx, tuple):
        idx = (idx,)
    out, basic, last = [], True, "Alias"
    for i in idx:
        if isinstance(i, Tensor):
            a = i._data
            if a.dtype == np.bool_ or a.ndim:
                if a.dtype.kind == "f":
                    raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
                out.append(a)
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
            step = i.step
            if step is not None and int(step) <= 0:
                raise ValueError("step must be greater than zero")
            out.append(slice(_int(i.start), _int(i.stop), _int(step)))
            last = "Slice"
        elif i is None:
            out.append(None)
            last = "Unsqueeze"
        elif i is Ellipsis:
            out.append(Ellipsis)
        elif isinstance(i, (list, tuple, range, np.ndarray)):  # a range is a list of ints, as in PyTorch
            arr = np.asarray([int(v) if isinstance(v, Tensor) else v for v in i] if isinstance(i, (list, tuple))
                             else i)
            if arr.dtype.kind == "f":
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            out.append(arr if arr.size else arr.astype(np.int64))
            basic = False
        else:
            raise IndexError(f"only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
                             f"valid indices (got {type(i).__name__})")
    return tuple(out), basic, last


def _int(v):
    return None if v is None else int(v)


def _check_bounds(a, idx):
    """Raise PyTorch's IndexError for out-of-range integers (NumPy's message differs)."""
    dim = 0
    for i in idx:
        if i is None:
            continue
        if i is Ellipsis:
            dim = a.ndim - sum(1 for j in idx if j is not None and j is not Ellipsis and
                               not (isinstance(j, np.ndarray) and j.dtype == np.bool_))
            continue
        if isinstance(i, int):
            if dim >= a.ndim:
                raise IndexError(f"too many indices for tensor of dimension {a.ndim}")
            size = a.shape[dim]
            if not -size <= i < size:
                raise IndexError(f"index {i} is out of bounds for dimension {dim} with size {size}")
        elif isinstance(i, np.ndarray) and i.dtype != np.bool_ and i.size and dim < a.ndim:
            size = a.shape[dim]
            if i.max() >= size or i.min() < -size:
                bad = i.max() if i.max() >= size else i.min()
                raise IndexError(f"index {bad} is out of bounds for dimension {dim} with size {size}")
        dim += i.ndim if isinstance(i, np.ndarray) and i.dtype == np.bool_ and i.ndim else 1
    if dim > a.ndim:
        raise IndexError(f"too many indices for tensor of dimension {a.ndim}")


# --- reading --------------------------------------------------------------------------------------
class BasicIndex(Function):
    """y = x[idx] (a view).   dL/dx = zeros with dL/dy placed at the viewed positions."""

    _accumulate = False

    @staticmethod
    def forward(ctx, x, idx):
        ctx.meta = (x._data.shape, idx)
        return x._data[idx]

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
        if accumulate:
            np.add.at(out, idx, g._data)
        else:
            out[idx] = g._data
        ctx.meta = (idx, accumulate)
        return out

    @staticmethod
    def backward(ctx, gg):
        idx, accumulate = ctx.meta
        return (AdvancedIndex if accumulate else _BASIC["Alias"]).apply(gg, idx), None, None, None


def getitem(self, index):
    """``self[index]``: a view for basic indices, a copy for advanced ones (as in PyTorch)."""
    idx, basic, last = _convert_index(index)
    a = self._data
    if a.ndim == 0 and any(isinstance(i, (int, slice)) for i in idx):
        raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in "
                         "C++ to convert a 0-dim tensor to a number")
    _check_bounds(a, idx)
    if basic:
        return as_view(_BASIC[last].apply(self, idx), self)
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
        if accumulate:
            np.add.at(out, idx, np.asarray(val, out.dtype))
        else:
            out[idx] = val
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
    return not any(isinstance(i, np.ndarray) for i in idx)


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
    """``self[index] = value`` (a number or a broadcastable tensor), differentiable."""
    idx, basic, _ = _convert_index(index)
    _check_bounds(self._data, idx)
    if isinstance(value, Tensor):
        target_shape = np.empty(self._data.shape, np.bool_)[idx].shape
        try:
            np.broadcast_shapes(value._data.shape, target_shape)
        except ValueError:
            raise RuntimeError(f"shape mismatch: value tensor of shape {list(value._data.shape)} cannot be broadcast "
                               f"to indexing result of shape {list(target_shape)}") from None
    elif not isinstance(value, (int, float, bool, np.number, np.bool_)):
        value = Tensor._make(np.asarray(value, self._data.dtype))
    check_scalar(value, self._data.dtype)
    apply_inplace(self, _put, idx, value)


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
    if not isinstance(index, Tensor) or index._data.dtype != np.int64:
        got = index.dtype if isinstance(index, Tensor) else type(index).__name__
        raise RuntimeError(f"{name}(): Expected dtype int64 for index" if isinstance(index, Tensor) else
                           f"{name}(): argument 'index' must be Tensor, not {got}")
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
    if not isinstance(index, Tensor) or index._data.dtype.kind not in "iu":
        raise RuntimeError("index_select(): Expected dtype int32/int64 for index")
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


def _check_gather(input, dim, index, name):
    if input._data.ndim != index._data.ndim and not (input._data.ndim <= 1 and index._data.ndim <= 1):
        raise RuntimeError(f"Index tensor must have the same number of dimensions as input tensor")
    for d, (si, sx) in enumerate(zip(index._data.shape, input._data.shape)):
        if d != dim and si > sx:
            raise RuntimeError(f"Size does not match at dimension {d} expected index {list(index._data.shape)} to be "
                               f"smaller than self {list(input._data.shape)} apart from dimension {dim}")
    i = index._data
    size = input._data.shape[dim] if input._data.ndim else 1
    if i.size and (i.max() >= size or i.min() < -size):
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
    _check_gather(input, d, index, "scatter")
    return Scatter.apply(input, d, index, s, reduce)


def scatter_add(input, dim, index, src):
    """Add ``src`` into a copy of ``input`` at ``index`` along ``dim`` (duplicates add up)."""
    _index_array(index, "scatter_add")
    d = normalize_dim(dim, input._data.ndim)
    _check_gather(input, d, index, "scatter_add")
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


def where(condition, input=None, other=None, *, out=None):
    """``input`` where ``condition`` else ``other`` (broadcast, promoted); with one argument,
    ``nonzero(condition, as_tuple=True)``."""
    if input is None and other is None:
        return nonzero(condition, as_tuple=True)
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
    return gather(input.expand(*xs), d, indices.expand(*ix))


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
Tensor.where = lambda self, condition, y: where(condition, self, y)
