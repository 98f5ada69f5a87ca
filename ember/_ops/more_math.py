"""More of PyTorch's math: special functions (``lgamma``, ``digamma``, ``polygamma``, ``i0``,
``sinc``), sign and float manipulation (``copysign``, ``signbit``, ``frexp``, ``ldexp``,
``nextafter``, ``heaviside``), integer math (``gcd``, ``lcm``, ``bincount``), differences and
products (``diff``, ``cross``, ``kron``), rearrangements (``rot90``, ``repeat_interleave``,
``unfold``, ``diagflat``), statistics (``cov``, ``corrcoef``, ``histc``, ``quantile``) and
reductions into positions (``scatter_reduce``, ``index_reduce``, ``masked_scatter``, ``put``).

Where PyTorch builds an op out of others (``diff`` is a subtraction of two slices, ``kron``
a broadcast product), so does ember, which gives the same ``grad_fn``. The special functions
are computed in float64 with NumPy (series and recurrences; no SciPy needed) and rounded to
the input's dtype.
"""
import functools
import math

import numpy as np

from .. import _dtype
from .._tensor import Tensor
from ..autograd.function import Function
from ._util import methods, apply_inplace, binary_arrays, normalize_dim, tensor_operand
from . import pointwise as pw, shape, indexing, gather_scatter, masking, creation, sorting
from .reduction import out_tuple, return_type
from .aliases import _inplace


def _float_of(t):
    """The floating dtype an op on ``t`` computes in: its own, or the default float."""
    return t._data.dtype if t._data.dtype.kind == "f" else _dtype.get_default_dtype().np


def _float_operands(a, b):
    """The arrays of a binary op that computes in floating point: PyTorch's promoted dtype,
    with integer and bool results computed in the default float dtype."""
    x, y = binary_arrays(a, b)  # a Python number stays one: it does not widen the dtype
    rt = np.result_type(*(v for v in (x, y) if isinstance(v, np.ndarray)))
    if rt.kind != "f":
        rt = _dtype.get_default_dtype().np
    return tuple(v.astype(rt, copy=False) if isinstance(v, np.ndarray) else v for v in (x, y))


def _not_implemented(name, t):
    """PyTorch's error for a kernel that has no version for ``t``'s dtype."""
    return NotImplementedError(f"\"{name}_cpu\" not implemented for '{_dtype.type_word(t._data.dtype)}'")


def _refuse_ints(t, name):
    if t._data.dtype.kind != "f":
        raise _not_implemented(name, t)


# --- special functions -------------------------------------------------------------------------
# Bernoulli numbers B_2, B_4, ..., B_20 for the asymptotic series of the polygamma functions
_BERNOULLI = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510, 43867 / 798, -174611 / 330)
_SHIFT = 20.0  # below this, the recurrence moves x up before the asymptotic series is used


def _polygamma(n, x):
    """psi^(n)(x), the n-th derivative of digamma, for a float64 array.

    For large x the asymptotic series holds:
      psi(x)     ~ ln x - 1/(2x) - sum_k B_2k / (2k x^2k)
      psi^(n)(x) ~ (-1)^(n+1) [(n-1)!/x^n + n!/(2 x^(n+1)) + sum_k B_2k (2k+n-1)! / ((2k)! x^(2k+n))]
    Smaller x are moved up with psi^(n)(x) = psi^(n)(x+1) - (-1)^n n! / x^(n+1) (from
    psi(x+1) = psi(x) + 1/x, differentiated n times). Digamma of negative x uses the
    reflection psi(x) = psi(1-x) - pi / tan(pi x) first. Poles (0, -1, -2, ...) give PyTorch's
    values: digamma -inf at 0 and NaN below, psi^(n) +inf for odd n and -inf for even n (where
    PyTorch's reflection formula gives large finite values at the negative poles)."""
    x = np.asarray(x, np.float64)
    out = np.zeros_like(x)
    pole = (x <= 0) & (x == np.floor(x)) & np.isfinite(x)
    y = np.where(pole | ~np.isfinite(x), _SHIFT, x)  # these get their values at the end
    if n == 0:
        neg = y < 0
        with np.errstate(divide="ignore", invalid="ignore"):
            out[neg] = -np.pi / np.tan(np.pi * y[neg])
        y = np.where(neg, 1 - y, y)
    fact = math.factorial(n)
    sign = -1.0 if n % 2 == 0 else 1.0  # (-1)^(n+1)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        while True:
            low = y < _SHIFT
            if not low.any():
                break
            yl = y[low]
            out[low] -= (1 / yl if n == 0 else -sign * fact / yl ** (n + 1))
            y[low] = yl + 1
        inv = 1 / y
        inv2 = inv * inv
        if n == 0:
            series = np.log(y) - 0.5 * inv
            power = inv2
            for k, b in enumerate(_BERNOULLI, 1):
                series -= b / (2 * k) * power
                power = power * inv2
        else:
            series = math.factorial(n - 1) * inv ** n + fact / 2 * inv ** (n + 1)
            power = inv ** (n + 2)
            for k, b in enumerate(_BERNOULLI, 1):
                series += b * math.factorial(2 * k + n - 1) / math.factorial(2 * k) * power
                power = power * inv2
            series *= sign
        out += series
    out[np.isnan(x) | (x == -np.inf)] = np.nan
    if n == 0:
        out[x == np.inf] = np.inf
        out[pole] = np.where(x[pole] == 0, np.copysign(np.inf, -x[pole]), np.nan)  # +-0 give -+inf
    else:
        out[x == np.inf] = 0.0
        out[pole] = np.inf if n % 2 else -np.inf
    return out


def _lgamma(x):
    """ln |Gamma(x)| element by element (the C library's lgamma), +inf at the poles."""
    def one(v):
        if v <= 0 and float(v).is_integer():
            return math.inf
        return math.lgamma(v)
    with np.errstate(invalid="ignore"):
        return np.frompyfunc(one, 1, 1)(np.asarray(x, np.float64)).astype(np.float64)


def _bessel_i(order, x):
    """The modified Bessel function I_order(x), order 0 or 1, for a float64 array, from its
    power series sum_k (x/2)^(2k+order) / (k! (k+order)!): all terms are positive, so the sum
    is accurate; it runs until the terms no longer change it."""
    x = np.asarray(x, np.float64)
    h = x / 2
    q = h * h
    term = np.ones_like(x) if order == 0 else h.copy()
    total = term.copy()
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, 1000):
            term = term * q / (k * (k + order))
            total += term
            if not np.any(term > 1e-17 * np.abs(total)):
                break
    return total


class _UnaryForward:
    """The forward of a unary special function (mixed into its ``Function``): ``_f`` computed
    in float64, rounded to the input's float dtype (integers give the default float dtype)."""

    @staticmethod
    def _f(x):
        raise NotImplementedError

    @classmethod
    def forward(cls, ctx, x):
        ctx.save_for_backward(x)
        f = _float_of(x)
        with np.errstate(all="ignore"):  # infinities and poles give inf or NaN, as in PyTorch
            return np.asarray(cls._f(x._data.astype(f, copy=False))).astype(f, copy=False)


class Lgamma(_UnaryForward, Function):
    """y = ln |Gamma(x)|.   dy/dx = digamma(x): digamma is defined as Gamma'/Gamma, the
    derivative of ln Gamma (and of ln |Gamma| wherever Gamma is negative)."""

    _backward_name = "LgammaBackward0"
    _f = staticmethod(_lgamma)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * digamma(x)


class Polygamma(Function):
    """y = psi^(n)(x) (the n-th derivative of digamma).   dy/dx = psi^(n+1)(x), by definition."""

    _backward_name = "PolygammaBackward0"
    _graph_inputs = (1,)

    @staticmethod
    def forward(ctx, n, x):
        ctx.n = n
        ctx.save_for_backward(x)
        return _polygamma(n, x._data).astype(_float_of(x))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return None, grad * Polygamma.apply(ctx.n + 1, x)


class PolygammaInPlace(Polygamma):
    _backward_name = "PolygammaBackward1"  # PyTorch's name for the method overload, x.polygamma_(n)


class Digamma(_UnaryForward, Function):
    """y = psi(x) = Gamma'(x) / Gamma(x).   dy/dx = psi^(1)(x), the trigamma function."""

    _backward_name = "DigammaBackward0"
    _f = staticmethod(lambda x: _polygamma(0, x))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * Polygamma.apply(1, x)


class I0(_UnaryForward, Function):
    """y = I_0(x), the modified Bessel function of order 0.   dy/dx = I_1(x): differentiating
    the series sum (x/2)^2k / (k!)^2 term by term gives sum (x/2)^(2k-1) / ((k-1)! k!) = I_1."""

    _backward_name = "I0Backward0"
    # PyTorch's Chebyshev evaluation gives NaN at +-inf, where the series gives inf
    _f = staticmethod(lambda x: np.where(np.isinf(x), np.nan, _bessel_i(0, x)))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * I1.apply(x)


class I1(_UnaryForward, Function):
    """y = I_1(x), the modified Bessel function of order 1 (``special.i1``).
    dy/dx = I_0(x) - I_1(x)/x (from the Bessel recurrences), 1/2 at x = 0."""

    _backward_name = "SpecialI1Backward0"
    _f = staticmethod(lambda x: _bessel_i(1, x))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        zero = x == 0
        safe = masking.where(zero, 1.0, x)  # keeps the unused branch finite at 0, for double backward
        return grad * masking.where(zero, 0.5, I0.apply(x) - I1.apply(safe) / safe)


class Sinc(_UnaryForward, Function):
    """y = sin(pi x) / (pi x), 1 at x = 0.   dy/dx = (cos(pi x) - sinc(x)) / x (the quotient
    rule on sin(pi x) / (pi x)), 0 at x = 0 where sinc is even and smooth."""

    _backward_name = "SincBackward0"
    _f = staticmethod(np.sinc)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        zero = x == 0
        safe = masking.where(zero, 1.0, x)  # keeps the unused branch finite at 0, for double backward
        return grad * masking.where(zero, 0.0, (pw.cos(math.pi * safe) - Sinc.apply(safe)) / safe)


def lgamma(input, *, out=None):
    """ln |Gamma(input)| elementwise (+inf at 0, -1, -2, ...)."""
    return pw._out(Lgamma.apply(input), out)


def digamma(input, *, out=None):
    """The digamma function psi = Gamma' / Gamma (-inf at 0, NaN at negative integers)."""
    return pw._out(Digamma.apply(input), out)


def polygamma(n, input, *, out=None):
    """The n-th derivative of digamma (``n >= 0``)."""
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    return pw._out(Polygamma.apply(int(n), input), out)


def i0(input, *, out=None):
    """The modified Bessel function of the first kind of order 0."""
    return pw._out(I0.apply(input), out)


def sinc(input, *, out=None):
    """The normalized sinc function sin(pi x) / (pi x)."""
    return pw._out(Sinc.apply(input), out)


# --- signs and the bits of floats --------------------------------------------------------------
class Copysign(Function):
    """y = |a| with the sign of b.   dy/da = sign(a) sign(y) (+-1: whether the sign flipped;
    0 at a = 0, PyTorch's choice there). y does not change with b except where it jumps
    at b = 0, so dy/db = 0."""

    _backward_name = "CopysignBackward0"

    @staticmethod
    def forward(ctx, a, b):
        x, y = _float_operands(a, b)
        out = np.copysign(x, y)
        if True in ctx.needs_input_grad:
            ctx.save_for_backward(a, out)  # out's array stands for the output itself
        ctx.b_tensor = isinstance(b, Tensor)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved_tensors
        return grad * (a.sign() * out.sign()), (grad * 0 if ctx.b_tensor else None)


class CopysignScalar(Copysign):
    _backward_name = "CopysignBackward1"


def copysign(input, other, *, out=None):
    """``|input|`` with the sign of ``other`` (elementwise, broadcast; integers give floats)."""
    cls = Copysign if isinstance(other, Tensor) else CopysignScalar
    return pw._out(cls.apply(input, other), out)


def signbit(input, *, out=None):
    """True where the sign bit is set (also for -0.0 and negative NaNs)."""
    a = input._data
    return pw._out(Tensor._make(np.signbit(a) if a.dtype.kind in "fi" else np.zeros(a.shape, bool)), out)


@functools.partial(tensor_operand, argname="values")
def heaviside(input, values, *, out=None):
    """The step function: 0 where ``input < 0``, ``values`` where it is 0, 1 where it is > 0."""
    if input._data.dtype != values._data.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")
    x, v = input._data, values._data
    return pw._out(Tensor._make(np.asarray(np.where(x == 0, v, x > 0), x.dtype)), out)


class Logaddexp2(Function):
    """y = log2(2^a + 2^b).   dy/da = 2^a / (2^a + 2^b) = 1 / (1 + 2^(b-a)); likewise for b."""

    _backward_name = "Logaddexp2Backward0"

    @staticmethod
    def forward(ctx, a, b):
        _refuse_ints(a, "logaddexp2")
        ctx.save_for_backward(a, b)
        return np.logaddexp2(*binary_arrays(a, b))

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return grad / (1 + pw.exp2(b - a)), grad / (1 + pw.exp2(a - b))


@tensor_operand
def logaddexp2(input, other, *, out=None):
    """``log2(2^input + 2^other)`` without overflow."""
    return pw._out(Logaddexp2.apply(input, other), out)


class Ldexp(Function):
    """y = a * 2^b.   dy/da = 2^b;  dy/db = a 2^b ln 2 (the derivative of an exponential)."""

    _backward_name = "LdexpBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        x, y = _float_operands(a, b)
        return x * np.exp2(y)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        p = pw.exp2(b)
        return grad * p, grad * a * p * math.log(2)


@tensor_operand
def ldexp(input, other, *, out=None):
    """``input * 2 ** other``."""
    return pw._out(Ldexp.apply(input, other), out)


_frexp_t = return_type("frexp", ("mantissa", "exponent"))


def frexp(input, *, out=None):
    """``(mantissa, exponent)`` with ``input = mantissa * 2 ** exponent`` and
    ``0.5 <= |mantissa| < 1``; the exponent is int32. A named tuple, as in PyTorch
    (``torch.return_types.frexp``; ``frexp_out`` when written to ``out=``)."""
    a = input._data
    if a.dtype.kind != "f":
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    if out is not None:  # PyTorch writes into out= tensors of exactly these dtypes, no casting
        from .linalg import _word
        if out[0]._data.dtype != a.dtype:
            raise RuntimeError(f"torch.frexp() expects mantissa to have dtype {_word(input)} but got "
                               f"{_word(out[0])}")
        if out[1]._data.dtype != np.int32:
            raise RuntimeError(f"torch.frexp() expects exponent to have int dtype but got {_word(out[1])}")
    m, e = np.frexp(a)
    return out_tuple(_frexp_t((Tensor._make(np.asarray(m)), Tensor._make(np.asarray(e, np.int32)))), out)


@tensor_operand
def nextafter(input, other, *, out=None):
    """The next representable float after ``input`` in the direction of ``other``."""
    _refuse_ints(input, "nextafter")
    return pw._out(Tensor._make(np.asarray(np.nextafter(*binary_arrays(input, other)))), out)


# --- integer math -------------------------------------------------------------------------------
def _int_op(ufunc, name):
    def op(input, other, *, out=None):
        for t in (input, other):
            if isinstance(t, Tensor) and t._data.dtype.kind == "f":
                raise _not_implemented(name, t)
        return pw._out(Tensor._make(np.asarray(ufunc(*binary_arrays(input, other)))), out)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"The elementwise {name} of two integer tensors (non-negative; 0 with 0 gives 0)."
    return op


gcd = tensor_operand(_int_op(np.gcd, "gcd"))
lcm = tensor_operand(_int_op(np.lcm, "lcm"))


def bincount(input, weights=None, minlength=0):
    """How often each value 0, 1, ... occurs in a 1-D non-negative integer tensor (at least
    ``minlength`` counts); with ``weights``, their sums instead (float64 unless the weights
    are float32)."""
    a = input._data
    if a.dtype.kind not in "iu" and a.dtype.kind != "b":
        raise NotImplementedError(f"\"bincount_cpu\" not implemented for '{_dtype.type_word(a.dtype)}'")
    if a.ndim != 1 or (a.size and a.min() < 0):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if weights is None:
        return Tensor._make(np.bincount(a, minlength=minlength).astype(np.int64))
    w = weights._data
    rt = w.dtype if w.dtype in (np.float32, np.float64) else np.float64
    return Tensor._make(np.bincount(a, w.astype(np.float64), minlength=minlength).astype(rt))


def histc(input, bins=100, min=0, max=0, *, out=None):
    """A histogram of ``bins`` equal bins over ``[min, max]`` (the data's range when both are
    0); values outside are ignored, and ``max`` itself falls in the last bin."""
    a = input._data
    _refuse_ints(input, "histogram")
    lo, hi = float(min), float(max)
    if lo == hi and a.size:
        lo, hi = float(a.min()), float(a.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if lo > hi:
        raise RuntimeError("torch.histc: max must be larger than min")
    x = a[(a >= lo) & (a <= hi)]
    pos = ((x - a.dtype.type(lo)) * bins / a.dtype.type(hi - lo)).astype(np.int64)
    counts = np.bincount(np.minimum(pos, bins - 1), minlength=bins)
    return pw._out(Tensor._make(counts.astype(a.dtype)), out)


# --- differences and products -------------------------------------------------------------------
def diff(input, n=1, dim=-1, prepend=None, append=None):
    """The n-th forward difference along ``dim``: ``x[1:] - x[:-1]`` applied n times
    (``logical_xor`` for bool tensors), after concatenating ``prepend`` and ``append``.
    A composition of slicing and subtraction, so the gradient comes from those ops."""
    if input._data.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    d = normalize_dim(dim, input._data.ndim)
    parts = [t for t in (prepend, input, append) if t is not None]
    x = shape.cat(parts, d) if len(parts) > 1 else input
    for _ in range(min(n, x._data.shape[d])):
        length = x._data.shape[d] - 1
        hi, lo = shape.narrow(x, d, 1, length), shape.narrow(x, d, 0, length)
        x = pw.logical_xor(hi, lo) if x._data.dtype == np.bool_ else pw.sub(hi, lo)
    return x


class Cross(Function):
    """out = a x b along ``dim``: (a1 b2 - a2 b1, a2 b0 - a0 b2, a0 b1 - a1 b0).   dL/da = b x g
    and dL/db = g x a for an output gradient g: L = <g, a x b> is a scalar triple product,
    unchanged by cyclic shifts, so L = <a, b x g> = <b, g x a>."""

    _backward_name = "LinalgCrossBackward0"

    @staticmethod
    def forward(ctx, a, b, dim):
        ctx.dim = dim
        ctx.save_for_backward(a, b)
        x, y = binary_arrays(a, b)
        shp = np.broadcast_shapes(x.shape, y.shape)
        return np.asarray(np.cross(np.broadcast_to(x, shp), np.broadcast_to(y, shp), axis=dim))

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        na, nb = ctx.needs_input_grad[:2]
        return (Cross.apply(b, grad, ctx.dim) if na else None), (Cross.apply(grad, a, ctx.dim) if nb else None), None


def cross(input, other, dim=None, *, out=None):
    """The cross product of 3-vectors along ``dim`` (by default the first dim of size 3)."""
    if input._data.ndim != other._data.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    shp = np.broadcast_shapes(input._data.shape, other._data.shape)
    if dim is None:
        if 3 not in shp:
            raise RuntimeError("no dimension of size 3 in input")
        d = shp.index(3)
    else:
        d = normalize_dim(dim, len(shp))
        if input._data.shape[d] != 3 or other._data.shape[d] != 3:
            raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got "
                               f"{input._data.shape[d]} and {other._data.shape[d]}")
    return pw._out(Cross.apply(input, other, d), out)


def kron(input, other):
    """The Kronecker product: each element of ``input`` times the whole of ``other``, tiled.
    Computed as PyTorch does, as one broadcast product a[i, 1, j, 1] * b[1, k, 1, l] whose
    dims are then merged pairwise, so the gradient comes from the product."""
    nd = max(input._data.ndim, other._data.ndim)
    sa = (1,) * (nd - input._data.ndim) + input._data.shape
    sb = (1,) * (nd - other._data.ndim) + other._data.shape
    a = shape.reshape(input, tuple(s for n in sa for s in (n, 1)))
    b = shape.reshape(other, tuple(s for n in sb for s in (1, n)))
    return shape.UnsafeView.apply(pw.mul(a, b), tuple(m * n for m, n in zip(sa, sb)))


# --- rearrangements ------------------------------------------------------------------------------
class Rot90(Function):
    """out = x rotated k quarter turns in the plane ``dims`` (from the first towards the
    second).   A permutation of the elements: the gradient is rotated back by -k."""

    _backward_name = "Rot90Backward0"

    @staticmethod
    def forward(ctx, x, k, dims):
        ctx.k, ctx.dims = k, dims
        return np.rot90(x._data, k, dims).copy()

    @staticmethod
    def backward(ctx, grad):
        return Rot90.apply(grad, -ctx.k, ctx.dims), None, None


def rot90(input, k=1, dims=(0, 1)):
    """Rotate by 90 degrees ``k`` times in the plane of ``dims``."""
    nd = input._data.ndim
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if nd < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {nd}")
    d0, d1 = normalize_dim(dims[0], nd), normalize_dim(dims[1], nd)
    if d0 == d1:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {d0} and dim1 = {d1}")
    return Rot90.apply(input, k % 4, (d0, d1))


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Repeat each element (or each slice along ``dim``) ``repeats`` times, in place order.
    An int repeats is a broadcast (unsqueeze, expand, merge: PyTorch's ViewBackward0); a
    tensor of counts is an ``index_select``. ``repeat_interleave(counts)`` alone gives
    ``0, 0, ..., 1, ...``: each index repeated its count."""
    if repeats is None:
        r = input._data
        if r.ndim > 1 or r.dtype.kind not in "iu":
            raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
        if r.size and r.min() < 0:
            raise RuntimeError("repeats can not be negative")
        return Tensor._make(np.repeat(np.arange(r.size, dtype=np.int64), r.reshape(-1)))
    if dim is None:
        input, d = shape.reshape(input, -1), 0
    else:
        d = normalize_dim(dim, input._data.ndim)
    x = input._data
    n = x.shape[d] if x.ndim else 1
    if isinstance(repeats, Tensor):
        r = repeats._data.reshape(-1)
        if repeats._data.ndim > 1:
            raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
        if r.size == 1:
            r = np.full(n, r[0])
        if r.size != n:
            raise RuntimeError(f"repeats must have the same size as input along dim, but got repeats.size(0) = "
                               f"{r.size} and input.size({d}) = {n}")
        if r.size and r.min() < 0:
            raise RuntimeError("repeats can not be negative")
        return gather_scatter.index_select(input, d, Tensor._make(np.repeat(np.arange(n, dtype=np.int64), r)))
    k = int(repeats)
    if k < 0:
        raise RuntimeError("repeats can not be negative")
    if x.ndim == 0:
        input = shape.reshape(input, 1)
    s = input._data.shape
    wide = shape.unsqueeze(input, d + 1).expand(s[:d + 1] + (k,) + s[d + 1:])
    return shape.view(shape.contiguous(wide), s[:d] + (s[d] * k,) + s[d + 1:])


def _windows(a, dim, size, step):
    """The sliding windows of ``a`` along ``dim``, as a strided view: one new last dim of length
    ``size``, and ``dim`` counting the windows."""
    n = (a.shape[dim] - size) // step + 1
    shp = a.shape[:dim] + (n,) + a.shape[dim + 1:] + (size,)
    strides = a.strides[:dim] + (a.strides[dim] * step,) + a.strides[dim + 1:] + (a.strides[dim],)
    return np.lib.stride_tricks.as_strided(a, shp, strides, writeable=a.flags.writeable)


class Unfold(Function):
    """out[..., i, ..., j] = x[..., i * step + j, ...]: windows of length ``size`` along ``dim``.
    dL/dx sums, for each element of x, the gradients of all the window entries that are copies
    of it (``UnfoldGrad``): overlapping windows show an element several times."""

    _backward_name = "UnfoldBackward0"

    @staticmethod
    def forward(ctx, x, dim, size, step):
        ctx.meta = (x._data.shape, dim, size, step)
        return _windows(x._data, dim, size, step)

    @staticmethod
    def backward(ctx, grad):
        return UnfoldGrad.apply(grad, *ctx.meta), None, None, None


class UnfoldGrad(Function):
    """out = zeros(shape) with every window entry of g added back where it came from (the
    adjoint of ``Unfold``).   Its gradient is ``Unfold`` of the incoming gradient: the map is
    linear, and the adjoint of an adjoint is the map itself."""

    _backward_name = "UnfoldBackwardBackward0"

    @staticmethod
    def forward(ctx, g, in_shape, dim, size, step):
        ctx.meta = (dim, size, step)
        out = np.zeros(in_shape, g._data.dtype)
        n = g._data.shape[dim]
        for j in range(size):  # one pass per window offset, each a strided slice of all windows
            at = [slice(None)] * len(in_shape)
            at[dim] = slice(j, j + step * (n - 1) + 1, step)
            out[tuple(at)] += g._data[..., j]
        return out

    @staticmethod
    def backward(ctx, gg):
        return Unfold.apply(gg, *ctx.meta), None, None, None, None


def unfold(self, dimension, size, step):
    """All windows of length ``size`` along ``dimension``, ``step`` apart, as a view: that dim
    counts the windows and a new last dim holds each window."""
    if self._data.ndim == 0:
        return shape.reshape(unfold(shape.reshape(self, 1), 0, size, step), -1)
    d = normalize_dim(dimension, self._data.ndim)
    length = self._data.shape[d]
    if size > length:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {length} but size is {size}")
    if size < 0:
        raise RuntimeError(f"size is {size} but must be >= 0")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    return shape.as_view(Unfold.apply(self, d, size, step), self)


def meshgrid(*tensors, indexing=None):
    """Coordinate grids: output i holds tensor i's values along dim i, expanded (a view) over
    the shape made of all their lengths. ``indexing='xy'`` swaps the first two dims (so the
    first tensor runs along columns), as NumPy's default does."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        import warnings
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.",
                      UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: {indexing}")
    for t in tensors:
        if t._data.ndim > 1:
            raise RuntimeError("torch.meshgrid: Expected 0D or 1D tensor in the tensor list")
        if t._data.dtype != tensors[0]._data.dtype:
            raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    sizes = [t._data.size for t in tensors]
    at = list(range(len(tensors)))
    if indexing == "xy" and len(tensors) > 1:
        at[0], at[1] = 1, 0
        sizes[0], sizes[1] = sizes[1], sizes[0]
    grids = []
    for t, p in zip(tensors, at):
        line = shape.reshape(t, tuple(-1 if d == p else 1 for d in range(len(sizes))))
        grids.append(line.expand(tuple(sizes)))
    return tuple(grids)


def cartesian_prod(*tensors):
    """All tuples taking one element from each 1-D tensor, as the rows of a matrix (the
    flattened ``meshgrid``, stacked); a single tensor is returned as it is."""
    if len(tensors) == 1:
        return tensors[0]
    return shape.stack([shape.reshape(g, -1) for g in meshgrid(*tensors, indexing="ij")], 1)


class BlockDiag(Function):
    """out = the 2-D blocks (0-d and 1-d tensors count as one row) placed corner to corner
    along the diagonal of a zero matrix.   dL/dt_i = the block of dL/dout at t_i's place:
    each output entry is either a copy of one input entry or a constant 0."""

    _backward_name = "BlockDiagBackward0"

    @staticmethod
    def forward(ctx, *tensors):
        blocks = [t._data.reshape(t._data.shape if t._data.ndim == 2 else (1, -1)) for t in tensors]
        dt = functools.reduce(_dtype.promote_types, [t.dtype for t in tensors]).np if tensors else np.float32
        out = np.zeros((sum(b.shape[0] for b in blocks) if blocks else 1, sum(b.shape[1] for b in blocks)), dt)
        r = c = 0
        ctx.places = []
        for t, b in zip(tensors, blocks):
            out[r:r + b.shape[0], c:c + b.shape[1]] = b
            ctx.places.append((r, c, b.shape, t._data.shape, t.dtype))
            r, c = r + b.shape[0], c + b.shape[1]
        return out

    @staticmethod
    def backward(ctx, grad):
        return tuple(shape.reshape(grad[r:r + h, c:c + w], orig).to(dt) for r, c, (h, w), orig, dt in ctx.places)


def block_diag(*tensors):
    """A block-diagonal matrix of the given tensors (of at most 2 dims; dtypes promoted)."""
    for i, t in enumerate(tensors):
        if t._data.ndim > 2:
            raise RuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer dimensions. Input {i} has "
                               f"{t._data.ndim} dimensions")
    return BlockDiag.apply(*tensors)


def isin(elements, test_elements, *, assume_unique=False, invert=False):
    """True where an element of ``elements`` occurs in ``test_elements`` (either may be a number)."""
    e = elements._data if isinstance(elements, Tensor) else np.asarray(elements)
    t = test_elements._data if isinstance(test_elements, Tensor) else np.asarray(test_elements)
    return Tensor._make(np.asarray(np.isin(e, t, invert=invert)))


def _triangle_indices(fn, name):
    def indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
        rows, cols = fn(row, offset, col)
        d = (dtype or _dtype.int64).np
        return Tensor._make(np.stack([rows, cols]).astype(d).reshape(2, -1))
    indices.__name__ = indices.__qualname__ = name
    indices.__doc__ = (f"The (row, column) coordinates of the {name[:4]} of a row x col matrix (diagonal ``offset``), "
                       f"as a 2 x N tensor in row-major order.")
    return indices


tril_indices = _triangle_indices(np.tril_indices, "tril_indices")
triu_indices = _triangle_indices(np.triu_indices, "triu_indices")


def diagflat(input, offset=0):
    """A 2-D tensor with the flattened ``input`` on diagonal ``offset`` (``diag_embed`` of it)."""
    return shape.diag_embed(shape.reshape(input, -1), offset)


# --- statistics ----------------------------------------------------------------------------------
def cov(input, *, correction=1, fweights=None, aweights=None):
    """The covariance matrix of the rows of ``input`` (variables; columns are observations):
    ``C = (X - mean) W (X - mean)^T / (sum(w) - correction * sum(w * aweights) / sum(w))``,
    with W the product of the frequency and observation weights (PyTorch's and NumPy's
    normalisation). A composition of mean, subtraction and a matrix product."""
    nd = input._data.ndim
    if nd > 2:
        raise RuntimeError(f"cov(): expected input to have two or fewer dimensions but got an input with {nd} "
                           f"dimensions")
    x = input if nd == 2 else shape.reshape(input, 1, -1)
    if x._data.dtype.kind != "f":
        x = x.to(_dtype.get_default_dtype())
    n = x._data.shape[1]
    w = None
    for name, wt in (("fweights", fweights), ("aweights", aweights)):
        if wt is None:
            continue
        kind = "integral" if name == "fweights" else "floating point"
        if (wt._data.dtype.kind in "iu") != (name == "fweights"):
            raise RuntimeError(f"cov(): expected {name} to have {kind} dtype but got {name} with "
                               f"{_dtype.type_word(wt._data.dtype)} dtype")
        if wt._data.ndim > 1 or wt._data.size != n:
            raise RuntimeError(f"cov(): expected {name} to have one dimension with {n} elements, but got "
                               f"{list(wt._data.shape)}")
        if (wt._data < 0).any():
            raise RuntimeError(f"cov(): {name} cannot be negative")
        w = wt if w is None else pw.mul(w, wt)
    if w is None:
        avg, norm = x.mean(1), max(n - correction, 0)
    else:
        w = w.to(x.dtype)
        w_sum = w.sum()
        avg = pw.mul(x, w).sum(1) / w_sum
        norm = w_sum - correction if aweights is None or correction == 0 else \
            w_sum - correction * pw.mul(w, aweights).sum() / w_sum
        norm = pw.clamp(norm, min=0)
    xm = x - shape.unsqueeze(avg, 1)
    from .linalg import mm
    c = mm(xm, shape.t(xm if w is None else pw.mul(xm, w)))
    return shape.squeeze(c / norm)


def corrcoef(input):
    """Pearson correlation coefficients of the rows: ``cov`` divided by the product of the two
    standard deviations, clipped to [-1, 1] against rounding."""
    c = cov(input)
    if c._data.ndim == 0:
        return c / c
    std = pw.sqrt(shape.diagonal(c))
    c = c / shape.unsqueeze(std, 1) / shape.unsqueeze(std, 0)
    return pw.clamp(c, -1, 1)


_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _quantile(input, q, dim, keepdim, interpolation, ignore_nan):
    """``quantile`` and ``nanquantile``: sort along ``dim`` and interpolate between the two
    order statistics around rank ``q * (n - 1)``, n counting the values (non-NaN ones for
    nanquantile; a row holding a NaN gives NaN for quantile). Built from sort, gather and
    lerp, so the gradient goes to the one or two elements each quantile reads."""
    name = "nanquantile" if ignore_nan else "quantile"
    x = input._data
    if x.dtype.kind != "f":
        raise RuntimeError(f"{name}() input tensor must be either float or double dtype")
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError(f"{name}() interpolation must be one of linear, lower, higher, midpoint or nearest. "
                           f"Found {interpolation}")
    if isinstance(q, Tensor):
        if q._data.ndim > 1:
            raise RuntimeError(f"{name}() q must be a scalar or 1D tensor")
        if q._data.dtype != x.dtype:
            raise RuntimeError(f"{name}() q tensor must be same dtype as the input tensor")
        qs = q._data.astype(np.float64)
    else:
        qs = np.asarray(float(q))
    if x.size == 0:
        raise RuntimeError(f"{name}() input tensor must be non-empty")
    for v in qs.reshape(-1):
        if not 0 <= v <= 1:
            raise RuntimeError(f"{name}() q must be in the range [0, 1] but got {v}")
    nd = x.ndim
    if dim is None:
        rows, d = shape.reshape(input, -1), None
    else:
        d = normalize_dim(dim, nd)
        rows = shape.movedim(input, d, -1) if nd else shape.reshape(input, 1)
    srt = sorting.sort(rows, -1).values
    a = rows._data
    nan = np.isnan(a)
    last = a.shape[-1] - 1
    count = (a.shape[-1] - nan.sum(-1, keepdims=True)) if ignore_nan else np.full(a.shape[:-1] + (1,), a.shape[-1])
    ranks = qs.reshape(-1) * (count - 1)
    if not ignore_nan:
        ranks = np.where(nan.any(-1, keepdims=True), last, ranks)
    ranks = np.where(count == 0, last, ranks)  # an all-NaN row reads its (NaN) last element
    if interpolation == "nearest":
        ranks = np.round(ranks)  # half to even, as PyTorch rounds
    lo, hi = np.floor(ranks), np.ceil(ranks)
    if interpolation == "lower":
        hi = lo
    elif interpolation == "higher":
        lo = hi
    below = gather_scatter.gather(srt, -1, Tensor._make(lo.astype(np.int64)))
    above = gather_scatter.gather(srt, -1, Tensor._make(hi.astype(np.int64)))
    weight = 0.5 if interpolation == "midpoint" else (ranks - lo).astype(x.dtype)
    out = pw.lerp(below, above, weight if isinstance(weight, float) else Tensor._make(weight))
    # out is (..., Q); PyTorch puts the quantiles first and drops them for a scalar q
    if qs.ndim:
        out = shape.movedim(out, -1, 0)
    else:  # PyTorch drops it in place (squeeze_), hence its grad_fn name
        out = shape.as_view(shape.SqueezeInPlace.apply(out, (out._data.ndim - 1,)), out)
    if dim is None:
        return shape.reshape(out, qs.shape + (1,) * nd) if keepdim else out
    if keepdim and nd:
        out = shape.unsqueeze(out, d + (1 if qs.ndim else 0))
    return out


def quantile(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None):
    """The ``q``-quantiles of ``input`` (all of it, or along ``dim``); NaN where NaNs are present."""
    return pw._out(_quantile(input, q, dim, keepdim, interpolation, False), out)


def nanquantile(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None):
    """``quantile`` ignoring NaNs (NaN only where a row holds nothing else)."""
    return pw._out(_quantile(input, q, dim, keepdim, interpolation, True), out)


# --- reductions into positions -------------------------------------------------------------------
_REDUCE_UFUNC = {"sum": np.add, "mean": np.add, "prod": np.multiply, "amax": np.maximum, "amin": np.minimum}


def _identity(reduce, dtype):
    """The value a reduction starts from when ``include_self=False``."""
    if reduce in ("amax", "amin"):
        big = np.inf if dtype.kind == "f" else (np.iinfo(dtype).max if dtype.kind in "iu" else True)
        small = -np.inf if dtype.kind == "f" else (np.iinfo(dtype).min if dtype.kind in "iu" else False)
        return small if reduce == "amax" else big
    return 1 if reduce == "prod" else 0


class ScatterReduce(Function):
    """out = x with src reduced into it along ``dim`` at ``index`` (sum, prod, mean, amax or amin;
    x's own value takes part unless ``include_self=False``). The gradient, per reduction:
      sum:  dL/dx = g;  dL/dsrc = g gathered at index (each src adds once to its target);
      mean: the same divided by N, the number of values averaged into each target;
      prod: d out / d v = the product of the other factors = out / v, computed without dividing
            by zero: x's share from a product in which x's zeros are replaced by 1, and a zero
            src that is its target's only zero gets the product with it replaced by 1;
      amax/amin: the gradient is shared equally among the values equal to the result.
    Positions written to with ``include_self=False`` give x no gradient."""

    _backward_name = "ScatterReduceBackward0"
    _graph_inputs = (0, 3)  # self and src; dim, index and the options are not differentiable

    @staticmethod
    def forward(ctx, x, dim, index, src, reduce, include_self):
        out = x._data.copy()
        target, idx, val = out, index._data, src._data
        if out.ndim == 0 or idx.ndim == 0:  # PyTorch treats 0-d and 1-d alike
            target, idx, val = out.reshape(-1), idx.reshape(-1), val.reshape(-1)
        full = gather_scatter._full_index(idx, dim)
        val = val[tuple(slice(0, s) for s in idx.shape)]
        if not include_self:
            target[full] = _identity(reduce, out.dtype)
        _REDUCE_UFUNC[reduce].at(target, full, val)
        count = None
        if reduce == "mean":
            count = np.full(target.shape, 1 if include_self else 0, np.int64)
            np.add.at(count, full, 1)
            count = np.maximum(count, 1)  # untouched positions keep x's value
            target[...] = target // count if out.dtype.kind in "iub" else target / count
            count = count.reshape(out.shape)
        ctx.meta = (dim, reduce, include_self, count)
        if True in ctx.needs_input_grad:
            ctx.save_for_backward(x, index, src, out)  # out's array stands for the output itself
        return out

    @staticmethod
    def backward(ctx, g):
        dim, reduce, include_self, count = ctx.meta
        x, index, src, out = ctx.saved_tensors
        part = src[tuple(slice(0, s) for s in index._data.shape)] if src._data.ndim else src
        if reduce in ("sum", "mean"):
            gx = g if reduce == "sum" else g / Tensor._make(count.astype(g._data.dtype))
            gsrc = gather_scatter.gather(gx, dim, index)
        elif reduce == "prod":
            x1 = masking.where(x == 0, 1.0, x)
            gx = g * ScatterReduce.apply(x1, dim, index, src, "prod", include_self) / x1
            zero = (part == 0).to(g.dtype)
            zeros_there = gather_scatter.gather(gather_scatter.scatter_add(creation.zeros_like(x), dim, index, zero), dim, index)
            single = (zero == 1) & (zeros_there == 1)
            src1 = masking.where(single, 1.0, part)
            others = ScatterReduce.apply(x, dim, index, src1, "prod", include_self)
            gsrc = masking.where(single, gather_scatter.gather(g * others, dim, index),
                                  gather_scatter.gather(g * out, dim, index) / masking.where(zero == 1, 1.0, part))
        else:
            x_share = (x == out).to(g.dtype)
            if not include_self:
                x_share = gather_scatter.scatter(x_share, dim, index, 0.0)
            src_share = (part == gather_scatter.gather(out, dim, index)).to(g.dtype)
            per_value = g / (x_share + gather_scatter.scatter_add(creation.zeros_like(g), dim, index, src_share))
            gx = x_share * per_value
            gsrc = src_share * gather_scatter.gather(per_value, dim, index)
        if not include_self and reduce != "amax" and reduce != "amin":
            gx = gather_scatter.scatter(gx, dim, index, 0.0)
        if gsrc._data.shape != src._data.shape:  # src longer than index: the rest got no say
            gsrc = indexing.IndexPutZeros.apply(gsrc, src._data.shape,
                                                tuple(slice(0, s) for s in index._data.shape), False)
        return gx, None, None, gsrc, None, None


def scatter_reduce(input, dim, index, src, reduce, *, include_self=True):
    """Reduce ``src`` into a copy of ``input`` along ``dim`` at ``index``: ``reduce`` is one of
    sum, prod, mean, amax, amin (max and min name the last two, as in PyTorch);
    ``include_self`` says whether input's values take part."""
    reduce = {"max": "amax", "min": "amin"}.get(reduce, reduce)
    if reduce not in ("sum", "prod", "mean", "amax", "amin"):
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}")
    gather_scatter._index_array(index, "scatter_reduce")
    d = normalize_dim(dim, input._data.ndim)
    if src._data.dtype != input._data.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    gather_scatter._check_gather(input, d, index, "scatter_reduce", src)
    return ScatterReduce.apply(input, d, index, src, reduce, include_self)


class IndexReduce(ScatterReduce):
    _backward_name = "IndexReduceBackward0"


def index_reduce(input, dim, index, source, reduce, *, include_self=True):
    """Reduce the slices of ``source`` along ``dim`` into ``input``'s slices ``index[i]`` (prod,
    mean, amax or amin): ``scatter_reduce`` with ``index`` broadcast over ``source``'s shape."""
    if reduce not in ("prod", "mean", "amax", "amin"):
        raise RuntimeError(f"index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got {reduce}.")
    d = normalize_dim(dim, input._data.ndim)
    i = index._data
    if i.ndim > 1 or i.dtype.kind not in "iu":
        raise RuntimeError("index_reduce_(): Index is supposed to be a vector of integers")
    if source._data.dtype != input._data.dtype:
        raise RuntimeError("index_reduce_(): self and source must have the same scalar type")
    xs, ss = input._data.shape, source._data.shape
    if len(xs) != len(ss) or any(a != b for k, (a, b) in enumerate(zip(xs, ss)) if k != d) or \
            (ss[d] if ss else 1) != i.size:
        raise RuntimeError("index_reduce_(): source must have the same shape as self except along dim, "
                           "where it has one slice per index")
    if i.size and (i.max() >= (xs[d] if xs else 1) or i.min() < -(xs[d] if xs else 1)):
        raise IndexError(f"index out of range in self")
    full = np.broadcast_to(i.reshape((1,) * d + (-1,) + (1,) * (len(ss) - d - 1)), ss).astype(np.int64)
    return IndexReduce.apply(input, d, Tensor._make(full % max(xs[d] if xs else 1, 1)), source, reduce,
                             include_self)


class MaskedScatter(Function):
    """out = x with its masked positions filled, in order, by the first elements of source.
    dL/dx = g with the masked positions zeroed (they no longer depend on x); dL/dsource = the
    masked entries of g in that order, and zero for the source elements left unused."""

    _backward_name = "MaskedScatterBackward0"
    _graph_inputs = (0, 2)

    @staticmethod
    def forward(ctx, x, mask, source):
        shp = np.broadcast_shapes(x._data.shape, mask._data.shape)
        out = np.array(np.broadcast_to(x._data, shp))
        m = np.broadcast_to(mask._data, shp)
        k = int(m.sum())
        if k > source._data.size:
            raise RuntimeError("Number of elements of source < number of ones in mask")
        out[m] = source._data.reshape(-1)[:k]
        ctx.meta = (m, source._data.shape, k)
        return out

    @staticmethod
    def backward(ctx, g):
        m, sshape, k = ctx.meta
        mask = Tensor._make(np.ascontiguousarray(m))
        picked = masking.masked_select(g, mask)
        rest = creation.zeros(math.prod(sshape) - k, dtype=g.dtype)
        return masking.masked_fill(g, mask, 0.0), None, shape.reshape(shape.cat([picked, rest]), sshape)


def masked_scatter(input, mask, source):
    """Copy ``source``'s elements, in order, into ``input`` where ``mask`` (bool, broadcast) holds."""
    if mask._data.dtype != np.bool_:
        raise RuntimeError(f"masked_scatter_ only supports boolean masks, but got mask with dtype "
                           f"{_dtype.type_word(mask._data.dtype)}")
    if source._data.dtype != input._data.dtype:
        raise RuntimeError(f"masked_scatter_: expected self and source to have same dtypes but got "
                           f"{_dtype.type_word(input._data.dtype)} and {_dtype.type_word(source._data.dtype)}")
    return MaskedScatter.apply(input, mask, source)


class Put(Function):
    """out = x with out.flatten()[index] = source (added with ``accumulate``).
    dL/dx = g, zeroed at the overwritten positions unless accumulating; dL/dsource = g at
    ``index`` (``take``)."""

    _backward_name = "PutBackward0"
    _graph_inputs = (0, 2)

    @staticmethod
    def forward(ctx, x, index, source, accumulate):
        out = x._data.copy()
        flat = out.reshape(-1)
        idx, src = index._data.reshape(-1), source._data.reshape(-1)
        if accumulate:
            np.add.at(flat, idx, src)
        else:
            flat[idx] = src
        ctx.meta = (index, source._data.shape, accumulate)
        return out

    @staticmethod
    def backward(ctx, g):
        index, sshape, accumulate = ctx.meta
        gx = g if accumulate else Put.apply(g, index, creation.zeros(sshape, dtype=g.dtype), False)
        return gx, None, shape.reshape(gather_scatter.take(g, index), sshape), None


def put(input, index, source, accumulate=False):
    """A copy of ``input`` with ``source`` written (or added) at the flat positions ``index``."""
    if index._data.dtype != np.int64:
        raise RuntimeError(f"put_(): Expected a long tensor for index, but got {_dtype.type_word(index._data.dtype)}")
    if source._data.dtype != input._data.dtype:
        raise RuntimeError(f"put_(): self and source expected to have the same dtype, but got self.dtype = "
                           f"{_dtype.type_word(input._data.dtype)} and source.dtype = "
                           f"{_dtype.type_word(source._data.dtype)}")
    if index._data.size != source._data.size:
        raise IndexError(f"put_(): Expected source and index to have the same number of elements, but got "
                           f"source.numel() = {source._data.size}, index.numel() = {index._data.size}")
    n, i = input._data.size, index._data
    if i.size and (i.max() >= n or i.min() < -n):
        raise IndexError(f"out of range: tried to access index {int(i.max() if i.max() >= n else i.min())} "
                         f"on a tensor of {n} elements.")
    return Put.apply(input, index, source, accumulate)


def fill_diagonal_(self, fill_value, wrap=False):
    """Set the main diagonal (``x[i, i, ...]``) to ``fill_value`` in place; with ``wrap``, a tall
    matrix's diagonal starts again below each square block, as NumPy's ``fill_diagonal``."""
    a = self._data
    if a.ndim < 2:
        raise RuntimeError("dimensions must larger than 1")
    if a.ndim > 2 and len(set(a.shape)) > 1:
        raise RuntimeError("all dimensions of input must be of equal length")
    mask = np.zeros(a.shape, bool)
    np.fill_diagonal(mask, True, wrap=wrap)
    return masking.masked_fill_(self, Tensor._make(mask), fill_value)


# --- in-place variants --------------------------------------------------------------------------
_INPLACE = dict(
    copysign_=_inplace(copysign), lgamma_=_inplace(lgamma), digamma_=_inplace(digamma), i0_=_inplace(i0),
    sinc_=_inplace(sinc), heaviside_=_inplace(heaviside), gcd_=_inplace(gcd), lcm_=_inplace(lcm),
    nextafter_=_inplace(nextafter), ldexp_=_inplace(ldexp), scatter_reduce_=_inplace(scatter_reduce),
    index_reduce_=_inplace(index_reduce), masked_scatter_=_inplace(masked_scatter), put_=_inplace(put),
    polygamma_=lambda self, n: apply_inplace(self, lambda x: PolygammaInPlace.apply(int(n), x)))

__all__ = ["lgamma", "digamma", "polygamma", "i0", "sinc", "copysign", "signbit", "heaviside", "logaddexp2",
           "ldexp", "frexp", "nextafter", "gcd", "lcm", "bincount", "histc", "diff", "cross", "kron", "rot90",
           "repeat_interleave", "diagflat", "cov", "corrcoef", "quantile", "nanquantile", "scatter_reduce",
           "index_reduce", "masked_scatter", "put", "meshgrid", "cartesian_prod", "block_diag", "isin", "tril_indices",
           "triu_indices", "i0_", "sinc_", "gcd_", "lcm_", "ldexp_"]
globals().update({name: _INPLACE[name] for name in __all__ if name.endswith("_")})
methods(lgamma, digamma, i0, sinc, copysign, signbit, heaviside, logaddexp2, ldexp, frexp, nextafter, gcd, lcm,
        bincount, histc, diff, cross, kron, rot90, repeat_interleave, unfold, diagflat, cov, corrcoef, quantile,
        nanquantile, scatter_reduce, index_reduce, masked_scatter, put, fill_diagonal_, **_INPLACE,
        polygamma=lambda self, n: polygamma(n, self))
