"""Sorting and selection: sort, argsort, msort, topk, kthvalue, unique, unique_consecutive,
searchsorted and bucketize.

Sorted values are input elements moved to new places, so their gradient is moved back: each
op here that returns values is a ``reduction.Selection`` (the gradient is scattered to the
returned indices). Ties: ember always sorts stably (equal elements keep their order; NaN
sorts as the largest value). PyTorch's CPU sort is stable too for slices of up to 16
elements; on longer slices with ties its non-stable sort may order equal elements
differently. ``topk`` and ``kthvalue`` select with a partition (linear time, like PyTorch's
quickselect), so which of several tied elements they pick is unspecified in both. Only the
indices of tied elements can differ from PyTorch's, never the values.
"""
import math

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Function
from ._arguments import one_int
from ._util import methods, normalize_dim
from .pointwise import _out
from .reduction import Selection, check_nonempty, one_dim, out_tuple, return_type, stable_order

_sort_t, _topk_t, _kthvalue_t = return_type("sort"), return_type("topk"), return_type("kthvalue")


class Sort(Selection):
    """(values, indices) of x sorted along ``dim``; the values are a permutation of x, so the
    gradient is permuted back (scattered to the indices)."""

    _backward_name = "SortBackward0"

    @staticmethod
    def select(a, dim, descending):
        idx = stable_order(a, dim, descending)
        return np.take_along_axis(a, idx, dim), idx


class Topk(Selection):
    """The ``k`` largest (or smallest) elements along ``dim``, in sorted order, and their
    indices; the gradient goes back to the picked elements."""

    _backward_name = "TopkBackward0"

    @staticmethod
    def select(a, dim, k, largest):
        n = a.shape[dim]
        if 0 < k < n:  # partition first (linear time), then sort only the k chosen elements
            part = np.argpartition(a, n - k if largest else k - 1, axis=dim)
            chosen = np.sort(np.take(part, np.arange(n - k, n) if largest else np.arange(k), axis=dim), axis=dim)
            idx = np.take_along_axis(chosen, stable_order(np.take_along_axis(a, chosen, dim), dim, largest), dim)
        else:
            idx = np.take(stable_order(a, dim, largest), np.arange(k), axis=dim)
        return np.take_along_axis(a, idx, dim), idx


class Kthvalue(Selection):
    """The k-th smallest element along ``dim`` and its index."""

    _backward_name = "KthvalueBackward0"

    @staticmethod
    def select(a, dim, k):
        idx = np.take(np.argpartition(a, k - 1, axis=dim), [k - 1], axis=dim)
        return np.take_along_axis(a, idx, dim), idx


def sort(input, dim=-1, descending=False, stable=False, *, out=None):
    """``(values, indices)`` of ``input`` sorted along ``dim`` (always stably)."""
    return out_tuple(_sort_t(Sort.apply(input, one_dim(dim, input._data), True, descending)), out)


def argsort(input, dim=-1, descending=False, stable=False):
    """The indices that sort ``input`` along ``dim``."""
    a = input._data
    d = one_dim(dim, a)
    if d < 0:
        return Tensor._make(np.zeros((), np.int64))
    return Tensor._make(stable_order(a, d, descending).astype(np.int64, copy=False))


def msort(input, *, out=None):
    """``input`` sorted along its first dim."""
    return _out(sort(input, 0).values, out)


def topk(input, k, dim=-1, largest=True, sorted=True, *, out=None):
    """``(values, indices)`` of the ``k`` largest (``largest=False``: smallest) elements along
    ``dim``. They are always returned sorted (``sorted=False`` allows any order)."""
    k = one_int("topk", "k", k, 1)
    a = input._data
    d = one_dim(dim, a)
    if not 0 <= k <= (a.shape[d] if d >= 0 else 1):
        raise RuntimeError("selected index k out of range")
    if a.dtype.kind == "b":
        raise RuntimeError("topk does not support bool dtypes on CPU")
    return out_tuple(_topk_t(Topk.apply(input, d, True, k, largest)), out)


def kthvalue(input, k, dim=-1, keepdim=False, *, out=None):
    """``(values, indices)`` of the ``k``-th smallest element along ``dim`` (k counts from 1)."""
    k = one_int("kthvalue", "k", k, 1)
    a = input._data
    d = one_dim(dim, a)
    check_nonempty("kthvalue", a, (d,) if d >= 0 else ())
    if not 1 <= k <= (a.shape[d] if d >= 0 else 1):
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d if d >= 0 else 0}")
    if a.dtype.kind == "b" and a.ndim:  # (a 0-d tensor is its own k-th value: PyTorch runs no kernel)
        raise NotImplementedError("\"kthvalue_cpu\" not implemented for 'Bool'")
    return out_tuple(_kthvalue_t(Kthvalue.apply(input, d, keepdim, k)), out)


# --- unique -----------------------------------------------------------------------------------
class Unique(Function):
    """Distinct values (or slices along ``dim``) of x. PyTorch records the op in the graph but
    defines no derivative for it; neither does ember: backward raises as PyTorch's does."""

    _backward_name = "Unique2Backward0"
    _derivative = "_unique2"

    @staticmethod
    def forward(ctx, x, fn, *args):
        return tuple(np.asarray(r) for r in fn(x._data, *args))

    @staticmethod
    def backward(ctx, *grads):
        raise NotImplementedError(f"the derivative for '{ctx._forward_cls._derivative}' is not implemented.")


class UniqueDim(Unique):
    _backward_name = "UniqueDimBackward0"
    _derivative = "unique_dim"


class UniqueConsecutive(Unique):
    _backward_name = "UniqueConsecutiveBackward0"
    _derivative = "unique_consecutive"


def _unique_sorted(a, dim):
    """Sorted distinct values of ``a`` (``dim`` None: of all its elements; else distinct slices
    along ``dim``, in lexicographic order) with the inverse indices and the counts. NaNs are
    all distinct, as in PyTorch."""
    if dim is None:
        u, inv, cnt = np.unique(a.reshape(-1), return_inverse=True, return_counts=True, equal_nan=False)
        return u, inv.reshape(a.shape), cnt
    u, inv, cnt = np.unique(a, return_inverse=True, return_counts=True, axis=dim, equal_nan=False)
    return u, inv.reshape(-1), cnt


def _unique_runs(a, dim):
    """Values (or slices along ``dim``) of ``a`` with consecutive repeats collapsed, with the
    inverse indices and the length of each run."""
    flat = dim is None
    b = a.reshape(-1) if flat else a
    d = 0 if flat else dim
    n = b.shape[d]
    rows = np.moveaxis(b, d, 0).reshape(n, math.prod(b.shape[:d] + b.shape[d + 1:]))
    new = np.ones(n, bool)
    new[1:] = (rows[1:] != rows[:-1]).any(axis=1) if rows.shape[1] else False
    starts = np.flatnonzero(new)
    inv = np.cumsum(new) - 1
    cnt = np.diff(np.append(starts, n))
    return np.take(b, starts, axis=d), inv.reshape(a.shape) if flat else inv, cnt


def _unique(cls, fn, input, return_inverse, return_counts, dim):
    a = input._data
    if dim is not None:
        dim = normalize_dim(dim, a.ndim)
    u, inv, cnt = cls.apply(input, fn, dim)
    extra = ((inv,) if return_inverse else ()) + ((cnt,) if return_counts else ())
    return (u,) + extra if extra else u


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct elements of ``input`` (or distinct slices along ``dim``), sorted; with
    ``return_inverse`` where each element went, with ``return_counts`` how often each occurs."""
    return _unique(Unique if dim is None else UniqueDim, _unique_sorted, input, return_inverse, return_counts, dim)


def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    """``input`` with runs of equal consecutive elements (or slices along ``dim``) collapsed."""
    return _unique(UniqueConsecutive, _unique_runs, input, return_inverse, return_counts, dim)


# --- searchsorted and bucketize ---------------------------------------------------------------
def _values_array(v):
    return v._data if isinstance(v, Tensor) else np.asarray(v)


def _finish_index(r, out_int32, out):
    return _out(Tensor._make(np.asarray(r, np.int32 if out_int32 else np.int64)), out)


def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None, sorter=None, out=None):
    """Where ``input``'s values would be inserted into ``sorted_sequence`` (along its last dim)
    to keep it sorted: the first such place, or the last one with ``right``/``side='right'``.
    A sequence with several dims searches each row with the matching row of ``input``."""
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but got {side}")
        if right and side == "left":
            raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites, got side of left "
                               "while right was True")
        right = side == "right"
    seq, v = sorted_sequence._data, _values_array(input)
    if sorter is not None:
        seq = np.take_along_axis(seq, sorter._data, -1)
    how = "right" if right else "left"
    if seq.ndim == 1:
        return _finish_index(np.searchsorted(seq, v, how), out_int32, out)
    if seq.shape[:-1] != v.shape[:-1]:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions "
                           "of boundaries tensor and input value tensor must match, but we got boundaries tensor "
                           f"{list(seq.shape)} and input value tensor {list(v.shape)}")
    rows, vals = seq.reshape(-1, seq.shape[-1]), v.reshape(-1, v.shape[-1])
    r = np.stack([np.searchsorted(s, x, how) for s, x in zip(rows, vals)]) if rows.size else \
        np.zeros(vals.shape, np.int64)
    return _finish_index(r.reshape(v.shape), out_int32, out)


def bucketize(input, boundaries, *, out_int32=False, right=False, out=None):
    """The index of the bucket of each value: i such that ``boundaries[i-1] < x <=
    boundaries[i]`` (``right=True``: ``boundaries[i-1] <= x < boundaries[i]``)."""
    if boundaries._data.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({boundaries._data.ndim})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right, out=out)


__all__ = ["sort", "argsort", "msort", "topk", "kthvalue", "unique", "unique_consecutive", "searchsorted",
           "bucketize"]
methods(sort, argsort, msort, topk, kthvalue, unique, unique_consecutive)
