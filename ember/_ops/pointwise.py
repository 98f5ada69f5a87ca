"""Pointwise (elementwise) operations: arithmetic, powers, exponentials, activations.

Each op is a ``Function`` whose docstring states its derivative. Broadcasting needs no code
in the backward formulas: the engine sums each gradient back to its input's shape.
"""
import numpy as np

from .. import _dtype
from .._tensor import Tensor
from ..autograd.function import Function
from ._util import binary_arrays, methods, apply_inplace, to_tensor, save_operands, saved_operands


def _float_array(t):
    """The array of ``t``, converted to the default float dtype if it is not floating."""
    x = t._data
    if x.dtype.kind != "f":
        x = x.astype(_dtype.get_default_dtype().np)
    return x


# --- arithmetic ------------------------------------------------------------------------------
class Add(Function):
    """out = a + alpha * b.   d out/d a = 1,   d out/d b = alpha."""

    _backward_name = "AddBackward0"

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        x, y = binary_arrays(a, b)
        ctx.alpha = alpha
        if alpha == 1:
            return x + y
        return x + alpha * y

    @staticmethod
    def backward(ctx, grad):
        return grad, grad if ctx.alpha == 1 else grad * ctx.alpha


class Sub(Function):
    """out = a - alpha * b.   d out/d a = 1,   d out/d b = -alpha."""

    _backward_name = "SubBackward0"

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        x, y = binary_arrays(a, b)
        if x.dtype == np.bool_ and (not isinstance(y, np.ndarray) or y.dtype == np.bool_):
            raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                               "Use the `^` or `logical_xor()` operator instead.")
        ctx.alpha = alpha
        if alpha == 1:
            return x - y
        return x - alpha * y

    @staticmethod
    def backward(ctx, grad):
        return grad, -grad if ctx.alpha == 1 else grad * -ctx.alpha


class Rsub(Function):
    """out = b - alpha * a (``number - tensor``).   d out/d a = -alpha."""

    _backward_name = "RsubBackward1"

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        x, y = binary_arrays(a, b)
        ctx.alpha = alpha
        return y - x if alpha == 1 else y - alpha * x

    @staticmethod
    def backward(ctx, grad):
        return (-grad if ctx.alpha == 1 else grad * -ctx.alpha), None


class Mul(Function):
    """out = a * b.   d out/d a = b,   d out/d b = a (the product rule)."""

    _backward_name = "MulBackward0"

    @staticmethod
    def forward(ctx, a, b):
        x, y = binary_arrays(a, b)
        save_operands(ctx, a, b)
        return x * y

    @staticmethod
    def backward(ctx, grad):
        a, b = saved_operands(ctx)
        na, nb = ctx.needs_input_grad[:2]
        return (grad * b if na else None), (grad * a if nb else None)


class Div(Function):
    """out = a / b.   d out/d a = 1 / b,   d out/d b = -a / b^2 (the quotient rule)."""

    _backward_name = "DivBackward0"

    @staticmethod
    def forward(ctx, a, b):
        x, y = binary_arrays(a, b)
        if x.dtype.kind in "biu" and (not isinstance(y, np.ndarray) or y.dtype.kind in "biu") \
                and not isinstance(y, float):
            f = _dtype.get_default_dtype().np
            x = x.astype(f)
            y = y.astype(f) if isinstance(y, np.ndarray) else y
        save_operands(ctx, a, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            return x / y

    @staticmethod
    def backward(ctx, grad):
        a, b = saved_operands(ctx)
        na, nb = ctx.needs_input_grad[:2]
        return (grad / b if na else None), (-grad * a / (b * b) if nb else None)


class Neg(Function):
    """out = -a.   d out/d a = -1."""

    _backward_name = "NegBackward0"

    @staticmethod
    def forward(ctx, a):
        if a._data.dtype == np.bool_:
            raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you are "
                               "trying to invert a mask, use the `~` or `logical_not()` operator instead.")
        return np.negative(a._data)

    @staticmethod
    def backward(ctx, grad):
        return -grad


def add(input, other, *, alpha=1, out=None):
    """``input + alpha * other`` with broadcasting and type promotion."""
    return _out(Add.apply(input, other, alpha) if alpha != 1 else Add.apply(input, other), out)


def sub(input, other, *, alpha=1, out=None):
    """``input - alpha * other``."""
    return _out(Sub.apply(input, other, alpha) if alpha != 1 else Sub.apply(input, other), out)


subtract = sub


def rsub(input, other, *, alpha=1):
    """``other - alpha * input``."""
    return Rsub.apply(input, other, alpha)


def mul(input, other, *, out=None):
    """Elementwise product."""
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


def _radd(self, other):
    return Add.apply(self, other)


def _rmul(self, other):
    return Mul.apply(self, other)


def _rsub(self, other):
    return Rsub.apply(self, other)


def _rtruediv(self, other):
    return Div.apply(to_tensor(other), self) if not isinstance(other, Tensor) else Div.apply(other, self)


def add_(self, other, *, alpha=1):
    return apply_inplace(self, add, other, alpha=alpha)


def sub_(self, other, *, alpha=1):
    return apply_inplace(self, sub, other, alpha=alpha)


def mul_(self, other):
    return apply_inplace(self, mul, other)


def div_(self, other, *, rounding_mode=None):
    return apply_inplace(self, div, other, rounding_mode=rounding_mode)


def neg_(self):
    return apply_inplace(self, neg)


# --- unary math ------------------------------------------------------------------------------
class Exp(Function):
    """out = e^x.   d out/dx = e^x = out, so the output itself is saved."""

    _backward_name = "ExpBackward0"

    @staticmethod
    def forward(ctx, x):
        y = np.exp(_float_array(x))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return grad * y


class Log(Function):
    """out = ln x.   d out/dx = 1/x."""

    _backward_name = "LogBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(_float_array(x))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / x


class Relu(Function):
    """out = max(x, 0).   d out/dx = 1 where x > 0, else 0 (PyTorch takes 0 at x = 0).
    The mask is read from the output (out > 0 exactly where x > 0)."""

    _backward_name = "ReluBackward0"

    @staticmethod
    def forward(ctx, x):
        if x._data.dtype == np.bool_:
            raise RuntimeError('"clamp_min_cpu" not implemented for \'Bool\'')
        y = np.maximum(x._data, 0, dtype=x._data.dtype)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return grad * (y > 0)


class Sigmoid(Function):
    """out = 1 / (1 + e^-x).   d out/dx = out (1 - out)."""

    _backward_name = "SigmoidBackward0"

    @staticmethod
    def forward(ctx, x):
        a = _float_array(x)
        # e^-|x| never overflows; the two branches are the same function
        e = np.exp(-np.abs(a))
        y = np.where(a >= 0, 1 / (1 + e), e / (1 + e)).astype(a.dtype, copy=False)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return grad * y * (1 - y)


class Tanh(Function):
    """out = tanh x.   d out/dx = 1 - tanh^2 x = 1 - out^2."""

    _backward_name = "TanhBackward0"

    @staticmethod
    def forward(ctx, x):
        y = np.tanh(_float_array(x))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return grad * (1 - y * y)


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
        v = value._data if isinstance(value, Tensor) else value
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
