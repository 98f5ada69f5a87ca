"""Indexing against PyTorch: reads (views and copies), writes with gradients, gather/scatter,
masks, where, in-place ops on views."""
import numpy as np
import pytest
import torch

import ember
from opinfo import A, S, OpInfo, make_tests, FLOATS, ALL


def I(*shape, high=3, low=0):
    return A(*shape, dtype="int64", low=low, high=high, grad=False)


def M(*shape):
    return A(*shape, dtype="bool", grad=False)


GETITEM = [
    ("int", lambda m, x: x[1]), ("neg_int", lambda m, x: x[-1]), ("slice", lambda m, x: x[1:3]),
    ("step", lambda m, x: x[::2]), ("col", lambda m, x: x[:, 1]), ("int_slice", lambda m, x: x[0, 1:3]),
    ("none", lambda m, x: x[None]), ("ellipsis", lambda m, x: x[..., 1]), ("full", lambda m, x: x[:]),
    ("list", lambda m, x: x[[0, 2, 0]]), ("tensor", lambda m, x: x[m.tensor([2, 0, 2])]),
    ("mask", lambda m, x: x[x > 0]), ("row_mask", lambda m, x: x[m.tensor([True, False, True])]),
    ("mixed", lambda m, x: x[1:, [0, 2]]), ("two_arrays", lambda m, x: x[[0, 1], [2, 3]]),
    ("separated", lambda m, x: x[[0, 1], :, [0, 1]] if x.dim() == 3 else x[[0, 1]]),
    ("tensor_int", lambda m, x: x[m.tensor(1)]), ("out_of_range", lambda m, x: x[5]),
    ("bad_step", lambda m, x: x[::-1]), ("float_index", lambda m, x: x[m.tensor([0.0])]),
]

OPS = [OpInfo(f"getitem_{n}", fn, samples=[S(A(3, 4)), S(A(3, 4, 2, noncontig=True))], dtypes=ALL)
       for n, fn in GETITEM] + [
    OpInfo("index_select", lambda m, x, i, d=0: m.index_select(x, d, i),
           samples=[S(A(3, 4), I(5)), S(A(3, 4), I(2, high=4), 1), S(A(3, 4), I(2, high=9))], dtypes=ALL),
    OpInfo("gather", lambda m, x, i, d: m.gather(x, d, i),
           samples=[S(A(3, 4), I(3, 2, high=4), 1), S(A(3, 4), I(2, 4), 0), S(A(2, 3, 4), I(2, 3, 5, high=4), 2)],
           dtypes=ALL),
    OpInfo("scatter", lambda m, x, i, s, d: m.scatter(x, d, i, s),
           samples=[S(A(3, 5), A(2, 5, dtype="int64", low=0, high=3, grad=False, distinct=True), A(2, 5), 0)]),
    OpInfo("scatter_value", lambda m, x, i, d: m.scatter(x, d, i, 2.5),
           samples=[S(A(3, 5), I(3, 2, high=5), 1)]),
    OpInfo("scatter_add", lambda m, x, i, s, d: m.scatter_add(x, d, i, s),
           samples=[S(A(3, 5), I(4, 5), A(4, 5), 0), S(A(2, 4), I(2, 6, high=4), A(2, 6), 1)]),
    OpInfo("masked_fill", lambda m, x, k, v: m.masked_fill(x, k, v),
           samples=[S(A(3, 4), M(3, 4), 2.5), S(A(3, 4), M(4), -1.0), S(A(3, 4), M(3, 4), A())], dtypes=FLOATS),
    OpInfo("masked_select", lambda m, x, k: m.masked_select(x, k), samples=[S(A(3, 4), M(3, 4)), S(A(3, 4), M(4))],
           dtypes=ALL),
    OpInfo("where", lambda m, c, x, y: m.where(c, x, y),
           samples=[S(M(3, 4), A(3, 4), A(3, 4)), S(M(3, 1), A(4), A(3, 4)), S(M(3, 4), A(3, 4), 0.5)],
           dtypes=ALL),
    OpInfo("nonzero", lambda m, x: (m.nonzero(x), m.nonzero(x, as_tuple=True), m.where(x > 0)),
           samples=[S(A(3, 4)), S(A(5)), S(A())], dtypes=ALL, grad=False),
    OpInfo("take", lambda m, x, i: m.take(x, i), samples=[S(A(3, 4), I(2, 3, high=12))], dtypes=ALL),
    OpInfo("index_add", lambda m, x, i, s: x.index_add(0, i, s, alpha=2),
           samples=[S(A(4, 3), I(5, high=4), A(5, 3))]),
]

test_values, test_grads, test_gradcheck, test_gradgradcheck = make_tests(OPS)

SETITEM = [
    lambda m, x, v: x.__setitem__(0, 5.0),
    lambda m, x, v: x.__setitem__((slice(None), 1), v[:, 0]),
    lambda m, x, v: x.__setitem__([0, 2], v[:2]),
    lambda m, x, v: x.__setitem__(x > 0, 0.0),
    lambda m, x, v: x.__setitem__((1, slice(0, 2)), v[0, :2]),
    lambda m, x, v: x.__setitem__(Ellipsis, v),
    lambda m, x, v: x[0].mul_(v[0, 0]),
    lambda m, x, v: x[:, 1:3].add_(v[:, :2]),
    lambda m, x, v: x.t()[1].zero_() if hasattr(x, "zero_") else None,
]


@pytest.mark.parametrize("case", range(len(SETITEM)))
def test_setitem_and_inplace_on_views_match_pytorch(case):
    rng = np.random.default_rng(case)
    xa = rng.standard_normal((3, 4)).astype(np.float32)
    va = rng.standard_normal((3, 4)).astype(np.float32)
    out = {}
    for m in (torch, ember):
        leaf = m.tensor(xa, requires_grad=True)
        v = m.tensor(va, requires_grad=True)
        x = leaf * 1.0
        SETITEM[case](m, x, v)
        g = m.tensor(np.arange(12, dtype=np.float32).reshape(3, 4))
        (x * g).sum().backward()
        out[m] = (x.detach().numpy().copy(), leaf.grad.numpy().copy(),
                  None if v.grad is None else v.grad.numpy().copy())
    for a, b in zip(out[ember], out[torch]):
        if b is None:
            assert a is None or not a.any()
        else:
            np.testing.assert_allclose(a, b, rtol=1e-6)


def test_views_share_memory_and_version():
    x = ember.zeros(3, 4)
    v = x[1]
    v[2] = 7.0
    assert x[1, 2].item() == 7.0
    assert v._base is x and x._version == v._version
    x[1, 3] = 5.0
    assert v[3].item() == 5.0
    c = x[[1]]
    c[0, 0] = -1.0
    assert x[1, 0].item() == 0.0  # advanced indexing copies


def test_index_errors_match_pytorch():
    cases = [lambda m: m.zeros(3)[3], lambda m: m.zeros(3, 4)[0, 0, 0], lambda m: m.zeros(())[0],
             lambda m: m.zeros(3)[m.tensor([5])], lambda m: m.zeros(3).index_select(0, m.tensor([7])),
             lambda m: m.zeros(2, 3).gather(1, m.tensor([[3]])),
             lambda m: m.zeros(2, 3).__setitem__(0, m.ones(4)),
             lambda m: m.zeros(3).masked_fill(m.tensor([1, 0, 1]), 1.0)]
    for case in cases:
        with pytest.raises(Exception) as te:
            case(torch)
        with pytest.raises(type(te.value)):
            case(ember)


def test_zero_dim_index_in_gather_and_scatter_like_pytorch():
    """PyTorch treats 0-d and 1-d input and index alike in gather/scatter; the quickstart
    tutorial's one-hot target transform is ``zeros(10).scatter_(0, tensor(y), value=1)``."""
    def run(m):
        out = [m.zeros(10).scatter_(0, m.tensor(3), value=1), m.zeros(5).scatter(0, m.tensor(2), m.tensor([7., 8.]))]
        x = m.arange(5., requires_grad=True)
        y = m.gather(x, 0, m.tensor(3))
        (y * 2).backward()
        out += [y, x.grad]
        x = m.tensor(4., requires_grad=True)
        y = m.gather(x, 0, m.tensor([0, 0]))
        y.sum().backward()
        out += [y, x.grad, m.tensor(4.).scatter(0, m.tensor(0), m.tensor(9.))]
        x, s = m.zeros(3, requires_grad=True), m.tensor(5., requires_grad=True)
        y = x.scatter_add(0, m.tensor(1), s)
        y.sum().backward()
        return out + [y, x.grad, s.grad]
    for a, b in zip(run(ember), run(torch)):
        assert tuple(a.shape) == tuple(b.shape)
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())


def test_range_indices_are_lists_of_ints():
    """``input[range(n), target]``, the nn tutorial's negative log-likelihood."""
    def run(m):
        x = m.arange(12.0).reshape(3, 4).requires_grad_()
        y = x[range(3), m.tensor([0, 1, 3])]
        z = x[[0, 2], range(2)] + x[range(2)].sum()
        (y.sum() + z.sum()).backward()
        w = m.zeros(3, 4)
        w[range(3), range(3)] = 1.0
        return [y, z, x.grad, w]
    for e, t in zip(run(ember), run(torch)):
        np.testing.assert_array_equal(e.detach().numpy(), t.detach().numpy())
