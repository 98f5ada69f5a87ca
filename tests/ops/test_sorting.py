"""Sorting, selection, unique and searchsorted against PyTorch: values, indices, gradients."""
import math

import numpy as np
import pytest
import torch

import ember
from opinfo import A, S, OpInfo, make_tests, FLOATS, ALL, INTS

NAN_ROWS = [[0., math.nan, 0, 0, 0], [math.nan, 0, 0, math.nan, 0], [0, 0, 0, 0, 0]]
# integer samples have ties (values in [0, 4)); PyTorch's sort is stable for up to 16 elements
SORT = [S(A(3, 5)), S(A(3, 5), 0), S(A(3, 5), 1, True), S(A(4, 6, low=0, high=4), descending=True, stable=True),
        S(A(4, 6, low=0, high=4), 0), S(A()), S(A(0, 3)), S(A(0, 3), 0), S(A(2, 3, 4), -2),
        S(A(3, 5, noncontig=True), -1, True), S(A(3, 5), 2)]
# topk and kthvalue break ties as PyTorch's quickselect does: distinct values only
TOPK = [S(A(3, 5, distinct=True), 2), S(A(3, 5, distinct=True), 2, 0), S(A(3, 5, distinct=True), 3, largest=False),
        S(A(3, 5, distinct=True), 5, -1), S(A(3, 5), 0), S(A(3, 5), 6), S(A(3, 5), -1), S(A(), 1),
        S(A(0, 3), 2), S(A(0, 3), 1, 0), S(A(2, 8, distinct=True, noncontig=True), 3, 1, False)]
KTH = [S(A(3, 5, distinct=True), 2), S(A(3, 5, distinct=True), 1, 0), S(A(3, 5, distinct=True), 5, 1, True),
       S(A(3, 5), 6), S(A(3, 5), 0), S(A(), 1), S(A(0, 3), 1, 0), S(A(0, 3), 1, 1),
       S(A(2, 7, distinct=True, noncontig=True), 4, -1)]
UNIQUE = [S(A(10, low=0, high=4)), S(A(3, 4, low=0, high=3), return_inverse=True, return_counts=True),
          S(A(5, 2, low=0, high=2), dim=0, return_inverse=True, return_counts=True),
          S(A(2, 5, low=0, high=2), dim=-1, return_counts=True), S(A(), return_inverse=True), S(A(0, 2)),
          S(A(0, 2), return_inverse=True, return_counts=True), S(A(3, 4), sorted=False), S(A(3, 4), dim=2)]


def _with_nans(m, x):
    return x + m.tensor(NAN_ROWS, dtype=x.dtype)


OPS = [
    OpInfo("sort", samples=SORT, dtypes=ALL),
    OpInfo("sort_nan", lambda m, x, *a, **k: m.sort(_with_nans(m, x), *a, **k),
           samples=[S(A(3, 5)), S(A(3, 5), descending=True)], gradcheck=False),
    OpInfo("argsort", samples=SORT, dtypes=ALL, grad=False),
    OpInfo("msort", samples=[S(A(4, 3)), S(A(5)), S(A()), S(A(0, 2)), S(A(6, 2, low=0, high=3))], dtypes=ALL),
    OpInfo("topk", samples=TOPK, dtypes=ALL),
    OpInfo("topk_nan", lambda m, x, *a, **k: m.topk(_with_nans(m, x), *a, **k),
           samples=[S(A(3, 5), 2), S(A(3, 5), 3, largest=False)], gradcheck=False),
    OpInfo("topk_unsorted", lambda m, x: m.topk(x, 3, sorted=False).values.sort().values,
           samples=[S(A(3, 6, distinct=True))], dtypes=FLOATS + INTS),
    OpInfo("kthvalue", samples=KTH, dtypes=ALL),
    OpInfo("unique", samples=UNIQUE, dtypes=ALL, grad=False),
    OpInfo("unique_method", lambda m, x: (x.unique(), x.unique(return_counts=True)), samples=[S(A(8, low=0, high=3))],
           dtypes=ALL, grad=False),
    OpInfo("unique_consecutive", samples=[
        S(A(12, low=0, high=2)), S(A(12, low=0, high=2), return_inverse=True, return_counts=True),
        S(A(3, 4, low=0, high=2), return_inverse=True), S(A(6, 2, low=0, high=2), dim=0, return_counts=True),
        S(A(2, 6, low=0, high=2), dim=1, return_inverse=True), S(A()), S(A(0, 3), return_counts=True)],
        dtypes=ALL, grad=False),
    OpInfo("searchsorted", lambda m, s, v, **k: m.searchsorted(s.sort().values, v, **k),
           samples=[S(A(6, low=0, high=6), A(3, 4, low=-1, high=8)),
                    S(A(6, low=0, high=6), A(5, low=0, high=6), right=True),
                    S(A(6, low=0, high=6), A(5, low=0, high=6), side="right"),
                    S(A(6, low=0, high=6), A(5, low=0, high=6), out_int32=True),
                    S(A(2, 5, low=0, high=6), A(2, 3, low=0, high=6)), S(A(2, 5), A(3)), S(A(6), A(0)),
                    S(A(6), A(3), side="left", right=True), S(A(6), A(3), side="middle")],
           dtypes=FLOATS + INTS, grad=False),
    OpInfo("searchsorted_scalar", lambda m, s: (m.searchsorted(s.sort().values, 2),
                                                m.searchsorted(s, 3, sorter=s.argsort())),
           samples=[S(A(6, low=0, high=6))], dtypes=FLOATS + INTS, grad=False),
    OpInfo("bucketize", lambda m, x, b, **k: m.bucketize(x, b.sort().values, **k),
           samples=[S(A(3, 4, low=0, high=8), A(5, low=0, high=8)),
                    S(A(3, 4, low=0, high=8), A(5, low=0, high=8), right=True),
                    S(A(5), A(4), out_int32=True), S(A(), A(3)), S(A(3), A(2, 2))],
           dtypes=FLOATS + INTS, grad=False),
    OpInfo("bucketize_scalar", lambda m, b: (m.bucketize(3, b.sort().values), m.bucketize(3, b, right=True)),
           samples=[S(A(5, low=0, high=6))], dtypes=FLOATS + INTS, grad=False),
]

test_values, test_grads, test_gradcheck, test_gradgradcheck = make_tests(OPS)


def test_sort_is_stable_like_torch_on_short_slices():
    """PyTorch's CPU sort keeps tied elements in order on slices of up to 16 elements."""
    rng = np.random.default_rng(0)
    for n in (2, 5, 16):
        x = rng.integers(0, 3, (4, n))
        for desc in (False, True):
            t, e = torch.tensor(x).sort(1, descending=desc), ember.tensor(x).sort(1, descending=desc)
            np.testing.assert_array_equal(e.indices.numpy(), t.indices.numpy())


def test_stable_sort_matches_torch_on_long_slices():
    x = np.random.default_rng(1).integers(0, 4, (3, 50))
    for desc in (False, True):
        t = torch.tensor(x).sort(stable=True, dim=1, descending=desc)
        e = ember.tensor(x).sort(stable=True, dim=1, descending=desc)
        np.testing.assert_array_equal(e.indices.numpy(), t.indices.numpy())
        np.testing.assert_array_equal(e.values.numpy(), t.values.numpy())


@pytest.mark.parametrize("fn", [
    lambda m, x: x.sort(1).values, lambda m, x: m.msort(x), lambda m, x: x.topk(2).values,
    lambda m, x: x.kthvalue(2, 0).values, lambda m, x: m.unique(x), lambda m, x: m.unique(x, dim=0),
    lambda m, x: m.unique_consecutive(x),
])
def test_grad_fn_names(fn):
    x = np.random.default_rng(0).standard_normal((3, 4))
    t, e = fn(torch, torch.tensor(x, requires_grad=True)), fn(ember, ember.tensor(x, requires_grad=True))
    assert e.grad_fn.name() == t.grad_fn.name()


def test_unique_has_no_derivative():
    for m in (torch, ember):
        x = m.tensor([3., 1., 3.], requires_grad=True)
        with pytest.raises(NotImplementedError, match="the derivative for '_unique2' is not implemented"):
            m.unique(x).sum().backward()


def test_sort_result_repr_and_out():
    x = [[3., 1., 2.], [0., 5., 4.]]
    t, e = torch.tensor(x).sort(1), ember.tensor(x).sort(1)
    assert repr(e) == repr(t) and repr(ember.tensor(x).topk(1)) == repr(torch.tensor(x).topk(1))
    v, i = ember.empty(0), ember.empty(0, dtype=ember.int64)
    r = ember.sort(ember.tensor(x), 0, out=(v, i))
    assert r.values is v and v.tolist() == [[0., 1., 2.], [3., 5., 4.]] and i.tolist() == [[1, 0, 0], [0, 1, 1]]


def _error(fn):
    try:
        fn()
    except Exception as exc:  # compared by the caller
        return type(exc), str(exc).split("\n")[0]
    return None


@pytest.mark.parametrize("fn", [
    lambda m, x: x.sort(2), lambda m, x: x.argsort(-3), lambda m, x: x.topk(4), lambda m, x: x.topk(-1),
    lambda m, x: x.topk(1, 2), lambda m, x: x.bool().topk(1), lambda m, x: x.kthvalue(4, 1),
    lambda m, x: x.kthvalue(0), lambda m, x: x.bool().kthvalue(1), lambda m, x: m.zeros(0, 3).kthvalue(1, 0),
    lambda m, x: m.unique(x, dim=2), lambda m, x: m.unique_consecutive(x, dim=-3),
    lambda m, x: m.searchsorted(m.tensor([[1., 3]]), m.tensor([2., 3])),
    lambda m, x: m.searchsorted(m.tensor([1., 3]), m.tensor([2.]), side="left", right=True),
    lambda m, x: m.bucketize(m.tensor([1.5]), m.tensor([[1., 2]])),
])
def test_errors_match_torch(fn):
    x = np.arange(6.).reshape(2, 3)
    t, e = _error(lambda: fn(torch, torch.tensor(x))), _error(lambda: fn(ember, ember.tensor(x)))
    assert t is not None and e == t
