"""Tensor creation: ``tensor``, ``zeros``, ``arange``, ``linspace``, the legacy type
constructors (``FloatTensor``) and the ``*_like`` family."""
import itertools
import math
import numbers
import warnings

import numpy as np

from .. import _dtype
from .._device import check_available, device as _device_cls
from .._tensor import Tensor, _shape_arg, _LEGACY_NAMES
from ._arguments import (dtype_arg, int_list, invalid_combination, is_int, one_int, size_args, too_many_positional,
                         tp_name)

_UNSET = object()  # an argument not given (where None is a value the caller may pass)


def _finish(arr, requires_grad):
    t = Tensor._make(arr)
    if requires_grad:
        if arr.dtype.kind != "f":  # (a factory words it differently from requires_grad_)
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        t._requires_grad = True
    return t


def _check_device(fname, device, pin_memory=False):
    """A factory's ``device=`` and ``pin_memory=`` arguments, with PyTorch's errors: the
    device must be a device, a string or an index; it must have a backend here; and no memory
    can be pinned without an accelerator."""
    if device is not None and not isinstance(device, (str, _device_cls)) and \
            not (isinstance(device, int) and not isinstance(device, bool)):
        raise TypeError(f"{fname}(): argument 'device' must be torch.device, not {tp_name(device)}")
    check_available(device)
    if pin_memory:
        raise RuntimeError("pin_memory=True requires a CUDA or other accelerator backend; no pinned memory allocator "
                           "is available on this system.")


def _check_fill(value, np_dtype, name=None):
    """``check_scalar``, plus PyTorch's rule that a float below zero overflows an unsigned
    type (only an int may wrap around: -1 -> 255, -1.0 -> error)."""
    if np_dtype.kind == "u" and isinstance(value, float) and value < 0:
        raise RuntimeError(f"value cannot be converted to type {name or np_dtype.name + '_t'} without overflow")
    return check_scalar(value, np_dtype, name)


def _np_dtype(fname, dtype, default=None):
    """The NumPy dtype of a factory's ``dtype=`` argument (checked as PyTorch checks it);
    ``default`` (else the default float dtype) when it is None."""
    if dtype is None:
        return default if default is not None else _dtype.get_default_dtype().np
    return dtype_arg(fname, dtype).np


def _infer_np_dtype(arr):
    """PyTorch's dtype for data given as Python numbers: floats -> the default dtype."""
    k = arr.dtype.kind
    if k == "f":
        return _dtype.get_default_dtype().np
    if k in "iu":
        return np.dtype(np.int64)
    if k == "b":
        return np.dtype(np.bool_)
    if k == "c":
        raise NotImplementedError("complex tensors are not supported by ember")
    raise TypeError(f"Could not infer dtype of {arr.dtype if k != 'O' else type(arr.flat[0]).__name__}")


# PyTorch's advice when a tensor is built from a tensor
_COPY_CONSTRUCT = ("To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() or "
                   "sourceTensor.detach().clone().requires_grad_(True), rather than {}(sourceTensor).")


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor holding a copy of ``data`` (nested lists, numbers, arrays, tensors)."""
    _check_device("tensor", device, pin_memory)
    if dtype is not None:
        dtype = dtype_arg("tensor", dtype)
    if isinstance(data, Tensor):
        warnings.warn(_COPY_CONSTRUCT.format("torch.tensor"), UserWarning, stacklevel=2)
        arr = data._data.copy() if dtype is None else data._data.astype(dtype.np)
        return _finish(arr, requires_grad)
    if isinstance(data, (np.ndarray, np.generic)):  # a NumPy scalar keeps its dtype, as an array does
        if dtype is not None and isinstance(data, np.generic):
            _check_store([data], dtype.np)  # (a scalar is stored as one, unlike an array)
        arr = np.array(data, dtype=_dtype.from_numpy_dtype(data.dtype).np if dtype is None else dtype.np, copy=True)
        return _finish(arr, requires_grad)
    arr, inferred, special, big = _from_python(data)
    target = dtype.np if dtype is not None else inferred or _infer_np_dtype(arr)
    if special:
        _check_store(special, target)
    if big is not None:  # an int beyond int64: a float or bool tensor takes it, an integer one cannot
        if target.kind in "iu":
            raise ValueError("Overflow when unpacking long long")
        arr = np.array(big, dtype=np.float64)
    if target.kind in "iu" and arr.dtype.kind in "iuf" and arr.size:
        # into an integer type every value must fit (into a float type, tensor() lets values
        # overflow to inf, unlike fill_); NaN fails, and min and max bound the rest
        for v in (np.nan,) if np.isnan(arr).any() else (arr.min(), arr.max()):
            check_scalar(v.item() if isinstance(v, np.generic) else v, target, target.name)
        if target.kind == "u" and arr.dtype.kind == "f" and arr.min() < 0:
            # a negative float overflows an unsigned type (a negative int wraps around)
            for v in _leaves(data):
                _check_fill(v, target, target.name)
    return _finish(arr.astype(target, copy=arr.dtype != target), requires_grad)


_PLAIN = frozenset((bool, int, float))  # the leaf types NumPy's own inference already gets right


def _from_python(data):
    """An array of nested Python sequences of numbers, with PyTorch's errors for data that is
    ragged, not numeric, or holds an integer no int64 can. Also returns the dtype PyTorch
    infers when the data holds NumPy numbers, arrays or tensors (else None; NumPy's choice
    then maps to PyTorch's), those leaves, for ``_check_store``, and, when an int is too big
    for int64, the data again as numbers (else None; ``arr`` is then not usable)."""
    inferred, special = None, []
    first = data
    while isinstance(first, (list, tuple)) and len(first):
        first = first[0]
        # PyTorch takes the shape from the first elements, asking each for its length
        if isinstance(first, np.ndarray) and first.ndim == 0:
            raise TypeError("len() of unsized object")
    types = _leaf_types(data) if isinstance(data, (list, tuple)) else set()
    if not types <= _PLAIN:
        # PyTorch infers the dtype from every element: a NumPy number, array or a tensor
        # counts with its own dtype, a Python float as the default dtype, an int as int64,
        # and the result is their promotion (so [1.5, np.float64(2)] is float64). Tensors
        # in a list are numbers there (NumPy would nest them).
        dtypes = []
        data = _tensors_as_numbers(data, dtypes, special)
        if dtypes:
            inferred = dtypes[0]
            for d in dtypes[1:]:
                inferred = _dtype.promote_types(inferred, d)
            inferred = inferred.np
    try:
        arr = np.array(data)
    except ValueError:
        _check_nesting(data)
        raise
    big = None
    if arr.dtype.kind == "O" or arr.dtype == np.uint64 or \
            int in types and arr.dtype.kind == "f" and (np.abs(arr) >= 2.0 ** 63).any():
        # NumPy holds an int beyond int64 as uint64, float64 or an object; PyTorch infers
        # int64 for it all the same, and only storing it can fail
        if any(type(v) is int and not -2 ** 63 <= v < 2 ** 63 for v in _leaves(data)):
            big = data
        if arr.dtype.kind == "O" or arr.dtype == np.uint64:
            bad = next((v for v in _leaves(data) if not isinstance(v, (bool, int, float, complex, np.generic))), None)
            if bad is not None or big is None:
                raise RuntimeError(f"Could not infer dtype of {type(bad).__name__ if arr.size else 'object'}")
        if big is not None and inferred is None:
            inferred = _dtype.get_default_dtype().np if float in types else np.dtype(np.int64)
    if arr.dtype.kind in "US":
        first = data
        while isinstance(first, (list, tuple)) and len(first):
            first = first[0]
        if isinstance(first, str) and first is not data:  # a string where a number starts a row
            raise ValueError("too many dimensions 'str'")
        raise TypeError("new(): invalid data type 'str'")
    if arr.dtype.kind == "c":
        _infer_np_dtype(arr)  # (its error: ember has no complex dtypes)
    return arr, inferred, special, big


def _leaf_types(seq):
    """The types of the non-sequence items of nested lists and tuples, gathered a whole
    nesting level at a time so that long lists of numbers cost little."""
    types, items = set(), seq
    while True:
        kinds = set(map(type, items))
        if kinds <= _PLAIN:  # the common case: numbers only at this level
            return types | kinds
        nested = {k for k in kinds if issubclass(k, (list, tuple))}
        types |= kinds - nested
        if not nested:
            return types
        items = list(itertools.chain.from_iterable(items if kinds == nested else
                                                   (d for d in items if type(d) in nested)))


def _tensors_as_numbers(data, dtypes, special):
    """``data`` with each (one-element) tensor replaced by its value; ``dtypes`` collects the
    dtype of every numeric leaf, ``special`` the leaves that are not Python numbers and the
    ints beyond int64, in order."""
    if isinstance(data, (list, tuple)):  # (a tuple stays one: ragged-data errors name it)
        items = [_tensors_as_numbers(d, dtypes, special) for d in data]
        return tuple(items) if isinstance(data, tuple) else items
    if isinstance(data, Tensor):
        if data._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        dtypes.append(data.dtype)
        special.append(data)
        return data._data.reshape(()).item()
    if isinstance(data, (np.generic, np.ndarray)):
        if data.dtype.kind in "iufb":  # (others fail later, with NumPy's array of them)
            dtypes.append(_dtype.from_numpy_dtype(data.dtype))
        special.append(data)
    elif isinstance(data, (bool, int, float)):
        dtypes.append(_dtype.scalar_dtype(data))
        if type(data) is int and not -2 ** 63 <= data < 2 ** 63:
            special.append(data)  # (for the order of the errors in _check_store)
    return data


def _check_store(leaves, target):
    """PyTorch's error for the first leaf it cannot store into an integer or bool tensor: it
    reads such leaves with ``__index__``, which NumPy floats (except float64, a Python float),
    NumPy bools (except into bool), float arrays and float tensors do not have, and an int
    beyond int64 overflows (except into bool)."""
    if target.kind not in "iub":
        return  # (a float tensor takes any of them)
    for v in leaves:
        if type(v) is int:  # beyond int64
            if target.kind != "b":
                raise ValueError("Overflow when unpacking long long")
        elif isinstance(v, Tensor):
            if v._data.dtype.kind == "f":
                raise TypeError("only integer tensors of a single element can be converted to an index")
        elif isinstance(v, np.ndarray) and v.ndim == 0:
            if v.dtype.kind not in "iu":
                raise TypeError("only integer scalar arrays can be converted to a scalar index")
        else:
            # a scalar, or an array read element by element (each one a NumPy scalar)
            kind = v.dtype.kind
            if kind in "iu" or v.dtype == np.float64 or kind == "b" and target.kind == "b":
                continue
            name = tp_name(v if isinstance(v, np.generic) else v.dtype.type(0))
            raise TypeError(f"'{name}' object cannot be interpreted as an integer")


def _leaves(data):
    if isinstance(data, (list, tuple)):
        for d in data:
            yield from _leaves(d)
    else:
        yield data


def _check_nesting(data):
    """PyTorch's error for ragged nested sequences: the lengths along the first elements set
    the shape, and every sequence must match it."""
    sizes, first = [], data
    while isinstance(first, (list, tuple)):
        sizes.append(len(first))
        if not first:
            break
        first = first[0]

    def walk(seq, dim):
        if dim == len(sizes):
            if isinstance(seq, (list, tuple)):
                raise TypeError(f"'{type(seq).__name__}' object cannot be interpreted as an integer")
            return
        if not isinstance(seq, (list, tuple)):
            raise TypeError("not a sequence")
        if len(seq) != sizes[dim]:
            raise ValueError(f"expected sequence of length {sizes[dim]} at dim {dim} (got {len(seq)})")
        for item in seq:
            walk(item, dim + 1)
    walk(data, 0)


def as_tensor(data, dtype=None, device=None):
    """Like ``tensor`` but shares memory with a tensor or ndarray when no conversion is needed."""
    check_available(device)
    if dtype is not None:
        dtype = dtype_arg("as_tensor", dtype)
    if isinstance(data, Tensor):
        return data if dtype is None or dtype.np == data._data.dtype else data.to(dtype)
    if isinstance(data, np.ndarray):
        d = _dtype.from_numpy_dtype(data.dtype).np if dtype is None else dtype.np
        return Tensor._make(data if d == data.dtype else data.astype(d))
    return tensor(data, dtype=dtype)


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False):
    """``obj`` as a tensor that shares memory with ``obj`` (a tensor or an ndarray) when no
    conversion is needed, unless ``copy=True``, which always copies."""
    t = as_tensor(obj, dtype=dtype, device=device)
    if copy and (t is obj or isinstance(obj, np.ndarray) and t._data is obj):
        t = t.clone() if isinstance(obj, Tensor) else Tensor._make(t._data.copy())
    if requires_grad:
        t.requires_grad_(True)
    return t


def from_numpy(ndarray):
    """A tensor on the very same memory as ``ndarray`` (changes show in both)."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    _dtype.from_numpy_dtype(ndarray.dtype)
    if not ndarray.flags.writeable:
        warnings.warn("The given NumPy array is not writable, and PyTorch does not support non-writable "
                      "tensors. This means writing to this tensor will result in undefined behavior.",
                      UserWarning, stacklevel=2)
    return Tensor._make(ndarray)


def _factory(fname, fill, size, kwargs, dtype, device, requires_grad, out=None, layout=None, pin_memory=False):
    """A new tensor of the shape given as ``fname(*size)``, filled by ``fill(shape, dtype)``."""
    shape = size_args(fname, "size", size, kwargs)
    _check_keywords(fname, out, layout, pin_memory, requires_grad)
    for s in shape:
        if s < 0:
            if fname == "zeros":  # zeros checks its sizes itself, with its own message
                raise RuntimeError("zeros: Dimension size must be non-negative.")
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(shape)}")
    d = _np_dtype(fname, dtype, None if out is None else out._data.dtype)
    _check_device(fname, device, pin_memory)
    return _to_out(_finish(fill(shape, d), requires_grad), out)


def _check_keywords(fname, out, layout, pin_memory, requires_grad):
    """PyTorch's TypeError for a factory keyword of the wrong type (None is the default)."""
    for name, value, type_name, ok in (
            ("out", out, "Tensor", isinstance(out, Tensor)),
            ("layout", layout, "torch.layout", type(layout).__name__ == "layout"),  # (ember's torch.layout)
            ("pin_memory", pin_memory, "bool", isinstance(pin_memory, (bool, np.bool_))),
            ("requires_grad", requires_grad, "bool", isinstance(requires_grad, (bool, np.bool_)))):
        if value is not None and not ok:
            raise TypeError(f"{fname}(): argument '{name}' must be {type_name}, not {tp_name(value)}")


def _to_out(result, out):
    """``result`` written into a user's ``out=`` tensor, when one was given."""
    if out is None:
        return result
    from .pointwise import _out
    return _out(result, out)


def zeros(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False, **kwargs):
    """A tensor of zeros with the given shape (``zeros(2, 3)``, ``zeros((2, 3))`` or
    ``zeros(size=(2, 3))``)."""
    return _factory("zeros", np.zeros, size, kwargs, dtype, device, requires_grad, out, layout, pin_memory)


def ones(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False, **kwargs):
    """A tensor of ones with the given shape."""
    return _factory("ones", np.ones, size, kwargs, dtype, device, requires_grad, out, layout, pin_memory)


def empty(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False,
          memory_format=None, **kwargs):
    """An uninitialised tensor with the given shape (ember zero-fills it)."""
    return _factory("empty", np.zeros, size, kwargs, dtype, device, requires_grad, out, layout, pin_memory)


def _fill_number(fname, value, position):
    """``fill_value`` as a Python number: a number, or a 0-d tensor's value (PyTorch's
    ``Number`` argument); anything else is PyTorch's TypeError."""
    if isinstance(value, Tensor) and value._data.ndim == 0:
        return value.item()
    if not isinstance(value, (numbers.Number, np.bool_)):
        where = "" if position is None else f" (position {position})"
        raise TypeError(f"{fname}(): argument 'fill_value'{where} must be Number, not {tp_name(value)}")
    return value


def _fill_dtype(value):
    """The dtype ``full`` gives a fill value: bool, int64 or the default float (a NumPy bool
    is not a Python bool, so PyTorch reads it as a float)."""
    return _dtype.get_default_dtype() if isinstance(value, np.bool_) else _dtype.scalar_dtype(value)


def full(*args, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False, **kwargs):
    """``full(size, fill_value)``: a tensor filled with ``fill_value``; its dtype follows the
    value (int -> int64) unless ``dtype`` (or ``out``) says otherwise."""
    shape, fill_value = _full_args("full", args, kwargs)
    _check_keywords("full", out, layout, pin_memory, requires_grad)
    if dtype is None and out is not None:
        dtype = out.dtype
    return _to_out(_full("full", shape, fill_value, dtype or _fill_dtype(fill_value), device, requires_grad,
                         pin_memory), out)


def _full_args(fname, args, kwargs):
    """``size`` (as ints) and ``fill_value``, each given by position or by name, checked in
    that order with PyTorch's errors (which name the position only of a positional one)."""
    names = ("size", "fill_value")
    if len(args) > 2:
        raise too_many_positional(fname, 2, len(args))
    values = []
    for i, name in enumerate(names):
        if i < len(args):
            value, position = args[i], i + 1
        elif name in kwargs:
            value, position = kwargs[name], None
        else:  # PyTorch lists every required parameter from the first missing one on
            missing = ", ".join(f'"{m}"' for m in names[i:])
            # (and writes "arguments" for one of them, "argument" for two)
            s = "s" if i == 1 else ""
            raise TypeError(f"{fname}() missing {2 - i} required positional argument{s}: {missing}")
        values.append(int_list(fname, name, value, position) if i == 0 else _fill_number(fname, value, position))
    for k in kwargs:
        if k not in names:
            raise TypeError(f"{fname}() got an unexpected keyword argument '{k}'")
        if names.index(k) < len(args):
            raise TypeError(f"{fname}() got multiple values for argument '{k}'")
    return values


def _full(fname, size, fill_value, dtype, device, requires_grad, pin_memory=False):
    shape = int_list(fname, "size", size, 1)
    for s in shape:
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(shape)}")
    d = _np_dtype(fname, dtype)
    _check_device(fname, device, pin_memory)
    return _finish(np.full(shape, _check_fill(fill_value, d), d), requires_grad)


def _like(fname, fill, input, dtype, requires_grad, device, pin_memory=False):
    if not isinstance(input, Tensor):
        raise TypeError(f"{fname}(): argument 'input' (position 1) must be Tensor, not {tp_name(input)}")
    d = _np_dtype(fname, dtype, input._data.dtype)
    _check_device(fname, device, pin_memory)
    return _finish(fill(input._data.shape, d), requires_grad)


def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None,
               pin_memory=False):
    return _like("zeros_like", np.zeros, input, dtype, requires_grad, device, pin_memory)


def ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None,
              pin_memory=False):
    return _like("ones_like", np.ones, input, dtype, requires_grad, device, pin_memory)


def empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None,
               pin_memory=False):
    return _like("empty_like", np.zeros, input, dtype, requires_grad, device, pin_memory)


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None, pin_memory=False):
    fill_value = _fill_number("full_like", fill_value, 2)
    return _like("full_like", lambda s, d: np.full(s, _check_fill(fill_value, d), d), input, dtype, requires_grad,
                 device, pin_memory)


_ARANGE_SIGNATURES = tuple(sig + "torch.layout layout = None, torch.device device = None, bool pin_memory = False, "
                                 "bool requires_grad = False" for sig in (
                               "Number end, *, Tensor out = None, torch.dtype dtype = None, ",
                               "Number start, Number end, *, torch.dtype dtype = None, ",
                               "Number start, Number end, Number step = 1, *, Tensor out = None, torch.dtype dtype = None, "))


def _number(v):
    """A Python number from a number or a 0-d tensor; None for anything else."""
    if isinstance(v, Tensor):
        return v.item() if v._data.ndim == 0 else None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, numbers.Integral):
        return int(v)
    if isinstance(v, numbers.Real):
        return float(v)
    return None


def arange(start=_UNSET, end=_UNSET, step=_UNSET, *extra, out=None, dtype=None, layout=None, device=None,
           requires_grad=False, pin_memory=False):
    """``[start, start + step, ...)`` up to ``end``; float if any bound is a float.

    Its length is ``ceil((end - start) / step)``; for an integer dtype the bounds and the step
    are truncated to integers first, as PyTorch computes in the output's type."""
    given = [v for v in (start, end, step) if v is not _UNSET] + list(extra)
    if extra or not _dtype_ok(dtype):  # (several overloads: PyTorch lists them all)
        raise invalid_combination("arange", given, {} if _dtype_ok(dtype) else {"dtype": dtype}, _ARANGE_SIGNATURES)
    if end is _UNSET and step is _UNSET and start is not _UNSET:  # arange(end)
        start, end = 0, start
        if _number(end) is None:
            raise TypeError(f"arange(): argument 'end' (position 1) must be Number, not {tp_name(end)}")
    if start is _UNSET:
        start = 0
    if step is _UNSET:
        step = 1
    if end is _UNSET or any(_number(v) is None for v in given):
        raise invalid_combination("arange", given, {}, _ARANGE_SIGNATURES)
    vals = [_number(v) for v in (start, end, step)]
    is_float = any(isinstance(v, float) or isinstance(t, Tensor) and t.is_floating_point()
                   for v, t in zip(vals, (start, end, step)))
    if dtype is None and out is not None:
        dtype = out.dtype
    d = _np_dtype("arange", dtype, None if is_float else np.dtype(np.int64))
    if d.kind == "b":
        raise NotImplementedError("\"arange_cpu\" not implemented for 'Bool'")
    start, end, step = vals
    if d.kind in "iu":
        if step and not int(step):  # a fractional step truncates to 0
            raise ValueError("step must be nonzero")
        start, end, step = (int(v) if math.isfinite(v) else v for v in vals)
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if not (math.isfinite(start) and math.isfinite(end)):
        raise RuntimeError(f"unsupported range: {start:g} -> {end:g}")
    if (end - start) * step < 0 and end != start:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    check_available(device)
    n = max(int(math.ceil((end - start) / step)), 0)
    if d.kind in "iu":
        arr = np.arange(start, start + n * step, step, dtype=d)[:n]
    else:
        arr = (start + np.arange(n, dtype=np.float64) * step).astype(d)
    r = _finish(arr, requires_grad)
    if out is not None:
        from .pointwise import _out
        return _out(r, out)
    return r


def range(start=0, end=None, step=1, *, dtype=None, device=None, requires_grad=False):
    """Deprecated ``torch.range``: like ``arange`` but includes ``end``."""
    warnings.warn("torch.range is deprecated and will be removed in a future release because its behavior "
                  "is inconsistent with Python's range builtin. Instead, use torch.arange, which produces "
                  "values in [start, end).", UserWarning, stacklevel=2)
    if end is None:
        start, end = 0, start
    n = int(math.floor((end - start) / step)) + 1
    d = _np_dtype("range", dtype)
    return _finish((start + np.arange(n, dtype=np.float64) * step).astype(d), requires_grad)


def _linspace_array(start, end, steps, d):
    """PyTorch's linspace: the first half counts up from ``start``, the second half down from
    ``end`` (so both ends are exact), computed in the output dtype's precision."""
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    work = d if d.kind == "f" else np.dtype(np.float64)
    if steps == 0:
        return np.empty(0, d)
    if steps == 1:
        return np.array([start], dtype=work).astype(d)
    s, e = work.type(start), work.type(end)
    step = (e - s) / work.type(steps - 1)
    idx = np.arange(steps)
    half = steps // 2
    out = np.empty(steps, work)
    out[:half] = s + step * idx[:half].astype(work)
    out[half:] = e - step * (steps - idx[half:] - 1).astype(work)
    if d.kind in "iu":
        out = np.trunc(out)
    return out.astype(d)


_SPACE_SIGNATURES = tuple(f"{a} start, {b} end, int steps, " for a, b in (
    ("Tensor", "Tensor"), ("Number", "Tensor"), ("Tensor", "Number"), ("Number", "Number")))
_SPACE_KEYWORDS = "*, Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, " \
    "torch.device device = None, bool pin_memory = False, bool requires_grad = False"


def _dtype_ok(dtype):
    """Whether a ``dtype=`` argument is one PyTorch takes (see ``dtype_arg``)."""
    return dtype is None or isinstance(dtype, _dtype.dtype) or dtype is float or dtype is int or dtype is bool


def _space_args(fname, start, end, steps, dtype, base=""):
    """``(start, end, steps)`` of linspace/logspace as numbers; ``steps`` is required."""
    if steps is _UNSET or not is_int(steps) or _number(start) is None or _number(end) is None \
            or not _dtype_ok(dtype):
        given = [v for v in (start, end, steps) if v is not _UNSET]
        raise invalid_combination(fname, given, {} if _dtype_ok(dtype) else {"dtype": dtype},
                                  tuple(sig + base + _SPACE_KEYWORDS for sig in _SPACE_SIGNATURES))
    return _number(start), _number(end), one_int(fname, "steps", steps)


def linspace(start, end, steps=_UNSET, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive."""
    start, end, steps = _space_args("linspace", start, end, steps, dtype)
    check_available(device)
    d = _np_dtype("linspace", dtype)
    return _finish(_linspace_array(start, end, steps, d), requires_grad)


def logspace(start, end, steps=_UNSET, base=10.0, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    """``base ** linspace(start, end, steps)``."""
    start, end, steps = _space_args("logspace", start, end, steps, dtype, "float base = 10.0, ")
    check_available(device)
    d = _np_dtype("logspace", dtype)
    work = d if d.kind == "f" else np.dtype(np.float64)
    exps = _linspace_array(start, end, steps, work)
    return _finish(np.power(work.type(base), exps).astype(d), requires_grad)


_EYE_SIGNATURES = tuple(sig + "*, Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, "
                        "torch.device device = None, bool pin_memory = False, bool requires_grad = False"
                        for sig in ("int n, ", "int n, int m, "))


def eye(n, m=_UNSET, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """The identity matrix (ones on the diagonal)."""
    given = (n,) if m is _UNSET else (n, m)
    if not _dtype_ok(dtype):
        raise invalid_combination("eye", given, {"dtype": dtype}, _EYE_SIGNATURES)
    if m is _UNSET:
        n = one_int("eye", "n", n, 1)
        m = n
    elif not (is_int(n) and is_int(m)):
        raise invalid_combination("eye", given, {}, _EYE_SIGNATURES)
    n, m = int(n), int(m)
    check_available(device)
    d = _np_dtype("eye", dtype)
    if n < 0 or m < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n if n < 0 else m}")
    return _finish(np.eye(n, m, dtype=d), requires_grad)


# --- the Tensor.new_* family ---------------------------------------------------------------------
def new_tensor(self, *args, dtype=None, device=None, requires_grad=False, **kwargs):
    """A tensor holding a copy of ``data``, of ``self``'s dtype unless ``dtype`` is given."""
    # (PyTorch's parser words these errors its own way, and takes neither layout nor pin_memory)
    for k in kwargs:
        if k != "data" or args:
            raise TypeError(f"new_tensor() got an unexpected keyword argument '{k}'")
    if len(args) > 1:
        raise TypeError(f"new_tensor() takes 1 positional argument but {len(args)} were given")
    if not args and not kwargs:
        raise TypeError('new_tensor() missing 1 required positional arguments: "data"')
    data = args[0] if args else kwargs["data"]
    dtype = self.dtype if dtype is None else dtype_arg("new_tensor", dtype)
    _check_keywords("new_tensor", None, None, None, requires_grad)
    _check_device("new_tensor", device)
    if isinstance(data, Tensor):
        warnings.warn(_COPY_CONSTRUCT.format("tensor.new_tensor"), UserWarning, stacklevel=2)
        return _finish(data._data.astype(dtype.np), requires_grad)
    return tensor(data, dtype=dtype, device=device, requires_grad=requires_grad)


def new_zeros(self, *size, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False, **kwargs):
    """Zeros of the given shape, of ``self``'s dtype unless ``dtype`` is given."""
    return _factory("new_zeros", np.zeros, size, kwargs, dtype or self.dtype, device, requires_grad, None, layout,
                    pin_memory)


def new_ones(self, *size, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False, **kwargs):
    """Ones of the given shape, of ``self``'s dtype unless ``dtype`` is given."""
    return _factory("new_ones", np.ones, size, kwargs, dtype or self.dtype, device, requires_grad, None, layout,
                    pin_memory)


def new_empty(self, *size, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False, **kwargs):
    """An uninitialised tensor (zero-filled) of the given shape and ``self``'s dtype."""
    return _factory("new_empty", np.zeros, size, kwargs, dtype or self.dtype, device, requires_grad, None, layout,
                    pin_memory)


def new_full(self, *args, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False, **kwargs):
    """``fill_value`` in the given shape (a tuple or list), of ``self``'s dtype unless given."""
    size, fill_value = _full_args("new_full", args, kwargs)  # (with PyTorch's errors for missing ones)
    _check_keywords("new_full", None, layout, pin_memory, requires_grad)
    return _full("new_full", size, fill_value, dtype or self.dtype, device, requires_grad, pin_memory)


# --- legacy typed constructors: torch.FloatTensor(2, 3), torch.LongTensor([1, 2]) -------------
class _LegacyTensorMeta(type):
    """``isinstance(t, torch.FloatTensor)`` checks the dtype, as in PyTorch."""

    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj._data.dtype == cls._legacy_dtype.np

    def __call__(cls, *args, device=None):
        check_available(device)
        d = cls._legacy_dtype.np
        if len(args) == 1 and not isinstance(args[0], (int, np.integer)):
            a = args[0]
            arr = a._data.astype(d) if isinstance(a, Tensor) else np.array(a, dtype=d)
            return Tensor._make(arr)
        return Tensor._make(np.zeros(_shape_arg(args) if args else (0,), d))

    def __repr__(cls):
        return f"<class 'torch.{cls.__name__}'>"


def _legacy(name, dt):
    return _LegacyTensorMeta(name, (), {"_legacy_dtype": dt, "__doc__": f"Legacy constructor of {dt} tensors."})


LEGACY_TYPES = {v: _legacy(v, _dtype._BY_NAME[k]) for k, v in _LEGACY_NAMES.items()}

__all__ = ["tensor", "as_tensor", "asarray", "from_numpy", "zeros", "ones", "empty", "full", "zeros_like",
           "ones_like", "empty_like", "full_like", "arange", "range", "linspace", "logspace", "eye"]

from ._util import check_scalar, methods  # noqa: E402
methods(new_tensor, new_zeros, new_ones, new_empty, new_full)
