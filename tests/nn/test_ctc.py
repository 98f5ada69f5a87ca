"""CTC loss against PyTorch: values and gradients through the op table (both target layouts,
every reduction, blank not 0, repeated labels, impossible alignments, unbatched input),
gradcheck of log_softmax -> ctc_loss, random batches, the module, and the errors."""
import numpy as np
import pytest
import torch

import ember
from opinfo import A, S, OpInfo, make_tests


def ctc(m, x, targets, il, tl, tensors=True, raw=False, **kwargs):
    """ctc_loss of log_softmax(x) (or of x itself when ``raw``); list targets and lengths
    become ``m`` tensors (lengths stay tuples when ``tensors`` is False)."""
    lp = x if raw else x.log_softmax(-1)
    if not isinstance(targets, m.Tensor):
        targets = m.tensor(targets)
    if tensors:
        il, tl = m.tensor(il), m.tensor(tl)
    return m.nn.functional.ctc_loss(lp, targets, il, tl, **kwargs)


def labels(*shape, low=1, high=5):
    return A(*shape, dtype="int64", low=low, high=high, grad=False)


REDUCTIONS = ("none", "mean", "sum")
IL, TL = (6, 5, 4), (3, 2, 4)

OPS = [
    OpInfo("ctc_loss", ctc, samples=[
        # padded and concatenated targets, every reduction, tensor and tuple lengths
        *[S(A(6, 3, 4), labels(3, 4, high=4), IL, TL, reduction=r) for r in REDUCTIONS],
        *[S(A(6, 3, 4), labels(9, high=4), IL, TL, reduction=r) for r in REDUCTIONS],
        S(A(6, 3, 4), labels(3, 5, high=4), IL, TL, tensors=False),
        S(A(6, 3, 4), labels(9, high=4), IL, TL, tensors=False, reduction="sum"),
        # blank not 0, targets drawn from every class but the blank
        S(A(5, 2, 4), [[0, 1, 3], [3, 0, 0]], (5, 4), (3, 2), blank=2, reduction="none"),
        S(A(5, 2, 4), [0, 1, 2, 1], (5, 5), (3, 1), blank=3, reduction="mean"),
        # repeated labels need a blank between them
        S(A(7, 2, 3), [[1, 1, 2], [2, 2, 2]], (7, 6), (3, 3), reduction="none"),
        # empty targets, empty inputs ('mean' divides by max(length, 1))
        *[S(A(6, 3, 4), labels(3, 2, high=4), (6, 0, 4), (0, 0, 2), reduction=r) for r in REDUCTIONS],
        # impossible alignments with zero_infinity: the loss and its gradient are zero
        *[S(A(4, 2, 3), [[1, 1, 1], [1, 2, 1]], (4, 4), (3, 3), reduction=r, zero_infinity=True)
          for r in REDUCTIONS],
        # unbatched (T, C): 1-d targets, lengths as 1-element or 0-d tensors or tuples
        S(A(6, 5), [1, 2, 2], (6,), (3,), reduction="none"),
        S(A(6, 5), [1, 2, 2], 5, 3, reduction="mean"),
        S(A(6, 5), [3, 4], (6,), (2,), tensors=False, reduction="sum"),
    ]),
    # without zero_infinity an impossible alignment costs inf and PyTorch's gradient is NaN;
    # finite differences of inf are meaningless, so no gradcheck
    OpInfo("ctc_loss_infinite", ctc, gradcheck=False, samples=[
        *[S(A(4, 3, 3), [[1, 1, 1], [1, 2, 1], [2, 0, 0]], (4, 4, 2), (3, 3, 2), reduction=r) for r in REDUCTIONS],
    ]),
    # log_probs that are not log_softmax outputs: PyTorch's gradient is exp(lp) - gamma, not
    # the derivative of the loss (see CtcLoss's docstring), so compare with PyTorch only
    OpInfo("ctc_loss_raw", ctc, gradcheck=False, samples=[
        S(A(6, 3, 4, low=-3, high=0), labels(3, 4, high=4), IL, TL, raw=True, reduction=r) for r in REDUCTIONS
    ]),
    # labels that are the blank class itself (a user error): PyTorch's kernel then drops a
    # term of the gradient at the last frame, and ember matches its numbers, not the derivative
    OpInfo("ctc_loss_blank_label", ctc, gradcheck=False, samples=[
        S(A(4, 2, 3), [[1, 0], [0, 0]], (4, 3), (2, 2), reduction="none"),
        S(A(4, 2, 3), [[2, 1], [2, 2]], (4, 3), (2, 2), blank=2, reduction="mean"),
    ]),
    # a bigger batch, the values and gradients only (gradcheck is for small inputs)
    OpInfo("ctc_loss_large", ctc, gradcheck=False, samples=[
        S(A(30, 6, 7), labels(6, 10, high=7), (30, 25, 30, 12, 9, 30), (10, 7, 0, 6, 5, 10), reduction=r)
        for r in REDUCTIONS
    ] + [S(A(30, 6, 7), labels(6, 10, low=0, high=7), (30, 25, 30, 12, 9, 30), (10, 7, 0, 6, 5, 10), blank=4)]),
]

test_values, test_grads, test_gradcheck, test_gradgradcheck = make_tests(OPS)


@pytest.mark.parametrize("seed", range(12))
def test_random_batches_match_pytorch(seed):
    """Random shapes, lengths, blanks, layouts and options: losses and gradients."""
    rng = np.random.default_rng(seed)
    dtype = ("float32", "float64")[seed % 2]
    t, n, c, s = int(rng.integers(1, 15)), int(rng.integers(1, 6)), int(rng.integers(2, 7)), int(rng.integers(0, 7))
    x = rng.standard_normal((t, n, c)).astype(dtype)
    il, tl = rng.integers(0, t + 1, n), rng.integers(0, s + 1, n)
    tg = rng.integers(0, c, (n, s))
    if seed % 3 == 0:
        tg = np.concatenate([tg[i, :tl[i]] for i in range(n)])
    kwargs = dict(blank=int(rng.integers(0, c)), reduction=REDUCTIONS[seed % 3], zero_infinity=seed % 4 < 2)
    out = {}
    for m in (torch, ember):
        leaf = m.tensor(x, requires_grad=True)
        loss = m.nn.functional.ctc_loss(leaf.log_softmax(2), m.tensor(tg), m.tensor(il), m.tensor(tl), **kwargs)
        weight = m.tensor(np.linspace(0.5, 1.5, loss.numel()).reshape(tuple(loss.shape)).astype(dtype))
        (loss * weight).sum().backward()
        out[m] = loss.detach().numpy(), leaf.grad.numpy()
    tol = dict(rtol=1e-5, atol=1e-5) if dtype == "float32" else dict(rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(out[ember][0], out[torch][0], equal_nan=True, **tol)
    np.testing.assert_allclose(out[ember][1], out[torch][1], equal_nan=True, **tol)


def test_grad_fn_and_double_backward():
    x = ember.randn(5, 2, 4).log_softmax(2).detach().requires_grad_()
    loss = ember.nn.functional.ctc_loss(x, ember.tensor([[1, 2], [3, 3]]), (5, 5), (2, 2), reduction="none")
    assert loss.grad_fn.name() == "CtcLossBackward0"
    assert ember.nn.functional.ctc_loss(x, ember.tensor([1, 2]), (5, 5), (1, 1)).grad_fn.name() == "MeanBackward0"
    g, = ember.autograd.grad(loss.sum(), x, create_graph=True)
    with pytest.raises(NotImplementedError, match="_ctc_loss_backward"):
        g.sum().backward()


def test_torch_namespace_takes_the_reduction_enum():
    x = np.random.default_rng(0).standard_normal((6, 2, 4))
    for code in (0, 1, 2):
        e = ember.ctc_loss(ember.tensor(x).log_softmax(2), ember.tensor([[1, 2], [3, 1]]), (6, 5), (2, 1), 0, code,
                           False)
        t = torch.ctc_loss(torch.tensor(x).log_softmax(2), torch.tensor([[1, 2], [3, 1]]), (6, 5), (2, 1), 0, code,
                           False)
        np.testing.assert_allclose(e.numpy(), t.numpy(), rtol=1e-10)


@pytest.mark.parametrize("kwargs", [{}, dict(blank=2, reduction="sum", zero_infinity=True), dict(reduction="none")])
def test_module_matches_pytorch(kwargs):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((8, 3, 5)).astype("float32")
    tg, il, tl = rng.integers(0, 5, (3, 4)), [8, 7, 3], [4, 2, 2]
    out = {}
    for m in (torch, ember):
        crit = m.nn.CTCLoss(**kwargs)
        assert (crit.blank, crit.reduction, crit.zero_infinity) == (kwargs.get("blank", 0),
                                                                   kwargs.get("reduction", "mean"),
                                                                   kwargs.get("zero_infinity", False))
        out[m] = repr(crit), crit(m.tensor(x).log_softmax(2), m.tensor(tg), m.tensor(il), m.tensor(tl)).numpy()
    assert out[ember][0] == out[torch][0]
    np.testing.assert_allclose(out[ember][1], out[torch][1], rtol=1e-5, equal_nan=True)


LP = np.random.default_rng(0).standard_normal((6, 3, 5))
TG = np.array([[1, 2, 3, 4], [1, 1, 2, 0], [4, 3, 0, 0]])
ERRORS = [
    dict(blank=5), dict(blank=-1),
    dict(il=[6, 5]), dict(tl=[3, 2]),
    dict(il=[7, 5, 4]), dict(il=[-1, 5, 4]),
    dict(tl=[5, 2, 4]), dict(tl=[-1, 2, 4]),
    dict(tg=np.array([1, 2, 3, 1, 1, 4, 3, 2])),  # concatenated: one label short
    dict(tg=TG[:2]), dict(tg=TG[None]),
    dict(il=np.array([6.0, 5.0, 4.0])), dict(tl=np.array([True, True, False])),
    dict(il=(6, 5, 4)),  # a tuple with tensor target_lengths: no such overload
    dict(il=[6.0, 5, 4], tensors=False), dict(il=6, tl=3, tensors=False),
    dict(reduction="foo"), dict(reduction=None),
    dict(lp=LP[:, 0, :3]), dict(lp=LP[None]), dict(lp=LP.astype(np.int32)), dict(lp=LP[:0]),
    dict(lp=LP[:, 0], tg=TG), dict(lp=LP[:, 0], tg=TG[0], il=[6], tl=[3]),
]


@pytest.mark.parametrize("case", range(len(ERRORS)))
def test_errors_match_pytorch(case):
    spec = dict(lp=LP, tg=TG, il=[6, 5, 4], tl=[3, 2, 4], tensors=True)
    spec.update(ERRORS[case])
    kwargs = {k: v for k, v in spec.items() if k in ("blank", "reduction")}
    errors = {}
    for m in (torch, ember):
        def tensor(v):
            return m.tensor(v) if spec["tensors"] and not isinstance(v, tuple) else v
        with pytest.raises(Exception) as info:
            m.nn.functional.ctc_loss(m.tensor(spec["lp"]), m.tensor(spec["tg"]), tensor(spec["il"]),
                                     tensor(spec["tl"]), **kwargs)
        errors[m] = info.value
    assert type(errors[ember]) is type(errors[torch]), (errors[ember], errors[torch])
    if not isinstance(errors[torch], TypeError):  # overload-resolution messages list Python types
        assert str(errors[ember]) == str(errors[torch])


def test_out_of_range_target_is_an_error():
    """PyTorch's CPU kernel reads past the class dimension here; ember refuses."""
    with pytest.raises(IndexError, match="out of bounds"):
        ember.nn.functional.ctc_loss(ember.randn(6, 2, 4).log_softmax(2), ember.tensor([[1, 4], [2, 3]]), (6, 6),
                                     (2, 2))
