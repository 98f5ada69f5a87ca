"""Views whose memory changes in place, against PyTorch: a view's history is rebuilt from its
base after an in-place change (so its gradient is right), the pieces of split/chunk/unbind
share one node and refuse in-place ops, and views made in no_grad mode follow PyTorch's
rules (they require grad as leaves, and refuse in-place ops under grad mode)."""
import numpy as np
import pytest
import torch

import ember


def both(fn):
    return fn(ember), fn(torch)


def outcome(fn):
    """What ``fn()`` gave: its value, or the RuntimeError's message."""
    try:
        return fn()
    except RuntimeError as e:
        return "RuntimeError: " + str(e)


def grad_of(x):
    return x.grad.tolist() if x.grad is not None else None


@pytest.mark.parametrize("make", [
    lambda y: y[0], lambda y: y[1:], lambda y: y.t()[0], lambda y: y.view(6)[2:4], lambda y: y[0:2][1]],
    ids=["select", "slice", "transpose-select", "view-slice", "view-of-view"])
def test_a_view_sees_the_history_of_its_base_after_an_in_place_change(make):
    def run(m):
        x = m.arange(6.0).reshape(3, 2).clone().requires_grad_()
        y = x * 1
        v = make(y)
        y.mul_(3)  # v's values are now three times x's: its gradient must say so
        (v * v).sum().backward()
        return type(v.grad_fn).__name__, grad_of(x)
    e, t = both(run)
    assert e == t
    assert e[0] == "AsStridedBackward0"


def test_in_place_on_one_view_rebases_its_siblings_and_a_leaf_view():
    def run(m):
        x = m.ones(3, 2, requires_grad=True)
        y = x * 1
        v, rest = y[0], y[1:]
        v.mul_(5)
        names = [type(t.grad_fn).__name__ for t in (rest, v, y)]
        (rest.sum() + v.sum()).backward()
        leaf = m.ones(3, 2, requires_grad=True)
        lv = leaf[0]
        with m.no_grad():
            leaf.mul_(2)
        (lv * 1).sum().backward()
        return names, grad_of(x), type(lv.grad_fn).__name__, grad_of(leaf)
    e, t = both(run)
    assert e == t
    assert e[0] == ["AsStridedBackward0", "AsStridedBackward0", "CopySlices"]


@pytest.mark.parametrize("split, node", [
    (lambda y: y.split(2), "SplitBackward0"), (lambda y: y.chunk(2), "SplitBackward0"),
    (lambda y: y.split([1, 3]), "SplitWithSizesBackward0"), (lambda y: y.unbind(), "UnbindBackward0"),
    (lambda y: tuple(y), "UnbindBackward0"), (lambda y: y.tensor_split(2), "SliceBackward0"),
    (lambda y: y.hsplit(3), "SliceBackward0")],
    ids=["split", "chunk", "split_with_sizes", "unbind", "iter", "tensor_split", "hsplit"])
def test_multi_output_views_share_one_node_and_refuse_in_place_ops(split, node):
    def run(m):
        x = m.arange(12.0).reshape(4, 3).clone().requires_grad_()
        y = x * 1
        pieces = split(y)
        shared = [p.grad_fn is pieces[0].grad_fn for p in pieces]
        name = type(pieces[0].grad_fn).__name__
        inplace = outcome(lambda: type(pieces[0].add_(1).grad_fn).__name__)
        leaf = outcome(lambda: split(x)[0].mul_(2) is None)
        return name, shared, inplace, leaf
    e, t = both(run)
    assert e == t
    assert e[0] == node


def test_split_pieces_gradients_and_in_place_rules():
    def run(m):
        x = m.arange(12.0).reshape(4, 3).clone().requires_grad_()
        y = x * 2
        a, b = y.split(2)
        (a.sum() * 2 + b[0].sum()).backward()  # b's unused rows get zeros
        g1 = grad_of(x)
        with m.no_grad():  # in place without a graph: allowed
            a, b = y.split(2)
            a.mul_(2)
        plain = m.ones(4, 3)
        p, _ = plain.split(2)
        p.add_(1)  # nothing requires grad: allowed
        a, b = y.split(2)
        with m.no_grad():
            y.mul_(2)
        rebased = outcome(lambda: a.grad_fn)
        return g1, plain.sum().item(), rebased, repr(a)
    e, t = both(run)
    assert e == t
    assert "Output 0 of Split is a view and its base" in e[2]
    assert e[3].endswith("grad_fn=<Invalid>)")


def test_views_made_in_no_grad_mode():
    def run(m):
        x = m.ones(3, 2, requires_grad=True)
        y = x * 2
        with m.no_grad():
            v = y[0]
        flags = (v.requires_grad, v.is_leaf, v.grad_fn is None, repr(v))
        refused = outcome(lambda: v.mul_(2))
        (v * 3).sum().backward()  # v is a leaf of its own: x gets nothing
        leaf_grads = (grad_of(v), grad_of(x))
        p = m.nn.Parameter(m.ones(3, 2))
        with m.no_grad():
            w = p[0]
            p.mul_(2)
        return flags, refused, leaf_grads, repr(w), outcome(lambda: w.grad_fn)
    e, t = both(run)
    assert e == t
    assert e[1].startswith("RuntimeError: A view was created in no_grad mode and is being modified inplace")


def test_split_and_unbind_gradients_numerically():
    x = ember.randn(2, 8, dtype=ember.float64, requires_grad=True)

    def gates(t):
        i, f, g, o = t.chunk(4, 1)
        return (i.sigmoid() * g.tanh() + f * o).sum()
    assert ember.autograd.gradcheck(gates, (x,))
    assert ember.autograd.gradgradcheck(gates, (x,))
    assert ember.autograd.gradcheck(lambda t: ember.stack(t.unbind(1)[::-1], 1) * 2, (x,))
    assert ember.autograd.gradgradcheck(lambda t: ember.stack(t.split([3, 5], 1)[::-1][0].unbind(0)) ** 2, (x,))


def test_unbind_of_an_empty_dim_and_chunks_of_an_empty_tensor():
    def run(m):
        x = m.zeros(0, 3, requires_grad=True)
        pieces = x.chunk(3)
        return len(x.unbind(0)), [tuple(p.shape) for p in pieces], type(pieces[0].grad_fn).__name__
    e, t = both(run)
    assert e == t
    np.testing.assert_equal(e[0], 0)


@pytest.mark.parametrize("case", [
    lambda m: m.arange(12.).reshape(4, 3).requires_grad_().mul_(2),
    lambda m: m.arange(12.).reshape(4, 3).requires_grad_()[0].mul_(2),
    lambda m: m.ones(4, 3, requires_grad=True)[0].mul_(2),
    lambda m: m.ones(4, 3, requires_grad=True).mul_(2),
    lambda m: m.arange(12.).reshape(4, 3).requires_grad_()[0].__setitem__(0, 5.0),
    lambda m: m.zeros(2, 3)[0].mul_(m.ones(3, requires_grad=True)),
    lambda m: m.arange(6.).reshape(2, 3)[0].mul_(m.ones(3, requires_grad=True)),
], ids=["leaf-made-from-a-view", "view-of-such-a-leaf", "view-of-a-leaf", "leaf", "setitem-on-such-a-leaf",
        "view-modified-by-a-grad-operand", "view-of-a-plain-view"])
def test_in_place_on_leaves_and_their_views(case):
    """PyTorch refuses an in-place op that records a graph on a view that requires grad
    whose base is a leaf, even when the leaf was itself made from a view; views of tensors
    that require nothing may be modified by an operand that requires grad."""
    e, t = both(lambda m: outcome(lambda: case(m) is None))
    assert e == t
