"""Reductions, scans and softmax against PyTorch: values, dtypes, indices, gradients."""
import math
import pickle

import numpy as np
import pytest
import torch

import ember
from opinfo import A, S, OpInfo, make_tests, FLOATS, ALL, INTS

INF = math.inf
# dims: all, one, negative with keepdim, a tuple, 0-d, empty, non-contiguous
RED = [S(A(3, 4)), S(A(3, 4), 1), S(A(3, 4), -1, True), S(A(2, 3, 4), (0, 2)), S(A(2, 3, 4), dim=(-1, 0), keepdim=True),
       S(A()), S(A(), 0), S(A(0, 3)), S(A(0, 3), 1), S(A(0, 3), 0), S(A(3, 4, noncontig=True), 0), S(A(3, 4), ())]
# ops without an identity (max, ...): distinct values so the gradient has one home
EXT = [S(A(3, 4, distinct=True)), S(A(3, 4, distinct=True), 1), S(A(3, 4, distinct=True), -1, True), S(A(), 0),
       S(A(2, 3, 4, distinct=True, noncontig=True), 0), S(A(0, 3), 1), S(A(0, 3), 0), S(A(0, 3))]
TUPLE_EXT = [S(A(3, 4, distinct=True)), S(A(2, 3, 4, distinct=True), (0, 2)), S(A(3, 4, distinct=True), -1, True),
             S(A()), S(A(0, 3), 1), S(A(0, 3), 0), S(A(0, 3)), S(A(3, 4, distinct=True, noncontig=True), ())]
SCAN = [S(A(3, 4), 1), S(A(3, 4), 0), S(A(2, 3, 4), -1), S(A(), 0), S(A(0, 3), 0), S(A(3, 4, noncontig=True), 1)]
ONE_DIM = [S(A(3, 4), 1), S(A(3, 4), 0), S(A(2, 3, 4), -2), S(A(), 0), S(A(0, 3), 1), S(A(3, 4, noncontig=True), -1)]
MOMENTS = [S(A(3, 4)), S(A(3, 4), 1), S(A(3, 4), (0, 1), keepdim=True), S(A(3, 4), 1, False), S(A(3, 4), False),
           S(A(3, 4), 1, correction=0), S(A(3, 5), dim=-1, correction=2, keepdim=True), S(A(2, 3, 4), (0, 2)),
           S(A(3, 4, noncontig=True), 0)]
ZERO_ROWS = [[1., 0, 2, 1], [0, 1, 0, 1], [1, 1, 1, 1]]  # one zero, two zeros, none


NAN = math.nan
NAN_ROWS = [[0., NAN, 0, 0], [NAN, NAN, 0, 0], [0, 0, 0, 0]]


def _with_nans(m, x):
    """x (3, 4) with NaNs added by a constant: inputs for the nan* ops whose gradient is 1 at
    the non-NaN elements."""
    return x + m.tensor(NAN_ROWS, dtype=x.dtype if x.is_floating_point() else m.float32)


OPS = [
    OpInfo("sum", samples=RED + [S(A(3, 4), 1, dtype="dtype:float64")], dtypes=ALL, gradgradcheck=True),
    OpInfo("sum_int_dtype", lambda m, x: (x.sum(dtype=m.int32), x.sum(1, dtype=m.uint8)), samples=[S(A(3, 4))],
           dtypes=ALL, grad=False),
    OpInfo("nansum", samples=RED, dtypes=ALL),
    OpInfo("nansum_nan", lambda m, x, *a, **k: m.nansum(_with_nans(m, x), *a, **k),
           samples=[S(A(3, 4)), S(A(3, 4), 1), S(A(3, 4), 0, True)]),
    OpInfo("mean", samples=RED + [S(A(3, 4), 1, dtype="dtype:float64")], dtypes=FLOATS + ("int64", "bool"),
           gradgradcheck=True),
    OpInfo("mean_int_dtype", lambda m, x: m.mean(x, 1, dtype=m.float64), samples=[S(A(3, 4))], dtypes=INTS),
    OpInfo("nanmean", samples=RED[:6], dtypes=FLOATS + ("int64",)),
    OpInfo("nanmean_nan", lambda m, x, *a, **k: m.nanmean(_with_nans(m, x), *a, **k),
           samples=[S(A(3, 4)), S(A(3, 4), 1), S(A(3, 4), 0, True)]),
    OpInfo("prod", samples=[S(A(3, 4)), S(A(3, 4), 1), S(A(3, 4), -1, True), S(A()), S(A(), 0), S(A(0, 3)),
                            S(A(0, 3), 0), S(A(3, 4, noncontig=True), 0), S(A(3, 4), 1, dtype="dtype:float64"),
                            S(A(3, 4), (0, 1))],
           dtypes=ALL, gradgradcheck=True),
    OpInfo("prod_zeros", lambda m, x: ((x * m.tensor(ZERO_ROWS)).prod(1), (x * m.tensor(ZERO_ROWS[0])).prod()),
           samples=[S(A(3, 4))], gradgradcheck=True),
    OpInfo("max", samples=EXT + [S(A(3, 4), 1.5)], dtypes=ALL),
    OpInfo("min", samples=EXT, dtypes=ALL),
    OpInfo("max_kw", lambda m, x: m.max(x, dim=1, keepdim=True), samples=[S(A(3, 4, distinct=True))], dtypes=ALL),
    OpInfo("amax", samples=TUPLE_EXT, dtypes=ALL),
    OpInfo("amin", samples=TUPLE_EXT, dtypes=ALL),
    OpInfo("aminmax", samples=[S(A(3, 4, distinct=True)), S(A(3, 4, distinct=True), dim=1),
                               S(A(3, 4, distinct=True), dim=-1, keepdim=True), S(A()), S(A(0, 3)),
                               S(A(0, 3), dim=1), S(A(0, 3), dim=0)], dtypes=ALL),
    OpInfo("argmax", samples=EXT + [S(A(3, 4), keepdim=True)], dtypes=ALL, grad=False),
    OpInfo("argmin", samples=EXT + [S(A(3, 4), keepdim=True)], dtypes=ALL, grad=False),
    OpInfo("median", samples=EXT + [S(A(3, 5, distinct=True), 1), S(A(4, 6, low=0, high=3), 1)], dtypes=ALL),
    OpInfo("nanmedian", samples=EXT + [S(A(4, 6, low=0, high=3), 1)], dtypes=ALL),
    OpInfo("median_nan", lambda m, x, *a: (m.median(_with_nans(m, x), *a),
                                           m.nanmedian(_with_nans(m, x), *a)),
           samples=[S(A(3, 4)), S(A(3, 4), 1), S(A(3, 4), 0)], grad=False),
    OpInfo("mode", samples=[S(A(3, 4, distinct=True)), S(A(3, 5, distinct=True), 0), S(A(3, 4, distinct=True), 1, True),
                            S(A()), S(A(0, 3), 1), S(A(0, 3), 0), S(A(4, 7, low=0, high=3), 1)], dtypes=ALL),
    OpInfo("var", samples=MOMENTS, dtypes=FLOATS + ("int64",), gradgradcheck=True),
    OpInfo("std", samples=MOMENTS, dtypes=FLOATS + ("int64",), gradgradcheck=True),
    OpInfo("var_mean", samples=MOMENTS, dtypes=FLOATS + ("int64",)),
    OpInfo("std_mean", samples=MOMENTS, dtypes=FLOATS),
    OpInfo("std_no_dof", lambda m, x, *a: (m.std(x, *a), m.var(x, *a, correction=3), m.var_mean(x, *a)),
           samples=[S(A(1, 2), 0), S(A()), S(A(0, 3), 1), S(A(0, 3))], grad=False),
    OpInfo("norm", samples=[S(A(3, 4)), S(A(3, 4), 2, 1), S(A(3, 4), dim=(0, 1), keepdim=True), S(A(3, 4), 1, 1),
                            S(A(3, 4, distinct=True), INF), S(A(3, 4, distinct=True), -INF, 1, True), S(A(3, 4), 0, 1),
                            S(A(3, 4), "fro", (0, 1)), S(A(3, 4), 3, -1), S(A(3, 4), -2, 1), S(A(3, 4), 0.5, 1),
                            S(A(3, 4), dtype="dtype:float64"), S(A()), S(A(0, 3)), S(A(0, 3), INF),
                            S(A(0, 3), INF, 1), S(A(2, 3, 4, noncontig=True), 2, (0, 2)), S(A(3, 4), "nope")],
           dtypes=FLOATS + ("int64",), gradgradcheck=True),
    OpInfo("dist", samples=[S(A(3, 4), A(4)), S(A(3, 4), A(3, 4), 1), S(A(3, distinct=True), A(3), INF),
                            S(A(2, 3), A(3), 3), S(A(), A(3))],
           dtypes=FLOATS + ("int64",), gradgradcheck=True),
    OpInfo("logsumexp", samples=[S(A(3, 4), 1), S(A(3, 4), (0, 1)), S(A(3, 4), -1, True), S(A(), 0), S(A(0, 3), 0),
                                 S(A(0, 3), 1), S(A(3, 4, noncontig=True), 0), S(A(3, 4, low=500, high=900), 1),
                                 S(A(3, 4, low=-900, high=-500), 1)],
           dtypes=ALL, gradgradcheck=True),
    OpInfo("softmax", samples=[S(A(3, 4), 1), S(A(3, 4), 0), S(A(2, 3, 4), -1), S(A(), 0), S(A(0, 3), 1),
                               S(A(3, 4), 1, dtype="dtype:float64"), S(A(3, 4, low=500, high=900), 1),
                               S(A(3, 4, noncontig=True), -1)],
           dtypes=ALL, gradgradcheck=True),
    OpInfo("log_softmax", samples=[S(A(3, 4), 1), S(A(3, 4), 0), S(A(2, 3, 4), -1), S(A(), 0), S(A(0, 3), 1),
                                   S(A(3, 4), 1, dtype="dtype:float64"), S(A(3, 4, low=500, high=900), 1),
                                   S(A(3, 4, noncontig=True), -1)],
           dtypes=ALL, gradgradcheck=True),
    OpInfo("softmax_int_dtype", lambda m, x: (m.softmax(x, 1, dtype=m.float32), m.log_softmax(x, 0, m.float64)),
           samples=[S(A(3, 4))], dtypes=INTS, grad=False),
    OpInfo("dist_p0", lambda m, x, y: m.dist(x, y, 0), samples=[S(A(2, 3), A(3))], grad=False),
    OpInfo("softmax_methods", lambda m, x: (x.softmax(1), x.log_softmax(dim=0), m.nn.functional.softmax(x, -1),
                                            m.nn.functional.log_softmax(x, dim=1)), samples=[S(A(3, 4))]),
    OpInfo("cumsum", samples=SCAN + [S(A(3, 4), -1, dtype="dtype:float64")], dtypes=ALL, gradgradcheck=True),
    OpInfo("cumprod", samples=SCAN + [S(A(3, 4), 1, dtype="dtype:float64")], dtypes=ALL, gradgradcheck=True),
    OpInfo("cumprod_zeros", lambda m, x: (x * m.tensor(ZERO_ROWS)).cumprod(1), samples=[S(A(3, 4))]),
    OpInfo("cummax", samples=ONE_DIM, dtypes=ALL),
    OpInfo("cummin", samples=ONE_DIM, dtypes=ALL),
    OpInfo("cummax_ties", lambda m, x: (m.cummax(x, 1), m.cummin(x, 0)), samples=[S(A(5, 6, low=0, high=3))],
           dtypes=INTS + ("bool",)),
    OpInfo("cummax_nan", lambda m, x: (m.cummax(_with_nans(m, x), 1), m.cummin(_with_nans(m, x), 1)),
           samples=[S(A(3, 4))], grad=False),
    OpInfo("all", samples=RED, dtypes=ALL, grad=False),
    OpInfo("any", samples=RED, dtypes=ALL, grad=False),
    OpInfo("count_nonzero", samples=[s for s in RED if "keepdim" not in s.kwargs and len(s.args) < 3],
           dtypes=ALL, grad=False),
]

test_values, test_grads, test_gradcheck, test_gradgradcheck = make_tests(OPS)


def _both(fn, *arrays, grad=False):
    """fn run on torch and on ember tensors made from the same arrays."""
    out = []
    for m in (torch, ember):
        ts = [m.tensor(a, requires_grad=grad) for a in arrays]
        out.append((fn(m, *ts), ts))
    return out


TIES = np.array([[1., 3., 3.], [2., 2., 0.]])


@pytest.mark.parametrize("name,fn", [
    ("max", lambda m, x: x.max()), ("min", lambda m, x: x.min()), ("amax", lambda m, x: x.amax(1)),
    ("amin0", lambda m, x: x.amin(0)), ("max_dim", lambda m, x: x.max(1).values),
    ("min_dim", lambda m, x: x.min(0)[0]), ("aminmax", lambda m, x: m.aminmax(x)[0] + m.aminmax(x)[1] * 2),
    ("median", lambda m, x: x.median()), ("median_dim", lambda m, x: x.median(1).values),
    ("nanmedian", lambda m, x: x.nanmedian()), ("norm_inf", lambda m, x: x.norm(INF)),
    ("norm_minf", lambda m, x: x.norm(-INF, dim=1)), ("cummax", lambda m, x: x.cummax(1).values),
    ("cummin", lambda m, x: x.cummin(0).values), ("sort", lambda m, x: x.sort(1).values),
    ("mode", lambda m, x: x.mode(1).values),
])
def test_gradient_with_ties(name, fn):
    """Whole-tensor max/min/amax/median split the gradient among tied elements; the ops along
    a dim send it to the index they return (the first for max/min, as PyTorch picks for the
    others)."""
    (t, (tx,)), (e, (ex,)) = _both(fn, TIES, grad=True)
    rng = np.random.default_rng(0)
    g = rng.standard_normal(tuple(t.shape))
    t.backward(torch.tensor(g))
    e.backward(ember.tensor(g))
    np.testing.assert_allclose(ex.grad.numpy(), tx.grad.numpy())


def test_prod_gradient_with_zeros():
    x = np.array([[2., 0., 3.], [0., 0., 5.], [1., 2., 4.]])
    for fn in (lambda m, t: t.prod(1).sum(), lambda m, t: t[0].prod() + t[1].prod(), lambda m, t: t.prod()):
        (t, (tx,)), (e, (ex,)) = _both(fn, x, grad=True)
        t.backward()
        e.backward()
        np.testing.assert_allclose(ex.grad.numpy(), tx.grad.numpy())


def test_cumprod_gradient_with_zeros():
    x = np.array([[2., 0., 3., 4.], [0., 2., 0., 5.], [1., 2., 4., 0.], [0.5, 2., 3., 4.]])
    g = np.random.default_rng(0).standard_normal(x.shape)
    (t, (tx,)), (e, (ex,)) = _both(lambda m, t: t.cumprod(1), x, grad=True)
    t.backward(torch.tensor(g))
    e.backward(ember.tensor(g))
    np.testing.assert_allclose(ex.grad.numpy(), tx.grad.numpy())


def test_norm_gradient_at_zero_is_zero():
    for p in (2, "fro", 1, 3):
        (t, (tx,)), (e, (ex,)) = _both(lambda m, t: t.norm(p), np.zeros(3), grad=True)
        t.backward()
        e.backward()
        np.testing.assert_array_equal(ex.grad.numpy(), tx.grad.numpy())
        assert not ex.grad.numpy().any()


def test_std_gradient_of_constant_is_zero():
    (t, (tx,)), (e, (ex,)) = _both(lambda m, t: t.std(1).sum(), np.ones((2, 3)), grad=True)
    t.backward()
    e.backward()
    np.testing.assert_array_equal(ex.grad.numpy(), tx.grad.numpy())


@pytest.mark.parametrize("fn", [
    lambda m, x: x.sum(), lambda m, x: x.sum(1), lambda m, x: x.sum(()), lambda m, x: x.sum(dtype=m.float64),
    lambda m, x: x.mean(), lambda m, x: x.mean(0), lambda m, x: x.nansum(), lambda m, x: x.nanmean(1),
    lambda m, x: x.prod(), lambda m, x: x.prod(1), lambda m, x: x.max(), lambda m, x: x.max(1)[0],
    lambda m, x: x.min(), lambda m, x: x.min(0).values, lambda m, x: x.amax(), lambda m, x: x.amin(1),
    lambda m, x: m.aminmax(x).max, lambda m, x: x.std(), lambda m, x: x.var(1), lambda m, x: m.std_mean(x)[1],
    lambda m, x: m.var_mean(x, 1)[0], lambda m, x: x.norm(), lambda m, x: x.norm(INF, 1),
    lambda m, x: m.dist(x, x * 2), lambda m, x: x.logsumexp(1), lambda m, x: x.softmax(1),
    lambda m, x: x.log_softmax(0), lambda m, x: x.cumsum(1), lambda m, x: x.cumprod(0),
    lambda m, x: x.cummax(1)[0], lambda m, x: x.cummin(0)[0], lambda m, x: x.median(),
    lambda m, x: x.median(1)[0], lambda m, x: x.nanmedian(), lambda m, x: x.nanmedian(0)[0],
    lambda m, x: x.mode(1)[0],
])
def test_grad_fn_names(fn):
    x = np.random.default_rng(0).standard_normal((3, 4))
    (t, _), (e, _) = _both(fn, x, grad=True)
    assert e.grad_fn.name() == t.grad_fn.name()


def test_no_degrees_of_freedom_warns_like_torch():
    for m in (torch, ember):
        with pytest.warns(UserWarning, match="degrees of freedom is <= 0"):
            assert math.isnan(m.tensor([1.]).std().item())


def test_indices_are_int64_and_not_differentiable():
    x = ember.randn(3, 4, requires_grad=True)
    for r in (x.max(1), x.min(0), x.median(1), x.mode(1), x.cummax(1), x.nanmedian(0)):
        assert r.indices.dtype == ember.int64 and not r.indices.requires_grad and r.values.requires_grad
    assert x.argmax().dtype == ember.int64 and not x.argmax(1).requires_grad


def test_return_types_behave_like_torch():
    x = [[1., 5., 3.], [4., 0., 2.]]
    (t, _), (e, _) = _both(lambda m, t: t.max(1), x)
    assert repr(e) == repr(t)
    assert type(e).__name__ == "max" and len(e) == 2 and e.n_fields == 2
    values, indices = e
    assert values is e[0] is e.values and indices is e.indices
    assert repr(_both(lambda m, t: m.aminmax(t), x)[1][0]) == repr(_both(lambda m, t: m.aminmax(t), x)[0][0])
    assert isinstance(e, ember.return_types.max) and isinstance(e, tuple)
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is type(e) and back.indices.tolist() == [1, 0]


def test_out_arguments():
    x = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    for m in (torch, ember):
        t = m.tensor(x)
        v, i = m.empty(0), m.empty(0, dtype=m.int64)
        r = m.max(t, 1, out=(v, i))
        s = m.empty(0)
        m.sum(t, 0, out=s)
        c = m.empty(0)
        m.cumsum(t, 1, out=c)
        o = m.empty(0, dtype=m.bool)
        m.any(t > 1, 1, out=o)
        if m is torch:
            expect = (v.numpy().copy(), i.numpy().copy(), s.numpy().copy(), c.numpy().copy(), o.numpy().copy())
            assert r[0] is v
        else:
            got = (v.numpy(), i.numpy(), s.numpy(), c.numpy(), o.numpy())
            assert r[0] is v and r.indices is i
    for g, w in zip(got, expect):
        np.testing.assert_allclose(g, w, rtol=1e-6)


def test_inplace_scans():
    x = np.arange(1., 7.).reshape(2, 3)
    (t, (tx,)), (e, (ex,)) = _both(lambda m, t: (t.cumsum_(1), t.cumprod_(0)), x)
    np.testing.assert_array_equal(ex.numpy(), tx.numpy())


def _error(fn):
    try:
        fn()
    except Exception as exc:  # compared by the caller
        return type(exc), str(exc).split("\n")[0]
    return None


@pytest.mark.parametrize("fn", [
    lambda m, x: x.sum(2), lambda m, x: x.sum((0, 0)), lambda m, x: x.mean(-3), lambda m, x: x.max(2),
    lambda m, x: x.min(-3), lambda m, x: x.amax(5), lambda m, x: x.argmax(2), lambda m, x: x.std(2),
    lambda m, x: x.norm(dim=3), lambda m, x: x.logsumexp(2), lambda m, x: x.softmax(2),
    lambda m, x: x.log_softmax(-3), lambda m, x: x.cumsum(2), lambda m, x: x.cummax(-3), lambda m, x: x.median(2),
    lambda m, x: x.mode(2), lambda m, x: x.prod(2), lambda m, x: x.all(2), lambda m, x: x.count_nonzero(2),
    lambda m, x: m.aminmax(x, dim=4), lambda m, x: m.tensor(1.).sum(1),
    lambda m, x: m.zeros(0, 3).max(), lambda m, x: m.zeros(0, 3).max(0), lambda m, x: m.zeros(0, 3).amin(),
    lambda m, x: m.zeros(0, 3).amax(0), lambda m, x: m.zeros(0, 3).argmax(), lambda m, x: m.zeros(0, 3).argmin(0),
    lambda m, x: m.aminmax(m.zeros(0, 3)), lambda m, x: m.aminmax(m.zeros(0, 3), dim=0),
    lambda m, x: m.zeros(0, 3).median(0), lambda m, x: m.zeros(0, 3).mode(0),
    lambda m, x: m.zeros(0, 3).norm(INF), lambda m, x: m.zeros(0, 3).norm(INF, 0),
    lambda m, x: x.long().mean(), lambda m, x: x.long().std(), lambda m, x: x.bool().var(),
    lambda m, x: x.long().norm(), lambda m, x: x.norm(dtype=m.int64), lambda m, x: x.norm("nope"),
    lambda m, x: x.norm("fro", (0, 1, 1)), lambda m, x: x.long().softmax(0), lambda m, x: x.bool().log_softmax(0),
    lambda m, x: x.softmax(0, dtype=m.int64), lambda m, x: x.long().nanmean(), lambda m, x: x.bool().argmax(),
    lambda m, x: x.bool().median(), lambda m, x: x.bool().median(0), lambda m, x: m.dist(x.long(), x.long()),
])
def test_errors_match_torch(fn):
    x = np.arange(6.).reshape(2, 3)
    t, e = _error(lambda: fn(torch, torch.tensor(x))), _error(lambda: fn(ember, ember.tensor(x)))
    assert t is not None and e == t


def test_nuclear_norm_is_the_sum_of_singular_values_like_pytorch():
    x = np.random.default_rng(0).standard_normal((3, 4, 5))
    results = []
    for m in (torch, ember):
        t = m.from_numpy(x.copy()).requires_grad_()
        a, b = m.norm(t[0], p="nuc"), m.norm(t, p="nuc", dim=(1, 2))
        c = m.norm(t, p="nuc", dim=(0, 2), keepdim=True)
        (a + b.sum() + c.sum()).backward()
        results.append([a.detach().numpy(), b.detach().numpy(), c.detach().numpy(), t.grad.numpy()])
    for e, t in zip(*results[::-1]):
        assert e.shape == t.shape
        np.testing.assert_allclose(e, t, rtol=1e-10)
