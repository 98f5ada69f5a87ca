"""dtype objects, PyTorch's type-promotion rules, and the default dtype.

An ember dtype is a thin named wrapper around a NumPy dtype. Printing one shows PyTorch's
name (``torch.float32``) because ember is used as ``import ember as torch``.

Type promotion (``result_type``) follows PyTorch, not NumPy. Operands fall in three
priority tiers: tensors with at least one dimension, zero-dimensional tensors, and Python
numbers ("wrapped numbers"). Within the highest tier present the usual lattice applies
(bool < integers < floating); a lower tier only matters when it is of a higher *category*
(bool < integral < floating), in which case it contributes its own category's default:
a Python float next to an int tensor gives the default float dtype, a 0-d float64 tensor next
to an int tensor gives float64, and a float64 0-d tensor next to a float32 1-d tensor stays
float32.
"""
import builtins

import numpy as np


class dtype:
    """A tensor element type (``torch.dtype``)."""

    __slots__ = ("name", "np", "is_floating_point", "is_signed", "itemsize", "_category", "_rank")

    def __init__(self, name, np_dtype, category, rank):
        self.name = name
        self.np = np.dtype(np_dtype)
        self.is_floating_point = category == 2
        self.is_signed = name not in ("uint8", "bool")
        self.itemsize = self.np.itemsize
        self._category = category  # 0 bool, 1 integral, 2 floating
        self._rank = rank

    @property
    def is_complex(self):
        return False

    def __repr__(self):
        return "torch." + self.name

    def __reduce__(self):
        return (_by_name, (self.name,))

    def to_complex(self):
        raise NotImplementedError("torch.dtype.to_complex: ember has no complex dtypes yet")


bool = dtype("bool", np.bool_, 0, 0)
uint8 = dtype("uint8", np.uint8, 1, 1)
int8 = dtype("int8", np.int8, 1, 1)
int16 = dtype("int16", np.int16, 1, 2)
int32 = dtype("int32", np.int32, 1, 3)
int64 = dtype("int64", np.int64, 1, 4)
float16 = dtype("float16", np.float16, 2, 5)
float32 = dtype("float32", np.float32, 2, 6)
float64 = dtype("float64", np.float64, 2, 7)

# PyTorch's aliases
half, float, double = float16, float32, float64
short, int, long = int16, int32, int64

ALL = (bool, uint8, int8, int16, int32, int64, float16, float32, float64)
_BY_NP = {d.np: d for d in ALL}
_BY_NAME = {d.name: d for d in ALL}


_WORDS = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long", "int32": "Int",
          "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def type_word(d):
    """PyTorch's scalar-type word for a dtype, as its error messages print it (``Long``)."""
    return _WORDS[d.name if isinstance(d, dtype) else np.dtype(d).name]


def _by_name(name):
    return _BY_NAME[name]


def from_numpy_dtype(np_dtype):
    """The ember dtype of a NumPy dtype; TypeError for types PyTorch has no match for."""
    try:
        return _BY_NP[np_dtype]
    except KeyError:
        pass
    try:
        return _BY_NP[np.dtype(np_dtype)]
    except (KeyError, TypeError):
        if np.dtype(np_dtype).kind == "c":
            raise NotImplementedError("complex tensors (torch.complex64/complex128) are not supported by ember")
        raise TypeError(
            f"can't convert np.ndarray of type {np.dtype(np_dtype)}. The only supported types are: "
            "float64, float32, float16, int64, int32, int16, int8, uint8, and bool.") from None


def to_dtype(d):
    """Accept an ember dtype, a NumPy dtype or a Python type, as PyTorch's dtype= does."""
    if d.__class__ is dtype:
        return d
    if d is builtins.float:
        return float64
    if d is builtins.int:
        return int64
    if d is builtins.bool:
        return bool
    if isinstance(d, str):
        raise TypeError(f"dtype must be torch.dtype, not str ({d!r})")
    return from_numpy_dtype(d)


# --- default dtype -------------------------------------------------------------------------
_default = [float32]


def get_default_dtype():
    """The dtype of floating tensors created from Python floats (float32 unless changed)."""
    return _default[0]


def set_default_dtype(d):
    """Set the default floating dtype; only float32 and float64 (and float16) are allowed."""
    d = to_dtype(d)
    if not d.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    _default[0] = d


# --- promotion -----------------------------------------------------------------------------
# The promotion lattice of PyTorch among the dtypes ember has. uint8 with a signed type needs
# the smallest signed type holding both (int16), which the ranks alone don't say.
def promote_types(a, b):
    """``torch.promote_types``: the smallest dtype both ``a`` and ``b`` convert to safely."""
    if a is b:
        return a
    if a._category != b._category:
        return a if a._category > b._category else b
    if a._category == 1:
        if a is uint8 and b is int8 or a is int8 and b is uint8:
            return int16
    return a if a._rank >= b._rank else b


def scalar_dtype(x):
    """The dtype PyTorch gives a Python number as a tensor: bool, int64 or the default float."""
    if x.__class__ is builtins.bool or isinstance(x, (np.bool_,)):
        return bool
    if isinstance(x, (builtins.int, np.integer)):
        return int64
    if isinstance(x, (builtins.float, np.floating)):
        return _default[0]
    if isinstance(x, complex):
        raise NotImplementedError("complex numbers: ember has no complex dtypes yet")
    raise TypeError(f"expected a Tensor or a number, got {type(x).__name__}")


def _category_default(cat):
    return (bool, int64, _default[0])[cat]


def result_type(*operands):
    """``torch.result_type`` over tensors and Python numbers (see the module docstring)."""
    from ._tensor import Tensor
    tiers = [None, None, None]  # dim>0 tensors, 0-d tensors, Python numbers
    for x in operands:
        if isinstance(x, Tensor):
            d, t = x.dtype, 0 if x._data.ndim else 1
        else:
            d, t = scalar_dtype(x), 2
            if d._category == 2:
                d = _category_default(2)
        tiers[t] = d if tiers[t] is None else promote_types(tiers[t], d)
    result = None
    for t in tiers:
        result = t if result is None else _combine_tiers(result, t)
    return result


def _combine_tiers(higher, lower):
    """A lower tier changes the result only when it brings a higher category: a float next to
    integers promotes, and anything next to bool promotes (bool tensor + 1 is int64)."""
    if lower is None or higher._category == 2:
        return higher
    if higher is bool or lower._category == 2:
        return promote_types(higher, lower)
    return higher
