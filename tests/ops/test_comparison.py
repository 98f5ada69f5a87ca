"""Comparisons, closeness tests and floating-point class tests against PyTorch."""
import math

import numpy as np
import pytest
import torch

import ember
from opinfo import A, S, OpInfo, make_tests, ALL

# broadcasting, 0-d, empty, non-contiguous, Python numbers (int, float, bool, out of the
# dtype's range), mixed dtypes, shapes that do not broadcast
BINARY = [S(A(3, 4, low=0, high=3), A(3, 4, low=0, high=3)), S(A(3, 4), A(4)), S(A(2, 1, 3), A(4, 1)), S(A(), A(3)),
          S(A(3, 4, noncontig=True), A(3, 4)), S(A(0, 3), A(3)), S(A(3), 2), S(A(3), 2.5), S(A(3), True),
          S(A(3), -1), S(A(3), 257), S(A(3, 4), A(4, dtype="float64")), S(A(3), A(3, dtype="int64")),
          S(A(3), A(3, dtype="bool")), S(A(3, 4), A(2)), S(A(3), "a")]
SPECIAL = [0., 1.5, -2., math.inf, -math.inf, math.nan]

OPS = [OpInfo(name, samples=BINARY, dtypes=ALL, grad=False)
       for name in ("eq", "ne", "lt", "le", "gt", "ge", "not_equal", "less", "less_equal", "greater",
                    "greater_equal")]
OPS += [
    OpInfo("operators", lambda m, x, y: (x == y, x != y, x < y, x <= y, x > y, x >= y, x == 1, 2 > x, x == None),
           samples=[S(A(3, 4, low=0, high=3), A(4, low=0, high=3))], dtypes=ALL, grad=False),
    OpInfo("isclose", samples=[S(A(3, 4), A(3, 4)), S(A(3, 4), A(4)), S(A(3), A(3), rtol=0, atol=1),
                               S(A(3), A(3, dtype="float64")), S(A(3), 1.0), S(A(3), A(3), rtol=-1),
                               S(A(3), A(3), atol=-1), S(A(3), A(2))],
           dtypes=ALL, grad=False),
    OpInfo("isclose_near", lambda m, x: (m.isclose(x, x + 1e-6), m.isclose(x, x * (1 + 1e-4)),
                                         m.isclose(x, x + 1e-3, rtol=1e-3), x.isclose(x + 0.5, atol=0.6)),
           samples=[S(A(3, 4)), S(A(3, 4, low=1000, high=2000))], grad=False),
    OpInfo("isclose_special", lambda m, x: (m.isclose(m.tensor(SPECIAL, dtype=x.dtype), x),
                                            m.isclose(m.tensor(SPECIAL, dtype=x.dtype), x, equal_nan=True),
                                            m.isclose(x, x, equal_nan=True)),
           samples=[S(A(6))], grad=False),
    OpInfo("allclose", samples=[S(A(3, 4), A(3, 4)), S(A(3, 4), A(4)), S(A(3), A(3), rtol=0, atol=20),
                                S(A(3), A(3, dtype="float64"))], dtypes=ALL, grad=False),
    OpInfo("allclose_near", lambda m, x: (m.allclose(x, x + 1e-7), x.allclose(x + 1e-3), m.allclose(x, x[0])),
           samples=[S(A(3, 4))], grad=False),
    OpInfo("equal", samples=[S(A(3, 4), A(3, 4)), S(A(3, 4), A(4)), S(A(3), A(3, dtype="float64")), S(A(3), 1)],
           dtypes=ALL, grad=False),
    OpInfo("equal_same", lambda m, x: (m.equal(x, x.clone()), x.equal(x), m.equal(x, x.double()),
                                       m.equal(x[:0], x[:0])),
           samples=[S(A(3, 4)), S(A()), S(A(2, 3, noncontig=True))], dtypes=ALL, grad=False),
]
for _name in ("isnan", "isinf", "isposinf", "isneginf", "isfinite", "isreal"):
    OPS += [
        OpInfo(_name, samples=[S(A(3, 4)), S(A()), S(A(0, 3)), S(A(2, 3, noncontig=True))], dtypes=ALL, grad=False),
        OpInfo(_name + "_special", lambda m, x, _n=_name: (getattr(m, _n)(m.tensor(SPECIAL, dtype=x.dtype) * x),
                                                           getattr(x, _n)()),
               samples=[S(A(6))], grad=False),
    ]

test_values, test_grads, test_gradcheck, test_gradgradcheck = make_tests(OPS)


def _error(fn):
    try:
        fn()
    except Exception as exc:  # compared by the caller
        return type(exc), str(exc).split("\n")[0]
    return None


@pytest.mark.parametrize("fn", [
    lambda m, x: m.eq(x, m.ones(2)), lambda m, x: m.lt(m.ones(4, 2, 3), m.ones(5, 3)),
    lambda m, x: m.ge(m.ones(3), m.ones(2, 3, 4)), lambda m, x: m.isclose(x, x.double()),
    lambda m, x: m.isclose(x, x, rtol=-1), lambda m, x: m.isclose(x, x, atol=-0.5),
    lambda m, x: m.isclose(m.ones(2), m.ones(3)), lambda m, x: m.allclose(x, x.double()),
    lambda m, x: m.isclose(x, 1.0), lambda m, x: m.equal(x, 1),
])
def test_errors_match_torch(fn):
    x = np.arange(6.).reshape(2, 3).astype(np.float32)
    t, e = _error(lambda: fn(torch, torch.tensor(x))), _error(lambda: fn(ember, ember.tensor(x)))
    assert t is not None and e == t


def test_comparisons_have_no_gradient():
    x = ember.randn(3, requires_grad=True)
    for r in (x > 0, x == x, ember.isclose(x, x), ember.isnan(x)):
        assert r.dtype == ember.bool and not r.requires_grad and r.grad_fn is None


def test_out_argument_casts():
    for m in (torch, ember):
        x = m.tensor([1., 2., 3.])
        o = m.empty(0)
        m.lt(x, 2.5, out=o)
        assert o.dtype == m.float32 and o.tolist() == [1., 1., 0.]
