"""Loss functions against PyTorch through the op table: values for every reduction,
gradients, gradcheck."""
from opinfo import A, S, OpInfo, make_tests


def F(m):
    return m.nn.functional


def T(*shape, low=None, high=None):
    """A target that does not require grad."""
    return A(*shape, grad=False, low=low, high=high)


def labels(*shape, n=5):
    return A(*shape, dtype="int64", low=0, high=n, grad=False)


REDUCTIONS = ("mean", "sum", "none")


def each_reduction(*args, **kwargs):
    return [S(*args, reduction=r, **kwargs) for r in REDUCTIONS]


OPS = [
    OpInfo("mse_loss", lambda m, x, y, **k: F(m).mse_loss(x, y, **k),
           samples=each_reduction(A(3, 4), T(3, 4)) + [S(A(3, 4), A(3, 4))], gradgradcheck=True),
    OpInfo("l1_loss", lambda m, x, y, **k: F(m).l1_loss(x, y, **k), samples=each_reduction(A(3, 4), T(3, 4))),
    OpInfo("cross_entropy", lambda m, x, y, **k: F(m).cross_entropy(x, y, **k), samples=[
        *each_reduction(A(4, 5), labels(4)),
        S(A(4, 5), labels(4), weight=T(5, low=0.5, high=2)),
        S(A(4, 5), A(4, dtype="int64", low=-1, high=5, grad=False), ignore_index=-1),
        S(A(4, 5), labels(4), label_smoothing=0.1),
        S(A(4, 5), labels(4), label_smoothing=0.2, weight=T(5, low=0.5, high=2), reduction="sum"),
        S(A(2, 5, 3, 2), labels(2, 3, 2)),
        S(A(5), labels(n=5)),
        S(A(4, 5), T(4, 5, low=0, high=1)),
        S(A(4, 5), labels(3)),
    ], gradgradcheck=True),
    OpInfo("nll_loss", lambda m, x, y, **k: F(m).nll_loss(x, y, **k), samples=[
        *each_reduction(A(4, 5), labels(4)), S(A(4, 5), labels(4), weight=T(5, low=0.5, high=2)),
        S(A(4, 5), A(4, dtype="int64", low=4, high=9, grad=False))]),
    OpInfo("binary_cross_entropy", lambda m, x, y, **k: F(m).binary_cross_entropy(x, y, **k),
           samples=each_reduction(A(3, 4, low=0.05, high=0.95), T(3, 4, low=0, high=1)) +
           [S(A(3, 4, low=0.05, high=0.95), T(3, 4, low=0, high=1), weight=T(4, low=0.5, high=2))]),
    OpInfo("binary_cross_entropy_with_logits",
           lambda m, x, y, **k: F(m).binary_cross_entropy_with_logits(x, y, **k),
           samples=each_reduction(A(3, 4), T(3, 4, low=0, high=1)) +
           [S(A(3, 4), T(3, 4, low=0, high=1), pos_weight=T(4, low=0.5, high=2))]),
    OpInfo("smooth_l1_loss", lambda m, x, y, **k: F(m).smooth_l1_loss(x, y, **k),
           samples=each_reduction(A(3, 4), T(3, 4)) + [S(A(5), T(5), beta=0.5)]),
    OpInfo("huber_loss", lambda m, x, y, **k: F(m).huber_loss(x, y, **k),
           samples=each_reduction(A(3, 4), T(3, 4)) + [S(A(5), T(5), delta=0.5)]),
    OpInfo("kl_div", lambda m, x, y, **k: F(m).kl_div(x, y, **k),
           samples=[S(A(3, 4), T(3, 4, low=0, high=1), reduction=r) for r in ("mean", "sum", "none", "batchmean")]
           + [S(A(3, 4), T(3, 4), reduction="batchmean", log_target=True)]),
    OpInfo("margin_ranking_loss", lambda m, a, b, y, **k: F(m).margin_ranking_loss(a, b, y.sign(), **k),
           samples=each_reduction(A(6), A(6), T(6), margin=0.3)),
    OpInfo("hinge_embedding_loss", lambda m, x, y, **k: F(m).hinge_embedding_loss(x, y.sign(), **k),
           samples=each_reduction(A(6), T(6))),
    OpInfo("soft_margin_loss", lambda m, x, y, **k: F(m).soft_margin_loss(x, y.sign(), **k),
           samples=each_reduction(A(6), T(6))),
    OpInfo("multilabel_soft_margin_loss", lambda m, x, y, **k: F(m).multilabel_soft_margin_loss(x, y, **k),
           samples=each_reduction(A(3, 4), T(3, 4, low=0, high=1))),
    OpInfo("cosine_embedding_loss", lambda m, a, b, y, **k: F(m).cosine_embedding_loss(a, b, y.sign(), **k),
           samples=each_reduction(A(4, 3), A(4, 3), T(4), margin=0.1)),
    OpInfo("triplet_margin_loss", lambda m, a, p, n, **k: F(m).triplet_margin_loss(a, p, n, **k),
           samples=each_reduction(A(4, 3), A(4, 3), A(4, 3)) + [S(A(4, 3), A(4, 3), A(4, 3), swap=True, p=1)]),
    OpInfo("poisson_nll_loss", lambda m, x, y, **k: F(m).poisson_nll_loss(x, y, **k),
           samples=each_reduction(A(3, 4), T(3, 4, low=0, high=4)) +
           [S(A(3, 4, low=0.1, high=3), T(3, 4, low=0, high=4), log_input=False, full=True)]),
    OpInfo("gaussian_nll_loss", lambda m, x, y, v, **k: F(m).gaussian_nll_loss(x, y, v, **k),
           samples=each_reduction(A(3, 4), T(3, 4), A(3, 4, low=0.1, high=2)) +
           [S(A(3, 4), T(3, 4), A(3, low=0.1, high=2), full=True)]),
    OpInfo("cosine_similarity", lambda m, a, b, **k: F(m).cosine_similarity(a, b, **k),
           samples=[S(A(4, 3), A(4, 3)), S(A(2, 3, 4), A(2, 3, 4), dim=-1)]),
    OpInfo("normalize", lambda m, x, **k: F(m).normalize(x, **k), samples=[S(A(4, 3)), S(A(2, 3), p=1, dim=0)]),
    OpInfo("one_hot", lambda m, x, *a: F(m).one_hot(x, *a), samples=[S(labels(6)), S(labels(2, 3), 7)], grad=False,
           dtypes=("int64",)),
]

test_values, test_grads, test_gradcheck, test_gradgradcheck = make_tests(OPS)


def _cross_entropy_edges(m):
    import numpy as np
    x = m.from_numpy(np.random.default_rng(0).standard_normal((4, 3)).astype(np.float32)).requires_grad_()
    out = []
    for target, kw in (([-100] * 4, {}), ([-100, 1, -100, 2], {}), ([-100, 1, -100, 2], {"reduction": "sum"}),
                       ([2, 0, 1, 2], {"ignore_index": 1}), ([2, 0, 1, 2], {"ignore_index": 7})):
        loss = F(m).cross_entropy(x, m.tensor(target), **kw)
        (g,) = m.autograd.grad(loss, x)
        out.append((loss.item(), g.numpy().tolist()))
    for target in ([0, 5, -100, 7], [-1, 0, 1, 2]):
        try:
            F(m).cross_entropy(x, m.tensor(target))
        except IndexError as e:
            out.append(str(e))
    out.append(F(m).cross_entropy(m.zeros(0, 3), m.zeros(0, dtype=m.long)).item())
    return out


def test_cross_entropy_ignored_and_out_of_range_targets():
    import math
    import torch
    import ember
    e, t = _cross_entropy_edges(ember), _cross_entropy_edges(torch)
    assert len(e) == len(t) == 8
    for a, b in zip(e, t):
        if isinstance(b, tuple):
            assert (math.isnan(a[0]) and math.isnan(b[0])) or abs(a[0] - b[0]) < 1e-6
            assert str(a[1]) == str(b[1]) or all(abs(u - v) < 1e-6 for ru, rv in zip(a[1], b[1]) for u, v in zip(ru, rv))
        elif isinstance(b, float):
            assert math.isnan(a) and math.isnan(b)
        else:
            assert a == b
