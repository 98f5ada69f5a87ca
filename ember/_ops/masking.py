"""Masks: ``masked_fill``, ``masked_select``, ``where``, ``nonzero`` and ``argwhere``.

``where(c, x, y)`` takes each element from x where c holds and from y elsewhere, so dL/dx is
dL/dy where c holds and 0 elsewhere (and the other way round for y); the mask itself gets no
gradient, being a step function of the data. ``masked_fill`` is ``where`` with a constant,
``masked_select`` picks the masked elements in order (its gradient puts them back).
"""
import numbers
import warnings

import numpy as np

from .. import _dtype
from .._tensor import Tensor
from ..autograd.function import Function
from ._arguments import invalid_combination, tensor_args, tp_name
from ._util import methods, apply_inplace, binary_arrays, check_broadcast, check_scalar, _CPP_TYPE
from .indexing import IndexPutZeros, _overflows, _fill_number, _as_number


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


@tensor_args("mask")
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


@tensor_args("input")
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


@tensor_args("input")
def argwhere(input):
    return nonzero(input)

__all__ = ["masked_fill", "masked_select", "where", "nonzero", "argwhere"]
methods(masked_fill, masked_fill_, masked_select, nonzero, argwhere)


_WHERE_METHOD_SIGNATURES = ("Tensor condition, Tensor other", "Tensor condition, Number other")


def _where_method(self, condition, other=_UNSET):
    """``self.where(condition, other)``: ``torch.where(condition, self, other)``."""
    if not isinstance(other, (Tensor, numbers.Number)):
        raise invalid_combination("where", (condition,) if other is _UNSET else (condition, other), {},
                                  _WHERE_METHOD_SIGNATURES)
    return where(condition, self, other)


_where_method.__name__ = "where"
Tensor.where = _where_method
