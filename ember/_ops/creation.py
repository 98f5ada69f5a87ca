"""Tensor creation: ``tensor``, ``zeros``, ``arange``, ``linspace``, the legacy type
constructors (``FloatTensor``) and the ``*_like`` family."""
import math
import warnings

import numpy as np

from .. import _dtype
from .._device import check_available
from .._tensor import Tensor, _shape_arg, _LEGACY_NAMES


def _finish(arr, requires_grad):
    t = Tensor._make(arr)
    if requires_grad:
        t.requires_grad_(True)
    return t


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


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor holding a copy of ``data`` (nested lists, numbers, arrays, tensors)."""
    check_available(device)
    if isinstance(data, Tensor):
        warnings.warn("To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() "
                      "or sourceTensor.detach().clone().requires_grad_(True), rather than "
                      "torch.tensor(sourceTensor).", UserWarning, stacklevel=2)
        arr = data._data.copy() if dtype is None else data._data.astype(_dtype.to_dtype(dtype).np)
        return _finish(arr, requires_grad)
    if isinstance(data, np.ndarray):
        arr = np.array(data, dtype=_dtype.from_numpy_dtype(data.dtype).np if dtype is None else
                       _dtype.to_dtype(dtype).np, copy=True)
        return _finish(arr, requires_grad)
    arr = _from_python(data)
    target = _dtype.to_dtype(dtype).np if dtype is not None else _infer_np_dtype(arr)
    if target.kind in "iu" and arr.dtype.kind in "iuf" and arr.size:
        # into an integer type every value must fit (into a float type, tensor() lets values
        # overflow to inf, unlike fill_); NaN fails, and min and max bound the rest
        for v in (np.nan,) if np.isnan(arr).any() else (arr.min(), arr.max()):
            check_scalar(v.item() if isinstance(v, np.generic) else v, target, target.name)
    return _finish(arr.astype(target, copy=arr.dtype != target), requires_grad)


def _from_python(data):
    if isinstance(data, np.generic):
        return np.array(data)
    try:
        arr = np.array(data)
    except ValueError as e:
        raise ValueError(f"expected sequence of equal-length lists: {e}") from None
    if arr.dtype.kind == "O":
        raise TypeError(f"Could not infer dtype of {type(arr.flat[0]).__name__ if arr.size else 'object'}")
    if arr.dtype.kind in "US":
        raise TypeError("new(): invalid data type 'str'")
    return arr


def as_tensor(data, dtype=None, device=None):
    """Like ``tensor`` but shares memory with a tensor or ndarray when no conversion is needed."""
    check_available(device)
    if isinstance(data, Tensor):
        return data if dtype is None or _dtype.to_dtype(dtype).np == data._data.dtype else data.to(dtype)
    if isinstance(data, np.ndarray):
        d = _dtype.from_numpy_dtype(data.dtype).np if dtype is None else _dtype.to_dtype(dtype).np
        return Tensor._make(data if d == data.dtype else data.astype(d))
    return tensor(data, dtype=dtype)


asarray = as_tensor


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


def _factory(fill, size, dtype, device, requires_grad, default=None):
    check_available(device)
    d = _dtype.to_dtype(dtype).np if dtype is not None else (default or _dtype.get_default_dtype().np)
    shape = _shape_arg(size)
    return _finish(fill(shape, d), requires_grad)


def zeros(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False):
    """A tensor of zeros with the given shape."""
    return _factory(np.zeros, size, dtype, device, requires_grad)


def ones(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False):
    """A tensor of ones with the given shape."""
    return _factory(np.ones, size, dtype, device, requires_grad)


def empty(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False,
          memory_format=None):
    """An uninitialised tensor with the given shape (ember zero-fills it)."""
    return _factory(np.zeros, size, dtype, device, requires_grad)


def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None, requires_grad=False,
         pin_memory=False):
    """A tensor filled with ``fill_value``; its dtype follows the value (int -> int64)."""
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    default = _dtype.scalar_dtype(fill_value).np

    def fill(shape, d):
        return np.full(shape, check_scalar(fill_value, np.dtype(d)), d)
    return _factory(fill, (size,), dtype, device, requires_grad, default)


def _like(fill, input, dtype, requires_grad, device):
    if not isinstance(input, Tensor):
        raise TypeError(f"expected Tensor as argument 'input', but got {type(input).__name__}")
    check_available(device)
    d = _dtype.to_dtype(dtype).np if dtype is not None else input._data.dtype
    return _finish(fill(input._data.shape, d), requires_grad)


def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    return _like(np.zeros, input, dtype, requires_grad, device)


def ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    return _like(np.ones, input, dtype, requires_grad, device)


def empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    return _like(np.zeros, input, dtype, requires_grad, device)


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    return _like(lambda s, d: np.full(s, fill_value, d), input, dtype, requires_grad, device)


def arange(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """``[start, start + step, ...)`` up to ``end``; float if any bound is a float."""
    check_available(device)
    if end is None:
        start, end = 0, start
    vals = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    start, end, step = vals
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0 and end != start:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    is_float = any(isinstance(v, float) for v in vals)
    if dtype is None:
        d = _dtype.get_default_dtype().np if is_float else np.dtype(np.int64)
    else:
        d = _dtype.to_dtype(dtype).np
    n = max(int(math.ceil((end - start) / step)), 0)
    if d.kind in "iu" and not is_float:
        arr = np.arange(start, start + n * step, step, dtype=d)[:n]
    else:
        arr = (start + np.arange(n, dtype=np.float64) * step).astype(d)
    return _finish(arr, requires_grad)


def range(start=0, end=None, step=1, *, dtype=None, device=None, requires_grad=False):
    """Deprecated ``torch.range``: like ``arange`` but includes ``end``."""
    warnings.warn("torch.range is deprecated and will be removed in a future release because its behavior "
                  "is inconsistent with Python's range builtin. Instead, use torch.arange, which produces "
                  "values in [start, end).", UserWarning, stacklevel=2)
    if end is None:
        start, end = 0, start
    n = int(math.floor((end - start) / step)) + 1
    d = _dtype.to_dtype(dtype).np if dtype is not None else _dtype.get_default_dtype().np
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


def linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive."""
    check_available(device)
    d = _dtype.to_dtype(dtype).np if dtype is not None else _dtype.get_default_dtype().np
    return _finish(_linspace_array(start, end, steps, d), requires_grad)


def logspace(start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    """``base ** linspace(start, end, steps)``."""
    check_available(device)
    d = _dtype.to_dtype(dtype).np if dtype is not None else _dtype.get_default_dtype().np
    work = d if d.kind == "f" else np.dtype(np.float64)
    exps = _linspace_array(start, end, steps, work)
    return _finish(np.power(work.type(base), exps).astype(d), requires_grad)


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """The identity matrix (ones on the diagonal)."""
    check_available(device)
    d = _dtype.to_dtype(dtype).np if dtype is not None else _dtype.get_default_dtype().np
    if n < 0 or (m is not None and m < 0):
        raise RuntimeError(f"n must be greater or equal to 0, got {n if n < 0 else m}")
    return _finish(np.eye(n, n if m is None else m, dtype=d), requires_grad)


# --- the Tensor.new_* family ---------------------------------------------------------------------
def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False):
    return tensor(data, dtype=dtype or self.dtype, requires_grad=requires_grad) if not isinstance(data, Tensor) \
        else _finish(data._data.astype(_dtype.to_dtype(dtype or self.dtype).np), requires_grad)


def new_zeros(self, *size, dtype=None, device=None, requires_grad=False):
    return zeros(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)


def new_ones(self, *size, dtype=None, device=None, requires_grad=False):
    return ones(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)


def new_empty(self, *size, dtype=None, device=None, requires_grad=False):
    return empty(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)


def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
    return full(size, fill_value, dtype=dtype or self.dtype, requires_grad=requires_grad)


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
