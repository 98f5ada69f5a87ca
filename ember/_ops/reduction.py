"""Reductions: ops that collapse dimensions (sum, mean, prod, max, std, norm, logsumexp, ...),
the scans that keep them (cumsum, cumprod, cummax) and softmax.

Their backward rules come in three kinds:

* sums and means: every input element contributes linearly, so the gradient is the
  output's gradient broadcast back over the reduced dims (``expand_back``);
* selections (max/min along a dim, median, mode, kthvalue, sort, topk, cummax): each output
  element *is* one input element, so its gradient goes back to exactly that element
  (``Selection``: a scatter at the returned indices);
* whole-tensor max/min, amax/amin and median: when several elements tie for the result,
  PyTorch splits the gradient evenly among them (``spread_ties``).

Dims are normalised once by the public function; the ``Function`` classes receive a tuple of
non-negative dims (empty for a 0-d tensor, whose only valid dims -1 and 0 reduce nothing).
"""
import functools
import math
import numbers
import operator
import warnings

import numpy as np

from .. import _dtype
from .._tensor import Tensor
from ..autograd.function import Function
from ._arguments import int_list, invalid_combination, is_int, one_int, plausible, too_many_positional, tp_name
from ._util import methods, normalize_dim, normalize_dims, apply_inplace, tensor_operand, _grad
from .gather_scatter import ScatterAddZeros
from .pointwise import _out


# --- named result tuples ----------------------------------------------------------------------
class return_types:
    """``torch.return_types``: the named tuples that ``max(dim)``, ``sort``, ``topk``... return."""


def _named_tuple(name, fields):
    def __repr__(self):
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(fields, self))
        return f"torch.return_types.{name}(\n{body})"
    ns = {"__slots__": (), "__repr__": __repr__, "n_fields": len(fields), "n_sequence_fields": len(fields),
          "n_unnamed_fields": 0, "__match_args__": tuple(fields),  # case max(values, indices): ...
          "__module__": __name__, "__qualname__": f"return_types.{name}"}
    ns.update({f: property(operator.itemgetter(i), doc=f"Field {i} ({f}).") for i, f in enumerate(fields)})
    cls = type(name, (tuple,), ns)
    setattr(return_types, name, cls)
    return cls


def return_type(name, fields=("values", "indices")):
    """A tuple subclass with named fields that prints like PyTorch's (``torch.return_types.max(
    values=..., indices=...)``); it indexes and unpacks as a plain tuple. A call given ``out=``
    returns its twin ``<name>_out`` (``torch.return_types.max_out``), as PyTorch does."""
    cls = _named_tuple(name, fields)
    cls._out_type = _named_tuple(name + "_out", fields)
    return cls


_max_t, _min_t, _median_t, _nanmedian_t, _mode_t = (return_type(n) for n in ("max", "min", "median", "nanmedian",
                                                                            "mode"))
_cummax_t, _cummin_t = return_type("cummax"), return_type("cummin")
_aminmax_t = return_type("aminmax", ("min", "max"))


def out_tuple(result, out):
    """``out=(values, indices)`` for the ops that return two tensors."""
    if out is None:
        return result
    return type(result)._out_type(_out(r, o) for r, o in zip(result, out))


# --- the dim argument, checked as PyTorch's argument parser checks it ------------------------------
# PyTorch parses a reduction's arguments in C++ before it runs, so a dim of the wrong type (a
# float, a string, a list of floats) is a TypeError that names the op and the argument, not
# whatever NumPy says later. Which message depends on the op's overloads (``parses_dim``).
def _method_signature(sig):
    """A function's signature as PyTorch prints it for the method: no ``input``, no ``out``."""
    params = [p for p in sig.split(", ") if p != "Tensor input" and not p.endswith(" out = None")]
    if params and params[-1] == "*":
        params.pop()
    return ", ".join(params)


def _plain_ints(dim):
    """Whether ``dim`` is a tuple or list of Python ints: the common multi-dim call, accepted
    without parsing the signatures."""
    if dim.__class__ is not tuple and dim.__class__ is not list:
        return False
    for d in dim:
        if d.__class__ is not int:
            return False
    return True


def _check_dim(fname, kind, dim, position, signatures, args, kwargs):
    """Raise PyTorch's TypeError for a ``dim`` of the wrong type. ``kind``: 'int' or 'ints' (an
    int or a list of ints); ``position``: where it was passed (None for a keyword);
    ``signatures``: the op's overloads when it has several; ``args``, ``kwargs``: the call."""
    candidates = plausible(signatures, len(args) + len(kwargs))
    with_dim = [s for s in candidates if " dim" in s]
    if kind == "ints" and isinstance(dim, (tuple, list)) and (not dim or is_int(dim[0])) and (
            with_dim or not signatures):
        int_list(fname, "dim", dim, position)  # PyTorch takes a list by its first element, then reads the rest
        return
    if signatures:
        # with several overloads PyTorch names the argument only when one overload takes this many arguments
        if len(candidates) != 1 or not with_dim:
            raise invalid_combination(fname, args, kwargs, signatures)
        kind = "ints" if "tuple of ints dim" in candidates[0] else "int"
    # dim is neither an int nor a list that starts with one: this raises the one overload's error
    (one_int if kind == "int" else int_list)(fname, "dim", dim, position)


def parses_dim(kind, signatures=(), *, optional=True, keyword_only=False, other=()):
    """Decorator: check the ``dim`` argument of a reduction (its first after ``input``) as PyTorch
    does, in the function and in the method form (attached as ``_method``, see ``methods``).

    ``kind``: 'int' for one dim, 'ints' for an int or a list of them; ``signatures``: the
    function's overloads as PyTorch prints them, when it has several; ``optional``: whether
    ``dim=None`` is accepted; ``keyword_only``: dim is never positional (``aminmax``);
    ``other``: the types the first positional argument has in an overload without dim
    (``max``'s tensor, ``std``'s ``unbiased``). A one-element integer tensor or NumPy integer
    is passed on as an int."""
    def wrap(fn):
        name = fn.__name__
        method_signatures = [_method_signature(s) for s in signatures]

        def check(args, kwargs, self_args, sigs):
            if args and keyword_only:
                raise too_many_positional(name, len(self_args), len(self_args) + len(args))
            if args:
                dim, at = args[0], len(self_args) + 1
                n = len(self_args) + len(args) + len(kwargs)
                # (a list, not any(): this module's any is the tensor op)
                if isinstance(dim, other) and [s for s in plausible(sigs, n) if " dim" not in s]:
                    return args, kwargs
            elif "dim" in kwargs:
                dim, at = kwargs["dim"], None
            else:
                return args, kwargs
            if dim.__class__ is int or (dim is None and optional) or kind == "ints" and _plain_ints(dim):
                return args, kwargs
            if not is_int(dim):
                _check_dim(name, kind, dim, at, sigs, self_args + args, kwargs)
                return args, kwargs
            dim = operator.index(dim)  # a NumPy integer, a one-element integer tensor
            if at is None:
                return args, {**kwargs, "dim": dim}
            return (dim,) + args[1:], kwargs

        # the common calls, f(x) and f(x, 1), skip the check
        def function(input, *args, **kwargs):
            if kwargs or args and (args[0].__class__ is not int or keyword_only):
                args, kwargs = check(args, kwargs, (input,), signatures)
            return fn(input, *args, **kwargs)

        def method(self, *args, **kwargs):
            if kwargs or args and (args[0].__class__ is not int or keyword_only):
                args, kwargs = check(args, kwargs, (), method_signatures)
            return fn(self, *args, **kwargs)
        functools.update_wrapper(function, fn)
        functools.update_wrapper(method, fn)
        function._method = method
        return function
    return wrap


_SUM_SIGNATURES = ("Tensor input, *, torch.dtype dtype = None",
                   "Tensor input, tuple of ints dim, bool keepdim = False, *, torch.dtype dtype = None, "
                   "Tensor out = None")
_MEAN_SIGNATURES = ("Tensor input, *, torch.dtype dtype = None, Tensor out = None", _SUM_SIGNATURES[1])
_PROD_SIGNATURES = ("Tensor input, *, torch.dtype dtype = None",
                    "Tensor input, int dim, bool keepdim = False, *, torch.dtype dtype = None, Tensor out = None")
_MAX_SIGNATURES = ("Tensor input, *, Tensor out = None", "Tensor input, Tensor other, *, Tensor out = None",
                   "Tensor input, int dim, bool keepdim = False, *, tuple of Tensors out = None")
_VAR_SIGNATURES = ("Tensor input, tuple of ints dim, bool unbiased = True, bool keepdim = False, *, Tensor out = None",
                   "Tensor input, tuple of ints dim = None, *, Number correction = None, bool keepdim = False, "
                   "Tensor out = None",
                   "Tensor input, bool unbiased = True")
_VAR_MEAN_SIGNATURES = tuple(s.replace(", *, Tensor out = None", "").replace(", Tensor out = None", "")
                             for s in _VAR_SIGNATURES)
_ALL_SIGNATURES = ("Tensor input, *, Tensor out = None",
                   "Tensor input, tuple of ints dim = None, bool keepdim = False, *, Tensor out = None",
                   "Tensor input, int dim, bool keepdim = False, *, Tensor out = None")
_COUNT_NONZERO_SIGNATURES = ("Tensor input, int dim = None", "Tensor input, tuple of ints dim")


# --- dims, dtypes and the shared backward helpers ---------------------------------------------
def reduce_dims(dim, ndim):
    """The dims a reduction runs over, as a tuple: ``None`` or ``()`` mean all of them."""
    if dim is None or (isinstance(dim, (tuple, list)) and not dim):
        return tuple(range(ndim))
    dims = normalize_dims(dim, ndim)
    return dims if ndim else ()


def one_dim(dim, a):
    """``dim`` normalised for an op along one dim; -1 for a 0-d array (nothing to run along)."""
    d = normalize_dim(dim, a.ndim)
    return d if a.ndim else -1


def _along(fn, a, dim, *args):
    """Run ``fn(a, dim, *args)`` on an array with at least one dim: a 0-d array (``dim`` -1) is
    treated as one element along a dim of size 1, and the results are made 0-d again."""
    if dim >= 0:
        return fn(a, dim, *args)
    r = fn(a.reshape(1), 0, *args)
    return tuple(x.reshape(()) for x in r) if isinstance(r, tuple) else r.reshape(())


def check_nonempty(name, a, dims, sep="()"):
    """PyTorch's error for reducing an empty dim with an op that has no identity (max, ...)."""
    for d in dims:
        if a.shape[d] == 0:
            raise IndexError(f"{name}{sep}: Expected reduction dim {d} to have non-zero size.")


def _check_float(name, a):
    if a.dtype.kind != "f":
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. Got "
                           f"{_dtype.type_word(a.dtype)}")


def _reduced_dtype(x, dtype):
    """Sums of bool and integer tensors are int64 unless ``dtype=`` says otherwise."""
    if dtype is not None:
        return _dtype.to_dtype(dtype).np
    return np.dtype(np.int64) if x.dtype.kind in "biu" else x.dtype


def _count(shape, dims):
    return math.prod(shape[d] for d in dims)


def _kept(arr, dims, keepdim):
    """A reduced array with the reduced dims present again (as size 1)."""
    return arr if keepdim or not dims else np.expand_dims(arr, dims)


def broadcast_view(a, shape):
    """``np.broadcast_to(a, shape)`` for a contiguous ``a`` with as many dims as ``shape``:
    a read-only view that repeats ``a`` with stride 0 along its size-1 dims. Built directly,
    since ``np.broadcast_to`` costs several times a small op's arithmetic."""
    if a.ndim != len(shape) or not a.flags.c_contiguous or not a.size:
        return np.broadcast_to(a, shape)
    v = np.ndarray(shape, a.dtype, a, 0, tuple(0 if n != m else st for n, m, st in zip(a.shape, shape, a.strides)))
    v.flags.writeable = False
    return v


def expand_back(grad, in_shape, dims, keepdim):
    """Broadcast a reduction's gradient back to the input's shape: an ndarray gradient (the
    engine's first-order mode) to a read-only broadcast view, a Tensor with ``expand``."""
    if not keepdim and dims:
        kept = list(in_shape)
        for d in dims:
            kept[d] = 1
        grad = grad.reshape(kept)
    if isinstance(grad, Tensor):
        return grad.expand(in_shape)
    return broadcast_view(np.asarray(grad), in_shape)  # NumPy gives 0-d results as scalars


def spread_ties(grad, a, out, dims, keepdim):
    """The gradient of an output that equals one or more input elements (a max, a min, a
    median): PyTorch gives each of the k tied elements 1/k of it (any split is a valid
    subgradient; the even one is symmetric). NaN counts as equal to a NaN result. The weights
    are constants, so this is linear in ``grad`` and differentiable again."""
    o = _kept(out, dims, keepdim)
    tie = a == o
    if a.dtype.kind == "f":
        tie |= np.isnan(a) & np.isnan(o)
    w = tie / tie.sum(axis=dims, keepdims=True)
    return expand_back(grad, a.shape, dims, keepdim) * Tensor._make(w.astype(a.dtype, copy=False))


# --- selections: values picked from the input, returned with their indices -----------------
class Selection(Function):
    """Base of the ops whose values are input elements picked along one dim and returned with
    their indices (int64, not differentiable): max/min(dim), median, mode, kthvalue, sort,
    topk, cummax/cummin. A subclass defines ``select(a, dim, *args) -> (values, indices)``
    for an array with at least one dim, keeping ``dim``.

    Each value is a copy of the input element at its index, so d value/d x is 1 there and 0
    elsewhere: the gradient is scattered back to the indices (summed where one element was
    picked several times, as by cummax): ``gather``'s gradient, ``ScatterAddZeros``.
    """

    @staticmethod
    def forward(ctx, x, dim, keepdim, *args):
        a = x._data
        a1, d = (a.reshape(1), 0) if dim < 0 else (a, dim)  # a 0-d tensor: one element along a dim
        values, idx = ctx._forward_cls.select(a1, d, *args)
        ctx.meta = (a.shape, a1.shape, d, idx)
        if dim < 0 or not keepdim:
            values, idx = values.squeeze(d), idx.squeeze(d)
        return values, idx

    @staticmethod
    def backward(ctx, grad, _):
        shape, shape1, d, idx = ctx.meta
        g = ScatterAddZeros.apply(grad.reshape(idx.shape), shape1, d, idx)
        return g.reshape(shape) if shape != shape1 else g, None, None, None, None


# --- sum, mean, prod ----------------------------------------------------------------------------
class Sum(Function):
    """out = sum of x over ``dims``.   d out/d x_i = 1 for every summed element, so the
    gradient is the output's gradient broadcast back over the summed dims."""

    _backward_name = "SumBackward1"
    _graph_inputs = 1  # dims, keepdim and dtype are options
    _array_backward = True

    @staticmethod
    def forward(ctx, x, dims, keepdim, np_dtype):
        a = x._data
        ctx.meta = (a.shape, dims, keepdim)
        return np.asarray(np.add.reduce(a, axis=dims, keepdims=keepdim, dtype=np_dtype))

    @staticmethod
    def backward(ctx, grad):
        shape, dims, keepdim = ctx.meta
        return expand_back(grad, shape, dims, keepdim), None, None, None


class SumAll(Sum):
    _backward_name = "SumBackward0"


class Nansum(Sum):
    """out = sum of the non-NaN elements of x.   d out/d x_i = 1, or 0 where x_i is NaN."""

    _backward_name = "NansumBackward0"
    _array_backward = False  # its backward is written for tensors only

    @staticmethod
    def forward(ctx, x, dims, keepdim, np_dtype):
        a = x._data
        ctx.meta = (a.shape, dims, keepdim)
        ctx.save_for_backward(x)
        if a.dtype.kind == "f":
            a = np.where(np.isnan(a), 0, a)
        return np.asarray(np.add.reduce(a, axis=dims, keepdims=keepdim, dtype=np_dtype))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        g = Sum.backward(ctx, grad)[0] * Tensor._make((~np.isnan(x._data)).astype(x._data.dtype))
        return g, None, None, None


class Mean(Function):
    """out = (1/N) * sum of x over ``dims`` (N elements per output).   d out/d x_i = 1/N."""

    _backward_name = "MeanBackward1"
    _graph_inputs = 1  # dims, keepdim and dtype are options
    _array_backward = True

    @staticmethod
    def forward(ctx, x, dims, keepdim, np_dtype):
        a = x._data if np_dtype is None else x._data.astype(np_dtype)
        n = _count(a.shape, dims)
        ctx.meta = (a.shape, dims, keepdim, n)
        total = np.add.reduce(a, axis=dims, keepdims=keepdim, dtype=a.dtype)
        if n == 0:  # the mean of nothing is 0/0 = NaN, quietly
            with np.errstate(invalid="ignore", divide="ignore"):
                return np.asarray(total / a.dtype.type(n))
        return np.asarray(total / a.dtype.type(n))

    @staticmethod
    def backward(ctx, grad):
        shape, dims, keepdim, n = ctx.meta
        return expand_back(grad / n, shape, dims, keepdim), None, None, None


class MeanAll(Mean):
    _backward_name = "MeanBackward0"


class Prod(Function):
    """out = product of x over ``dims``.

    d out/d x_i is the product of the *other* elements of x_i's slice:
      * no zero in the slice: that is out / x_i;
      * exactly one zero, at k: every other element's product contains x_k = 0, so only x_k
        gets a gradient, the product of the slice's nonzero elements;
      * two or more zeros: every product of "the others" contains a zero: all gradients are 0.
    Written with ember ops (the product of the nonzero elements is itself a ``Prod``), so it
    is differentiable again; the second derivative is exact except on slices with several
    zeros (where the gradient is the constant 0).
    """

    _backward_name = "ProdBackward1"

    @staticmethod
    def forward(ctx, x, dims, keepdim, np_dtype):
        a = x._data
        ctx.meta = (a.shape, dims, keepdim)
        out = np.asarray(np.multiply.reduce(a, axis=dims, keepdims=keepdim, dtype=np_dtype))
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, out = ctx.saved_tensors
        shape, dims, keepdim = ctx.meta
        g = expand_back(grad, shape, dims, keepdim)
        o = expand_back(out, shape, dims, keepdim)
        a = x._data
        zero = a == 0
        if not zero.any():
            return g * o / x, None, None, None
        f = a.dtype.type
        zeros = zero.sum(axis=dims, keepdims=True)
        nonzero_x = x * Tensor._make((~zero).astype(f)) + Tensor._make(zero.astype(f))
        others = Prod.apply(nonzero_x, dims, True, None)
        lone_zero = Tensor._make((zero & (zeros == 1)).astype(f))
        no_zero = Tensor._make(np.broadcast_to(zeros == 0, a.shape).astype(f))
        return g * (no_zero * o / nonzero_x + lone_zero * others), None, None, None


class ProdAll(Prod):
    _backward_name = "ProdBackward0"


@parses_dim("ints", _SUM_SIGNATURES)
def sum(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Sum of all elements, or over ``dim`` (an int or a tuple of ints). Bool and integer
    tensors sum to int64."""
    a = input._data
    cls = SumAll if dim is None else Sum
    return _out(cls.apply(input, reduce_dims(dim, a.ndim), keepdim, _reduced_dtype(a, dtype)), out)


@parses_dim("ints")
def nansum(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Sum treating NaN as zero."""
    a = input._data
    return _out(Nansum.apply(input, reduce_dims(dim, a.ndim), keepdim, _reduced_dtype(a, dtype)), out)


@parses_dim("ints", _MEAN_SIGNATURES)
def mean(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Arithmetic mean of all elements, or over ``dim``; floating tensors only."""
    a = input._data
    np_dtype = _dtype.to_dtype(dtype).np if dtype is not None else None
    if (np_dtype or a.dtype).kind != "f":
        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a floating "
                           f"point or complex dtype. Got: {_dtype.type_word(np_dtype or a.dtype)}")
    cls = MeanAll if dim is None else Mean
    return _out(cls.apply(input, reduce_dims(dim, a.ndim), keepdim, np_dtype), out)


@parses_dim("ints")
def nanmean(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Mean of the non-NaN elements: ``nansum / (number of non-NaN elements)``."""
    a = input._data
    if a.dtype.kind != "f":
        raise RuntimeError("nanmean(): expected input to have floating point or complex dtype but got "
                           f"{_dtype.type_word(a.dtype)}")
    count = np.asarray((~np.isnan(a)).sum(axis=reduce_dims(dim, a.ndim), keepdims=keepdim))
    return _out(nansum(input, dim, keepdim, dtype=dtype) / Tensor._make(count), out)


@parses_dim("int", _PROD_SIGNATURES, optional=False)
def prod(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Product of all elements, or over one ``dim``. Bool and integer tensors give int64."""
    a = input._data
    if dim is None:
        return _out(ProdAll.apply(input, tuple(range(a.ndim)), False, _reduced_dtype(a, dtype)), out)
    return _out(Prod.apply(input, reduce_dims(dim, a.ndim), keepdim, _reduced_dtype(a, dtype)), out)


# --- max, min, amax, amin, aminmax, argmax, argmin ----------------------------------------------
class Amax(Function):
    """out = the largest element over ``dims``.   The gradient goes to the element(s) equal to
    it, split evenly among ties (``spread_ties``)."""

    _backward_name = "AmaxBackward0"
    reduce = staticmethod(np.max)

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        out = np.asarray(ctx._forward_cls.reduce(x._data, axis=dims, keepdims=keepdim))
        ctx.save_for_backward(x, out)
        ctx.meta = (dims, keepdim)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, out = ctx.saved_tensors
        return spread_ties(grad, x._data, out._data, *ctx.meta), None, None


class Amin(Amax):
    _backward_name = "AminBackward0"
    reduce = staticmethod(np.min)


class MaxAll(Amax):
    _backward_name = "MaxBackward1"


class MinAll(Amin):
    _backward_name = "MinBackward1"


class MaxDim(Selection):
    """(values, indices) of the largest element along ``dim``: the first one among ties, and
    the first NaN if there is one (NaN propagates, as in PyTorch)."""

    _backward_name = "MaxBackward0"

    @staticmethod
    def select(a, dim, argfn=np.argmax):
        idx = argfn(a, axis=dim, keepdims=True)
        return np.take_along_axis(a, idx, dim), idx


class MinDim(MaxDim):
    _backward_name = "MinBackward0"

    @staticmethod
    def select(a, dim):
        return MaxDim.select(a, dim, np.argmin)


class Aminmax(Function):
    """(min, max) over ``dims`` in one pass; each gets the gradient of ``amin``/``amax``."""

    _backward_name = "AminmaxBackward0"

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        a = x._data
        lo, hi = np.asarray(a.min(axis=dims, keepdims=keepdim)), np.asarray(a.max(axis=dims, keepdims=keepdim))
        ctx.save_for_backward(x, lo, hi)
        ctx.meta = (dims, keepdim)
        return lo, hi

    @staticmethod
    def backward(ctx, g_lo, g_hi):
        x, lo, hi = ctx.saved_tensors
        return (spread_ties(g_lo, x._data, lo._data, *ctx.meta) + spread_ties(g_hi, x._data, hi._data, *ctx.meta),
                None, None)


def _extreme(name, whole, along, result, input, dim, keepdim, out):
    """max/min: of the whole tensor (``dim`` None), along ``dim`` (values and indices), or
    elementwise with another tensor (``maximum``/``minimum``)."""
    if isinstance(dim, Tensor):
        from . import pointwise
        return getattr(pointwise, "maximum" if name == "max" else "minimum")(input, dim, out=out)
    a = input._data
    if dim is None:
        if a.size == 0:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                               "Specify the reduction dim with the 'dim' argument.")
        return _out(whole.apply(input, tuple(range(a.ndim)), False), out)
    d = one_dim(dim, a)
    check_nonempty(name, a, (d,) if d >= 0 else ())
    return out_tuple(result(along.apply(input, d, keepdim)), out)


@parses_dim("int", _MAX_SIGNATURES, optional=False, other=Tensor)
def max(input, dim=None, keepdim=False, *, out=None):
    """The largest element; or ``(values, indices)`` along ``dim``; or, given a tensor as
    second argument, the elementwise ``maximum``."""
    return _extreme("max", MaxAll, MaxDim, _max_t, input, dim, keepdim, out)


@parses_dim("int", _MAX_SIGNATURES, optional=False, other=Tensor)
def min(input, dim=None, keepdim=False, *, out=None):
    """The smallest element; or ``(values, indices)`` along ``dim``; or ``minimum``."""
    return _extreme("min", MinAll, MinDim, _min_t, input, dim, keepdim, out)


def _amax_amin(cls, name, input, dim, keepdim, out):
    a = input._data
    dims = reduce_dims(dim, a.ndim)
    if a.size == 0 and len(dims) == a.ndim:
        raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                           "Specify the reduction dim with the 'dim' argument.")
    check_nonempty(name, a, dims)
    return _out(cls.apply(input, dims, keepdim), out)


@parses_dim("ints")
def amax(input, dim=(), keepdim=False, *, out=None):
    """The largest element over ``dim`` (all dims by default); ties share the gradient."""
    return _amax_amin(Amax, "amax", input, dim, keepdim, out)


@parses_dim("ints")
def amin(input, dim=(), keepdim=False, *, out=None):
    """The smallest element over ``dim`` (all dims by default); ties share the gradient."""
    return _amax_amin(Amin, "amin", input, dim, keepdim, out)


@parses_dim("int", keyword_only=True)
def aminmax(input, *, dim=None, keepdim=False, out=None):
    """``(min, max)`` of all elements, or along ``dim``."""
    a = input._data
    if dim is None:
        if a.size == 0:
            raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the operation "
                               "has no identity.")
        dims = tuple(range(a.ndim))
    else:
        d = one_dim(dim, a)
        dims = (d,) if d >= 0 else ()
        check_nonempty("aminmax", a, dims, sep="")
    return out_tuple(_aminmax_t(Aminmax.apply(input, dims, keepdim)), out)


def _arg_extreme(name, argfn, input, dim, keepdim, out):
    a = input._data
    if a.dtype.kind == "b":
        raise RuntimeError(f"{name}(): does not support bool input")
    if dim is None:
        if a.size == 0:
            raise IndexError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
        r = np.asarray(argfn(a.reshape(-1)), np.int64).reshape((1,) * a.ndim if keepdim else ())
    else:
        d = one_dim(dim, a)
        check_nonempty(name, a, (d,) if d >= 0 else ())
        r = _along(lambda x, d_: argfn(x, axis=d_, keepdims=keepdim or a.ndim == 0), a, d).astype(np.int64)
    return _out(Tensor._make(r), out)


@parses_dim("int")
def argmax(input, dim=None, keepdim=False, *, out=None):
    """Index of the largest element (of the flattened tensor without ``dim``); the first
    among ties; int64, not differentiable."""
    return _arg_extreme("argmax", np.argmax, input, dim, keepdim, out)


@parses_dim("int")
def argmin(input, dim=None, keepdim=False, *, out=None):
    """Index of the smallest element; the first among ties."""
    return _arg_extreme("argmin", np.argmin, input, dim, keepdim, out)


# --- median and mode ---------------------------------------------------------------------------
def _lower_median(a):
    """The lower median of a 1-D array's non-NaN values; NaN when there are none (converted to
    the array's dtype, as PyTorch's C++ cast does: INT_MIN for int32/int64, 0 below)."""
    v = np.sort(a[~np.isnan(a)] if a.dtype.kind == "f" else a)
    if v.size:
        return v[(v.size - 1) // 2]
    with np.errstate(invalid="ignore"):
        return np.array(np.nan).astype(a.dtype)


class MedianAll(Amax):
    """out = the lower median of all elements (NaN if any is NaN).   Like a max, the output
    equals the input element(s) at the median, which share the gradient evenly."""

    _backward_name = "MedianBackward0"

    @staticmethod
    def reduce(a, axis, keepdims):
        flat = a.reshape(-1)
        if a.dtype.kind == "f" and np.isnan(flat).any():
            return np.asarray(np.nan, a.dtype)
        return _lower_median(flat)


class NanmedianAll(Amax):
    _backward_name = "NanmedianBackward0"

    @staticmethod
    def reduce(a, axis, keepdims):
        return _lower_median(a.reshape(-1))


def stable_order(a, dim, descending=False):
    """Indices that sort ``a`` along ``dim`` stably (ties keep their order); NaN sorts as the
    largest value. Descending order is the reversed ascending sort of the reversed array, so
    that it is stable too."""
    if not descending:
        return np.argsort(a, axis=dim, kind="stable")
    n = a.shape[dim]
    return n - 1 - np.flip(np.argsort(np.flip(a, dim), axis=dim, kind="stable"), dim)


class MedianDim(Selection):
    """(values, indices) of the lower median along ``dim``: the element at position (n-1)//2
    of the stably sorted slice; a slice with a NaN gives its first NaN."""

    _backward_name = "MedianBackward1"

    @staticmethod
    def select(a, dim):
        order = stable_order(a, dim)
        idx = np.take(order, [(a.shape[dim] - 1) // 2], axis=dim)
        if a.dtype.kind == "f":
            nan = np.isnan(a)
            has = nan.any(axis=dim, keepdims=True)
            idx = np.where(has, np.argmax(nan, axis=dim, keepdims=True), idx)
        return np.take_along_axis(a, idx, dim), idx


class NanmedianDim(Selection):
    """Lower median along ``dim`` of the non-NaN elements (NaN sorts last, so the median of
    the first m sorted elements, m the count of non-NaN ones)."""

    _backward_name = "NanmedianBackward1"

    @staticmethod
    def select(a, dim):
        order = stable_order(a, dim)
        nans = np.isnan(a).sum(axis=dim, keepdims=True) if a.dtype.kind == "f" else \
            np.zeros(a.shape[:dim] + (1,) + a.shape[dim + 1:], np.int64)
        idx = np.take_along_axis(order, np.maximum((a.shape[dim] - nans - 1) // 2, 0), dim)
        return np.take_along_axis(a, idx, dim), idx


class Mode(Selection):
    """(values, indices) of the most frequent value along ``dim``: the smallest such value
    among equally frequent ones, and the index of its last occurrence (as PyTorch)."""

    _backward_name = "ModeBackward0"

    @staticmethod
    def select(a, dim):
        order = np.moveaxis(stable_order(a, dim), dim, -1)
        s = np.take_along_axis(np.moveaxis(a, dim, -1), order, -1)
        n = s.shape[-1]
        pos = np.arange(n)
        first = np.ones(s.shape, bool)
        first[..., 1:] = s[..., 1:] != s[..., :-1]  # a run of equal values starts here
        last = np.ones(s.shape, bool)
        last[..., :-1] = first[..., 1:]
        start = np.maximum.accumulate(np.where(first, pos, 0), axis=-1)
        end = n - 1 - np.flip(np.maximum.accumulate(np.flip(np.where(last, n - 1 - pos, 0), -1), axis=-1), -1)
        best = np.argmax(end - start, axis=-1)[..., None]  # first longest run: smallest value
        idx = np.take_along_axis(order, np.take_along_axis(end, best, -1), -1)
        idx = np.moveaxis(idx, -1, dim)
        return np.take_along_axis(a, idx, dim), idx


def _not_for_bool(kernel, a):
    if a.dtype.kind == "b":
        raise NotImplementedError(f'"{kernel}" not implemented for \'Bool\'')


def _median(name, whole, along, result, input, dim, keepdim, out):
    a = input._data
    if dim is None:
        if a.size:  # an empty tensor runs no kernel in PyTorch, so nothing refuses bool
            _not_for_bool("median_cpu", a)
        return _out(whole.apply(input, tuple(range(a.ndim)), False), out)
    d = one_dim(dim, a)
    check_nonempty("median", a, (d,) if d >= 0 else ())
    _not_for_bool("median_out", a)
    return out_tuple(result(along.apply(input, d, keepdim)), out)


@parses_dim("int", optional=False)
def median(input, dim=None, keepdim=False, *, out=None):
    """The lower median of all elements; or ``(values, indices)`` along ``dim``."""
    return _median("median", MedianAll, MedianDim, _median_t, input, dim, keepdim, out)


@parses_dim("int", optional=False)
def nanmedian(input, dim=None, keepdim=False, *, out=None):
    """``median`` ignoring NaN values."""
    return _median("nanmedian", NanmedianAll, NanmedianDim, _nanmedian_t, input, dim, keepdim, out)


@parses_dim("int", optional=False)
def mode(input, dim=-1, keepdim=False, *, out=None):
    """``(values, indices)`` of the most frequent value along ``dim``."""
    a = input._data
    d = one_dim(dim, a)
    check_nonempty("mode", a, (d,) if d >= 0 else ())
    return out_tuple(_mode_t(Mode.apply(input, d, keepdim)), out)


# --- variance, standard deviation, norms --------------------------------------------------------
class Var(Function):
    """var = sum((x - mean)^2) / (N - correction) over ``dims``.

    d var/d x_i = 2 (x_i - mean) / (N - c): the path through the mean adds
    -2/N * sum_j (x_j - mean) / (N - c), which is zero because deviations sum to zero.
    std = sqrt(var), so d std/d x_i = d var/d x_i / (2 std) = (x_i - mean) / ((N - c) std),
    taken as 0 where std is 0 (a constant slice), as PyTorch does. ``var_mean``/``std_mean``
    also return the mean, whose gradient 1/N is added.
    """

    _backward_name = "VarBackward0"
    _sqrt = False
    _with_mean = False

    @staticmethod
    def forward(ctx, x, dims, keepdim, correction):
        cls = ctx._forward_cls
        a = x._data
        n = _count(a.shape, dims)
        dof = n - correction
        if dof <= 0:
            name = ("std" if cls._sqrt else "var") + ("_mean" if cls._with_mean else "")
            warnings.warn(f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the "
                          "reduction factor (input numel divided by output numel).", UserWarning, stacklevel=5)
        with np.errstate(invalid="ignore", divide="ignore"):
            m = np.add.reduce(a, axis=dims, keepdims=True) / a.dtype.type(n)
            dev = a - m
            out = np.asarray(np.add.reduce(dev * dev, axis=dims, keepdims=keepdim) / np.asarray(dof if dof > 0 else 0,
                                                                                        a.dtype))
        if cls._sqrt:
            out = np.asarray(np.sqrt(out))
        ctx.save_for_backward(x, out)
        ctx.meta = (dims, keepdim, dof, n)
        return (out, np.asarray(m if keepdim else m.squeeze(dims))) if cls._with_mean else out

    @staticmethod
    def backward(ctx, grad, grad_mean=None):
        x, out = ctx.saved_tensors
        dims, keepdim, dof, n = ctx.meta
        shape = x._data.shape
        g = expand_back(grad, shape, dims, keepdim)
        if ctx._forward_cls._sqrt:
            o = expand_back(out, shape, dims, keepdim)
            g = g / (o * 2 + Tensor._make((o._data == 0).astype(o._data.dtype)))
        gx = g * (x - x.mean(dims, keepdim=True)) * (2.0 / dof if dof > 0 else math.inf)
        if grad_mean is not None:
            gx = gx + expand_back(grad_mean / n, shape, dims, keepdim)
        return gx, None, None, None


class Std(Var):
    _backward_name = "StdBackward0"
    _sqrt = True


class VarMean(Var):
    _backward_name = "VarMeanBackward0"
    _with_mean = True


class StdMean(Std):
    _backward_name = "StdMeanBackward0"
    _with_mean = True


def _moments(cls, input, dim, unbiased, keepdim, correction):
    """Parse PyTorch's two signatures: ``(dim, *, correction, keepdim)`` and the older
    ``(dim, unbiased, keepdim)`` / ``(unbiased)``."""
    a = input._data
    if a.dtype.kind != "f":
        raise RuntimeError("std and var only support floating point and complex dtypes")
    if isinstance(dim, bool):
        dim, unbiased = None, dim
    if correction is None:
        correction = 0 if unbiased is False else 1
    elif unbiased is not None:
        raise TypeError("std() received an invalid combination of arguments: give either 'correction' or "
                        "'unbiased', not both")
    return cls.apply(input, reduce_dims(dim, a.ndim), keepdim, correction)


@parses_dim("ints", _VAR_SIGNATURES, other=bool)
def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None, out=None):
    """Variance over ``dim`` with Bessel's ``correction`` (1 by default: divide by N - 1)."""
    return _out(_moments(Var, input, dim, unbiased, keepdim, correction), out)


@parses_dim("ints", _VAR_SIGNATURES, other=bool)
def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None, out=None):
    """Standard deviation: the square root of ``var``."""
    return _out(_moments(Std, input, dim, unbiased, keepdim, correction), out)


@parses_dim("ints", _VAR_MEAN_SIGNATURES, other=bool)
def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """``(var, mean)`` over ``dim`` in one pass."""
    return _moments(VarMean, input, dim, unbiased, keepdim, correction)


@parses_dim("ints", _VAR_MEAN_SIGNATURES, other=bool)
def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """``(std, mean)`` over ``dim`` in one pass."""
    return _moments(StdMean, input, dim, unbiased, keepdim, correction)


def _norm_forward(a, p, dims, keepdim):
    """The vector p-norm (sum |x_i|^p)^(1/p) over ``dims``; p = inf/-inf is max/min |x_i| and
    p = 0 counts the nonzero elements."""
    if p == 2:
        return np.sqrt(np.add.reduce(a * a, axis=dims, keepdims=keepdim))
    ax = np.abs(a)
    if p == math.inf:
        return ax.max(axis=dims, keepdims=keepdim)
    if p == -math.inf:
        return ax.min(axis=dims, keepdims=keepdim)
    if p == 0:
        return (a != 0).sum(axis=dims, keepdims=keepdim).astype(a.dtype)
    if p == 1:
        return ax.sum(axis=dims, keepdims=keepdim)
    with np.errstate(divide="ignore"):
        return np.add.reduce(ax ** p, axis=dims, keepdims=keepdim) ** (1.0 / p)


def _norm_backward(grad, x, out, p, dims, keepdim):
    """d ||x||_p / d x_i = sign(x_i) |x_i|^(p-1) / ||x||^(p-1)   (from the chain rule on
    (sum |x|^p)^(1/p)). Special cases: p = 2 gives x_i / ||x||; p = 1 gives sign(x_i);
    p = +-inf gives sign(x_i) at the element(s) attaining the max/min |x| (ties share);
    p = 0 is piecewise constant: 0. Where the norm is 0 the gradient is taken as 0."""
    a, o_arr = x._data, out._data
    shape = a.shape
    g = expand_back(grad, shape, dims, keepdim)
    sign = Tensor._make(np.sign(a))
    if p == 0:
        return g * 0.0
    if p == 1:
        return g * sign
    if p in (math.inf, -math.inf):
        return spread_ties(grad, np.abs(a), o_arr, dims, keepdim) * sign
    o = expand_back(out, shape, dims, keepdim)
    zero = Tensor._make((o._data == 0).astype(a.dtype))  # a zero norm: x is 0 there, so is sign
    if p == 2:
        return g * x / (o + zero)
    # (|x_i| / ||x||)^(p-1) as exp((p-1) log(...)), with the ratio set to 1 where x_i = 0
    # (sign(x_i) = 0 zeroes those terms): made of differentiable ops, for double backward
    ratio = x * sign / (o + zero) + Tensor._make((a == 0).astype(a.dtype))
    return g * sign * ((p - 1) * ratio.log()).exp()


class VectorNorm(Function):
    """out = ||x||_p over ``dims``; the gradient is ``_norm_backward``'s."""

    _backward_name = "LinalgVectorNormBackward0"

    @staticmethod
    def forward(ctx, x, p, dims, keepdim):
        out = np.asarray(_norm_forward(x._data, p, dims, keepdim))
        ctx.save_for_backward(x, out)
        ctx.meta = (p, dims, keepdim)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, out = ctx.saved_tensors
        return _norm_backward(grad, x, out, *ctx.meta), None, None, None


class Dist(Function):
    """out = ||x - y||_p over all elements.   d/dx = the norm's gradient at x - y; d/dy = -d/dx."""

    _backward_name = "DistBackward0"

    @staticmethod
    def forward(ctx, x, y, p):
        from ._util import binary_arrays
        a, b = binary_arrays(x, y)
        d = a - b
        out = np.asarray(_norm_forward(d, p, tuple(range(d.ndim)), False))
        ctx.save_for_backward(x, y, out)
        ctx.p = p
        return out

    @staticmethod
    def backward(ctx, grad):
        x, y, out = ctx.saved_tensors
        d = x - y
        g = _norm_backward(grad, d, out, ctx.p, tuple(range(d.ndim)), False)
        return g, -g, None


def _check_norm_input(a, dims, p):
    if p in (math.inf, -math.inf) and a.size == 0:
        if len(dims) == a.ndim:
            raise RuntimeError("linalg.vector_norm cannot compute the inf norm on an empty tensor because the "
                               "operation does not have an identity")
        for d in dims:
            if a.shape[d] == 0:
                raise RuntimeError(f"linalg.vector_norm cannot compute the inf norm on the dimension {d}because "
                                   "this dimension is empty and the operation does not have an identity")


_MATRIX_NORM_SIGNATURES = tuple(
    f"Tensor input, {o}, tuple of ints dim = {{-2,-1}}, bool keepdim = False, *, torch.dtype dtype = None, "
    "Tensor out = None" for o in ("Number ord", 'str ord = "fro"'))


def _check_norm_arguments(input, p, dim, keepdim, dtype):
    """PyTorch's TypeErrors for a ``p`` or ``dim`` of the wrong type. ``torch.norm`` is Python:
    it wraps a bool dim like an int, takes len() of any other dim for p='fro' (a TypeError for
    a number) and hands p and dim on as the second and third arguments of
    ``linalg_vector_norm`` (p a number, or 'fro' over at most two dims) or
    ``linalg_matrix_norm`` (another string), whose argument parsers word the errors."""
    if p is not None and not isinstance(p, (str, numbers.Number, Tensor)):
        raise TypeError(f"linalg_vector_norm(): argument 'ord' (position 2) must be Number, not {tp_name(p)}")
    if dim is None or is_int(dim):
        return
    dims = [dim] if isinstance(dim, bool) else dim
    if not isinstance(p, str) or p == "fro" and len(dims) <= 2:
        int_list("linalg_vector_norm", "dim", dims, 3)
    elif isinstance(dims, (tuple, list)) and (not dims or is_int(dims[0])):
        int_list("linalg_matrix_norm", "dim", dims, 3)  # its later elements must be ints too
    else:  # matrix_norm has two overloads, so no single argument is blamed
        raise invalid_combination("linalg_matrix_norm", (input, p, dims, keepdim), {"dtype": dtype},
                                  _MATRIX_NORM_SIGNATURES)


def norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """The vector p-norm of ``input`` over ``dim`` (all dims by default). ``p`` is a number,
    ``inf``/``-inf``, ``'fro'`` (the 2-norm of the flattened dims) or ``'nuc'`` (the sum of
    the singular values of the matrices over two dims)."""
    _check_norm_arguments(input, p, dim, keepdim, dtype)
    a = input._data
    if dtype is not None:
        d = _dtype.to_dtype(dtype)
        if d.np.kind != "f":
            raise RuntimeError(f"linalg.vector_norm: dtype should be floating point or complex, but got "
                               f"{_dtype.type_word(d)}")
    _check_float("linalg.vector_norm", a)
    if p is None or p == "fro":
        if isinstance(dim, (tuple, list)) and len(dim) > 2:
            raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, dim))}")
        p = 2
    elif isinstance(p, str):
        if p == "nuc":  # the sum of singular values: linalg's matrix norm over two dims
            from ..linalg import matrix_norm
            return _out(matrix_norm(input, "nuc", dim=(-2, -1) if dim is None else dim, keepdim=keepdim), out)
        raise RuntimeError(f"linalg.matrix_norm: Order {p} not supported.")
    if dtype is not None and a.dtype != d.np:
        from .pointwise import _cast
        input = _cast(input, d)
    dims = reduce_dims(dim, a.ndim)
    _check_norm_input(a, dims, p)
    return _out(VectorNorm.apply(input, float(p), dims, keepdim), out)


@tensor_operand
def dist(input, other, p=2):
    """``norm(input - other, p)``: the p-distance between two (broadcast) tensors."""
    rt = _dtype.result_type(input, other)
    if not rt.is_floating_point:
        raise RuntimeError(f"norm(): input dtype should be either floating point or complex. Got "
                           f"{_dtype.type_word(rt)} instead.")
    return Dist.apply(input, other, float(p))


# --- logsumexp, softmax, log_softmax ------------------------------------------------------------
def _float_input(input):
    """Integer inputs of logsumexp compute in the default float dtype."""
    if input._data.dtype.kind != "f":
        from .pointwise import _cast
        return _cast(input, _dtype.get_default_dtype())
    return input


def _shifted(a, dims, finite=True):
    """(a - m, m), with m the max over ``dims`` (kept): exp(a - m) has every exponent <= 0, so
    nothing overflows. ``finite``: an infinite max is replaced by 0, so logsumexp of a slice
    holding inf is inf (softmax keeps it, and inf - inf gives PyTorch's NaN slice). ``a - m``
    is a fresh array that the caller may overwrite."""
    m = np.maximum.reduce(a, axis=dims, keepdims=True) if a.size else np.zeros((1,) * a.ndim, a.dtype)
    if finite and not np.isfinite(m).all():
        m = np.where(np.isfinite(m), m, 0)
    with np.errstate(invalid="ignore"):
        return np.asarray(a - m), m


class Logsumexp(Function):
    """out = log(sum(exp(x))) over ``dims``, computed as m + log(sum(exp(x - m))) with m the max.
    d out/d x_i = exp(x_i) / sum(exp(x)) = exp(x_i - out): the softmax of x."""

    _backward_name = "LogsumexpBackward0"

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        a = x._data
        d, m = _shifted(a, dims)
        with np.errstate(divide="ignore"):
            out = np.log(np.exp(d, out=d).sum(axis=dims, keepdims=True)) + m
        out = np.asarray(out if keepdim else out.reshape([s for i, s in enumerate(a.shape) if i not in dims]))
        ctx.save_for_backward(x, out)
        ctx.meta = (dims, keepdim)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, out = ctx.saved_tensors
        dims, keepdim = ctx.meta
        shape = x._data.shape
        return expand_back(grad, shape, dims, keepdim) * (x - expand_back(out, shape, dims, keepdim)).exp(), None, None


@parses_dim("ints", optional=False)
def logsumexp(input, dim, keepdim=False, *, out=None):
    """``log(sum(exp(input)))`` over ``dim``, without overflow."""
    input = _float_input(input)
    return _out(Logsumexp.apply(input, reduce_dims(dim, input._data.ndim), keepdim), out)


class Softmax(Function):
    """s = exp(x) / sum(exp(x)) along ``dim`` (computed from x - max(x): same value, no overflow).

    d s_i/d x_j = s_i (delta_ij - s_j), i.e. the Jacobian is J = diag(s) - s s^T. It is
    symmetric, so grad_x = J g = s * g - s (s . g) = s * (g - sum(g * s))."""

    _backward_name = "SoftmaxBackward0"
    _array_backward = True

    @staticmethod
    def forward(ctx, x, dim):
        dims = (dim,) if dim >= 0 else ()
        d, _ = _shifted(x._data, dims, finite=False)
        e = np.exp(d, out=d)
        with np.errstate(invalid="ignore"):  # a slice of only -inf: 0/0 = NaN, as in PyTorch
            s = np.divide(e, e.sum(axis=dims, keepdims=True), out=e)
        ctx.save_for_backward(s)
        ctx.dims = dims
        return s

    @staticmethod
    def backward(ctx, grad):
        s, = ctx.saved_values
        if grad.__class__ is np.ndarray:  # first order: one buffer, reused
            out = np.asarray(grad * s)  # (NumPy gives a 0-d product as a scalar)
            dot = out.sum(ctx.dims, keepdims=True)
            np.subtract(grad, dot, out=out)
            return np.multiply(out, s, out=out), None
        return s * (grad - (grad * s).sum(ctx.dims, keepdim=True)), None


class LogSoftmax(Function):
    """y = x - log(sum(exp(x))) along ``dim`` (= log of the softmax, computed without taking the
    log of a rounded-to-zero probability).

    d y_i/d x_j = delta_ij - s_j with s = exp(y) the softmax, so
    grad_x = g - s * sum(g)."""

    _backward_name = "LogSoftmaxBackward0"
    _array_backward = True

    @staticmethod
    def forward(ctx, x, dim):
        dims = (dim,) if dim >= 0 else ()
        d, _ = _shifted(x._data, dims, finite=False)
        with np.errstate(invalid="ignore", divide="ignore"):
            y = np.subtract(d, np.log(np.exp(d).sum(axis=dims, keepdims=True)), out=d)
        ctx.save_for_backward(y)
        ctx.dims = dims
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_values
        if grad.__class__ is np.ndarray:  # first order: one buffer, reused
            e = np.asarray(np.exp(y))  # (NumPy gives a 0-d result as a scalar)
            e *= grad.sum(ctx.dims, keepdims=True)
            return np.subtract(grad, e, out=e), None
        return grad - y.exp() * grad.sum(ctx.dims, keepdim=True), None


def _softmax_dim(dim, ndim, name):
    """PyTorch's deprecated implicit dim for ``F.softmax(x)`` without ``dim``."""
    if dim is not None:
        return dim
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X "
                  "as an argument.", UserWarning, stacklevel=5)
    return 0 if ndim in (0, 1, 3) else 1


def _softmax(cls, kernel, input, dim, dtype):
    if dtype is not None:
        from .pointwise import _cast
        d = _dtype.to_dtype(dtype)
        if input._data.dtype != d.np:
            input = _cast(input, d) if d.np.kind == "f" else input
        if d.np.kind != "f":
            raise NotImplementedError(f'"{kernel}" not implemented for \'{_dtype.type_word(d)}\'')
    a = input._data
    if a.dtype.kind != "f":
        if a.size == 0:  # PyTorch runs no kernel, so it has nothing to refuse
            return Tensor._make(a.copy())
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_dtype.type_word(a.dtype)}\'')
    return cls.apply(input, one_dim(_softmax_dim(dim, a.ndim, cls.__name__.lower()), a))


@parses_dim("int", optional=False)
def softmax(input, dim=None, dtype=None, *, _stacklevel=3):
    """exp(input) normalised to sum to 1 along ``dim`` (optionally computed in ``dtype``)."""
    return _softmax(Softmax, "softmax_kernel_impl", input, dim, dtype)


@parses_dim("int", optional=False)
def log_softmax(input, dim=None, dtype=None, *, _stacklevel=3):
    """log(softmax(input)) along ``dim``, computed stably."""
    return _softmax(LogSoftmax, "log_softmax_kernel_impl", input, dim, dtype)


# --- scans: cumsum, cumprod, cummax, cummin --------------------------------------------------
class Cumsum(Function):
    """out_i = x_1 + ... + x_i along ``dim`` (``reverse``: x_i + ... + x_n).

    x_j appears in every out_i with i >= j, so grad_x_j = sum_{i >= j} g_i: the adjoint of a
    prefix sum is a suffix sum (and the other way round)."""

    _backward_name = "CumsumBackward0"

    @staticmethod
    def forward(ctx, x, dim, np_dtype, reverse=False):
        ctx.meta = (dim, reverse)

        def scan(a, d):
            if reverse:
                return np.flip(np.flip(a, d).cumsum(axis=d, dtype=np_dtype), d)
            return a.cumsum(axis=d, dtype=np_dtype)
        return _along(scan, x._data, dim)

    @staticmethod
    def backward(ctx, grad):
        dim, reverse = ctx.meta
        return Cumsum.apply(grad, dim, None, not reverse), None, None, None


def _suffix_sum(t, dim):
    return Cumsum.apply(t, dim, None, True)


class Cumprod(Function):
    """out_i = x_1 * ... * x_i along ``dim``.

    d out_k/d x_i = prod_{j <= k, j != i} x_j for k >= i, so grad_x_i = sum_{k >= i} g_k *
    out_k / x_i when no x is zero: a suffix sum of g * out, divided by x.
    With a zero, let z be the first zero's position along the slice:
      * i < z: the terms k >= z vanish (out_k contains x_z), the rest are as above;
      * i = z: out_k / x_z is undefined, but prod_{j <= k, j != z} x_j is the cumprod P_k of
        x with x_z replaced by 1, so grad_x_z = sum_{k >= z} g_k P_k;
      * i > z: every product contains x_z = 0, so the gradient is 0.
    The second derivative is not exact at the zero entries themselves.
    """

    _backward_name = "CumprodBackward0"

    @staticmethod
    def forward(ctx, x, dim, np_dtype):
        out = _along(lambda a, d: a.cumprod(axis=d, dtype=np_dtype), x._data, dim)
        ctx.save_for_backward(x, out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx, grad):
        x, out = ctx.saved_tensors
        dim = ctx.dim
        a = x._data
        zero = a == 0
        if not zero.any():
            return _suffix_sum(grad * out, dim) / x, None, None
        d = dim if dim >= 0 else 0
        nz = np.cumsum(zero.reshape(a.shape or (1,)), axis=d).reshape(a.shape)
        f = a.dtype.type
        first = Tensor._make((zero & (nz == 1)).astype(f))   # the first zero of each slice
        before = Tensor._make((nz == 0).astype(f))            # positions before it
        p = Cumprod.apply(x * (1.0 - first) + first, dim, None)
        h = grad * p
        safe_x = x * before + (1.0 - before)
        return before * _suffix_sum(h * before, dim) / safe_x + first * _suffix_sum(h * (1.0 - before), dim), \
            None, None


def _running_select(acc):
    """``select`` of cummax/cummin: the running extreme along ``dim`` and where it was
    attained. PyTorch moves the index on ``>=`` (``<=``), so ties point at the latest
    position, and once a NaN appears the value stays NaN, pointing at the latest NaN."""
    def select(a, dim):
        v = acc(a, axis=dim)
        hit = a == v
        if a.dtype.kind == "f":
            hit |= np.isnan(a)
        shape = [1] * a.ndim
        shape[dim] = a.shape[dim]
        pos = np.arange(a.shape[dim]).reshape(shape)
        return v, np.maximum.accumulate(np.where(hit, pos, 0), axis=dim)
    return staticmethod(select)


class Cummax(Selection):
    """(values, indices) of the running maximum along ``dim``. Each value is the input element
    at its index, so the gradient goes there; one element can be the running maximum of many
    positions, and then it collects (sums) all their gradients."""

    _backward_name = "CummaxBackward0"
    select = _running_select(np.maximum.accumulate)


class Cummin(Selection):
    """(values, indices) of the running minimum along ``dim``; the gradient as for ``Cummax``."""

    _backward_name = "CumminBackward0"
    select = _running_select(np.minimum.accumulate)


@parses_dim("int", optional=False)
def cumsum(input, dim, *, dtype=None, out=None):
    """Running sum along ``dim``; bool and integer tensors give int64."""
    a = input._data
    return _out(Cumsum.apply(input, one_dim(dim, a), _reduced_dtype(a, dtype)), out)


@parses_dim("int", optional=False)
def cumprod(input, dim, *, dtype=None, out=None):
    """Running product along ``dim``; bool and integer tensors give int64."""
    a = input._data
    return _out(Cumprod.apply(input, one_dim(dim, a), _reduced_dtype(a, dtype)), out)


@parses_dim("int", optional=False)
def cummax(input, dim, *, out=None):
    """``(values, indices)`` of the running maximum along ``dim``."""
    return out_tuple(_cummax_t(Cummax.apply(input, one_dim(dim, input._data), True)), out)


@parses_dim("int", optional=False)
def cummin(input, dim, *, out=None):
    """``(values, indices)`` of the running minimum along ``dim``."""
    return out_tuple(_cummin_t(Cummin.apply(input, one_dim(dim, input._data), True)), out)


@parses_dim("int", optional=False)
def cumsum_(self, dim, *, dtype=None):
    return apply_inplace(self, cumsum, dim, dtype=dtype)


@parses_dim("int", optional=False)
def cumprod_(self, dim, *, dtype=None):
    return apply_inplace(self, cumprod, dim, dtype=dtype)


def sum_to_shape(a, shape):
    """The array ``a`` summed down to ``shape``, a shape it broadcasts from: over its extra
    leading dims and over every dim where ``shape`` has 1 and ``a`` has more."""
    lead = a.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape) if s == 1 and a.shape[lead + i] != 1)
    r = a.sum(axis=axes, keepdims=True) if axes else a
    return r.reshape(shape) if lead else r


class SumToSize(Function):
    """out = x summed down to a shape x broadcasts from: the adjoint of ``expand``.
    Its gradient is the incoming gradient expanded back to x's shape."""

    _backward_name = "SumToSizeBackward0"

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x._data.shape
        return sum_to_shape(x._data, shape)

    @staticmethod
    def backward(ctx, grad):
        return grad.expand(ctx.shape), None


def sum_to_size(self, *size):
    """Sum this tensor down to ``size``, which it must be expandable from."""
    from .._tensor import _shape_arg
    shape = _shape_arg(size)
    try:
        ok = np.broadcast_shapes(shape, self._data.shape) == self._data.shape
    except ValueError:
        ok = False
    if not ok:
        raise RuntimeError(f"size {{{', '.join(map(str, shape))}}} is not expandable to size "
                           f"{{{', '.join(map(str, self._data.shape))}}}.")
    if shape == self._data.shape:
        return self
    return SumToSize.apply(self, shape)


# --- logical reductions and counting --------------------------------------------------------------
def _logical(npfn, input, dim, keepdim, out):
    """all/any: a bool result (uint8 for uint8 input, as PyTorch). ``dim=()`` reduces nothing."""
    a = input._data
    if dim is None:
        dims = tuple(range(a.ndim))
    else:
        dims = normalize_dims(dim, a.ndim) if a.ndim else ()
    r = np.asarray(npfn(a, axis=dims, keepdims=keepdim))
    return _out(Tensor._make(r.astype(np.uint8) if a.dtype == np.uint8 else r), out)


@parses_dim("ints", _ALL_SIGNATURES)
def all(input, dim=None, keepdim=False, *, out=None):
    """True where every element over ``dim`` is nonzero."""
    return _logical(np.all, input, dim, keepdim, out)


@parses_dim("ints", _ALL_SIGNATURES)
def any(input, dim=None, keepdim=False, *, out=None):
    """True where some element over ``dim`` is nonzero."""
    return _logical(np.any, input, dim, keepdim, out)


@parses_dim("ints", _COUNT_NONZERO_SIGNATURES)
def count_nonzero(input, dim=None):
    """The number of nonzero elements over ``dim`` (all dims by default), as int64."""
    a = input._data
    return Tensor._make(np.asarray((a != 0).sum(axis=reduce_dims(dim, a.ndim), dtype=np.int64)))


__all__ = ["sum", "nansum", "mean", "nanmean", "prod", "max", "min", "amax", "amin", "aminmax", "argmax", "argmin",
           "median", "nanmedian", "mode", "var", "std", "var_mean", "std_mean", "norm", "dist", "logsumexp",
           "softmax", "log_softmax", "cumsum", "cumprod", "cummax", "cummin", "all", "any", "count_nonzero",
           "return_types"]
methods(sum, nansum, mean, nanmean, prod, max, min, amax, amin, aminmax, argmax, argmin, median, nanmedian, mode,
        var, std, norm, dist, logsumexp, softmax, log_softmax, cumsum, cumprod, cummax, cummin, all, any,
        count_nonzero, cumsum_, cumprod_, sum_to_size)
