"""Helpers every op module shares: argument checks, type promotion on arrays, in-place
application, and attaching functions to ``Tensor`` as methods."""
import numpy as np

from .. import _dtype
from .._tensor import Tensor
from ..autograd import grad_mode

_grad = grad_mode._state
_float_kinds = "f"


def methods(*fns, **named):
    """Attach functions to ``Tensor`` as methods: by their own name, or as ``name=fn`` (a
    function with a method form of its own, see ``tensor_operand``, attaches that)."""
    for fn in fns:
        setattr(Tensor, fn.__name__, getattr(fn, "_method", fn))
    for name, fn in named.items():
        setattr(Tensor, name, getattr(fn, "_method", fn))


def tensor_operand(fn, argname="other"):
    """``fn(input, other, ...)`` for a binary op whose second operand must be a tensor
    (maximum, atan2, gcd, ...): a number there raises PyTorch's TypeError, which counts the
    argument's position from 2 in the function and from 1 in the method (``_method``)."""
    def check(other, position):
        if not isinstance(other, Tensor):
            raise TypeError(f"{fn.__name__}(): argument '{argname}' (position {position}) must be Tensor, "
                            f"not {type(other).__name__}")

    def function(input, other, *args, **kwargs):
        check(other, 2)
        return fn(input, other, *args, **kwargs)

    def method(self, other, *args, **kwargs):
        check(other, 1)
        return fn(self, other, *args, **kwargs)
    for f in (function, method):
        f.__name__, f.__qualname__, f.__doc__ = fn.__name__, fn.__qualname__, fn.__doc__
    function._method = method
    return function


def normalize_dim(dim, ndim):
    """A dim in ``[-ndim, ndim)`` as a non-negative index (0-d tensors accept -1 and 0)."""
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return dim + n if dim < 0 else dim


def normalize_dims(dim, ndim):
    """``dim=None`` (all), an int, or a sequence of ints -> a sorted tuple of indices."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, (int, np.integer)):
        return (normalize_dim(int(dim), ndim),)
    dims = tuple(normalize_dim(int(d), ndim) for d in dim)
    if len(set(dims)) != len(dims):
        d = next(d for d in dims if dims.count(d) > 1)
        raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return dims


def quick_float_op(ufunc, a, b):
    """``ufunc(a, b)`` for a float tensor ``a`` and ``b`` a tensor of the same dtype or a
    Python number, when nothing is to be recorded (grad mode off, as inside backward and
    under ``no_grad``, or no operand requires grad): there NumPy's broadcasting and result
    dtype are PyTorch's, so the op machinery (promotion, graph wiring) can be skipped. None
    when the general path is needed: a graph to record, mixed dtypes, integers, or shapes
    that do not broadcast (for PyTorch's error)."""
    if a.__class__ is not Tensor:  # (the caller has checked that ``a`` records nothing)
        return None
    x = a._data
    if x.dtype.kind != "f":
        return None
    if b.__class__ is Tensor:
        if b._requires_grad and _grad[0]:
            return None
        y = b._data
        if y.dtype != x.dtype:
            return None
    elif b.__class__ is float or b.__class__ is int:
        y = b
    else:
        return None
    try:
        r = half_with_scalar(ufunc, x, b) if x.dtype is _HALF and ufunc is np.multiply else ufunc(x, y)
    except ValueError:
        return None
    if r is None:  # float16 times a float16 tensor
        r = ufunc(x, y)
    return Tensor._make(r if r.__class__ is np.ndarray else np.asarray(r))


def to_tensor(x, like=None):
    """A Python number (or array) as a tensor, with the dtype PyTorch would give it."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, np.ndarray):
        return Tensor._make(x)
    return Tensor._make(np.array(x, dtype=_dtype.scalar_dtype(x).np))


def binary_arrays(a, b):
    """The arrays of a binary op's operands (tensors or numbers), converted so that NumPy
    computes in PyTorch's result dtype. Returns ``(x, y)``; a number stays a number when
    NumPy would already treat it as PyTorch does (a "weak" scalar of the tensor's kind)."""
    if b.__class__ is np.ndarray and isinstance(a, Tensor):
        # tensor (op) array: PyTorch lets NumPy compute it, so NumPy's promotion rules decide
        # the dtype (float32 tensor + int64 array -> float64); array (op) tensor is a TypeError
        rt = np.result_type(a._data, b)
        return a._data.astype(rt, copy=False), b.astype(rt, copy=False)
    if isinstance(a, Tensor):
        x = a._data
        if isinstance(b, Tensor):
            y = b._data
            if x.shape != y.shape:
                check_broadcast(x.shape, y.shape)
            if x.dtype == y.dtype:
                return x, y
            rt = _dtype.result_type(a, b).np
            return x.astype(rt, copy=False), y.astype(rt, copy=False)
        return _with_scalar(x, b, a, b)
    if isinstance(b, Tensor):
        y, x = _with_scalar(b._data, a, b, a)
        return x, y
    raise TypeError(f"expected at least one Tensor, got {type(a).__name__} and {type(b).__name__}")


_HALF = np.dtype(np.float16)


def half_with_scalar(ufunc, x, b):
    """``ufunc(x, b)`` (multiply or divide) as PyTorch's CPU kernels compute it for a
    float16 array ``x`` and a right operand ``b`` they treat as a scalar (a Python number or
    a 0-d tensor): in float32 with the scalar's own value, rounded to float16 once. NumPy
    would round the scalar to float16 first, and about a third of the results would differ
    in the last bit. None when that is not the case (the caller computes as usual)."""
    if x.__class__ is not np.ndarray or x.dtype is not _HALF:
        return None
    if b.__class__ is Tensor:
        if b._data.ndim:
            return None
        b = b._data
    elif b.__class__ not in (float, int) and not isinstance(b, (np.floating, np.integer)):
        return None
    return ufunc(x, np.float32(b), dtype=np.float32).astype(_HALF)


def check_broadcast(sa, sb):
    """PyTorch's RuntimeError for shapes that do not broadcast (NumPy raises ValueError)."""
    n = max(len(sa), len(sb))
    pa, pb = (1,) * (n - len(sa)) + tuple(sa), (1,) * (n - len(sb)) + tuple(sb)
    for d in range(n - 1, -1, -1):
        if pa[d] != pb[d] and pa[d] != 1 and pb[d] != 1:
            raise RuntimeError(f"The size of tensor a ({pa[d]}) must match the size of tensor b ({pb[d]}) at "
                               f"non-singleton dimension {d}")


def _with_scalar(x, s, t, scalar):
    """``(array, scalar)`` for a tensor array ``x`` and a Python number ``s``."""
    k = x.dtype.kind
    cls = s.__class__
    if cls is float:
        if k == "f":
            return x, s
    elif cls is int:
        if k != "b":
            if k == "f" or _fits(x.dtype, s):
                return x, s
            return x, np.array(s).astype(x.dtype)  # wraps around, as PyTorch's integer math does
    elif cls is bool:
        return x, s
    elif isinstance(s, (np.ndarray, list, tuple)):
        raise TypeError(f"unsupported operand type: {type(s).__name__}; wrap it with torch.tensor()")
    rt = _dtype.result_type(t, scalar).np
    if isinstance(s, np.generic):
        s = s.item()
    return x.astype(rt, copy=False), s


# the C++ type each dtype is stored as: PyTorch names it when a number does not fit
_CPP_TYPE = {"float16": "c10::Half", "float32": "float", "float64": "double", "int8": "int8_t", "uint8": "uint8_t",
             "int16": "int16_t", "int32": "int", "int64": "int64_t"}


def check_scalar(value, np_dtype, name=None):
    """PyTorch's RuntimeError when a number written into a tensor (fill, full, masked_fill,
    clamp bounds, setitem) does not fit its dtype: for a float type, finite values past its
    largest (infinities and NaN fit); for an integer type, any float that is not finite, and
    values out of range, where an unsigned type also takes -max..-1 (they wrap around).
    ``name``: the type's name in the message (default the C++ type, as ``fill_`` says it).
    Returns the value as a NumPy scalar of ``np_dtype`` (anything but a number unchanged)."""
    if value.__class__ not in (int, float) or np_dtype.kind == "b":
        return value
    if np_dtype.kind == "f":
        fits = value != value or abs(value) == float("inf") or abs(value) <= float(np.finfo(np_dtype).max)
    elif value != value or abs(value) == float("inf"):
        fits = False
    else:
        info = np.iinfo(np_dtype)
        fits = -info.max <= value <= info.max if np_dtype.kind == "u" else info.min <= value <= info.max
    if not fits:
        raise RuntimeError(f"value cannot be converted to type {name or _CPP_TYPE[np_dtype.name]} without overflow")
    return np.array(value).astype(np_dtype)[()]


def _fits(np_dtype, v):
    info = np.iinfo(np_dtype)
    return info.min <= v <= info.max


def check_inplace_dtype(self, rt):
    """PyTorch refuses in-place results that don't cast to self's dtype (float into int)."""
    if not _dtype.promote_types(rt, self.dtype) is self.dtype and rt._category > self.dtype._category:
        raise RuntimeError(f"result type {_dtype.type_word(rt)} can't be cast to the desired output type "
                           f"{_dtype.type_word(self.dtype)}")


def needs_grad(*args):
    """True when grad mode is on and some argument is a tensor that requires grad."""
    if not _grad[0]:
        return False
    for a in args:
        if isinstance(a, Tensor) and a._requires_grad:
            return True
    return False


def apply_inplace(self, op, *args, **kwargs):
    """Run out-of-place ``op(self, *args)`` and write the result into ``self``.

    Without a graph to record, the result is copied into ``self``'s array. With one, ``self``
    takes over the result's place in the graph (its ``grad_fn``); the op was given a copy of
    ``self``'s old values, so what its backward saved is not overwritten.
    """
    recording = needs_grad(self, *args)
    if recording:
        if self._view is not None:
            if self._view[1] is not None:
                from .views import check_inplace
                check_inplace(self)
            if self._requires_grad and self._base.grad_fn is None:
                from .views import VIEW_OF_LEAF
                raise RuntimeError(VIEW_OF_LEAF)
        if self.grad_fn is None and self._requires_grad:
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
        if self._base is not None:
            from .views import inplace_on_view
            return inplace_on_view(self, op, args, kwargs)
        old = Tensor._make(self._data.copy())
        old._requires_grad, old.grad_fn, old._output_nr = self._requires_grad, self.grad_fn, self._output_nr
        r = op(old, *args, **kwargs)
    else:
        r = op(self, *args, **kwargs)
    write_into(self, r)
    if recording:
        self.grad_fn, self._output_nr, self._requires_grad = r.grad_fn, r._output_nr, r._requires_grad
    return self


def write_into(self, r):
    """Copy result tensor ``r`` into ``self``'s memory (broadcast, cast) and bump the version."""
    if r._data.dtype != self._data.dtype:
        check_inplace_dtype(self, r.dtype)
    if r._data.shape != self._data.shape:
        try:
            if np.broadcast_shapes(r._data.shape, self._data.shape) != self._data.shape:
                raise ValueError
        except ValueError:
            raise RuntimeError(f"output with shape {list(self._data.shape)} doesn't match the broadcast shape "
                               f"{list(np.broadcast_shapes(r._data.shape, self._data.shape))}") from None
    if not self._data.flags.writeable:
        check_writeable(self)
    np.copyto(self._data, r._data, casting="unsafe")
    self._vc[0] += 1


def check_writeable(t):
    """PyTorch's error for writing into memory that several elements share (an ``expand``ed
    tensor: NumPy marks such broadcast views read-only), or ours for a read-only array."""
    a = t._data
    if a.size > 1 and any(st == 0 and n > 1 for st, n in zip(a.strides, a.shape)):
        raise RuntimeError("unsupported operation: more than one element of the written-to tensor refers to a single "
                           "memory location. Please clone() the tensor before performing the operation.")
    raise RuntimeError("cannot write into this tensor: its memory is a read-only NumPy array (clone() it, or pass "
                       "a writeable array to from_numpy)")


def save_operands(ctx, a, b):
    """Save a binary op's operands for backward: tensors through ``save_for_backward`` (so
    in-place changes are caught), Python numbers as they are. Nothing, when no input needs
    a gradient: no backward will ever read them (the common case inside backward itself)."""
    if True not in ctx.needs_input_grad:
        return
    a_is, b_is = isinstance(a, Tensor), isinstance(b, Tensor)
    ctx._to_save = (a if a_is else None, b if b_is else None)
    ctx.numbers = (None if a_is else a, None if b_is else b)
    if a_is and b_is and a._data.dtype != b._data.dtype:
        # NumPy would promote mixed arrays differently from PyTorch's rules (a float32
        # gradient times a float64 0-d tensor stays float32 there): compute on tensors
        ctx._array_backward = False


def saved_operands(ctx):
    """The operands saved by ``save_operands``, unpacked and checked: tensors, or their
    arrays in the engine's first-order mode (see ``saved_values``); numbers as they are."""
    (ta, tb), (na, nb) = ctx.saved_values, ctx.numbers
    return na if ta is None else ta, nb if tb is None else tb
