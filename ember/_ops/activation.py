"""Activation functions that PyTorch computes as single ops (``F.gelu``, ``F.elu``, ...).

Each is one ``Function``: a NumPy forward, and a backward written with ember ops on the
saved input (or output), so one graph node per call and ``create_graph=True`` still works.
The node names are PyTorch's: ``selu`` is ``elu`` with scale parameters (``EluBackward0``),
and the in-place variants that PyTorch differentiates from the *result* get their own
``...Backward1`` node (``F.elu_``, ``F.leaky_relu_``, ``F.celu_``, ``F.threshold_``).

``ember.nn.functional`` calls the functions at the bottom of this file; the ones PyTorch
also has in its top-level namespace (``torch.selu``, ``torch.prelu``, ...) are in ``__all__``.
"""
import math

import numpy as np

from .. import _dtype
from .._tensor import Tensor
from ..autograd.function import Function
from ..autograd.grad_mode import _state as _grad
from ._util import apply_inplace, methods
from .masking import where
from .pointwise import _erf, relu_

_SQRT1_2 = 1 / math.sqrt(2)
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)
_SQRT_2_PI = math.sqrt(2 / math.pi)
_GELU_C = 0.044715
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _floats(x, name):
    """The array of ``x``; PyTorch's NotImplementedError for integer and bool tensors."""
    a = x._data
    if a.dtype.kind != "f":
        raise NotImplementedError(f'"{name}_cpu" not implemented for \'{_dtype.type_word(a.dtype)}\'')
    return a


def _mask(cond):
    """A boolean array as a (non-differentiable) tensor, for masking gradients."""
    return Tensor._make(np.asarray(cond))


def _cached(ctx, name, recompute):
    """A forward intermediate the backward needs (``Phi(x)`` for gelu, ``sigmoid(x)`` for silu):
    in a plain backward the array the forward kept, with ``create_graph=True`` ``recompute()``,
    the same value as ember ops, so that the second derivative flows through it."""
    return recompute() if _grad[0] else Tensor._make(getattr(ctx, name))


def _np_sigmoid(a):
    e = np.exp(-np.abs(a))  # never overflows
    return np.where(a >= 0, 1 / (1 + e), e / (1 + e)).astype(a.dtype, copy=False)


def _np_softplus(a):
    """log(1 + e^a) without overflow: max(a, 0) + log1p(e^-|a|)."""
    return np.maximum(a, 0) + np.log1p(np.exp(-np.abs(a)))


# --- smooth activations --------------------------------------------------------------------------
class Softplus(Function):
    """y = log(1 + e^(beta x)) / beta, and y = x where beta x > threshold.   dy/dx = sigmoid(beta x)
    (1 above the threshold). The derivative of log(1 + e^u) is e^u / (1 + e^u) = sigmoid(u), and the
    1/beta cancels the inner factor beta; above the threshold the function is the identity."""

    _backward_name = "SoftplusBackward0"
    _graph_inputs = 1

    @staticmethod
    def forward(ctx, x, beta, threshold):
        a = _floats(x, "softplus")
        ctx.save_for_backward(x)
        ctx.params = (beta, threshold)
        bx = a * beta
        ctx.linear = bx > threshold
        with np.errstate(over="ignore"):
            z = np.exp(np.minimum(bx, threshold))
        if ctx.needs_input_grad[0]:  # sigmoid(beta x), for the backward (see _cached)
            ctx.sig = np.asarray(z / (1 + z)).astype(a.dtype, copy=False)
        return np.asarray(np.where(ctx.linear, a, np.log1p(z) / beta)).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        beta = ctx.params[0]
        return where(_mask(ctx.linear), grad, grad * _cached(ctx, "sig", lambda: (x * beta).sigmoid())), None, None


class Gelu(Function):
    """y = x Phi(x) with Phi the standard normal CDF, Phi(x) = (1 + erf(x / sqrt 2)) / 2; with
    approximate='tanh', y = x (1 + tanh(u)) / 2 with u = sqrt(2/pi) (x + 0.044715 x^3).

    dy/dx = Phi(x) + x phi(x), phi(x) = e^(-x^2/2) / sqrt(2 pi) the normal density (the product
    rule, and Phi' = phi). For the tanh form, dy/dx = (1 + t)/2 + x (1 - t^2) u' / 2 with
    t = tanh(u) and u' = sqrt(2/pi) (1 + 3 * 0.044715 x^2), since tanh' = 1 - tanh^2.
    """

    _backward_name = "GeluBackward0"
    _graph_inputs = 1

    @staticmethod
    def forward(ctx, x, approximate):
        a = _floats(x, "GeluKernelImpl")
        ctx.save_for_backward(x)
        ctx.approximate = approximate
        if approximate == "tanh":
            y = 0.5 * a * (1 + np.tanh(_SQRT_2_PI * (a + _GELU_C * a * a * a)))
        else:
            cdf = 0.5 * (1 + _erf(a * _SQRT1_2))
            ctx.cdf = cdf.astype(a.dtype, copy=False)  # erf is costly: see _cached
            y = a * cdf
        return np.asarray(y).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        if ctx.approximate == "tanh":
            x2 = x * x
            t = ((x + x2 * x * _GELU_C) * _SQRT_2_PI).tanh()
            du = (x2 * (3 * _GELU_C) + 1) * _SQRT_2_PI
            return grad * ((t + 1) * 0.5 + x * (1 - t * t) * du * 0.5), None
        cdf = _cached(ctx, "cdf", lambda: ((x * _SQRT1_2).erf() + 1) * 0.5)
        pdf = (x * x * -0.5).exp() * _INV_SQRT_2PI
        return grad * (cdf + x * pdf), None


class Silu(Function):
    """y = x sigmoid(x).   dy/dx = s (1 + x (1 - s)) with s = sigmoid(x): the product rule, with
    sigmoid' = s (1 - s)."""

    _backward_name = "SiluBackward0"

    @staticmethod
    def forward(ctx, x):
        a = _floats(x, "silu")
        ctx.save_for_backward(x)
        s = _np_sigmoid(a)
        if ctx.needs_input_grad[0]:
            ctx.sig = s
        return np.asarray(a * s)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        s = _cached(ctx, "sig", x.sigmoid)
        return grad * s * (1 + x * (1 - s))


class Mish(Function):
    """y = x tanh(softplus(x)).   dy/dx = t + x sigmoid(x) (1 - t^2) with t = tanh(softplus(x)):
    the product rule and the chain rule, since tanh' = 1 - tanh^2 and softplus' = sigmoid."""

    _backward_name = "MishBackward0"

    @staticmethod
    def forward(ctx, x):
        a = _floats(x, "mish")
        ctx.save_for_backward(x)
        t = np.asarray(np.tanh(_np_softplus(a))).astype(a.dtype, copy=False)
        if ctx.needs_input_grad[0]:
            ctx.tsp, ctx.sig = t, _np_sigmoid(a)
        return np.asarray(a * t)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        t = _cached(ctx, "tsp", lambda: Softplus.apply(x, 1.0, 20.0).tanh())
        return grad * (t + x * _cached(ctx, "sig", x.sigmoid) * (1 - t * t))


class LogSigmoid(Function):
    """y = log sigmoid(x) = -log(1 + e^-x), computed as min(x, 0) - log1p(e^-|x|).
    dy/dx = sigmoid(-x) = 1 - sigmoid(x): d/dx log s(x) = s'(x) / s(x) = 1 - s(x)."""

    _backward_name = "LogSigmoidBackward0"

    @staticmethod
    def forward(ctx, x):
        a = _floats(x, "log_sigmoid")
        ctx.save_for_backward(x)
        return np.asarray(np.minimum(a, 0) - np.log1p(np.exp(-np.abs(a)))).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * (-x).sigmoid()


class Glu(Function):
    """y = a sigmoid(b), where a and b are the two halves of x along ``dim``.
    dL/da = dL/dy sigmoid(b), dL/db = dL/dy a sigmoid(b) (1 - sigmoid(b)); the two halves of the
    input gradient are concatenated back along ``dim``."""

    _backward_name = "GluBackward0"
    _graph_inputs = 1

    @staticmethod
    def forward(ctx, x, dim):
        a = x._data
        if a.ndim == 0:
            raise RuntimeError("glu does not support scalars because halving size must be even")
        d = dim + a.ndim if dim < 0 else dim
        if not 0 <= d < a.ndim:
            raise IndexError(f"Dimension out of range (expected to be in range of [{-a.ndim}, {a.ndim - 1}], but "
                             f"got {dim})")
        n = a.shape[d]
        if n % 2:
            raise RuntimeError(f"Halving dimension must be even, but dimension {d} is size {n}")
        _floats(x, "glu")
        ctx.save_for_backward(x)
        ctx.dim = d
        first, second = np.split(a, 2, axis=d)
        return first * _np_sigmoid(second)

    @staticmethod
    def backward(ctx, grad):
        from .shape import cat
        x, = ctx.saved_tensors
        first, second = x.chunk(2, ctx.dim)
        s = second.sigmoid()
        gs = grad * s
        return cat([gs, gs * first * (1 - s)], ctx.dim), None


# --- piecewise activations -----------------------------------------------------------------------
class Elu(Function):
    """y = scale x for x > 0, scale alpha (e^(input_scale x) - 1) otherwise (``F.elu`` has
    scale = input_scale = 1; ``F.selu`` fixes alpha and scale; ``F.celu`` uses input_scale = 1/alpha).
    dy/dx = scale for x > 0, scale alpha input_scale e^(input_scale x) otherwise: the derivative of
    each piece (the exponential's chain-rule factor is input_scale)."""

    _backward_name = "EluBackward0"
    _graph_inputs = 1
    _name = "elu"

    @staticmethod
    def forward(ctx, x, alpha, scale, input_scale):
        a = _floats(x, "elu")
        ctx.save_for_backward(x)
        ctx.params = (alpha, scale, input_scale)
        neg = alpha * scale * np.expm1(np.minimum(a, 0) * input_scale)
        return np.asarray(np.where(a > 0, a * scale, neg)).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        alpha, scale, input_scale = ctx.params
        slope = (x.clamp(max=0) * input_scale).exp() * (alpha * scale * input_scale)
        return where(_mask(x._data > 0), grad * scale, grad * slope), None, None, None


class Celu(Elu):
    """y = x for x > 0, alpha (e^(x / alpha) - 1) otherwise: ``elu`` with input_scale = 1/alpha.
    dy/dx = 1 for x > 0, e^(x / alpha) otherwise (the chain-rule factor 1/alpha cancels alpha)."""

    _backward_name = "CeluBackward0"


class EluInplace(Function):
    """y = elu(x) written over x (``F.elu_``, ``F.selu_``): the backward reads the result.
    dy/dx = scale where y > 0, input_scale (y + scale alpha) elsewhere: for x <= 0,
    y = scale alpha (e^(s x) - 1), so dy/dx = s scale alpha e^(s x) = s (y + scale alpha)."""

    _backward_name = "EluBackward1"
    _graph_inputs = 1

    @staticmethod
    def forward(ctx, x, alpha, scale, input_scale):
        y = Elu.forward(ctx, x, alpha, scale, input_scale)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        alpha, scale, input_scale = ctx.params
        if alpha < 0:
            raise RuntimeError("In-place elu backward calculation is triggered with a negative slope which is not "
                               "supported. This is caused by calling in-place forward function with a negative "
                               "slope, please call out-of-place version instead.")
        return where(_mask(y._data > 0), grad * scale, grad * ((y + alpha * scale) * input_scale)), None, None, None


class CeluInplace(EluInplace):
    """y = celu(x) written over x (``F.celu_``).   dy/dx = 1 where y > 0, (y + alpha) / alpha
    elsewhere (the ``elu_`` rule with scale 1 and input_scale 1/alpha)."""

    _backward_name = "CeluBackward1"


class LeakyRelu(Function):
    """y = x for x > 0, negative_slope x otherwise.   dy/dx = 1 for x > 0, negative_slope otherwise
    (PyTorch takes the slope at 0)."""

    _backward_name = "LeakyReluBackward0"
    _graph_inputs = 1

    @staticmethod
    def forward(ctx, x, negative_slope):
        a = _floats(x, "leaky_relu")
        ctx.save_for_backward(x)
        ctx.slope = negative_slope
        return np.asarray(np.where(a > 0, a, a * negative_slope)).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return where(_mask(x._data > 0), grad, grad * ctx.slope), None


class LeakyReluInplace(Function):
    """y = leaky_relu(x) written over x (``F.leaky_relu_``).   dy/dx = 1 where y > 0, else
    negative_slope: with a non-negative slope, y > 0 exactly where x > 0, so the result decides."""

    _backward_name = "LeakyReluBackward1"
    _graph_inputs = 1

    @staticmethod
    def forward(ctx, x, negative_slope):
        y = LeakyRelu.forward(ctx, x, negative_slope)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        if ctx.slope < 0:
            raise RuntimeError("In-place leakyReLu backward calculation is triggered with a negative slope which is "
                               "not supported. This is caused by calling in-place forward function with a negative "
                               "slope, please call out-of-place version instead. File an issue at "
                               "https://github.com/pytorch/pytorch if you do require supporting in-place leakRelu "
                               "backward calculation with negative slope")
        return where(_mask(y._data > 0), grad, grad * ctx.slope), None


class Hardtanh(Function):
    """y = min(max(x, min_val), max_val).   dy/dx = 1 strictly inside (min_val, max_val), else 0
    (unlike ``clamp``, PyTorch's hardtanh takes 0 at the two corners)."""

    _backward_name = "HardtanhBackward0"
    _graph_inputs = 1

    @staticmethod
    def forward(ctx, x, min_val, max_val):
        a = x._data
        if a.dtype == np.bool_:
            raise RuntimeError("Bool inputs not supported for hardtanh")
        ctx.save_for_backward(x)
        ctx.bounds = (min_val, max_val)
        return np.asarray(np.minimum(np.maximum(a, min_val), max_val)).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        lo, hi = ctx.bounds
        return grad * _mask((x._data > lo) & (x._data < hi)), None, None


class Hardsigmoid(Function):
    """y = min(max(x / 6 + 1/2, 0), 1) (= relu6(x + 3) / 6).   dy/dx = 1/6 for -3 < x < 3, else 0."""

    _backward_name = "HardsigmoidBackward0"

    @staticmethod
    def forward(ctx, x):
        a = _floats(x, "hardsigmoid")
        ctx.save_for_backward(x)
        return np.asarray(np.minimum(np.maximum(a + 3, 0), 6) / 6).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * _mask((x._data > -3) & (x._data < 3)) * (1 / 6)


class Hardswish(Function):
    """y = x relu6(x + 3) / 6: 0 for x <= -3, x for x >= 3, x (x + 3) / 6 between.
    dy/dx = 0 for x < -3, x / 3 + 1/2 for -3 <= x <= 3, 1 for x > 3 (the derivative of
    x (x + 3) / 6 is (2x + 3) / 6; PyTorch takes the middle formula at the two corners)."""

    _backward_name = "HardswishBackward0"

    @staticmethod
    def forward(ctx, x):
        a = _floats(x, "hardswish")
        ctx.save_for_backward(x)
        return np.asarray(a * np.minimum(np.maximum(a + 3, 0), 6) / 6).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        a = x._data
        return grad * (_mask((a >= -3) & (a <= 3)) * (x * (1 / 3) + 0.5) + _mask(a > 3))


class Threshold(Function):
    """y = x where x > threshold, else value.   dy/dx = 1 where x > threshold, else 0 (the
    replaced elements are constants)."""

    _backward_name = "ThresholdBackward0"
    _graph_inputs = 1

    @staticmethod
    def forward(ctx, x, threshold, value):
        a = x._data
        ctx.save_for_backward(x)
        ctx.threshold = threshold
        return np.asarray(np.where(a > threshold, a, np.asarray(value).astype(a.dtype)))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * _mask(x._data > ctx.threshold), None, None


class ThresholdInplace(Threshold):
    """y = threshold(x) written over x (``F.threshold_``).   dy/dx = 1 where the original x was
    above the threshold, else 0 (ember's in-place ops run on a copy of the old values)."""

    _backward_name = "ThresholdBackward1"


class Hardshrink(Function):
    """y = x where |x| > lambd, else 0.   dy/dx = 1 where |x| > lambd, else 0."""

    _backward_name = "HardshrinkBackward0"
    _graph_inputs = 1

    @staticmethod
    def forward(ctx, x, lambd):
        a = _floats(x, "hardshrink")
        ctx.save_for_backward(x)
        ctx.lambd = lambd
        return np.asarray(np.where((a >= -lambd) & (a <= lambd), 0, a)).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        a, lambd = x._data, ctx.lambd
        return grad * _mask((a < -lambd) | (a > lambd)), None


class Softshrink(Hardshrink):
    """y = x - lambd for x > lambd, x + lambd for x < -lambd, 0 between.   dy/dx = 1 where
    |x| > lambd, else 0 (each outer piece is x shifted by a constant)."""

    _backward_name = "SoftshrinkBackward0"

    @staticmethod
    def forward(ctx, x, lambd):
        a = _floats(x, "softshrink_check")
        if lambd < 0:
            info = np.finfo(a.dtype)
            raise RuntimeError(f"lambda must be in range [0, {float(info.max):g}] for input dtype "
                               f"{_dtype.type_word(a.dtype)}, but found {lambd}")
        ctx.save_for_backward(x)
        ctx.lambd = lambd
        y = np.where(a > lambd, a - lambd, np.where(a < -lambd, a + lambd, 0))
        return np.asarray(y).astype(a.dtype, copy=False)


class PreluKernel(Function):
    """y = x for x > 0, w x otherwise, with w broadcast against x (``prelu`` views a per-channel
    weight as (C, 1, ..., 1), so that it lines up with dim 1).
    dy/dx = 1 for x > 0, else w; dy/dw = x where x <= 0, else 0 (the engine then sums dL/dw over
    the elements that share each slope, as for any broadcast operand)."""

    _backward_name = "PreluKernelBackward0"
    _graph_inputs = 2

    @staticmethod
    def forward(ctx, x, weight):
        a = _floats(x, "prelu")
        ctx.save_for_backward(x, weight)
        return np.asarray(np.where(a > 0, a, weight._data * a)).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        pos = _mask(x._data > 0)
        gx = where(pos, grad, grad * weight) if ctx.needs_input_grad[0] else None
        gw = grad * x * _mask(x._data <= 0) if ctx.needs_input_grad[1] else None
        return gx, gw


# --- the functions nn.functional calls -----------------------------------------------------------
def softplus(input, beta=1.0, threshold=20.0):
    return Softplus.apply(input, beta, threshold)


def gelu(input, approximate="none"):
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return Gelu.apply(input, approximate)


def silu(input, inplace=False):
    return apply_inplace(input, Silu.apply) if inplace else Silu.apply(input)


def mish(input, inplace=False):
    return apply_inplace(input, Mish.apply) if inplace else Mish.apply(input)


def logsigmoid(input):
    return LogSigmoid.apply(input)


def glu(input, dim=-1):
    return Glu.apply(input, dim)


def elu(input, alpha=1.0, inplace=False):
    return elu_(input, alpha) if inplace else Elu.apply(input, alpha, 1.0, 1.0)


def elu_(input, alpha=1.0):
    return apply_inplace(input, EluInplace.apply, alpha, 1.0, 1.0)


def selu(input, inplace=False):
    """``elu`` with alpha = 1.6732632... and scale = 1.0507009... (self-normalising networks)."""
    return selu_(input) if inplace else Elu.apply(input, _SELU_ALPHA, _SELU_SCALE, 1.0)


def selu_(input):
    return apply_inplace(input, EluInplace.apply, _SELU_ALPHA, _SELU_SCALE, 1.0)


def _celu_alpha(alpha):
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    return alpha


def celu(input, alpha=1.0, inplace=False):
    if inplace:
        return celu_(input, alpha)
    return Celu.apply(input, alpha, 1.0, 1.0 / _celu_alpha(alpha))


def celu_(input, alpha=1.0):
    return apply_inplace(input, CeluInplace.apply, alpha, 1.0, 1.0 / _celu_alpha(alpha))


def leaky_relu(input, negative_slope=0.01, inplace=False):
    return leaky_relu_(input, negative_slope) if inplace else LeakyRelu.apply(input, negative_slope)


def leaky_relu_(input, negative_slope=0.01):
    return apply_inplace(input, LeakyReluInplace.apply, negative_slope)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return hardtanh_(input, min_val, max_val) if inplace else Hardtanh.apply(input, min_val, max_val)


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    return apply_inplace(input, Hardtanh.apply, min_val, max_val)


def relu6(input, inplace=False):
    """``hardtanh(input, 0, 6)``, as PyTorch computes it (a ``HardtanhBackward0`` node)."""
    return hardtanh(input, 0.0, 6.0, inplace)


def hardsigmoid(input, inplace=False):
    return apply_inplace(input, Hardsigmoid.apply) if inplace else Hardsigmoid.apply(input)


def hardswish(input, inplace=False):
    return apply_inplace(input, Hardswish.apply) if inplace else Hardswish.apply(input)


def threshold(input, threshold, value, inplace=False):
    """``input`` where it is above ``threshold``, else ``value``."""
    return threshold_(input, threshold, value) if inplace else Threshold.apply(input, threshold, value)


def threshold_(input, threshold, value):
    return apply_inplace(input, ThresholdInplace.apply, threshold, value)


def hardshrink(input, lambd=0.5):
    """``input`` where ``|input| > lambd``, else 0."""
    return Hardshrink.apply(input, lambd)


def softshrink(input, lambd=0.5):
    return Softshrink.apply(input, lambd)


def prelu(input, weight):
    """``input`` where positive, ``weight * input`` elsewhere (one slope per channel, dim 1)."""
    if weight.dim() > 1:
        raise RuntimeError(f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = {weight.dim()}")
    n = weight.numel()
    if n != 1:
        if input.dim() == 0:
            raise RuntimeError("Not allow zero-dim input tensor.")
        channels = input.shape[1] if input.dim() >= 2 else 1
        if n != channels:
            raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found parameter numbers = {n} "
                               f"and channel size = {channels}.")
    if input.dim() != 1:  # PyTorch views the weight so that it broadcasts along dim 1
        weight = weight.reshape((n,) + (1,) * (input.dim() - 2) if input.dim() >= 2 else ())
    return PreluKernel.apply(input, weight)


__all__ = ["selu", "selu_", "celu", "celu_", "prelu", "threshold", "threshold_", "hardshrink", "relu_"]

methods(hardshrink, prelu)
