"""The autograd engine against PyTorch: gradients, higher derivatives, hooks, grad modes,
custom Functions, and PyTorch's errors (types and messages)."""
import gc
import weakref

import numpy as np
import pytest
import torch

import ember


def both(fn):
    return fn(ember), fn(torch)


def close(a, b):
    np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=1e-6, atol=1e-7)


def test_accumulation_and_retain_graph():
    def run(m):
        x = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = (x * x).sum()
        y.backward(retain_graph=True)
        y.backward()
        return x.grad.tolist()
    e, t = both(run)
    assert e == t == [4.0, 8.0, 12.0]


def test_higher_derivatives():
    def run(m):
        x = m.tensor([0.5, -1.5], requires_grad=True)
        y = (x ** 3 + x.tanh() * x.exp()).sum()
        g, = m.autograd.grad(y, x, create_graph=True)
        h, = m.autograd.grad(g.sum(), x, create_graph=True)
        k, = m.autograd.grad(h.sum(), x)
        return g.tolist(), h.tolist(), k.tolist()
    e, t = both(run)
    for a, b in zip(e, t):
        close(a, b)


def test_grad_options():
    def run(m):
        x = m.tensor([1.0, 2.0], requires_grad=True)
        z = m.tensor([3.0], requires_grad=True)
        y = x * 2
        gx, gz = m.autograd.grad(y, [x, z], grad_outputs=m.tensor([1.0, -1.0]), allow_unused=True)
        g2 = m.autograd.grad((x * x).sum(), [x, z], allow_unused=True, materialize_grads=True)
        return gx.tolist(), gz, [g.tolist() for g in g2]
    assert both(run)[0] == both(run)[1]


def test_non_leaf_grads_hooks_and_retain_grad():
    def run(m):
        x = m.tensor([1.0, 2.0], requires_grad=True)
        y = x * 3
        y.retain_grad()
        seen = []
        h = y.register_hook(lambda g: seen.append(g.tolist()) or g * 10)
        x.register_hook(lambda g: g + 1)
        (y * y).sum().backward()
        h.remove()
        return x.grad.tolist(), y.grad.tolist(), seen, y.is_leaf, x.is_leaf, y.retains_grad
    e, t = both(run)
    assert e == t


def test_post_accumulate_hook_and_node_hooks():
    def run(m):
        x = m.tensor([1.0, 2.0], requires_grad=True)
        seen = []
        x.register_post_accumulate_grad_hook(lambda p: seen.append(p.grad.tolist()))
        y = x * 2
        y.grad_fn.register_hook(lambda gi, go: seen.append(("post", [g.tolist() for g in gi if g is not None])))
        y.grad_fn.register_prehook(lambda go: seen.append(("pre", [g.tolist() for g in go])))
        y.sum().backward()
        return seen
    e, t = both(run)
    assert e == t


def test_grad_modes():
    for m in (torch, ember):
        x = m.ones(2, requires_grad=True)
        with m.no_grad():
            assert not (x * 2).requires_grad
            with m.enable_grad():
                assert (x * 2).requires_grad
        with m.set_grad_enabled(False):
            assert not m.is_grad_enabled()
        assert m.is_grad_enabled()
        with m.inference_mode():
            assert not (x * 2).requires_grad

        @m.no_grad()
        def f(t):
            return t * 2
        assert not f(x).requires_grad

        @m.no_grad()
        def gen(t):
            yield t * 2
        assert not next(gen(x)).requires_grad


def test_custom_function_like_the_tutorial():
    results = {}
    for m in (torch, ember):
        class LegendrePolynomial3(m.autograd.Function):
            @staticmethod
            def forward(ctx, input):
                ctx.save_for_backward(input)
                return 0.5 * (5 * input ** 3 - 3 * input)

            @staticmethod
            def backward(ctx, grad_output):
                input, = ctx.saved_tensors
                return grad_output * 1.5 * (5 * input ** 2 - 1)

        class MulConst(m.autograd.Function):
            @staticmethod
            def forward(ctx, x, k):
                ctx.k = k
                assert ctx.needs_input_grad == (True, False)
                return x * k, (x > 0)

            @staticmethod
            def backward(ctx, g, g_mask):
                return g * ctx.k, None

        x = m.tensor([0.3, -0.7, 1.2], requires_grad=True)
        y = LegendrePolynomial3.apply(x)
        out, mask = MulConst.apply(y, 2.0)
        out.sum().backward()
        results[m] = (y.tolist(), x.grad.tolist(), type(y.grad_fn).__name__, mask.requires_grad)
    assert results[ember][2] == "LegendrePolynomial3Backward"
    close(results[ember][0], results[torch][0])
    close(results[ember][1], results[torch][1])
    assert results[ember][3] == results[torch][3]


def test_custom_function_gradcheck_and_wrong_gradient_count():
    class Cube(ember.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return g * 3 * x * x

    x = ember.tensor([0.4, -1.1], dtype=ember.float64, requires_grad=True)
    assert ember.autograd.gradcheck(Cube.apply, (x,))
    assert ember.autograd.gradgradcheck(Cube.apply, (x,))

    class Wrong(ember.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, g):
            return g

    with pytest.raises(RuntimeError, match="returned an incorrect number of gradients"):
        Wrong.apply(x, x).sum().backward()


def test_gradcheck_catches_a_wrong_derivative():
    class Bad(ember.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return g * x  # should be 2x

    x = ember.tensor([0.5, 1.5], dtype=ember.float64, requires_grad=True)
    with pytest.raises(ember.autograd.gradcheck.__globals__["GradcheckError"]):
        ember.autograd.gradcheck(Bad.apply, (x,))
    assert ember.autograd.gradcheck(Bad.apply, (x,), raise_exception=False) is False


ERRORS = [
    ("backward twice", lambda m: [y := (m.tensor([1.0], requires_grad=True).exp()).sum(), y.backward(), y.backward()]),
    ("non-scalar", lambda m: (m.tensor([1.0, 2.0], requires_grad=True) * 2).backward()),
    ("no grad", lambda m: m.tensor([1.0]).sum().backward()),
    ("inplace modified", lambda m: [x := m.tensor([1.0, 2.0], requires_grad=True), y := x * 1, z := y.sin(),
                                    y.mul_(2), z.sum().backward()]),
    ("leaf inplace", lambda m: m.tensor([1.0], requires_grad=True).add_(1)),
    ("int requires grad", lambda m: m.tensor([1, 2]).requires_grad_()),
    ("non-leaf requires_grad", lambda m: setattr(m.tensor([1.0], requires_grad=True) * 2, "requires_grad", False)),
    ("numpy with grad", lambda m: m.tensor([1.0], requires_grad=True).numpy()),
    ("shape mismatch gradient", lambda m: (m.tensor([1.0, 2.0], requires_grad=True) * 2).backward(m.ones(3))),
    ("unused input", lambda m: m.autograd.grad((m.tensor([1.0], requires_grad=True) * 2).sum(),
                                              [m.tensor([1.0], requires_grad=True)])),
]


@pytest.mark.parametrize("name,fn", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_match_pytorch(name, fn):
    with pytest.raises(Exception) as te:
        fn(torch)
    with pytest.raises(type(te.value)) as ee:
        fn(ember)
    assert str(ee.value) == str(te.value)


def test_detect_anomaly_names_the_op():
    x = ember.tensor([0.0], requires_grad=True)
    with pytest.warns(UserWarning):
        with ember.autograd.detect_anomaly():
            y = x.sqrt() * 0
            with pytest.raises(RuntimeError, match="Function 'SqrtBackward0' returned nan values in its 0th output"):
                y.sum().backward()


def test_detach_shares_memory_and_version():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    d = x.detach()
    assert not d.requires_grad and d._version == x._version
    d[0] = 5.0
    assert x[0].item() == 5.0 and x._version == d._version


def test_graph_is_freed_without_gc():
    gc.disable()
    try:
        x = ember.ones(1000, requires_grad=True)
        y = (x.exp() * 2).sigmoid()
        ref = weakref.ref(y.grad_fn)
        del y
        assert ref() is None
    finally:
        gc.enable()


def test_grads_never_alias():
    a = ember.tensor([1.0, 2.0], requires_grad=True)
    b = ember.tensor([3.0, 4.0], requires_grad=True)
    (a + b).sum().backward()
    assert a.grad is not b.grad and not np.shares_memory(a.grad.numpy(), b.grad.numpy())
    g = ember.ones(2)
    c = ember.tensor([1.0, 1.0], requires_grad=True)
    (c * 1).backward(g)
    c.grad.add_(1)
    assert g.tolist() == [1.0, 1.0]


def test_data_has_its_own_version_counter():
    """Changes through ``.data`` are hidden from autograd (``detach()`` shares the counter)."""
    for m in (torch, ember):
        a = m.ones(3, requires_grad=True)
        b = a * a
        a.data.mul_(2)
        b.sum().backward()  # no error: the saved ``a`` looks unmodified
        assert a._version == 0 and a.grad.tolist() == [4.0, 4.0, 4.0]
        c = m.ones(3, requires_grad=True)
        d = c * c
        c.detach().mul_(2)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            d.sum().backward()


def test_in_place_on_a_view_of_a_leaf_that_requires_grad():
    """Refused while grad mode is on (the leaf would silently stop being a leaf), allowed under
    no_grad; writable diagonals; CopySlices' C++ name."""
    calls = [lambda a: a[0].zero_(), lambda a: a[0].add_(1), lambda a: a.view(4).add_(1),
             lambda a: a.diagonal().zero_(), lambda a: a.t().mul_(2), lambda a: a[0].__setitem__(0, 5.0)]
    for call in calls:
        errors = []
        for m in (ember, torch):
            a = m.ones(2, 2, requires_grad=True)
            with pytest.raises(RuntimeError) as info:
                call(a)
            errors.append(str(info.value))
            assert a.is_leaf
        assert errors[0] == errors[1]
    out = []
    for m in (ember, torch):
        a = m.ones(2, 2, requires_grad=True)
        with m.no_grad():
            a[0].zero_()
            a.diagonal().fill_(7)
        x = m.zeros(3, 3)
        x.diagonal().fill_(-1)
        x.diagonal(1).add_(2)
        y = m.zeros(2, 3, 3, requires_grad=True).clone()
        y.diagonal(dim1=-2, dim2=-1).fill_(1.0)
        out.append((a.tolist(), a.is_leaf, x.tolist(), x._version, y.grad_fn.name()))
    assert out[0] == out[1]


def test_custom_backward_must_return_tensors():
    def run(m):
        class F(m.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

            @staticmethod
            def backward(ctx, g):
                return np.ones(2)
        x = m.ones(2, requires_grad=True)
        F.apply(x).sum().backward()
    with pytest.raises(RuntimeError) as e:
        run(ember)
    with pytest.raises(RuntimeError) as t:
        run(torch)
    assert str(e.value) == str(t.value) == "expected Variable or None (got numpy.ndarray)"


def test_gradients_reach_a_leaf_in_pytorch_order():
    # x gets five contributions; float32 sums depend on their order, and ember adds them in
    # PyTorch's order (the latest-made node first), so .grad agrees to the bit (only
    # correctly rounded ops here, which both compute identically)
    rng = np.random.default_rng(3)
    xs, cs = rng.standard_normal(64).astype(np.float32), rng.standard_normal((4, 64)).astype(np.float32)

    def run(m):
        x = m.tensor(xs, requires_grad=True)
        c = [m.tensor(v) for v in cs]
        y = x * c[0] + (x * c[1]) * c[2] + (c[2] * x) * x + x / c[3]
        y.sum().backward()
        return x.grad.numpy().copy()
    e, t = both(run)
    assert e.dtype == t.dtype == np.float32 and np.array_equal(e, t)


def test_mixed_dtype_products_differentiate_in_pytorch_types():
    # a float32 tensor times a float64 0-d tensor computes in float32; its gradients keep
    # each input's dtype and PyTorch's values
    rng = np.random.default_rng(4)
    xs = rng.standard_normal(16).astype(np.float32)

    def run(m):
        x = m.tensor(xs, requires_grad=True)
        s = m.tensor(1 / 3, dtype=m.float64, requires_grad=True)
        ((x * s) * x).sum().backward()  # x's first gradient, x * s, has varied float32 values
        return x.grad.numpy().copy(), s.grad.numpy().copy()
    (ex, es), (tx, ts) = both(run)
    assert ex.dtype == tx.dtype and es.dtype == ts.dtype
    assert np.array_equal(ex, tx) and np.allclose(es, ts, rtol=1e-6)


def test_zero_dim_chains_and_replacing_hooks():
    def run(m):
        x = m.tensor(2.0, requires_grad=True)
        y = (x * 3 / 2 - 1).relu()
        y.retain_grad()
        y.grad_fn.register_prehook(lambda go: (go[0] * 2,))
        y.grad_fn.register_hook(lambda gi, go: (gi[0] + 1,))
        z = (y * y).mean()
        z.backward()
        return x.grad.item(), x.grad.dtype == m.float32, tuple(x.grad.shape), y.grad.item()
    e, t = both(run)
    assert e == t
