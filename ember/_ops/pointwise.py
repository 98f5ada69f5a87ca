"""Pointwise (elementwise) operations: arithmetic, powers, exponentials, activations.

Each op is a ``Function`` whose docstring states its derivative. Broadcasting needs no code
in the backward formulas: the engine sums each gradient back to its input's shape.
"""
import math

import numpy as np

from .. import _dtype
from .._tensor import Tensor
from ..autograd.function import Function
from ._util import (binary_arrays, half_with_scalar, _HALF, check_scalar, methods, tensor_operand, apply_inplace, to_tensor, save_operands, saved_operands, needs_grad,
                    quick_float_op, _grad)


def _float_array(t):
    """The array of ``t``, converted to the default float dtype if it is not floating."""
    x = t._data
    if x.dtype.kind != "f":
        x = x.astype(_dtype.get_default_dtype().np)
    return x


# --- arithmetic ------------------------------------------------------------------------------
class Add(Function):
    """out = a + alpha * b.   d out/d a = 1,   d out/d b = alpha."""

    _graph_inputs = (0, 1)  # PyTorch counts a Python number operand as an input
    _array_backward = True

    _backward_name = "AddBackward0"

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        x, y = binary_arrays(a, b)
        ctx.alpha = alpha
        if alpha == 1:
            return np.asarray(x + y)
        if np.asarray(x).dtype == np.bool_ and np.asarray(y).dtype == np.bool_:
            return np.asarray(x | (y & bool(alpha)))  # bool arithmetic saturates: a + alpha b is "or"
        return np.asarray(x + alpha * y)

    @staticmethod
    def backward(ctx, grad):
        return grad, grad if ctx.alpha == 1 else grad * ctx.alpha, None


class Sub(Function):
    """out = a - alpha * b.   d out/d a = 1,   d out/d b = -alpha."""

    _graph_inputs = (0, 1)  # PyTorch counts a Python number operand as an input
    _array_backward = True

    _backward_name = "SubBackward0"

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        x, y = binary_arrays(a, b)
        a_bool = a._data.dtype == np.bool_ if isinstance(a, Tensor) else isinstance(a, bool)
        b_bool = b._data.dtype == np.bool_ if isinstance(b, Tensor) else isinstance(b, bool)
        if a_bool and b_bool:
            raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                               "Use the `^` or `logical_xor()` operator instead.")
        if a_bool or b_bool:
            raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
                               "trying to invert a mask, use the `~` or `logical_not()` operator instead.")
        ctx.alpha = alpha
        if alpha == 1:
            return np.asarray(x - y)
        return np.asarray(x - alpha * y)

    @staticmethod
    def backward(ctx, grad):
        return grad, -grad if ctx.alpha == 1 else grad * -ctx.alpha, None


class Rsub(Function):
    """out = b - alpha * a (``number - tensor``).   d out/d a = -alpha."""

    _backward_name = "RsubBackward1"
    _array_backward = True

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        x, y = binary_arrays(a, b)
        ctx.alpha = alpha
        return np.asarray(y - x if alpha == 1 else y - alpha * x)

    @staticmethod
    def backward(ctx, grad):
        return (-grad if ctx.alpha == 1 else grad * -ctx.alpha), None


class Mul(Function):
    """out = a * b.   d out/d a = b,   d out/d b = a (the product rule)."""

    _graph_inputs = (0, 1)  # PyTorch counts a Python number operand as an input
    _array_backward = True  # when the operands share a dtype (see save_operands)

    _backward_name = "MulBackward0"

    @staticmethod
    def forward(ctx, a, b):
        x, y = binary_arrays(a, b)
        save_operands(ctx, a, b)
        r = half_with_scalar(np.multiply, x, b) if x.__class__ is np.ndarray and x.dtype is _HALF else None
        return x * y if r is None else r

    @staticmethod
    def backward(ctx, grad):
        a, b = saved_operands(ctx)
        na, nb = ctx.needs_input_grad[:2]
        ga = None
        if na:  # (a float16 gradient times a number: in float32, as forward)
            ga = half_with_scalar(np.multiply, grad, b)
            if ga is None:
                ga = grad * b
        return ga, (grad * a if nb else None)


def _integral(v):
    """An integer or bool array, or a Python int or bool."""
    return v.dtype.kind in "biu" if isinstance(v, np.ndarray) else v.__class__ in (int, bool)


class Div(Function):
    """out = a / b.   d out/d a = 1 / b,   d out/d b = -a / b^2 (the quotient rule)."""

    _graph_inputs = (0, 1)  # PyTorch counts a Python number operand as an input
    _array_backward = True  # when the operands share a dtype (see save_operands)

    _backward_name = "DivBackward0"

    @staticmethod
    def forward(ctx, a, b):
        x, y = (t._data if isinstance(t, Tensor) else t for t in (a, b))
        if _integral(x) and _integral(y):
            # integers divide in floats, each converted from its own value (a number is not
            # first wrapped into the other operand's type, as integer arithmetic would take it)
            f = _dtype.get_default_dtype().np
            x, y = (v.astype(f) if isinstance(v, np.ndarray) else v for v in (x, y))
        else:
            x, y = binary_arrays(a, b)
        save_operands(ctx, a, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            r = half_with_scalar(np.true_divide, x, b) if x.__class__ is np.ndarray and x.dtype is _HALF else None
            return x / y if r is None else r

    @staticmethod
    def backward(ctx, grad):
        a, b = saved_operands(ctx)
        na, nb = ctx.needs_input_grad[:2]
        ga = None
        if na:
            ga = half_with_scalar(np.true_divide, grad, b)
            if ga is None:
                ga = grad / b
        return ga, (-grad * a / (b * b) if nb else None)


class Neg(Function):
    """out = -a.   d out/d a = -1."""

    _backward_name = "NegBackward0"
    _array_backward = True

    @staticmethod
    def forward(ctx, a):
        if a._data.dtype == np.bool_:
            raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you are "
                               "trying to invert a mask, use the `~` or `logical_not()` operator instead.")
        return np.negative(a._data)

    @staticmethod
    def backward(ctx, grad):
        return -grad,


def _records(input):
    """True when ``input`` alone makes the op record a graph (the usual case in training):
    then the short road is not tried at all."""
    return _grad[0] and input.__class__ is Tensor and input._requires_grad


def _check_alpha(name, input, other, alpha):
    """``alpha`` as a Python number, after PyTorch's checks against the result type: no
    float alpha for integer results, bool alpha only for bool ones, no complex alpha."""
    if isinstance(alpha, (Tensor, np.generic)):
        alpha = alpha.item()  # PyTorch reads a one-element tensor or NumPy scalar as its number
    if not isinstance(alpha, (bool, int, float, complex)):
        raise TypeError(f"{name}(): argument 'alpha' must be Number, not {type(alpha).__name__}")
    rt = _dtype.result_type(input, other)
    if isinstance(alpha, complex):
        raise RuntimeError("For non-complex input tensors, argument alpha must not be a complex number.")
    if isinstance(alpha, float) and not rt.is_floating_point:
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")
    if isinstance(alpha, bool) and rt is not _dtype.bool:
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    return alpha


def add(input, other, *, alpha=1, out=None):
    """``input + alpha * other`` with broadcasting and type promotion."""
    if alpha.__class__ is not int or alpha != 1:
        alpha = _check_alpha("add", input, other, alpha)
    if alpha == 1 and out is None and not _records(input):  # the short road (see quick_float_op)
        r = quick_float_op(np.add, input, other)
        if r is not None:
            return r
    return _out(Add.apply(input, other, alpha) if alpha != 1 else Add.apply(input, other), out)


def sub(input, other, *, alpha=1, out=None):
    """``input - alpha * other``."""
    if alpha.__class__ is not int or alpha != 1:
        alpha = _check_alpha("sub", input, other, alpha)
    if alpha == 1 and out is None and not _records(input):
        r = quick_float_op(np.subtract, input, other)
        if r is not None:
            return r
    return _out(Sub.apply(input, other, alpha) if alpha != 1 else Sub.apply(input, other), out)


subtract = sub


def rsub(input, other, *, alpha=1):
    """``other - alpha * input``."""
    if alpha.__class__ is not int or alpha != 1:
        alpha = _check_alpha("rsub", input, other, alpha)
    return Rsub.apply(input, other, alpha)


def mul(input, other, *, out=None):
    """Elementwise product."""
    if out is None and not _records(input):
        r = quick_float_op(np.multiply, input, other)
        if r is not None:
            return r
    return _out(Mul.apply(input, other), out)


multiply = mul


def div(input, other, *, rounding_mode=None, out=None):
    """True division, or ``rounding_mode='trunc'``/``'floor'`` integer-style division."""
    if rounding_mode is None:
        return _out(Div.apply(input, other), out)
    from .rounding import div_rounded
    return _out(div_rounded(input, other, rounding_mode), out)


divide = div
true_divide = div


def neg(input, *, out=None):
    """``-input``."""
    return _out(Neg.apply(input), out)


negative = neg


def _out(result, out):
    """Write into a user's ``out=`` tensor (resized like PyTorch does) and return it."""
    if out is None:
        return result
    if not isinstance(out, Tensor):
        raise TypeError(f"argument 'out' must be Tensor, not {type(out).__name__}")
    if out._requires_grad and (result._requires_grad or out.grad_fn is None):
        raise RuntimeError("out=... arguments don't support automatic differentiation, but one of the "
                           "arguments requires grad.")
    if out._data.shape != result._data.shape:
        out._data = np.empty(result._data.shape, out._data.dtype)
    np.copyto(out._data, result._data, casting="unsafe")
    out._vc[0] += 1
    return out


def _reflected(op):
    """``other (op) tensor`` when ``other`` is not a tensor. An ndarray on the left is refused
    with TypeError, as PyTorch does (a tensor on the left takes the array: ``binary_arrays``)."""
    def reflected(self, other):
        if other.__class__ is np.ndarray:
            return NotImplemented
        return op(self, other)
    return reflected


_radd = _reflected(Add.apply)
_rmul = _reflected(Mul.apply)
_rsub = _reflected(Rsub.apply)


def _rtruediv(self, other):
    """``other / tensor``: the tensor's reciprocal times ``other``, as PyTorch computes it (so
    MulBackward0, and its rounding: 3 / 255. is 3 * (1 / 255.) in float32). Unlike the other
    reflected operators, PyTorch's takes an ndarray on the left too."""
    return Mul.apply(reciprocal(self), other)


def _direct(self, ufunc, other, alpha=1):
    """The common case of an in-place update with nothing to record (optimizer steps under
    ``no_grad``): one NumPy ufunc writing straight into ``self``'s memory. Returns False when
    the general path is needed (a graph to record, a dtype or shape it must check)."""
    if needs_grad(self, other) or self._data.dtype.kind != "f":
        return False
    if self._data.dtype == np.float16 and (ufunc is np.multiply or ufunc is np.true_divide):
        return False  # float16 times a scalar computes in float32 (see half_with_scalar)
    if isinstance(other, Tensor):
        y = other._data
        if y.dtype.kind != "f" or y.ndim > self._data.ndim:
            return False
    elif isinstance(other, (int, float)) and not isinstance(other, bool):
        y = other
    else:
        return False
    try:
        ufunc(self._data, y if alpha == 1 else y * alpha, out=self._data, casting="same_kind")
    except (ValueError, TypeError):
        return False
    self._vc[0] += 1
    return True


def add_(self, other, *, alpha=1):
    if alpha.__class__ is not int or alpha != 1:
        alpha = _check_alpha("add_", self, other, alpha)
    return self if _direct(self, np.add, other, alpha) else apply_inplace(self, add, other, alpha=alpha)


def sub_(self, other, *, alpha=1):
    if alpha.__class__ is not int or alpha != 1:
        alpha = _check_alpha("sub_", self, other, alpha)
    return self if _direct(self, np.subtract, other, alpha) else apply_inplace(self, sub, other, alpha=alpha)


def mul_(self, other):
    return self if _direct(self, np.multiply, other) else apply_inplace(self, mul, other)


def div_(self, other, *, rounding_mode=None):
    if rounding_mode is None and _direct(self, np.true_divide, other):
        return self
    return apply_inplace(self, div, other, rounding_mode=rounding_mode)


def neg_(self):
    return apply_inplace(self, neg)


# --- unary math ------------------------------------------------------------------------------
class Exp(Function):
    """out = e^x.   d out/dx = e^x = out, so the output itself is saved."""

    _backward_name = "ExpBackward0"
    _array_backward = True

    @staticmethod
    def forward(ctx, x):
        y = np.asarray(np.exp(_float_array(x)))  # (a 0-d array would come back as a NumPy scalar)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_values
        return grad * y,


class Log(Function):
    """out = ln x.   d out/dx = 1/x."""

    _backward_name = "LogBackward0"
    _array_backward = True

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.asarray(np.log(_float_array(x)))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_values
        return grad / x,


class Relu(Function):
    """out = max(x, 0).   d out/dx = 1 where x > 0, else 0 (PyTorch takes 0 at x = 0).
    The mask is read from the output (out > 0 exactly where x > 0)."""

    _backward_name = "ReluBackward0"
    _array_backward = True

    @staticmethod
    def forward(ctx, x):
        if x._data.dtype.kind == "b":
            raise RuntimeError("Boolean inputs not supported for relu")
        y = np.asarray(np.maximum(x._data, 0, dtype=x._data.dtype))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_values
        # a NaN gradient must stay out where x <= 0, as in PyTorch (NaN * 0 is NaN)
        if grad.__class__ is np.ndarray:  # first order: the product with the mask is many
            mask = y > 0  # times faster than np.where, so NaN is mended afterwards
            out = np.multiply(grad, mask, dtype=grad.dtype)
            total = np.add.reduce(out, None)  # one pass: NaN anywhere makes the sum NaN
            if total != total:
                out[~mask] = 0
            return out,
        from .masking import where
        return where(y > 0, grad, 0.0)


class Sigmoid(Function):
    """out = 1 / (1 + e^-x).   d out/dx = out (1 - out)."""

    _backward_name = "SigmoidBackward0"
    _array_backward = True

    @staticmethod
    def forward(ctx, x):
        a = _float_array(x)
        # e^-|x| never overflows; the two branches are the same function
        e = np.exp(-np.abs(a))
        y = np.asarray(np.where(a >= 0, 1 / (1 + e), e / (1 + e))).astype(a.dtype, copy=False)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_values
        return grad * y * (1 - y),


class Tanh(Function):
    """out = tanh x.   d out/dx = 1 - tanh^2 x = 1 - out^2."""

    _backward_name = "TanhBackward0"
    _array_backward = True

    @staticmethod
    def forward(ctx, x):
        y = np.asarray(np.tanh(_float_array(x)))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_values
        return grad * (1 - y * y),


def exp(input, *, out=None):
    """e to the power of each element."""
    return _out(Exp.apply(input), out)


def log(input, *, out=None):
    """Natural logarithm of each element."""
    return _out(Log.apply(input), out)


def relu(input):
    """``max(input, 0)`` elementwise."""
    return Relu.apply(input)


def sigmoid(input, *, out=None):
    """The logistic function ``1 / (1 + exp(-input))``."""
    return _out(Sigmoid.apply(input), out)


def tanh(input, *, out=None):
    """Hyperbolic tangent."""
    return _out(Tanh.apply(input), out)


def exp_(self):
    return apply_inplace(self, exp)


def log_(self):
    return apply_inplace(self, log)


def relu_(self):
    return apply_inplace(self, relu)


def sigmoid_(self):
    return apply_inplace(self, sigmoid)


def tanh_(self):
    return apply_inplace(self, tanh)


# --- copies and casts ------------------------------------------------------------------------
class Clone(Function):
    """out = a copy of x.   d out/dx = 1."""

    _backward_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, x):
        return x._data.copy()

    @staticmethod
    def backward(ctx, grad):
        return grad


class ToCopy(Function):
    """out = x converted to another dtype.   The gradient is converted back (the engine does it)."""

    _backward_name = "ToCopyBackward0"

    @staticmethod
    def forward(ctx, x, np_dtype):
        return x._data.astype(np_dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad, None


def clone(input, *, memory_format=None):
    """A copy of ``input`` that gradients flow through."""
    return Clone.apply(input)


def _cast(t, dtype):
    return ToCopy.apply(t, dtype.np)


__all__ = ["add", "sub", "subtract", "rsub", "mul", "multiply", "div", "divide", "true_divide", "neg",
           "negative", "exp", "log", "relu", "sigmoid", "tanh", "clone"]

methods(add, sub, subtract, mul, multiply, div, divide, true_divide, neg, negative, exp, log, relu,
        sigmoid, tanh, clone, add_, sub_, mul_, div_, neg_, exp_, log_, relu_, sigmoid_, tanh_,
        __add__=add, __radd__=_radd, __iadd__=add_, __sub__=sub, __rsub__=_rsub, __isub__=sub_,
        __mul__=mul, __rmul__=_rmul, __imul__=mul_, __truediv__=div, __rtruediv__=_rtruediv,
        __itruediv__=div_, __neg__=neg, __pos__=lambda self: self, subtract_=sub_, multiply_=mul_,
        divide_=div_, true_divide_=div_, negative_=neg_)


# --- fills and copies (in place) ---------------------------------------------------------------
class Fill(Function):
    """y = value everywhere (x's shape and dtype).   dL/dx = 0;  dL/dvalue = sum of dL/dy
    when value is a 0-d tensor."""

    _backward_name = "FillBackward0"

    @staticmethod
    def forward(ctx, x, value):
        v = value._data if isinstance(value, Tensor) else check_scalar(value, x._data.dtype)
        return np.full(x._data.shape, v, x._data.dtype)

    @staticmethod
    def backward(ctx, grad):
        return None, (grad.sum() if ctx.needs_input_grad[1] else None)


class CopyFrom(Function):
    """y = src broadcast to x's shape and cast to x's dtype.   dL/dx = 0;  dL/dsrc = dL/dy
    (summed back over broadcasting and cast back by the engine)."""

    _backward_name = "CopyBackwards"

    @staticmethod
    def forward(ctx, x, src):
        return np.broadcast_to(src._data, x._data.shape).astype(x._data.dtype)

    @staticmethod
    def backward(ctx, grad):
        return None, grad


def fill_(self, value):
    """Set every element to ``value`` (a number or a 0-d tensor)."""
    if isinstance(value, Tensor) and value._data.ndim:
        raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with "
                           f"{value._data.ndim} dimensions.")
    return apply_inplace(self, Fill.apply, value)


def zero_(self):
    """Set every element to zero."""
    return apply_inplace(self, Fill.apply, 0)


def copy_(self, src, non_blocking=False):
    """Copy ``src`` (broadcast, cast) into this tensor's memory."""
    if not isinstance(src, Tensor):
        raise TypeError(f"copy_(): argument 'other' (position 1) must be Tensor, not {type(src).__name__}")
    try:
        np.broadcast_to(src._data, self._data.shape)
    except ValueError:
        raise RuntimeError(f"The size of tensor a ({self._data.shape[-1] if self._data.ndim else 1}) must match "
                           f"the size of tensor b ({src._data.shape[-1] if src._data.ndim else 1}) at non-singleton "
                           "dimension 0") from None
    return apply_inplace(self, CopyFrom.apply, src)


methods(fill_, zero_, copy_)


# --- unary math: one small Function per op, built from its forward and its derivative ------------
def _erf(a):
    """The error function (NumPy has none): the C library's erf, element by element; for float32
    and float16 arrays, a vectorised formula that is as accurate as those dtypes hold."""
    a = np.asarray(a)
    if a.dtype.kind == "f" and a.dtype.itemsize <= 4:
        return _erf_single(a)
    return np.asarray(np.frompyfunc(math.erf, 1, 1)(np.asarray(a, np.float64)), np.float64)


# erfc(z) ~ t exp(-z^2 + P(t)), t = 1 / (1 + z/2): Numerical Recipes' Chebyshev fit, relative error
# below 1.2e-7 for z >= 0 (float32 keeps 6e-8); near 0, where 1 - erfc loses digits, erf's Maclaurin
# series 2/sqrt(pi) sum (-1)^n z^(2n+1) / (n! (2n+1)), whose 12 terms are exact to double precision.
_ERFC_FIT = (-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587,
             -0.82215223, 0.17087277)
_ERF_SERIES = [2 / math.sqrt(math.pi) * (-1) ** n / (math.factorial(n) * (2 * n + 1)) for n in range(12)]


def _erf_single(a):
    """erf of a float32/float16 array, computed in float64 (within 1 float32 ulp of the exact value)."""
    x = np.asarray(a, np.float64)
    z = np.abs(x)
    t = 1 / (1 + 0.5 * z)
    p = _ERFC_FIT[-1]
    for c in _ERFC_FIT[-2::-1]:
        p = p * t + c
    out = np.asarray(1 - t * np.exp(p - z * z))
    small = z < 0.5
    if small.any():
        zs = z[small]
        z2 = zs * zs
        q = _ERF_SERIES[-1]
        for c in _ERF_SERIES[-2::-1]:
            q = q * z2 + c
        out[small] = q * zs
    return np.copysign(out, x)


def _erfinv(a):
    """Inverse erf: Giles' single-precision approximation, then two Newton steps on erf."""
    x = np.asarray(a, np.float64)
    w = -np.log((1.0 - x) * (1.0 + x))
    small = w < 5.0
    ws = np.where(small, w - 2.5, np.sqrt(np.maximum(w, 0)) - 3.0)
    cs = [2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087, -0.00125372503,
          -0.00417768164, 0.246640727, 1.50140941]
    cl = [-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613,
          0.00943887047, 1.00167406, 2.83297682]
    ps, pl = np.full_like(x, cs[0]), np.full_like(x, cl[0])
    for c1, c2 in zip(cs[1:], cl[1:]):
        ps, pl = c1 + ps * ws, c2 + pl * ws
    y = np.where(small, ps, pl) * x
    for _ in range(2):
        with np.errstate(invalid="ignore", over="ignore"):
            y = y - (_erf(y) - x) / (2.0 / np.sqrt(np.pi) * np.exp(-y * y))
    y = np.where(x == 1, np.inf, np.where(x == -1, -np.inf, y))
    return np.where(np.abs(x) > 1, np.nan, y)


def _unary_op(name, forward, derivative, doc, backward_name=None, keep_int=False):
    """A Function for y = f(x) with dL/dx = dL/dy * f'(x); ``derivative(x, y)`` builds f'
    from ember ops on the saved input and output. Integer inputs become the default float
    unless ``keep_int``."""

    def fwd(ctx, x):
        a = x._data if keep_int else _float_array(x)
        with np.errstate(all="ignore"):
            y = np.asarray(forward(a)).astype(a.dtype, copy=False)
        ctx.save_for_backward(x, y)
        return y

    def bwd(ctx, grad):
        x, y = ctx.saved_tensors
        return grad * derivative(x, y) if derivative is not None else grad * 0

    cls = type(name, (Function,), {"forward": staticmethod(fwd), "backward": staticmethod(bwd), "__doc__": doc,
                                   "_backward_name": backward_name or f"{name}Backward0", "__module__": __name__})
    return cls


_LN2, _LN10 = float(np.log(2)), float(np.log(10))
_UNARY = {
    # name: (numpy forward, derivative in ember ops, docstring stating it)
    "sqrt": (np.sqrt, lambda x, y: 0.5 / y, "y = sqrt(x).   dy/dx = 1 / (2 sqrt(x)) = 0.5 / y."),
    "rsqrt": (lambda a: 1 / np.sqrt(a), lambda x, y: -0.5 * y * y * y, "y = x^(-1/2).   dy/dx = -x^(-3/2) / 2 = -y^3 / 2."),
    "exp2": (np.exp2, lambda x, y: y * _LN2, "y = 2^x.   dy/dx = 2^x ln 2."),
    "expm1": (np.expm1, lambda x, y: y + 1, "y = e^x - 1.   dy/dx = e^x = y + 1."),
    "log2": (np.log2, lambda x, y: 1 / (x * _LN2), "y = log2 x.   dy/dx = 1 / (x ln 2)."),
    "log10": (np.log10, lambda x, y: 1 / (x * _LN10), "y = log10 x.   dy/dx = 1 / (x ln 10)."),
    "log1p": (np.log1p, lambda x, y: 1 / (x + 1), "y = ln(1 + x).   dy/dx = 1 / (1 + x)."),
    "sin": (np.sin, lambda x, y: x.cos(), "y = sin x.   dy/dx = cos x."),
    "cos": (np.cos, lambda x, y: -x.sin(), "y = cos x.   dy/dx = -sin x."),
    "tan": (np.tan, lambda x, y: 1 + y * y, "y = tan x.   dy/dx = 1 / cos^2 x = 1 + tan^2 x."),
    "asin": (np.arcsin, lambda x, y: (1 - x * x).rsqrt(), "y = asin x.   dy/dx = 1 / sqrt(1 - x^2)."),
    "acos": (np.arccos, lambda x, y: -(1 - x * x).rsqrt(), "y = acos x.   dy/dx = -1 / sqrt(1 - x^2)."),
    "atan": (np.arctan, lambda x, y: 1 / (1 + x * x), "y = atan x.   dy/dx = 1 / (1 + x^2)."),
    "sinh": (np.sinh, lambda x, y: x.cosh(), "y = sinh x.   dy/dx = cosh x."),
    "cosh": (np.cosh, lambda x, y: x.sinh(), "y = cosh x.   dy/dx = sinh x."),
    "asinh": (np.arcsinh, lambda x, y: (x * x + 1).rsqrt(), "y = asinh x.   dy/dx = 1 / sqrt(x^2 + 1)."),
    "acosh": (np.arccosh, lambda x, y: (x * x - 1).rsqrt(), "y = acosh x.   dy/dx = 1 / sqrt(x^2 - 1)."),
    "atanh": (np.arctanh, lambda x, y: 1 / (1 - x * x), "y = atanh x.   dy/dx = 1 / (1 - x^2)."),
    "reciprocal": (lambda a: 1 / a, lambda x, y: -y * y, "y = 1/x.   dy/dx = -1/x^2 = -y^2."),
    "erf": (_erf, lambda x, y: (-x * x).exp() * (2 / np.sqrt(np.pi)),
            "y = erf x.   dy/dx = 2/sqrt(pi) e^(-x^2) (the normal density, rescaled)."),
    "erfc": (lambda a: 1 - _erf(a), lambda x, y: (-x * x).exp() * (-2 / np.sqrt(np.pi)),
             "y = 1 - erf x.   dy/dx = -2/sqrt(pi) e^(-x^2)."),
    "erfinv": (_erfinv, lambda x, y: (y * y).exp() * (np.sqrt(np.pi) / 2),
               "y = erf^-1(x).   dy/dx = 1 / erf'(y) = sqrt(pi)/2 e^(y^2)."),
    "deg2rad": (np.deg2rad, lambda x, y: np.pi / 180, "y = x pi / 180.   dy/dx = pi / 180."),
    "rad2deg": (np.rad2deg, lambda x, y: 180 / np.pi, "y = x 180 / pi.   dy/dx = 180 / pi."),
    "frac": (lambda a: a - np.trunc(a), lambda x, y: 1, "y = x - trunc(x).   dy/dx = 1 (almost everywhere)."),
}
_STEP = {  # piecewise-constant functions: zero gradient, integers stay integers
    "floor": (np.floor, "y = floor x: a step function, so dy/dx = 0 wherever it exists."),
    "ceil": (np.ceil, "y = ceil x.   dy/dx = 0."),
    "trunc": (np.trunc, "y = trunc x (toward zero).   dy/dx = 0."),
    "sign": (lambda a: _sign(a), "y = sign x.   dy/dx = 0 (PyTorch takes 0 at 0 too)."),
}


def _sign(a):
    """np.sign, but NaN gives 0 as in PyTorch ((0 < x) - (x < 0) is 0 for NaN)."""
    y = np.sign(a)
    if y.dtype.kind == "f":
        y = np.where(np.isnan(y), y.dtype.type(0), y)
    return y

_UNARY_CLASSES = {}
for _name, (_f, _d, _doc) in _UNARY.items():
    _cls_name = _name.capitalize() if _name != "log1p" else "Log1P"
    _cls_name = {"deg2rad": "Deg2Rad", "rad2deg": "Rad2Deg"}.get(_name, _cls_name)
    _UNARY_CLASSES[_name] = globals()[_cls_name] = _unary_op(_cls_name, _f, _d, _doc)
for _name, (_f, _doc) in _STEP.items():
    _UNARY_CLASSES[_name] = globals()[_name.capitalize()] = _unary_op(_name.capitalize(), _f, None, _doc,
                                                                      keep_int=True)


def _unary_function(name):
    cls = _UNARY_CLASSES[name]

    def fn(input, *, out=None):
        if name == "sign" and input._data.dtype == np.bool_:
            return _out(input.clone(), out)
        if name in _STEP and name != "sign" and input._data.dtype.kind in "iub":
            return _out(input.clone(), out)
        return _out(cls.apply(input), out)
    fn.__name__ = name
    fn.__doc__ = cls.__doc__
    return fn


for _name in list(_UNARY) + list(_STEP):
    globals()[_name] = _unary_function(_name)


class Abs(Function):
    """y = |x|.   dy/dx = sign(x) (0 at 0, as PyTorch takes it)."""

    _backward_name = "AbsBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.abs(x._data)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * x.sign()


def abs(input, *, out=None):
    """|input| elementwise."""
    if input._data.dtype == np.bool_:
        raise NotImplementedError("\"abs_cpu\" not implemented for 'Bool'")
    return _out(Abs.apply(input), out)


absolute = abs


def sgn(input):
    return sign(input)


def square(input):
    """input * input (PyTorch records it as a power: PowBackward0)."""
    return pow(input, 2)


# --- powers -------------------------------------------------------------------------------------------
class PowScalar(Function):
    """y = x^p for a number p.   dy/dx = p x^(p-1)."""

    _backward_name = "PowBackward0"

    @staticmethod
    def forward(ctx, x, p):
        a = x._data
        if a.dtype.kind in "iub" and isinstance(p, float):
            a = a.astype(_dtype.get_default_dtype().np)
        if a.dtype.kind in "iu" and isinstance(p, int) and p < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        ctx.save_for_backward(x)
        ctx.p = p
        with np.errstate(all="ignore"):
            return np.power(a, p if a.dtype.kind != "b" else int(p)).astype(
                a.dtype if a.dtype.kind != "b" else np.int64, copy=False)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        p = ctx.p
        if p == 0:
            return grad * 0, None
        return grad * p * (x ** (p - 1) if p != 2 else x), None


def _int_power(a, b):
    """x^e for integer tensors: a negative e gives 1/x^|e| cut toward zero, as in PyTorch:
    1 for x = 1, +-1 for x = -1 (by the parity of e), 0 for every other x."""
    b = np.asarray(b)
    neg = b < 0
    y = np.power(a, np.where(neg, 0, b))
    if neg.any():
        reciprocal = np.where(a == 1, 1, np.where(a == -1, np.where(b % 2 == 0, 1, -1), 0))
        y = np.where(neg, reciprocal, y).astype(y.dtype)
    return y


class PowTensor(Function):
    """y = x^e for tensors.   dy/dx = e x^(e-1),   dy/de = x^e ln x (taken as 0 where x = 0
    and e >= 0, as PyTorch does)."""

    _backward_name = "PowBackward1"

    @staticmethod
    def forward(ctx, x, e):
        a, b = binary_arrays(x, e)
        with np.errstate(all="ignore"):
            y = _int_power(a, b) if a.dtype.kind in "iu" else np.power(a, b)
        ctx.save_for_backward(x, e, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, e, y = ctx.saved_tensors
        nx, ne = ctx.needs_input_grad[:2]
        gx = grad * e * x ** (e - 1) if nx else None
        ge = None
        if ne:
            ge = grad * y * _safe_log(x)
        return gx, ge


def _safe_log(x):
    from .masking import where as _where
    return _where(x == 0, x * 0, x.abs().log())


class PowBase(Function):
    """y = b^x for a number b.   dy/dx = b^x ln b."""

    _backward_name = "PowBackward2"

    @staticmethod
    def forward(ctx, b, x):
        a = _float_array(x) if isinstance(b, float) or x._data.dtype.kind == "f" else x._data
        ctx.b = b
        with np.errstate(all="ignore"):
            if a.dtype.kind in "iu" and (a < 0).any():  # integer powers: b^-n truncates toward zero
                whole = np.power(np.asarray(b, a.dtype), np.abs(a))
                frac = np.asarray(1 if b == 1 else 0, a.dtype) if b != -1 else np.where(a % 2 == 0, 1, -1)
                y = np.where(a < 0, frac, whole).astype(a.dtype)
            else:
                y = np.power(np.asarray(b, a.dtype), a)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return None, grad * y * float(np.log(ctx.b))


def pow(input, exponent, *, out=None):
    """input ** exponent (tensor or number on either side)."""
    if not isinstance(input, Tensor):
        return _out(PowBase.apply(input, exponent), out)
    if isinstance(exponent, Tensor):
        return _out(PowTensor.apply(input, exponent), out)
    return _out(PowScalar.apply(input, exponent), out)


def float_power(input, exponent):
    """pow computed in float64."""
    x = input.double() if isinstance(input, Tensor) else input
    e = exponent.double() if isinstance(exponent, Tensor) else exponent
    return pow(x, e)


_rpow = _reflected(lambda self, other: PowBase.apply(other, self))


# --- clamping and binary elementwise -------------------------------------------------------------------
class Clamp(Function):
    """y = min(max(x, lo), hi) for numbers lo, hi.   dy/dx = 1 where lo <= x <= hi, else 0."""

    _backward_name = "ClampBackward1"

    @staticmethod
    def forward(ctx, x, lo, hi):
        a = x._data
        if a.dtype.kind in "iub" and (isinstance(lo, float) or isinstance(hi, float)):
            a = a.astype(_dtype.get_default_dtype().np)
        ctx.save_for_backward(x)
        ctx.bounds = (lo, hi)
        y = a
        if lo is not None:  # a bound is a number of x's dtype (an unsigned one wraps -1 around)
            y = np.maximum(y, check_scalar(lo, a.dtype))
        if hi is not None:
            y = np.minimum(y, check_scalar(hi, a.dtype))
        return y if y is not a else a.copy()

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        lo, hi = ctx.bounds
        mask = np.ones(x._data.shape, bool)
        if lo is not None:
            mask &= x._data >= lo
        if hi is not None:
            mask &= x._data <= hi
        return grad * Tensor._make(mask), None, None


class ClampTensor(Function):
    """y = min(max(x, lo), hi) with tensor bounds.   The gradient goes to x where x is within
    the bounds, to lo where lo won, to hi where hi won."""

    _backward_name = "ClampBackward0"

    @staticmethod
    def forward(ctx, x, lo, hi):
        y = x._data
        if lo is not None:
            y = np.maximum(y, lo._data if isinstance(lo, Tensor) else lo)
        if hi is not None:
            y = np.minimum(y, hi._data if isinstance(hi, Tensor) else hi)
        ctx.save_for_backward(x, lo if isinstance(lo, Tensor) else None, hi if isinstance(hi, Tensor) else None)
        ctx.bounds = (lo, hi)
        return np.asarray(y).astype(x._data.dtype, copy=y is x._data)

    @staticmethod
    def backward(ctx, grad):
        x, lo_t, hi_t = ctx.saved_tensors
        lo, hi = ctx.bounds
        a = x._data
        lo_a = lo_t._data if lo_t is not None else lo
        hi_a = hi_t._data if hi_t is not None else hi
        x_ok = np.ones(a.shape, bool) if lo_a is None else a >= lo_a
        if hi_a is not None:
            x_ok = x_ok & (a <= hi_a)
        lo_win = None if lo_a is None else (a < lo_a) & (True if hi_a is None else np.asarray(lo_a) <= hi_a)
        hi_win = None if hi_a is None else (~x_ok) & ~(lo_win if lo_win is not None else False)
        m = lambda b: Tensor._make(np.asarray(b))  # noqa: E731
        return (grad * m(x_ok), grad * m(lo_win) if lo_t is not None else None,
                grad * m(hi_win) if hi_t is not None else None)


def clamp(input, min=None, max=None, *, out=None):
    """Limit values to [min, max] (either may be None, a number or a tensor)."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        return _out(ClampTensor.apply(input, min, max), out)
    return _out(Clamp.apply(input, min, max), out)


clip = clamp


def clamp_min(input, min):
    return clamp(input, min=min)


def clamp_max(input, max):
    return clamp(input, max=max)


class Maximum(Function):
    """y = max(a, b).   The gradient goes to the larger input, half each on ties."""

    _backward_name = "MaximumBackward0"
    _pick = staticmethod(np.maximum)

    @staticmethod
    def forward(ctx, a, b):
        x, y = binary_arrays(a, b)
        ctx.save_for_backward(a, b)
        return type(ctx)._forward_cls._pick(x, y)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        x, y = a._data, b._data
        win = (x > y) if type(ctx)._forward_cls._pick is np.maximum or \
            type(ctx)._forward_cls._pick is np.fmax else (x < y)
        if type(ctx)._forward_cls._pick in (np.fmax, np.fmin):
            win = win | np.isnan(y)
        tie = (x == y)
        wa = Tensor._make(win + 0.5 * tie)
        return grad * wa, grad * (1 - wa)


class Minimum(Maximum):
    """y = min(a, b).   The gradient goes to the smaller input, half each on ties."""

    _backward_name = "MinimumBackward0"
    _pick = staticmethod(np.minimum)


class Fmax(Maximum):
    """max ignoring NaN.   Gradient as maximum."""

    _backward_name = "FmaxBackward0"
    _pick = staticmethod(np.fmax)


class Fmin(Maximum):
    """min ignoring NaN.   Gradient as minimum."""

    _backward_name = "FminBackward0"
    _pick = staticmethod(np.fmin)


@tensor_operand
def maximum(input, other, *, out=None):
    return _out(Maximum.apply(input, other), out)


@tensor_operand
def minimum(input, other, *, out=None):
    return _out(Minimum.apply(input, other), out)


@tensor_operand
def fmax(input, other, *, out=None):
    return _out(Fmax.apply(input, other), out)


@tensor_operand
def fmin(input, other, *, out=None):
    return _out(Fmin.apply(input, other), out)


class Atan2(Function):
    """y = atan2(a, b).   dy/da = b / (a^2 + b^2),   dy/db = -a / (a^2 + b^2)."""

    _backward_name = "Atan2Backward0"

    @staticmethod
    def forward(ctx, a, b):
        x, y = binary_arrays(a, b)
        if x.dtype.kind != "f":
            x, y = x.astype(_dtype.get_default_dtype().np), np.asarray(y).astype(_dtype.get_default_dtype().np)
        ctx.save_for_backward(a, b)
        return np.arctan2(x, y)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        r = a * a + b * b
        return grad * b / r, -grad * a / r


@tensor_operand
def atan2(input, other, *, out=None):
    return _out(Atan2.apply(input, other), out)


arctan2 = atan2


class Hypot(Function):
    """y = sqrt(a^2 + b^2), computed without squaring (np.hypot: no overflow for large a, b).
    dy/da = a / y,   dy/db = b / y."""

    _backward_name = "HypotBackward0"

    @staticmethod
    def forward(ctx, a, b):
        y = np.asarray(np.hypot(*binary_arrays(a, b)))
        ctx.save_for_backward(a, b, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        a, b, y = ctx.saved_tensors
        return grad * a / y, grad * b / y


@tensor_operand
def hypot(input, other):
    """sqrt(a^2 + b^2)."""
    return Hypot.apply(input, other)


class Logaddexp(Function):
    """y = log(e^a + e^b) (np.logaddexp: max + log1p(e^-|a-b|), so nothing overflows, and
    equal infinities give themselves).   dy/da = 1 / (1 + e^(b-a)),   dy/db = 1 / (1 + e^(a-b))."""

    _backward_name = "LogaddexpBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.asarray(np.logaddexp(*binary_arrays(a, b)))

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return grad / (1 + (b - a).exp()), grad / (1 + (a - b).exp())


@tensor_operand
def logaddexp(input, other):
    """log(e^a + e^b) without overflow."""
    return Logaddexp.apply(input, other)


def logit(input, eps=None):
    """log(p / (1 - p)), with p clamped to [eps, 1 - eps] when eps is given."""
    p = input.clamp(eps, 1 - eps) if eps is not None else input
    return (p / (1 - p)).log()


def xlogy(input, other):
    """x log y, defined as 0 where x == 0 (even if y == 0)."""
    from .masking import where as _where
    if not isinstance(input, Tensor):
        input = to_tensor(input)
    if not isinstance(other, Tensor):
        other = to_tensor(other)
    zero = (input == 0) & ~other.isnan()  # NaN in y gives NaN even where x == 0, as in PyTorch
    safe = _where(zero, other * 0 + 1, other)
    return _where(zero, input * 0, input * safe.log())


def lerp(input, end, weight):
    """input + weight (end - input)."""
    return input + weight * (end - input)


def addcmul(input, tensor1, tensor2, *, value=1):
    """input + value * tensor1 * tensor2."""
    return input + value * tensor1 * tensor2


def addcdiv(input, tensor1, tensor2, *, value=1):
    """input + value * tensor1 / tensor2."""
    return input + value * tensor1 / tensor2


class Round(Function):
    """y = x rounded half to even (to ``decimals`` places).   dy/dx = 0."""

    _backward_name = "RoundBackward0"

    @staticmethod
    def forward(ctx, x, decimals):
        return np.round(x._data, decimals) if x._data.dtype.kind == "f" else x._data.copy()

    @staticmethod
    def backward(ctx, grad):
        return grad * 0, None


class RoundDecimals(Round):
    _backward_name = "RoundBackward1"


def round(input, *, decimals=0):
    return (Round if decimals == 0 else RoundDecimals).apply(input, decimals)


def nan_to_num(input, nan=0.0, posinf=None, neginf=None):
    """NaN -> nan, +inf -> posinf (default: the dtype's max), -inf -> neginf."""
    a = input._data
    if a.dtype.kind != "f":
        return input.clone()
    from .masking import where as _where
    info = np.finfo(a.dtype)
    out = _where(input.isnan(), Tensor._make(np.asarray(nan, a.dtype)), input)
    out = _where(out == np.inf, Tensor._make(np.asarray(info.max if posinf is None else posinf, a.dtype)), out)
    return _where(out == -np.inf, Tensor._make(np.asarray(info.min if neginf is None else neginf, a.dtype)), out)


# --- bitwise and logical ---------------------------------------------------------------------------------
def _bitwise(ufunc, name, kernel=None):
    def op(input, other, *, out=None):
        x, y = binary_arrays(input, other)
        rt = np.result_type(x, y)
        if rt.kind == "f":
            raise NotImplementedError(f"\"{kernel or name}_cpu\" not implemented for '{_dtype.type_word(rt)}'")
        return _out(Tensor._make(np.asarray(ufunc(x, y)).astype(rt, copy=False)), out)
    op.__name__ = name
    op.__doc__ = f"Elementwise {name.replace('_', ' ')} (integer and bool tensors)."
    return op


def _shift(left):
    """x << s or x >> s as PyTorch shifts: a count that is negative or at least the width
    of the type shifts everything out (0 to the left; to the right, the sign: -1 or 0);
    bits shifted past the top are lost (1 << 7 is -128 in int8)."""
    def shift(x, s):
        x, s = np.asarray(x), np.asarray(s)
        out_of_range = (s < 0) | (s >= 8 * np.result_type(x, s).itemsize)
        shifted = (np.left_shift if left else np.right_shift)(x, np.where(out_of_range, 0, s))
        spill = 0 if left else np.where(x < 0, -1, 0)
        return np.where(out_of_range, spill, shifted).astype(shifted.dtype)
    return shift


bitwise_and = _bitwise(np.bitwise_and, "bitwise_and")
bitwise_or = _bitwise(np.bitwise_or, "bitwise_or")
bitwise_xor = _bitwise(np.bitwise_xor, "bitwise_xor")
bitwise_left_shift = _bitwise(_shift(True), "bitwise_left_shift", "lshift")
bitwise_right_shift = _bitwise(_shift(False), "bitwise_right_shift", "rshift")


def bitwise_not(input, *, out=None):
    if input._data.dtype.kind == "f":
        raise NotImplementedError(f"\"bitwise_not_cpu\" not implemented for '{_dtype.type_word(input._data.dtype)}'")
    return _out(Tensor._make(np.invert(input._data)), out)


def _logical(ufunc, name):
    def op(input, other, *, out=None):
        a = input._data if isinstance(input, Tensor) else np.asarray(input)
        b = other._data if isinstance(other, Tensor) else np.asarray(other)
        return _out(Tensor._make(np.asarray(ufunc(a.astype(bool), b.astype(bool)))), out)
    op.__name__ = name
    op.__doc__ = f"Elementwise {name.replace('_', ' ')}, as a bool tensor."
    return op


logical_and = _logical(np.logical_and, "logical_and")
logical_or = _logical(np.logical_or, "logical_or")
logical_xor = _logical(np.logical_xor, "logical_xor")


def logical_not(input, *, out=None):
    return _out(Tensor._make(np.logical_not(input._data)), out)


def _invert(self):
    """``~x``: logical not of a bool tensor, bitwise not of an integer one."""
    if self._data.dtype.kind == "f":
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
    return logical_not(self) if self._data.dtype == np.bool_ else bitwise_not(self)


def _rbitwise(fn):
    return lambda self, other: fn(to_tensor(other), self)


_INPLACE = {}
for _name in list(_UNARY) + list(_STEP) + ["abs", "square"]:
    _INPLACE[_name + "_"] = (lambda f: lambda self: apply_inplace(self, f))(globals()[_name])
_INPLACE.update(
    pow_=lambda self, e: apply_inplace(self, pow, e),
    clamp_=lambda self, min=None, max=None: apply_inplace(self, clamp, min, max),
    clip_=lambda self, min=None, max=None: apply_inplace(self, clamp, min, max),
    clamp_min_=lambda self, m: apply_inplace(self, clamp_min, m),
    clamp_max_=lambda self, m: apply_inplace(self, clamp_max, m),
    round_=lambda self, decimals=0: apply_inplace(self, round, decimals=decimals),
    lerp_=lambda self, end, weight: apply_inplace(self, lerp, end, weight),
    addcmul_=lambda self, t1, t2, value=1: apply_inplace(self, addcmul, t1, t2, value=value),
    addcdiv_=lambda self, t1, t2, value=1: apply_inplace(self, addcdiv, t1, t2, value=value),
    nan_to_num_=lambda self, nan=0.0, posinf=None, neginf=None: apply_inplace(self, nan_to_num, nan, posinf, neginf),
    logit_=lambda self, eps=None: apply_inplace(self, logit, eps),
    bitwise_and_=lambda self, o: apply_inplace(self, bitwise_and, o),
    bitwise_or_=lambda self, o: apply_inplace(self, bitwise_or, o),
    bitwise_xor_=lambda self, o: apply_inplace(self, bitwise_xor, o),
    bitwise_left_shift_=lambda self, o: apply_inplace(self, bitwise_left_shift, o),
    bitwise_right_shift_=lambda self, o: apply_inplace(self, bitwise_right_shift, o),
    logical_not_=lambda self: apply_inplace(self, logical_not),
    __ipow__=lambda self, e: apply_inplace(self, pow, e),
    __iand__=lambda self, o: apply_inplace(self, bitwise_and, o),
    __ior__=lambda self, o: apply_inplace(self, bitwise_or, o),
    __ixor__=lambda self, o: apply_inplace(self, bitwise_xor, o),
    __ilshift__=lambda self, o: apply_inplace(self, bitwise_left_shift, o),
    __irshift__=lambda self, o: apply_inplace(self, bitwise_right_shift, o),
)

_MATH = list(_UNARY) + list(_STEP) + [
    "abs", "absolute", "sgn", "square", "pow", "float_power", "clamp", "clip", "clamp_min", "clamp_max", "maximum",
    "minimum", "fmax", "fmin", "atan2", "arctan2", "hypot", "logaddexp", "logit", "xlogy", "lerp", "addcmul",
    "addcdiv", "round", "nan_to_num", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "bitwise_left_shift",
    "bitwise_right_shift", "logical_and", "logical_or", "logical_xor", "logical_not"]
__all__ += _MATH
methods(*(globals()[n] for n in _MATH), **_INPLACE, __pow__=pow, __rpow__=_rpow, __abs__=abs,
        __and__=bitwise_and, __or__=bitwise_or, __xor__=bitwise_xor, __invert__=_invert,
        __rand__=_rbitwise(bitwise_and), __ror__=_rbitwise(bitwise_or), __rxor__=_rbitwise(bitwise_xor),
        __lshift__=bitwise_left_shift, __rshift__=bitwise_right_shift, __rlshift__=_rbitwise(bitwise_left_shift),
        __rrshift__=_rbitwise(bitwise_right_shift),
        arcsin=globals()["asin"], arccos=globals()["acos"], arctan=globals()["atan"])
