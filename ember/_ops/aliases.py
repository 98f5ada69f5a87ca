"""Other names for ops ember already has: NumPy-style aliases (``divide``, ``swapaxes``,
``arccosh``...), in-place variants built with ``apply_inplace`` (``eq_``, ``tril_``,
``addmm_``...), the in-place view ops (``squeeze_``, ``t_``...) and small tensor queries
(``is_nonzero``, ``output_nr``, ``get_device``).

Nothing here computes anything new: each name points at an existing op, so values, dtypes
and errors are the ones that op already gives. Only the graph nodes of some in-place forms
have names of their own in PyTorch (``squeeze_()`` records SqueezeBackward3, ``eq_`` EqBackward0
or 1), and the small ``Function`` subclasses below give them those names.
"""
from .. import _dtype
from .._tensor import Tensor
from ..autograd.function import Function
from ._util import methods, apply_inplace, needs_grad
from . import pointwise as pw, comparison as cmp, shape, linalg, creation

# --- aliases: one op, several names --------------------------------------------------------------
# ``methods(f)`` attaches ``f`` by ``f.__name__``, which for an alias is the original op's name,
# so aliases are attached by keyword here.
_ALIASES = dict(
    clip=pw.clamp, divide=pw.div, multiply=pw.mul, negative=pw.neg, subtract=pw.sub, true_divide=pw.div,
    greater=cmp.gt, greater_equal=cmp.ge, less=cmp.lt, less_equal=cmp.le, not_equal=cmp.ne,
    swapaxes=shape.transpose, swapdims=shape.transpose, moveaxis=shape.movedim, arctan2=pw.atan2,
    absolute=pw.abs, fix=pw.trunc, arccosh=pw.acosh, arcsinh=pw.asinh, arctanh=pw.atanh)


def ravel(input):
    """``input`` flattened to 1-D: a view when the memory allows, else a copy (``reshape(-1)``)."""
    return shape.reshape(input, -1)


def type_as(self, other):
    """``self`` converted to ``other``'s dtype (``self`` itself when they already agree)."""
    if not isinstance(other, Tensor):
        raise TypeError(f"type_as(): argument 'other' (position 1) must be Tensor, not {type(other).__name__}")
    return self.to(other.dtype)


def is_nonzero(input):
    """The truth value of a one-element tensor, with PyTorch's errors for any other size."""
    n = input._data.size
    if n == 0:
        raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
    if n > 1:
        raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
    return bool(input._data.reshape(()))


def is_same_size(input, other):
    """True when both tensors have the same shape."""
    return input._data.shape == other._data.shape


def is_inference(input):
    """False: ember's ``inference_mode`` is ``no_grad`` (it records no graph) and tensors made
    under it carry no mark, so none is an "inference tensor" in PyTorch's sense."""
    return False


def get_device(input):
    """The device index: -1 for a CPU tensor, as in PyTorch."""
    index = input.device.index
    return -1 if input.device.type == "cpu" else (index or 0)


def positive(input):
    """``+input``: ``input`` itself (PyTorch refuses bool tensors, as for the ``+`` operator)."""
    if input._data.dtype.kind == "b":
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


def _same(input):
    """``input`` itself: ember has no complex dtypes, so conjugation changes nothing."""
    return input


def _false(input):
    """False: ember has no complex dtypes, hence no conjugate or negative bits to resolve."""
    return False


def _adjoint(name):
    def adjoint(input):
        """The conjugate transpose of the last two dims: their transpose, for real tensors."""
        if input._data.ndim < 2:
            raise RuntimeError(f"tensor.{name} is only supported on matrices or batches of matrices. Got "
                               f"{input._data.ndim}-D tensor.")
        return shape.transpose(input, -2, -1)
    return adjoint


adjoint = _adjoint("adjoint()")


def _split_along(name, dim, min_dims):
    """``hsplit``/``vsplit``/``dsplit``: ``tensor_split`` along a fixed dim, and an int count
    must divide that dim evenly."""
    def split(input, indices_or_sections):
        nd = input._data.ndim
        if nd < min_dims:
            raise RuntimeError(f"torch.{name} requires a tensor with at least {min_dims} dimension, but got a tensor "
                               f"with {nd} dimensions!")
        d = 0 if nd == 1 and name == "hsplit" else dim
        if isinstance(indices_or_sections, int):
            size = input._data.shape[d]
            if indices_or_sections == 0 or size % indices_or_sections:
                raise RuntimeError(f"torch.{name} attempted to split along dimension {d}, but the size of the "
                                   f"dimension {size} is not divisible by the split_size {indices_or_sections}!")
        return shape.tensor_split(input, indices_or_sections, d)
    split.__name__ = split.__qualname__ = name
    split.__doc__ = f"``tensor_split`` along dim {dim}" + (" (dim 0 for a 1-D tensor)." if dim == 1 else ".")
    return split


hsplit, vsplit, dsplit = _split_along("hsplit", 1, 1), _split_along("vsplit", 0, 2), _split_along("dsplit", 2, 3)


# --- in-place variants: ``op_(self, ...)`` writes ``op(self, ...)`` into ``self`` ------------------
def _inplace(op):
    """The in-place method of ``op``: the result is cast to ``self``'s dtype and written into
    its memory, with the version counter and graph handled by ``apply_inplace``."""
    return lambda self, *args, **kwargs: apply_inplace(self, op, *args, **kwargs)


class _CompareInPlace(Function):
    """out = (self op other) as 0 or 1 in self's dtype, written into self.   d out/d self = 0 and
    d out/d other = 0: a step function's derivative is 0 wherever it exists. PyTorch still
    records the node (with zero gradients) rather than cutting the graph, and so does ember."""

    @staticmethod
    def forward(ctx, a, b, op):
        ctx.b_shape = b._data.shape if isinstance(b, Tensor) else None
        return op(a, b)._data.astype(a._data.dtype)

    @staticmethod
    def backward(ctx, grad):
        zero = creation.zeros_like(grad)
        return zero, (None if ctx.b_shape is None else creation.zeros(ctx.b_shape, dtype=grad.dtype)), None


def _compare_inplace(op, name):
    """``op_`` for comparison ``op``, recording PyTorch's node: ``<Name>Backward0`` for a number
    ``other`` (the Scalar overload) and ``<Name>Backward1`` for a tensor."""
    nodes = [type(f"{name}{k}", (_CompareInPlace,), {"_backward_name": f"{name}Backward{k}"}) for k in (0, 1)]
    return lambda self, other: apply_inplace(self, nodes[isinstance(other, Tensor)].apply, other, op)


_COMPARE = dict(eq=(cmp.eq, "Eq"), ne=(cmp.ne, "Ne"), lt=(cmp.lt, "Lt"), le=(cmp.le, "Le"), gt=(cmp.gt, "Gt"),
                ge=(cmp.ge, "Ge"))
_COMPARE.update(greater=_COMPARE["gt"], greater_equal=_COMPARE["ge"], less=_COMPARE["lt"],
                less_equal=_COMPARE["le"], not_equal=_COMPARE["ne"])
_INPLACE = {name + "_": _compare_inplace(*spec) for name, spec in _COMPARE.items()}
_INPLACE.update({name + "_": _inplace(op) for name, op in dict(
    logical_and=pw.logical_and, logical_or=pw.logical_or,
    logical_xor=pw.logical_xor, bitwise_not=pw.bitwise_not, tril=shape.tril, triu=shape.triu, atan2=pw.atan2,
    arctan2=pw.atan2, hypot=pw.hypot, xlogy=pw.xlogy, addmm=linalg.addmm, baddbmm=linalg.baddbmm,
    addbmm=linalg.addbmm, sgn=pw.sgn, absolute=pw.abs, arccos=pw.acos, arcsin=pw.asin, arctan=pw.atan,
    arccosh=pw.acosh, arcsinh=pw.asinh, arctanh=pw.atanh, fix=pw.trunc, clip=pw.clamp,
    negative=pw.neg).items()})


def float_power_(self, exponent):
    """In-place ``float_power``: its result is float64, so ``self`` must be float64 already."""
    if self._data.dtype.name != "float64":
        raise RuntimeError(f"the base given to float_power_ has dtype {_dtype.type_word(self._data.dtype)} but the "
                           f"operation's result requires dtype Double")
    return apply_inplace(self, pw.float_power, exponent)


# --- in-place view ops: ``self`` takes the view's shape and strides -------------------------------
def _inplace_view(self, view_op, *args):
    """Make ``self`` the result of the view op ``view_op(self, *args)``: the same memory seen
    with a new shape. When a graph is recorded, ``self`` becomes that op's output (its node's
    next edge is ``self``'s old history), as in PyTorch's ``squeeze_`` and ``t_``."""
    if needs_grad(self):
        if self.grad_fn is None:
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
        old = self._alias()
        old._requires_grad, old.grad_fn, old._output_nr = True, self.grad_fn, self._output_nr
        r = view_op(old, *args)
        self.grad_fn, self._output_nr = r.grad_fn, r._output_nr
    else:
        r = view_op(self, *args)
    self._data = r._data
    self._vc[0] += 1
    return self


class SqueezeAllInPlace(shape.SqueezeAll):
    _backward_name = "SqueezeBackward3"  # PyTorch's squeeze_() with no dim


class SqueezeDimsInPlace(shape.Squeeze):
    _backward_name = "SqueezeBackward5"  # squeeze_(dims) with a tuple of dims


class UnsqueezeInPlace(shape.Unsqueeze):
    _backward_name = "UnsqueezeBackward1"


class TransposeInPlace(shape.Transpose):
    _backward_name = "TransposeBackward1"


class TInPlace(shape.Transpose):
    _backward_name = "TBackward1"

    @staticmethod
    def forward(ctx, x, d0, d1):
        ctx.dims = (d0, d1)
        return x._data.T  # also right for 0-d and 1-d tensors, which t_ leaves as they are


def _view_fn(cls, args):
    """``x -> cls(x, *args)`` as a view of ``x``: the view op ``_inplace_view`` applies."""
    return lambda x: shape.as_view(cls.apply(x, *args), x)


def squeeze_(self, dim=None):
    """In-place ``squeeze``: ``self`` loses its size-1 dims (all, or those among ``dim``)."""
    a = self._data
    if dim is None:
        dims, cls = tuple(i for i, s in enumerate(a.shape) if s == 1), SqueezeAllInPlace
    else:
        many = not isinstance(dim, int)
        dl = tuple(dim) if many else (dim,)
        dims = tuple(sorted({shape.normalize_dim(d, a.ndim) for d in dl if a.ndim}))
        dims = tuple(d for d in dims if a.shape[d] == 1)
        cls = SqueezeDimsInPlace if many else shape.SqueezeInPlace
    return _inplace_view(self, _view_fn(cls, (dims,)))


def unsqueeze_(self, dim):
    """In-place ``unsqueeze``: ``self`` gains a size-1 dim at ``dim``."""
    d = shape.normalize_dim(dim, self._data.ndim + 1)
    return _inplace_view(self, _view_fn(UnsqueezeInPlace, (d,)))


def transpose_(self, dim0, dim1):
    """In-place ``transpose``: ``self`` has dims ``dim0`` and ``dim1`` swapped."""
    nd = self._data.ndim
    dims = (shape.normalize_dim(dim0, nd), shape.normalize_dim(dim1, nd))
    return _inplace_view(self, _view_fn(TransposeInPlace, dims))


def t_(self):
    """In-place ``t``: a matrix is transposed in place; 0-d and 1-d tensors are unchanged."""
    nd = self._data.ndim
    if nd > 2:
        raise RuntimeError(f"t_() expects a tensor with <= 2 dimensions, but self is {nd}D")
    return _inplace_view(self, _view_fn(TInPlace, (0, 1) if nd == 2 else (0, 0)))


# the torch.* functions among these names that the other op modules do not already export
_ALIASES.update(arccos=pw.acos, arcsin=pw.asin, arctan=pw.atan, conj=_same, resolve_conj=_same, resolve_neg=_same,
                is_conj=_false, is_neg=_false)
# the torch.* functions among these names that the other op modules do not already export
__all__ = ["fix", "arccosh", "arcsinh", "arctanh", "arccos", "arcsin", "arctan", "conj", "resolve_conj",
           "resolve_neg", "is_conj", "is_neg", "ravel", "is_nonzero", "is_same_size", "is_inference", "get_device",
           "positive", "adjoint", "hsplit", "vsplit", "dsplit", "xlogy_", "arccos_", "arcsin_", "arctan_",
           "arccosh_", "arcsinh_", "arctanh_", "fix_", "clip_", "negative_"]
globals().update(_ALIASES)
globals().update({name: _INPLACE[name] for name in __all__ if name.endswith("_")})
Tensor.__pos__ = positive  # (``+t`` refuses bool tensors too)
methods(ravel, type_as, is_nonzero, is_same_size, is_inference, get_device, positive, adjoint, hsplit, vsplit, dsplit,
        squeeze_, unsqueeze_, transpose_, t_, float_power_, swapaxes_=transpose_, swapdims_=transpose_, **_ALIASES,
        **_INPLACE)
Tensor.output_nr = property(lambda self: self._output_nr, doc="Which output of its ``grad_fn`` this tensor is.")
Tensor.mH = property(_adjoint("mH"), doc="The conjugate transpose of the last two dims (their transpose here).")

# torch.exp_(x), torch.sigmoid_(x), ...: PyTorch's functional spelling of in-place methods ember has
_TORCH_INPLACE = ("abs_", "acos_", "acosh_", "asin_", "asinh_", "atan_", "atanh_", "ceil_", "clamp_", "clamp_max_",
                  "clamp_min_", "cos_", "cosh_", "deg2rad_", "erf_", "erfc_", "exp2_", "exp_", "expm1_", "fill_",
                  "floor_", "frac_", "log10_", "log1p_", "log2_", "log_", "logit_", "nan_to_num_", "neg_", "rad2deg_",
                  "reciprocal_", "round_", "rsqrt_", "sigmoid_", "sin_", "sinh_", "sqrt_", "square_", "tan_", "tanh_",
                  "trunc_", "zero_", "index_put_", "detach", "detach_")
globals().update({name: getattr(Tensor, name) for name in _TORCH_INPLACE if hasattr(Tensor, name)})
__all__ += [name for name in _TORCH_INPLACE if hasattr(Tensor, name)]
