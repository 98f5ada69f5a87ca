"""affine_grid / grid_sample, cdist / pdist, logcumsumexp, the trapezoid rule and the margin
losses against PyTorch through the op table; the loss modules (reprs, errors, warnings) by hand."""
import warnings

import numpy as np
import pytest
import torch

import ember
from opinfo import A, S, OpInfo, make_tests


def F(m):
    return m.nn.functional


def T(*shape, low=None, high=None):
    return A(*shape, grad=False, low=low, high=high)


def labels(*shape, n=5, low=0):
    return A(*shape, dtype="int64", low=low, high=n, grad=False)


REDUCTIONS = ("mean", "sum", "none")


def each_reduction(*args, **kwargs):
    return [S(*args, reduction=r, **kwargs) for r in REDUCTIONS]


def grid(*shape):
    """Grid coordinates reaching a little past [-1, 1], so the padding rules are exercised."""
    return A(*shape, low=-1.3, high=1.3)


SAMPLE_MODES = [S(A(1, 2, 3, 3), grid(1, 2, 3, 2), mode=m, padding_mode=p, align_corners=a)
                for m in ("bilinear", "nearest", "bicubic") for p in ("zeros", "border", "reflection")
                for a in (False, True)]

OPS = [
    OpInfo("affine_grid", lambda m, th, size, **k: F(m).affine_grid(th, size, **k), samples=[
        S(A(2, 2, 3), (2, 3, 4, 5), align_corners=False), S(A(2, 2, 3), (2, 1, 3, 4), align_corners=True),
        S(A(1, 2, 3), (1, 1, 1, 3), align_corners=False), S(A(2, 3, 4), (2, 1, 2, 3, 4), align_corners=False),
        S(A(1, 3, 4), (1, 1, 3, 2, 2), align_corners=True),
        S(A(2, 2, 3), (2, 3, 4, 5, 6), align_corners=True), S(A(2, 2, 3), (2, 3, 4), align_corners=True),
        S(A(2, 2, 3), (3, 3, 4, 5), align_corners=True), S(A(2, 2, 3), (2, 3, 0, 5), align_corners=True),
        S(A(2, 2, 3, dtype="int64"), (2, 3, 4, 5), align_corners=True)], gradgradcheck=True),
    OpInfo("grid_sample", lambda m, x, g, **k: F(m).grid_sample(x, g, **k), samples=SAMPLE_MODES + [
        S(A(2, 3, 5, 6), grid(2, 4, 7, 2), align_corners=False),
        S(A(2, 3, 5, 6, noncontig=True), grid(2, 4, 7, 2), padding_mode="reflection", align_corners=True),
        S(A(2, 3, 1, 6), grid(2, 2, 3, 2), padding_mode="reflection", align_corners=True),
        S(A(1, 2, 2, 3, 3), grid(1, 2, 2, 2, 3), align_corners=False),
        S(A(2, 2, 3, 4, 5), grid(2, 3, 2, 4, 3), padding_mode="border", align_corners=True),
        S(A(2, 2, 3, 4, 5), grid(2, 3, 2, 4, 3), padding_mode="reflection", align_corners=False),
        S(A(2, 2, 3, 4, 5), grid(2, 3, 2, 4, 3), mode="nearest", padding_mode="zeros", align_corners=False),
        S(A(2, 3, 5, 6), grid(2, 4, 7, 2), mode="bicubic", padding_mode="reflection", align_corners=False),
        S(A(2, 3, 1, 6), grid(2, 2, 3, 2), mode="bicubic", padding_mode="reflection", align_corners=True),
        # errors
        S(A(2, 3, 4, 5), grid(1, 2, 2, 2), align_corners=False), S(A(2, 3, 4, 5), grid(2, 2, 2, 3)),
        S(A(2, 3, 4, 5), grid(2, 2, 2), align_corners=False),
        S(A(2, 3, 4, 5), grid(2, 2, 2, 2), mode="foo", align_corners=False),
        S(A(2, 3, 4, 5), grid(2, 2, 2, 2), padding_mode="foo", align_corners=False),
        S(A(2, 2, 3, 4, 5), grid(2, 3, 2, 4, 3), mode="bicubic", align_corners=False),
    ], gradgradcheck=True,
        # a bicubic grid gradient sums 16 float32 products of size ~10: rounding reaches 3e-5
        tol={"float32": (1e-4, 1e-4)}),
    OpInfo("cdist", lambda m, a, b, **k: m.cdist(a, b, **k), samples=[
        S(A(4, 3), A(5, 3)), S(A(2, 4, 3), A(2, 5, 3), p=1.0), S(A(4, 3), A(2, 3), p=0.0),
        S(A(4, 3), A(5, 3), p=float("inf")), S(A(3, 4, 3, noncontig=True), A(4, 3), p=3.0), S(A(4, 3), A(5, 3), p=1.5),
        S(A(3), A(4, 3)), S(A(4, 3), A(5, 2)), S(A(4, 3), A(5, 3), p=-1.0)]),
    OpInfo("pdist", lambda m, x, *a: F(m).pdist(x, *a), samples=[
        S(A(5, 3)), S(A(4, 3), 1), S(A(4, 3), 0), S(A(4, 3), float("inf")), S(A(4, 3), 2.5), S(A(1, 3)), S(A(3))]),
    OpInfo("torch.pdist", lambda m, x: m.pdist(x), samples=[S(A(4, 3))]),
    OpInfo("logcumsumexp", lambda m, x, d: m.logcumsumexp(x, d), samples=[
        S(A(6), 0), S(A(3, 4), 1), S(A(3, 4, noncontig=True), 0), S(A(2, 3, 4), -2), S(A(4, low=-900, high=900), 0),
        S(A(4, dtype="int64"), 0), S(A(3), 1), S(A(3, 0), 1), S(A(3, 0), 0)], gradgradcheck=True,
           # with entries near ±900 PyTorch's float32 gradient is off by 1e-4 relative; ember's
           # (exponents of differences, all <= 0) agrees with float64 there
           tol={"float32": (2e-4, 1e-5)}),
    OpInfo("Tensor.logcumsumexp", lambda m, x, d: x.logcumsumexp(d), samples=[S(A(3, 4), 0)]),
    OpInfo("logcumsumexp_out", lambda m, x, d: m.logcumsumexp(x, d, out=m.empty(0, dtype=x.dtype)),
           samples=[S(A(3, 4), 1)], grad=False),
    OpInfo("trapezoid", lambda m, *a, **k: m.trapezoid(*a, **k), samples=[
        S(A(5)), S(A(3, 4)), S(A(3, 4), dim=0), S(A(3, 4), dx=0.5), S(A(3, 4), A(4, distinct=True)),
        S(A(3, 4), A(3, 4), dim=0), S(A(3, 0)), S(A(3, 4, dtype="int64")), S(A(3, 4), A(3, distinct=True)),
        S(A(3, 4), A(4), dx=2.0)]),
    OpInfo("trapz", lambda m, *a, **k: m.trapz(*a, **k), samples=[S(A(3, 4), A(4, distinct=True)), S(A(3, 4), dx=2.0)]),
    OpInfo("cumulative_trapezoid", lambda m, *a, **k: m.cumulative_trapezoid(*a, **k), samples=[
        S(A(5)), S(A(3, 4), dim=0), S(A(3, 4), dx=0.5), S(A(3, 4), A(4, distinct=True)), S(A(2, 3, 4), A(2, 3, 4)),
        S(A(3, 0))]),
    OpInfo("multi_margin_loss", lambda m, x, y, **k: F(m).multi_margin_loss(x, y, **k), samples=[
        *each_reduction(A(4, 5), labels(4)), *each_reduction(A(4, 5), labels(4), p=2, margin=0.7),
        S(A(4, 5), labels(4), weight=T(5, low=0.5, high=2)),
        S(A(4, 5), labels(4), p=2, weight=T(5, low=0.5, high=2), reduction="sum"),
        S(A(5), labels(n=5)), S(A(5), labels(n=5), reduction="none"),
        S(A(4, 5), labels(4), p=3), S(A(4, 5), labels(4, low=3, n=9)), S(A(4, 5), labels(3)),
        S(A(4, 5), labels(4), weight=T(5, 1)), S(A(4, 5), labels(4), weight=T(6)), S(A(2, 4, 5), labels(2, 4)),
        S(A(4, 5), labels(4), reduction="foo"), S(A(4, 5), T(4))]),
    OpInfo("multilabel_margin_loss", lambda m, x, y, **k: F(m).multilabel_margin_loss(x, y, **k), samples=[
        # (PyTorch 2.13 returns uninitialised memory for an empty batch and for 1-D input: see
        # test_multilabel_margin_vector_and_empty for those)
        *each_reduction(A(4, 5), labels(4, 5, low=-1)),
        S(A(4, 5), labels(4, 5, low=-1, n=7)), S(A(4, 5), labels(3, 5)), S(A(2, 3, 4), labels(2, 3, 4))]),
    OpInfo("triplet_margin_with_distance_loss",
           lambda m, a, p, n, **k: F(m).triplet_margin_with_distance_loss(a, p, n, **k), samples=[
               *each_reduction(A(4, 3), A(4, 3), A(4, 3)), S(A(4, 3), A(4, 3), A(4, 3), swap=True, margin=2.0),
               S(A(4, 3), A(4, 3), A(4, 3), margin=0.0), S(A(4, 3), A(4, 3), A(3))]),
]

test_values, test_grads, test_gradcheck, test_gradgradcheck = make_tests(OPS)


def _both(fn):
    return fn(torch), fn(ember)


def test_triplet_with_custom_distance():
    rng = np.random.default_rng(0)
    a, p, n = (rng.standard_normal((5, 4)) for _ in range(3))
    results = []
    for m in (torch, ember):
        xs = [m.tensor(v, requires_grad=True) for v in (a, p, n)]
        loss_fn = m.nn.TripletMarginWithDistanceLoss(
            distance_function=lambda u, v: 1 - m.nn.functional.cosine_similarity(u, v), margin=0.5, swap=True)
        loss = loss_fn(*xs)
        loss.backward()
        results.append([loss.detach().numpy()] + [x.grad.numpy() for x in xs])
    for e, t in zip(results[1], results[0]):
        np.testing.assert_allclose(e, t, rtol=1e-7, atol=1e-9)


def test_modules_match_functional_and_repr():
    rng = np.random.default_rng(1)
    x, w = rng.standard_normal((6, 4)), rng.uniform(0.5, 2, 4)
    y = rng.integers(0, 4, 6)
    yl = np.array([[0, 2, -1, 1]] * 3 + [[3, -1, 0, 0]] * 3)
    for build in (lambda m: m.nn.MultiMarginLoss(p=2, margin=0.5, weight=m.tensor(w), reduction="sum"),
                  lambda m: m.nn.MultiMarginLoss(), lambda m: m.nn.MultiLabelMarginLoss(reduction="none"),
                  lambda m: m.nn.TripletMarginWithDistanceLoss(), lambda m: m.nn.NLLLoss2d(reduction="sum")):
        outs = []
        for m in (torch, ember):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", FutureWarning)
                mod = build(m)
            name = type(mod).__name__
            xt = m.tensor(x, requires_grad=True)
            if name == "MultiLabelMarginLoss":
                out = mod(xt, m.tensor(yl))
            elif name == "TripletMarginWithDistanceLoss":
                out = mod(xt, xt * 2, xt.flip(0))
            elif name == "NLLLoss2d":
                out = mod(xt.reshape(1, 4, 3, 2).log_softmax(1), m.tensor(rng.integers(0, 4, (1, 3, 2)) * 0 + 1))
            else:
                out = mod(xt, m.tensor(y))
            out.sum().backward()
            outs.append((repr(mod), out.detach().numpy(), xt.grad.numpy()))
        assert outs[1][0] == outs[0][0]
        np.testing.assert_allclose(outs[1][1], outs[0][1], rtol=1e-7)
        np.testing.assert_allclose(outs[1][2], outs[0][2], rtol=1e-7, atol=1e-12)


def test_module_errors_and_warnings():
    for m in (torch, ember):
        with pytest.raises(ValueError, match="only p == 1 and p == 2"):
            m.nn.MultiMarginLoss(p=3)
        with pytest.raises(ValueError, match="expected weight to be None or 1D tensor, got 2D"):
            m.nn.MultiMarginLoss(weight=m.ones(2, 2))
        with pytest.raises(ValueError, match="expected margin to be greater than 0, got 0"):
            m.nn.TripletMarginWithDistanceLoss(margin=0)
        with pytest.warns(FutureWarning, match="NLLLoss2d"):
            mod = m.nn.NLLLoss2d()
        assert isinstance(mod, m.nn.NLLLoss)


def test_align_corners_warnings():
    for m in (torch, ember):
        th = m.zeros(1, 2, 3)
        with pytest.warns(UserWarning, match="align_corners=False since 1.3.0"):
            g = F(m).affine_grid(th, (1, 1, 2, 2))
        with pytest.warns(UserWarning, match="align_corners=False since 1.3.0"):
            F(m).grid_sample(m.zeros(1, 1, 2, 2), g)
        with pytest.warns(UserWarning, match="unit-size grids"):
            F(m).affine_grid(th, (1, 1, 1, 2), align_corners=True)


def test_spatial_transformer_trains_through_both():
    """A spatial-transformer step: loss gradients reach the image and theta (via the grid)."""
    rng = np.random.default_rng(2)
    img = rng.standard_normal((2, 3, 8, 8)).astype(np.float32)
    theta = (np.eye(2, 3) + 0.1 * rng.standard_normal((2, 2, 3))).astype(np.float32)
    grads = []
    for m in (torch, ember):
        x, th = m.tensor(img, requires_grad=True), m.tensor(theta, requires_grad=True)
        g = F(m).affine_grid(th, (2, 3, 6, 6), align_corners=False)
        out = F(m).grid_sample(x, g, align_corners=False)
        (out ** 2).mean().backward()
        grads.append((out.detach().numpy(), x.grad.numpy(), th.grad.numpy()))
    for e, t in zip(grads[1], grads[0]):
        np.testing.assert_allclose(e, t, rtol=1e-4, atol=1e-5)


def test_logcumsumexp_is_stable():
    x = ember.tensor([1000.0, -1000.0, 1000.0, 0.0], dtype=ember.float64, requires_grad=True)
    out = ember.logcumsumexp(x, 0)
    tx = torch.tensor([1000.0, -1000.0, 1000.0, 0.0], dtype=torch.float64, requires_grad=True)
    tout = torch.logcumsumexp(tx, 0)
    np.testing.assert_allclose(out.detach().numpy(), tout.detach().numpy())
    out.sum().backward()
    tout.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy())


def test_multilabel_margin_vector_and_empty():
    x = ember.tensor([[0.3, -1.2, 0.8, 2.0]], dtype=ember.float64)
    y = ember.tensor([[0, 3, -1, 2]])
    row = ember.nn.functional.multilabel_margin_loss(x, y, reduction="none")
    vec = ember.nn.functional.multilabel_margin_loss(x[0], y[0], reduction="none")
    assert vec.shape == () and float(vec) == float(row[0])
    # by hand: targets {0, 3}, non-targets {1, 2}: (1 - 0.3 - 1.2)+ + (1 - 0.3 + 0.8) + 0 + 0, over C = 4
    assert abs(float(vec) - 1.5 / 4) < 1e-12
    empty = ember.nn.functional.multilabel_margin_loss(ember.zeros(0, 4), ember.zeros(0, 4, dtype=ember.int64))
    assert float(empty) == 0.0
    # likewise multi_margin_loss, whose empty-batch value in PyTorch 2.13 is uninitialised memory
    for reduction in ("mean", "sum"):
        empty = ember.nn.functional.multi_margin_loss(ember.zeros(0, 4), ember.zeros(0, dtype=ember.int64),
                                                      reduction=reduction)
        assert float(empty) == 0.0
    assert ember.nn.functional.multi_margin_loss(ember.zeros(0, 4), ember.zeros(0, dtype=ember.int64),
                                                 reduction="none").shape == (0,)


def _adaptive_pair(**kwargs):
    """The same AdaptiveLogSoftmaxWithLoss in both frameworks (ember gets PyTorch's weights)."""
    torch.manual_seed(0)
    tm = torch.nn.AdaptiveLogSoftmaxWithLoss(**kwargs).double()
    em = ember.nn.AdaptiveLogSoftmaxWithLoss(**kwargs).double()
    em.load_state_dict({k: ember.tensor(v.detach().numpy()) for k, v in tm.state_dict().items()})
    return tm, em


@pytest.mark.parametrize("head_bias", [False, True])
def test_adaptive_log_softmax(head_bias):
    tm, em = _adaptive_pair(in_features=8, n_classes=12, cutoffs=[3, 7], div_value=2.0, head_bias=head_bias)
    assert repr(em) == repr(tm)
    assert [n for n, _ in em.named_parameters()] == [n for n, _ in tm.named_parameters()]
    rng = np.random.default_rng(3)
    x = rng.standard_normal((9, 8))
    y = np.array([0, 11, 3, 7, 2, 5, 10, 1, 6])
    outs = []
    for m, mod in ((torch, tm), (ember, em)):
        xt = m.tensor(x, requires_grad=True)
        res = mod(xt, m.tensor(y))
        (res.output.sum() * 0.5 + res.loss).backward()
        outs.append([res.output.detach().numpy(), res.loss.detach().numpy(), xt.grad.numpy(),
                     mod.head.weight.grad.numpy(), mod.tail[1][0].weight.grad.numpy(),
                     mod.log_prob(xt).detach().numpy(), mod.predict(xt).numpy(),
                     mod(xt[0], m.tensor(y[0])).output.detach().numpy()])
    for e, t in zip(outs[1], outs[0]):
        assert e.shape == t.shape
        np.testing.assert_allclose(e, t, rtol=1e-10, atol=1e-12)


def test_adaptive_log_softmax_errors():
    for m in (torch, ember):
        for cutoffs in ([], [5, 3], [0, 3], [3, 12], [3, 3]):
            with pytest.raises(ValueError, match="cutoffs should be a sequence"):
                m.nn.AdaptiveLogSoftmaxWithLoss(4, 12, cutoffs)
        mod = m.nn.AdaptiveLogSoftmaxWithLoss(4, 12, [3])
        with pytest.raises(RuntimeError, match="Target values should be in"):
            mod(m.zeros(2, 4), m.tensor([1, 12]))
        with pytest.raises(RuntimeError, match="same size in the batch dimension"):
            mod(m.zeros(2, 4), m.tensor([1, 2, 3]))
