"""The NumPy-style aliases, in-place variants and the further math ops (ember/_ops/aliases.py
and more_math.py) against PyTorch: values, dtypes, gradients, gradcheck, grad_fn names."""
import numpy as np
import pytest
import torch

import ember
from opinfo import A, S, OpInfo, make_tests, FLOATS, ALL, INTS, assert_same

BINARY = [S(A(3, 4), A(3, 4)), S(A(3, 4), A(4)), S(A(), A(3)), S(A(3, 4, noncontig=True), A(3, 4))]
UNARY = [S(A(3, 4)), S(A()), S(A(0,)), S(A(2, 3, noncontig=True))]


def _m(name):
    """A test calling ``x.name(*args)`` (the method form)."""
    return lambda m, x, *a, **k: getattr(x, name)(*a, **k)


def _inplace(name):
    """A test calling ``x.clone().name(*args)``: the in-place method on a non-leaf copy."""
    return lambda m, x, *a, **k: getattr(x.clone(), name)(*a, **k)


ALIASES = [
    OpInfo("clip", _m("clip"), [S(A(3, 4), -1.0, 1.0)], dtypes=FLOATS + INTS),
    OpInfo("divide", _m("divide"), [S(A(3, 4), A(4, low=0.5, high=2))], dtypes=ALL),
    OpInfo("multiply", _m("multiply"), BINARY, dtypes=ALL),
    OpInfo("subtract", _m("subtract"), BINARY + [S(A(3), A(3), alpha=2)], dtypes=FLOATS + INTS),
    OpInfo("true_divide", _m("true_divide"), [S(A(3, 4), A(4, low=0.5, high=2))], dtypes=FLOATS + ("int64",)),
    OpInfo("negative", _m("negative"), UNARY, dtypes=FLOATS + INTS),
    OpInfo("compare", lambda m, x, y: (x.greater(y), x.greater_equal(y), x.less(y), x.less_equal(y),
                                       x.not_equal(y)), [S(A(3, 4), A(4)), S(A(3), 1)], dtypes=ALL, grad=False),
    OpInfo("swapaxes", lambda m, x: (x.swapaxes(0, 2), x.swapdims(-1, 1), x.moveaxis(0, -1)), [S(A(2, 3, 4))],
           dtypes=ALL),
    OpInfo("ravel", lambda m, x: (x.ravel(), m.ravel(x)), [S(A(3, 4)), S(A(3, 4, noncontig=True)), S(A())],
           dtypes=ALL),
    OpInfo("type_as", lambda m, x, y: (x.type_as(y), y.type_as(x)), [S(A(3), A(2, dtype="int32"))]),
    OpInfo("arctan2", _m("arctan2"), [S(A(3, 4), A(4, low=0.5, high=2))]),
    OpInfo("absolute", lambda m, x: (x.absolute(), m.absolute(x)), UNARY, dtypes=FLOATS + INTS),
    OpInfo("fix", lambda m, x: (x.fix(), m.fix(x)), UNARY, dtypes=FLOATS + INTS),
    OpInfo("arc_hyperbolic", lambda m, x, y: (x.arcsinh(), m.arcsinh(x), y.arctanh(), m.arctanh(y),
                                              m.arccosh(x.abs() + 1.5), (x.abs() + 1.5).arccosh()),
           [S(A(3, 4), A(3, low=-0.9, high=0.9))]),
]

INPLACE = [
    OpInfo(name, _inplace(name), [S(A(3, 4), A(4)), S(A(3), 0)], dtypes=FLOATS + ("int64", "bool"), grad=False)
    for name in ("eq_", "ne_", "lt_", "le_", "gt_", "ge_", "greater_", "greater_equal_", "less_", "less_equal_",
                 "not_equal_")
] + [
    OpInfo(name, _inplace(name), [S(A(3, 4), A(4))], dtypes=FLOATS + ("int64", "bool"), grad=False)
    for name in ("logical_and_", "logical_or_", "logical_xor_")
] + [
    OpInfo("bitwise_not_", _inplace("bitwise_not_"), [S(A(3, 4))], dtypes=INTS + ("bool",), grad=False),
    OpInfo("tril_", _inplace("tril_"), [S(A(3, 4)), S(A(4, 3), 1), S(A(2, 3, 3), -1)], dtypes=FLOATS + ("int64",)),
    OpInfo("triu_", _inplace("triu_"), [S(A(3, 4)), S(A(4, 3), -1)], dtypes=FLOATS + ("int64",)),
    OpInfo("atan2_", _inplace("atan2_"), [S(A(3, 4), A(4, low=0.5, high=2))]),
    OpInfo("arctan2_", _inplace("arctan2_"), [S(A(3, 4), A(4, low=0.5, high=2))]),
    OpInfo("hypot_", _inplace("hypot_"), [S(A(3, 4), A(4))]),
    OpInfo("xlogy_", lambda m, x, y: (x.clone().xlogy_(y), m.xlogy_(x.clone(), y)), [S(A(3, 4), A(4, low=0.1))]),
    OpInfo("addmm_", lambda m, x, a, b, **k: x.clone().addmm_(a, b, **k),
           [S(A(3, 4), A(3, 2), A(2, 4)), S(A(3, 4), A(3, 2), A(2, 4), beta=0.5, alpha=2)]),
    OpInfo("baddbmm_", lambda m, x, a, b: x.clone().baddbmm_(a, b, alpha=0.5), [S(A(2, 3, 4), A(2, 3, 2), A(2, 2, 4))]),
    OpInfo("addbmm_", lambda m, x, a, b: x.clone().addbmm_(a, b, beta=2), [S(A(3, 4), A(2, 3, 2), A(2, 2, 4))]),
    # PyTorch's gradient of sgn is a ZeroTensor, which cannot be compared here (gradcheck runs)
    OpInfo("sgn_", _inplace("sgn_"), [S(A(3, 4))], dtypes=FLOATS + ("int64",), grad=False),
    OpInfo("absolute_", _inplace("absolute_"), [S(A(3, 4))], dtypes=FLOATS + ("int64",)),
    OpInfo("fix_", lambda m, x: (x.clone().fix_(), m.fix_(x.clone())), [S(A(3, 4))]),
    OpInfo("arc_", lambda m, x: (x.clone().arccos_(), m.arccos_(x.clone()), x.clone().arcsin_(), m.arcsin_(x.clone()),
                                 x.clone().arctan_(), m.arctan_(x.clone()), x.clone().arcsinh_(), x.clone().arctanh_(),
                                 m.arcsinh_(x.clone()), m.arctanh_(x.clone())),
           [S(A(3, 4, low=-0.9, high=0.9))], grad=False),  # PyTorch has no derivative for in-place atanh
    OpInfo("arc_grads", lambda m, x: (x.clone().arccos_(), x.clone().arcsin_(), x.clone().arctan_(),
                                      ), [S(A(3, 4, low=-0.9, high=0.9))]),
    OpInfo("arccosh_", lambda m, x: (x.clone().arccosh_(), m.arccosh_(x.clone())), [S(A(3, low=1.2, high=3))],
           grad=False),
    OpInfo("clip_", lambda m, x: (m.clip_(x.clone(), -1, 1), m.negative_(x.clone())), [S(A(3, 4))]),
    OpInfo("float_power_", _inplace("float_power_"), [S(A(3, 4, low=0.5), 2), S(A(3, 4, low=0.5), A(4))],
           dtypes=FLOATS + ("int64",)),
    OpInfo("copysign_", _inplace("copysign_"), [S(A(3, 4), A(4)), S(A(3), -1.0)]),
    OpInfo("in_place_view", lambda m, x: (x.clone().squeeze_(), x.clone().squeeze_(0), x.clone().squeeze_((0, 2)),
                                          x.clone().unsqueeze_(-1), x.clone().transpose_(0, 2),
                                          x.clone().swapaxes_(1, 2), x.clone().swapdims_(0, 1),
                                          x.clone().reshape(3, 1).t_(), x.clone().reshape(3).t_()),
           [S(A(1, 3, 1))], dtypes=FLOATS + ("int64",)),
]

NEW = [
    OpInfo("diff", lambda m, x, *a, **k: x.diff(*a, **k),
           [S(A(3, 5)), S(A(3, 5), 2, 0), S(A(6), 3), S(A(4), 7), S(A(3, 4), 1, -1, A(3, 2), A(3, 1)),
            S(A(3, 4), 0), S(A(2, 4, noncontig=True), 1, 0, append=A(1, 4))], dtypes=FLOATS + ("int64", "bool"),
           gradgradcheck=True),
    OpInfo("cross", lambda m, x, y, **k: m.cross(x, y, **k),
           [S(A(4, 3), A(4, 3), dim=1), S(A(3, 4), A(3, 4)), S(A(2, 4, 3), A(1, 1, 3), dim=-1), S(A(3), A(3)),
            S(A(4, 2), A(4, 2)), S(A(4, 3), A(3)), S(A(4, 3), A(4, 3), dim=0)],
           dtypes=FLOATS + ("int64",), gradgradcheck=True),
    OpInfo("kron", lambda m, x, y: m.kron(x, y), [S(A(2, 3), A(3, 2)), S(A(2), A(2, 3)), S(A(), A(3)),
                                                 S(A(2, 1, 2), A(2, 2))], dtypes=FLOATS + ("int64",),
           gradgradcheck=True),
    OpInfo("rot90", lambda m, x, *a: x.rot90(*a),
           [S(A(3, 4)), S(A(3, 4), 2), S(A(2, 3, 4), 3, [0, 2]), S(A(3, 4), -1, [1, 0]), S(A(3, 4), 4),
            S(A(3), 1), S(A(3, 4), 1, [0, 0]), S(A(3, 4), 1, [0, 1, 2])], dtypes=FLOATS + ("int64",)),
    OpInfo("repeat_interleave", lambda m, x, *a, **k: x.repeat_interleave(*a, **k),
           [S(A(3, 4), 2), S(A(3, 4), 3, dim=1), S(A(), 2), S(A(2, 3), 0, dim=0), S(A(3, 2), -1)],
           dtypes=FLOATS + ("int64",)),
    OpInfo("repeat_interleave_tensor", lambda m, x, d: x.repeat_interleave(m.tensor([1, 0, 3]), dim=d),
           [S(A(3, 4), 0), S(A(4, 3), 1), S(A(3, 4), 1)], dtypes=FLOATS + ("int64",)),
    OpInfo("unfold", lambda m, x, *a: x.unfold(*a),
           [S(A(3, 7), 1, 3, 2), S(A(5, 2), 0, 2, 1), S(A(6), 0, 6, 1), S(A(4, 3, noncontig=True), -1, 1, 1),
            S(A(6), 0, 2, 5), S(A(4), 0, 5, 1), S(A(4), 0, 2, 0), S(A(), 0, 1, 1)],
           dtypes=FLOATS + ("int64",), gradgradcheck=True),
    OpInfo("diagflat", lambda m, x, *a: m.diagflat(x, *a), [S(A(2, 2)), S(A(3), 1), S(A(3), -2)]),
    OpInfo("signbit", lambda m, x: x.signbit(), UNARY, dtypes=ALL, grad=False),
    OpInfo("sinc", lambda m, x: (x.sinc(), m.sinc(x * 0)), [S(A(3, 4))], dtypes=FLOATS + ("int64",),
           gradgradcheck=True),
    OpInfo("lgamma", lambda m, x: x.lgamma(), [S(A(3, 4, low=0.1, high=8)), S(A(3, 4, low=-3.9, high=-0.1))],
           dtypes=FLOATS + ("int64",), gradgradcheck=True),
    OpInfo("digamma", lambda m, x: m.digamma(x), [S(A(3, 4, low=0.1, high=30)), S(A(5, low=-4.9, high=-0.1))],
           dtypes=FLOATS + ("int64",), gradgradcheck=True),
    OpInfo("polygamma", lambda m, x, n: (m.polygamma(n, x), x.polygamma(n)),
           [S(A(3, 4, low=0.2, high=25), 1), S(A(4, low=0.2, high=5), 2), S(A(4, low=0.5, high=3), 0),
            S(A(4, low=-2.9, high=-2.1), 1), S(A(3, low=1, high=4), 4)], dtypes=FLOATS, gradgradcheck=True,
           tol={"float32": (1e-4, 1e-5)}),
    OpInfo("i0", lambda m, x: (x.i0(), m.i0(x)), [S(A(3, 4, low=-5, high=5)), S(A(3, low=10, high=40))],
           dtypes=FLOATS + ("int64",), gradgradcheck=True),
    OpInfo("copysign", lambda m, x, y: (x.copysign(y), m.copysign(x, y)), BINARY + [S(A(3), -2.0), S(A(3), 0.0)],
           dtypes=FLOATS + ("int64",), gradgradcheck=True),
    OpInfo("heaviside", lambda m, x, y: x.heaviside(y), [S(A(3, 4), A(4))], dtypes=FLOATS + INTS, grad=False),
    OpInfo("gcd_lcm", lambda m, x, y: (x.gcd(y), m.lcm(x, y), x.clone().gcd_(y)), [S(A(3, 4), A(4)), S(A(3), A(3))],
           dtypes=INTS + FLOATS, grad=False),
    OpInfo("logaddexp2", lambda m, x, y: x.logaddexp2(y), BINARY, dtypes=FLOATS + ("int64",), gradgradcheck=True),
    OpInfo("nextafter", lambda m, x, y: x.nextafter(y), [S(A(3, 4), A(4))], dtypes=FLOATS + ("int64",), grad=False),
    OpInfo("frexp", lambda m, x: x.frexp(), UNARY, dtypes=FLOATS + ("int64",), grad=False),
    OpInfo("ldexp", lambda m, x, y: (x.ldexp(y), m.ldexp(x, y)),
           # PyTorch's gradient for an integer ``other`` computes 2 ** other in integers: 0 for other < 0
           [S(A(3, 4), A(4, dtype="int64", low=0)), S(A(3, 4), A(4, low=-2, high=2))], dtypes=FLOATS + ("int64",),
           gradgradcheck=True),
    OpInfo("cov", lambda m, x, **k: x.cov(**k),
           [S(A(3, 5)), S(A(5)), S(A(2, 4), correction=0), S(A(1, 4)),
            S(A(3, 5), fweights=A(5, dtype="int64", low=0, high=4, grad=False)),
            S(A(3, 5), aweights=A(5, low=0.1, high=2, grad=False)),
            S(A(2, 5), correction=2, fweights=A(5, dtype="int64", low=1, high=4, grad=False),
              aweights=A(5, low=0.1, high=2, grad=False)), S(A(2, 2, 2))], dtypes=FLOATS + ("int64",)),
    OpInfo("corrcoef", lambda m, x: x.corrcoef(), [S(A(3, 5)), S(A(5)), S(A(2, 6, noncontig=True))],
           dtypes=FLOATS + ("int64",)),
    OpInfo("quantile", lambda m, x, q, *a, **k: x.quantile(q, *a, **k),
           [S(A(7, distinct=True), 0.3), S(A(3, 5, distinct=True), 0.75, 1), S(A(3, 5, distinct=True), 0.5, 0, True),
            S(A(3, 5, distinct=True), A(3, low=0, high=1, grad=False), 1),
            S(A(3, 4, distinct=True), A(2, low=0, high=1, grad=False), 0, True),
            S(A(2, 3, distinct=True), 0.4, None, True), S(A(5, distinct=True), 0.3, interpolation="lower"),
            S(A(5, distinct=True), 0.3, interpolation="higher"), S(A(5, distinct=True), 0.3, interpolation="midpoint"),
            S(A(5, distinct=True), 0.375, interpolation="nearest"), S(A(5), 1.5), S(A(0), 0.5), S(A(5), -0.1),
            S(A(), 0.5), S(A(), 0.5, 0, True)], dtypes=FLOATS + ("int64",)),
    OpInfo("nanquantile", lambda m, x, q, *a, **k: m.nanquantile(x, q, *a, **k),
           [S(A(7, distinct=True), 0.3), S(A(3, 5, distinct=True), A(2, low=0, high=1, grad=False), 1)],
           dtypes=FLOATS),
    OpInfo("bincount", lambda m, x, *a, **k: x.bincount(*a, **k),
           [S(A(8, low=0, high=5)), S(A(8, low=0, high=5), minlength=7), S(A(4, low=0, high=3), A(4, dtype="float32")),
            S(A(4, low=0, high=3), A(4, dtype="float64")), S(A(4, low=0, high=3), A(4, dtype="int64")),
            S(A(0, low=0), minlength=3), S(A(3, low=-2, high=0)), S(A(2, 2, low=0))],
           dtypes=("int64", "int32", "uint8", "float32"), grad=False),
    OpInfo("histc", lambda m, x, *a, **k: x.histc(*a, **k),
           [S(A(20)), S(A(20), 7, -1, 1), S(A(3, 4), 5), S(A(0), 4)], dtypes=FLOATS + ("int64",), grad=False),
]


def _reduce(name):
    def fn(m, x, src, idx, dim, reduce, **k):
        return getattr(x, name)(dim, m.tensor(idx), src, reduce, **k)
    return fn


SCATTER = [S(A(3, 4), A(2, 4, distinct=True), [[0, 2, 0, 1], [0, 0, 2, 1]], 0, r, include_self=inc)
           for r in ("sum", "prod", "mean", "amax", "amin") for inc in (True, False)]
SCATTER += [S(A(5), A(4, distinct=True), [0, 0, 4, 0], 0, "prod", include_self=False),
            S(A(3, 4), A(2, 4), [[0, 2, 0, 1], [0, 0, 5, 1]], 0, "sum"),
            S(A(3, 4), A(2, 4), [[0, 2, 0, 1], [0, 0, 1, 1]], 0, "average")]
INDEX_REDUCE = [S(A(3, 4), A(3, 5, distinct=True), [0, 2, 0, 1, 0], 1, r, include_self=inc)
                for r in ("prod", "mean", "amax", "amin") for inc in (True, False)]
INDEX_REDUCE += [S(A(4, 2), A(3, 2), [3, 0, 3], 0, "mean"), S(A(4, 2), A(3, 2), [3, 0, 3], 0, "sum")]

REDUCTIONS = [
    OpInfo("scatter_reduce", _reduce("scatter_reduce"), SCATTER, dtypes=FLOATS + ("int64",), gradgradcheck=True),
    OpInfo("index_reduce", _reduce("index_reduce"), INDEX_REDUCE, dtypes=FLOATS + ("int64",)),
    # PyTorch's backward fails when src is larger than index; ember pads src's gradient with zeros
    OpInfo("scatter_reduce_wide_src", _reduce("scatter_reduce"),
           [S(A(3, 4), A(3, 5), [[0, 0, 1], [3, 3, 3], [2, 1, 2]], 1, r) for r in ("sum", "amin")],
           dtypes=FLOATS + ("int64",), grad=False),
    OpInfo("scatter_reduce_", lambda m, x, src, idx: x.clone().scatter_reduce_(0, m.tensor(idx), src, "amax"),
           [S(A(3, 4), A(2, 4), [[0, 2, 0, 1], [0, 0, 2, 1]])]),
    OpInfo("index_reduce_", lambda m, x, src, idx: x.clone().index_reduce_(0, m.tensor(idx), src, "mean",
                                                                          include_self=False),
           [S(A(3, 4), A(2, 4), [2, 2])]),
    OpInfo("masked_scatter", lambda m, x, s, mask: (x.masked_scatter(m.tensor(mask), s),
                                                    x.clone().masked_scatter_(m.tensor(mask), s)),
           [S(A(2, 3), A(5), [[True, False, True], [False, True, True]]), S(A(2, 3), A(2, 2), [[True, False, True]]),
            S(A(2, 3), A(1), [[True, False, True]]), S(A(2, 3), A(4), [[1, 0, 1]])],
           dtypes=FLOATS + ("int64",)),
    OpInfo("masked_scatter_broadcast", lambda m, x, s, mask: x.masked_scatter(m.tensor(mask), s),
           [S(A(3), A(4), [[True, True, False], [False, False, True]])]),
    OpInfo("put", lambda m, x, s, idx, *a: (x.put(m.tensor(idx), s, *a), m.put(x, m.tensor(idx), s, *a),
                                            x.clone().put_(m.tensor(idx), s, *a)),
           [S(A(3, 4), A(3), [1, -1, 5]), S(A(3, 4), A(2, 2), [[0, 3], [3, 11]], True), S(A(3), A(2), [1, 3]),
            S(A(3), A(1), [1, 2])], dtypes=FLOATS + ("int64",)),
    OpInfo("fill_diagonal_", lambda m, x, *a, **k: x.clone().fill_diagonal_(*a, **k),
           [S(A(3, 4), 2.0), S(A(7, 3), -1.0, wrap=True), S(A(7, 3), 5.0), S(A(3, 3, 3), 0.5), S(A(3), 1.0),
            S(A(2, 3, 3), 1.0)], dtypes=FLOATS + ("int64",)),
]

EXTRAS = [
    OpInfo("meshgrid", lambda m, *ts, **k: m.meshgrid(*ts, **k),
           [S(A(2), A(3), indexing="ij"), S(A(2), A(3), A(4), indexing="xy"), S(A(), A(3), indexing="xy"),
            S([A(2), A(3)], indexing="ij"), S(A(2), A(2, 2), indexing="ij"), S(A(2), A(3), indexing="yx")],
           dtypes=FLOATS + ("int64",)),
    OpInfo("meshgrid_dtypes", lambda m, x, y: m.meshgrid(x, y, indexing="ij"), [S(A(2), A(3, dtype="int64"))]),
    OpInfo("cartesian_prod", lambda m, *ts: m.cartesian_prod(*ts), [S(A(2), A(3)), S(A(2), A(1), A(3)), S(A(3))],
           dtypes=FLOATS + ("int64",)),
    OpInfo("block_diag", lambda m, *ts: m.block_diag(*ts),
           [S(A(2, 3), A(), A(2)), S(A(1, 2), A(2, 2, dtype="int64")), S(A(2, 2, 2)), S(A(2, 2, noncontig=True))],
           dtypes=FLOATS + ("int64",), gradgradcheck=True),
    OpInfo("isin", lambda m, x, y, **k: m.isin(x, y, **k),
           [S(A(3, 4, low=0, high=5), A(3, low=0, high=5)), S(A(5, low=0, high=5), 2), S(2, A(3, low=0, high=4)),
            S(A(4, low=0, high=5), A(2, low=0, high=5), invert=True)], dtypes=("int64", "int32"), grad=False),
    OpInfo("tri_indices", lambda m, *a, **k: (m.tril_indices(*a, **k), m.triu_indices(*a, **k)),
           [S(3, 4), S(3, 4, 1), S(4, 2, -1), S(0, 3), S(3, 3, dtype="dtype:int32")], dtypes=("int64",), grad=False),
    OpInfo("splits", lambda m, x, s: (m.hsplit(x, s), x.vsplit(s), m.dsplit(x, s)),
           [S(A(4, 6, 2), 2), S(A(4, 6, 2), [1, 3]), S(A(4, 6, 2), 3), S(A(6), 3), S(A(2, 2), 2)],
           dtypes=FLOATS + ("int64",)),
    OpInfo("hsplit_1d", lambda m, x, s: x.hsplit(s), [S(A(6), 3), S(A(6), [2, 5])], dtypes=FLOATS),
    OpInfo("real_views", lambda m, x: (x.adjoint(), x.mH, m.adjoint(x), m.positive(x), x.conj(), m.resolve_conj(x),
                                       x.resolve_neg(), x.is_conj(), m.is_neg(x)), [S(A(2, 3)), S(A(4, 2, 3)), S(A(3))],
           dtypes=FLOATS + ("int64",)),
    OpInfo("mH_1d", lambda m, x: x.mH, [S(A(3))]),
    OpInfo("positive_bool", lambda m, x: m.positive(x), [S(A(3))], dtypes=("bool",)),
    OpInfo("torch_inplace_functions", lambda m, x: (m.exp_(x.clone()), m.sigmoid_(x.clone()), m.sqrt_(x.abs() + 1),
                                                    m.clamp_(x.clone(), -1, 1), m.zero_(x.clone()),
                                                    m.arccos(x / 4), m.arcsin(x / 4), m.arctan(x), m.detach(x)),
           [S(A(3, 4))], gradcheck=False),  # detach cuts what finite differences see
]

OPS = ALIASES + INPLACE + NEW + REDUCTIONS + EXTRAS
test_values, test_grads, test_gradcheck, test_gradgradcheck = make_tests(OPS)


# --- what the table cannot see: grad_fn names, version counters, queries ---------------------------
def _both(fn):
    """``fn(module)`` run with torch and with ember."""
    return fn(torch), fn(ember)


@pytest.mark.parametrize("call", [
    lambda x: x.squeeze_(), lambda x: x.squeeze_(0), lambda x: x.squeeze_((0, 2)), lambda x: x.unsqueeze_(1),
    lambda x: x.transpose_(0, 1), lambda x: x.swapaxes_(1, 2), lambda x: x.swapdims_(0, 2),
    lambda x: x.squeeze_(0).t_(), lambda x: x.eq_(0.5 * x.detach()), lambda x: x.lt_(0.5), lambda x: x.tril_(),
    lambda x: x.atan2_(x.detach() + 1), lambda x: x.copysign_(-1.0), lambda x: x.lgamma_(), lambda x: x.digamma_(),
    lambda x: x.polygamma_(1), lambda x: x.i0_(), lambda x: x.sinc_(), lambda x: x.absolute_(),
    lambda x: x.fix_(), lambda x: x.arccos_()])
def test_inplace_graph(call):
    """The in-place op returns self, bumps the version once, and records PyTorch's node."""
    results = {}
    for m in (torch, ember):
        leaf = m.from_numpy(np.array([[[0.2], [0.5], [0.7]]])).requires_grad_()
        x = leaf * 1.0
        v = x._version
        r = call(x)
        assert r is x
        results[m] = (r, r._version - v, r.grad_fn.name() if r.grad_fn is not None else None,
                      [f[0].name() for f in r.grad_fn.next_functions if f[0] is not None] if r.grad_fn else None)
    (tr, tv, tn, tnext), (er, ev, en, enext) = results[torch], results[ember]
    assert_same(er, tr)
    assert (ev, en) == (tv, tn)
    if tn not in ("EqBackward1",):
        assert enext == tnext


def test_inplace_view_grads():
    """Gradients flow through an in-place view op as through its out-of-place form."""
    grads = []
    for m in (torch, ember):
        leaf = m.from_numpy(np.arange(6.0).reshape(1, 2, 3)).requires_grad_()
        x = leaf * 2
        x.squeeze_(0).t_().unsqueeze_(0).transpose_(0, 2)
        (x * m.from_numpy(np.arange(6.0).reshape(2, 3, 1))).sum().backward()
        grads.append(leaf.grad)
    assert_same(grads[1], grads[0])


def test_inplace_view_on_leaf_and_view():
    for m in (torch, ember):
        leaf = m.zeros(1, 3, requires_grad=True)
        with pytest.raises(RuntimeError, match="leaf Variable"):
            leaf.squeeze_()
        with pytest.raises(RuntimeError):
            m.zeros(2, 2, 2).t_()
        base = m.zeros(2, 3)
        v = base[0:1]
        v.squeeze_(0)
        v[1] = 5.0  # still the base's memory
        assert base[0, 1].item() == 5.0 and tuple(v.shape) == (3,)


def test_queries():
    for m in (torch, ember):
        x = m.ones(2, 3, requires_grad=True)
        assert x.output_nr == 0 and x.get_device() == -1 and m.get_device(x) == -1
        assert x.is_inference() is False and m.is_inference(x) is False
        assert x.is_same_size(m.zeros(2, 3)) and not m.is_same_size(x, m.zeros(3, 2))
        assert m.is_nonzero(m.tensor([2.5])) is True and m.tensor(0).is_nonzero() is False
        for bad in (m.tensor([]), m.tensor([1, 2])):
            with pytest.raises(RuntimeError, match="ambiguous"):
                bad.is_nonzero()


def test_grad_fn_names():
    """Ops PyTorch composes from others show the same outermost node."""
    calls = [lambda m, x: x.diff(), lambda m, x: m.kron(x, x), lambda m, x: x.rot90(), lambda m, x: x.unfold(1, 2, 1),
             lambda m, x: x.repeat_interleave(2), lambda m, x: x.repeat_interleave(m.tensor([1, 2]), dim=0),
             lambda m, x: x.diagflat(), lambda m, x: x.cov(), lambda m, x: x.corrcoef(), lambda m, x: x.quantile(0.3),
             lambda m, x: x.quantile(0.3, dim=1), lambda m, x: m.cross(x, x, dim=1), lambda m, x: x.ldexp(x),
             lambda m, x: x.logaddexp2(x), lambda m, x: x.copysign(x), lambda m, x: x.copysign(2.0),
             lambda m, x: m.polygamma(0, x), lambda m, x: x.ravel(), lambda m, x: x.fix(), lambda m, x: x.clip(0, 1),
             lambda m, x: x.type_as(m.zeros(1, dtype=m.float32)),
             lambda m, x: x.scatter_reduce(0, m.tensor([[0, 1, 0]]), x, "amax"),
             lambda m, x: x.index_reduce(0, m.tensor([1, 0]), x, "mean"),
             lambda m, x: x.masked_scatter(x > 0, x),
             lambda m, x: x.put(m.tensor([0]), m.tensor([1.0], dtype=m.float64))]
    for call in calls:
        names = []
        for m in (torch, ember):
            x = m.from_numpy(np.array([[0.3, -1.2, 2.0], [0.5, 1.5, -0.7]])).requires_grad_()
            names.append(call(m, x).grad_fn.name())
        assert names[1] == names[0]


def test_special_values():
    """Poles and infinities of the special functions, as PyTorch gives them."""
    vals = np.array([0.0, -1.0, -2.0, -2.5, 1e-3, 30.0, np.inf, -np.inf, np.nan, 1e6, -0.0])
    for f in (lambda m, x: m.lgamma(x), lambda m, x: m.digamma(x), lambda m, x: m.sinc(x),
              lambda m, x: m.i0(x), lambda m, x: m.signbit(x)):
        assert_same(f(ember, ember.from_numpy(vals)), f(torch, torch.from_numpy(vals)), (1e-9, 0))
    # at the negative poles PyTorch's polygamma gives rounding noise (~1e32), ember +-inf; at +-inf,
    # PyTorch's n >= 2 (a Hurwitz zeta) gives NaN and -inf, ember the limits 0 and NaN
    for n, at in ((1, [0, 3, 4, 5, 6, 7, 8, 9]), (2, [0, 3, 4, 5, 8, 9]), (3, [0, 3, 4, 5, 8, 9])):
        e, t = ember.polygamma(n, ember.from_numpy(vals[at])), torch.polygamma(n, torch.from_numpy(vals[at]))
        assert_same(e, t, (1e-9, 0))

