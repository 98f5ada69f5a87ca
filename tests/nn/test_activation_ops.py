"""Activations and losses that are single ops in PyTorch (ember/_ops/activation.py and loss.py):
values, gradients, gradcheck and gradgradcheck against PyTorch through the op table, plus the
``grad_fn`` names (out of place and in place) and the top-level ``torch.*`` names."""
import numpy as np
import pytest
import torch

import ember
from opinfo import A, S, OpInfo, make_tests, FLOATS


def F(m):
    return m.nn.functional


def T(*shape, low=None, high=None):
    """A target that does not require grad."""
    return A(*shape, grad=False, low=low, high=high)


UNARY = [S(A(3, 4)), S(A()), S(A(0,)), S(A(2, 3, noncontig=True)), S(A(2, 3, 4))]
WIDE = [S(A(3, 4, low=-40, high=40))]  # the saturated ends, where naive formulas overflow
REDUCTIONS = ("mean", "sum", "none")
INT_TOO = FLOATS + ("int64",)  # integer inputs: PyTorch's values (hardtanh, relu6, threshold) or its error


def each_reduction(*args, **kwargs):
    return [S(*args, reduction=r, **kwargs) for r in REDUCTIONS]


def fn(name, **fixed):
    return lambda m, *a, **k: getattr(F(m), name)(*a, **fixed, **k)


def inplace(name, *params, **kw):
    """``F.<name>(x.clone(), ...)`` in place: the clone keeps the leaf out of the in-place op and
    passes the gradient through to it."""
    return lambda m, x: getattr(F(m), name)(x.clone(), *params, **kw)


def inplace_view(m, x):
    """An in-place activation on a view: the base's graph must route through it."""
    y = x.clone()
    F(m).leaky_relu_(y[:, 1:], 0.2)
    return y


OPS = [
    OpInfo("softplus", fn("softplus"), dtypes=INT_TOO,
           samples=UNARY + WIDE + [S(A(3, 4), beta=2.0, threshold=3.0), S(A(3, 4), beta=0.5)]),
    OpInfo("gelu", fn("gelu"), dtypes=INT_TOO,
           samples=UNARY + WIDE + [S(A(3, 4), approximate="tanh"), S(A(), approximate="tanh"),
                                   S(A(3, 4, noncontig=True), approximate="tanh"), S(A(3), approximate="foo")]),
    OpInfo("silu", fn("silu"), dtypes=INT_TOO, samples=UNARY + WIDE),
    OpInfo("mish", fn("mish"), dtypes=INT_TOO, samples=UNARY + WIDE),
    OpInfo("logsigmoid", fn("logsigmoid"), dtypes=INT_TOO, samples=UNARY + WIDE),
    OpInfo("elu", fn("elu"), dtypes=INT_TOO, samples=UNARY + WIDE + [S(A(3, 4), alpha=0.5), S(A(3, 4), 2.0)]),
    OpInfo("selu", fn("selu"), dtypes=INT_TOO, samples=UNARY + WIDE),
    OpInfo("celu", fn("celu"), dtypes=INT_TOO,
           samples=UNARY + [S(A(3, 4), alpha=2.0), S(A(3, 4), alpha=0.3), S(A(3), alpha=0.0)]),
    OpInfo("leaky_relu", fn("leaky_relu"), dtypes=INT_TOO,
           samples=UNARY + [S(A(3, 4), 0.2), S(A(3, 4), negative_slope=-0.1)]),
    OpInfo("hardtanh", fn("hardtanh"), dtypes=INT_TOO + ("bool",),
           samples=UNARY + [S(A(3, 4), -0.5, 2.0), S(A(3, 4), min_val=0.0, max_val=0.5), S(A(3), 2.0, 1.0)]),
    OpInfo("relu6", fn("relu6"), dtypes=INT_TOO,
           samples=[S(A(3, 4, low=-3, high=9)), S(A()), S(A(0,)), S(A(2, 5, low=-3, high=9, noncontig=True))]),
    OpInfo("hardsigmoid", fn("hardsigmoid"), dtypes=INT_TOO,
           samples=[S(A(3, 4, low=-5, high=5)), S(A()), S(A(0,)), S(A(2, 5, low=-5, high=5, noncontig=True))]),
    OpInfo("hardswish", fn("hardswish"), dtypes=INT_TOO,
           samples=[S(A(3, 4, low=-5, high=5)), S(A()), S(A(0,)), S(A(2, 5, low=-5, high=5, noncontig=True))]),
    OpInfo("glu", fn("glu"), dtypes=INT_TOO,
           samples=[S(A(3, 4)), S(A(4, 6), dim=0), S(A(2, 4, 3), dim=1), S(A(2, 4, noncontig=True)), S(A(0, 4)),
                    S(A(3, 3)), S(A()), S(A(2, 4), dim=2)]),
    OpInfo("prelu", fn("prelu"), dtypes=INT_TOO,
           samples=[S(A(2, 3, 4), A(3)), S(A(2, 3), A(1)), S(A(4), A(1)), S(A(), A(1)), S(A(2, 3, 2, 2), A(3)),
                    S(A(2, 3, noncontig=True), A(3)), S(A(2, 3), A()), S(A(0, 3), A(3)),
                    S(A(2, 3), A(4)), S(A(4), A(4)), S(A(2, 3), A(3, 1))]),
    OpInfo("threshold", fn("threshold"), dtypes=INT_TOO,
           samples=[S(A(3, 4), 0.1, 2.0), S(A(), 0.5, -1.0), S(A(0,), 0.0, 0.0),
                    S(A(2, 3, noncontig=True), -0.5, 0.0)]),
    OpInfo("softshrink", fn("softshrink"), dtypes=INT_TOO,
           samples=UNARY + [S(A(3, 4), 1.0), S(A(3, 4), lambd=0.0), S(A(3), -0.5)]),
    OpInfo("hardshrink", fn("hardshrink"), dtypes=INT_TOO, samples=UNARY + [S(A(3, 4), 1.0), S(A(3, 4), lambd=0.0)]),
    OpInfo("tanhshrink", fn("tanhshrink"), dtypes=INT_TOO, samples=UNARY),
    OpInfo("softsign", fn("softsign"), dtypes=INT_TOO, samples=UNARY),
    # the top-level torch.* functions and Tensor methods
    OpInfo("torch.selu", lambda m, x: m.selu(x), samples=UNARY),
    OpInfo("torch.celu", lambda m, x, **k: m.celu(x, **k), samples=[S(A(3, 4), alpha=1.5)]),
    OpInfo("torch.prelu", lambda m, x, w: m.prelu(x, w), samples=[S(A(2, 3, 4), A(3))]),
    OpInfo("Tensor.prelu", lambda m, x, w: x.prelu(w), samples=[S(A(2, 3), A(3))]),
    OpInfo("torch.threshold", lambda m, x: m.threshold(x, 0.2, -1.0), samples=[S(A(3, 4))]),
    OpInfo("torch.hardshrink", lambda m, x: m.hardshrink(x, 0.7), samples=[S(A(3, 4))]),
    OpInfo("Tensor.hardshrink", lambda m, x: x.hardshrink(), samples=[S(A(3, 4))]),
    # in-place variants (through a clone, so gradients reach the leaf)
    OpInfo("elu_", inplace("elu_"), samples=UNARY),
    OpInfo("elu_inplace", inplace("elu", 0.7, inplace=True), samples=UNARY),
    OpInfo("selu_", lambda m, x: m.selu_(x.clone()), samples=UNARY),
    OpInfo("selu_inplace", inplace("selu", inplace=True), samples=[S(A(3, 4))]),
    OpInfo("celu_", lambda m, x: m.celu_(x.clone(), 1.5), samples=UNARY),
    OpInfo("celu_inplace", inplace("celu", 0.5, inplace=True), samples=[S(A(3, 4))]),
    OpInfo("leaky_relu_", inplace("leaky_relu_", 0.2), samples=UNARY),
    OpInfo("leaky_relu_inplace", inplace("leaky_relu", inplace=True), samples=[S(A(3, 4))]),
    OpInfo("leaky_relu_view", inplace_view, samples=[S(A(3, 4))]),
    OpInfo("hardtanh_", inplace("hardtanh_", -0.5, 0.5), samples=UNARY),
    OpInfo("relu6_inplace", inplace("relu6", inplace=True), samples=[S(A(3, 4, low=-3, high=9))]),
    OpInfo("threshold_", inplace("threshold_", 0.1, 2.0), samples=UNARY),
    OpInfo("torch.threshold_", lambda m, x: m.threshold_(x.clone(), -0.2, 0.5), samples=[S(A(3, 4))]),
    OpInfo("silu_inplace", inplace("silu", inplace=True), samples=[S(A(3, 4))]),
    OpInfo("mish_inplace", inplace("mish", inplace=True), samples=[S(A(3, 4))]),
    OpInfo("hardswish_inplace", inplace("hardswish", inplace=True), samples=[S(A(3, 4, low=-5, high=5))]),
    OpInfo("hardsigmoid_inplace", inplace("hardsigmoid", inplace=True), samples=[S(A(3, 4, low=-5, high=5))]),
    OpInfo("relu_", lambda m, x: F(m).relu_(x.clone()), samples=[S(A(3, 4))]),
    # losses: every reduction, weights, targets that require grad, saturated inputs, errors
    OpInfo("binary_cross_entropy", fn("binary_cross_entropy"), samples=each_reduction(
        A(3, 4, low=0.05, high=0.95), T(3, 4, low=0, high=1)) + [
        S(A(3, 4, low=0.05, high=0.95), A(3, 4, low=0, high=1)),
        S(A(3, 4, low=0.05, high=0.95), T(3, 4, low=0, high=1), weight=T(4, low=0, high=2)),
        S(A(3, 4, low=0.05, high=0.95), T(3, 4, low=0, high=1), weight=T(3, 4, low=0, high=2), reduction="none"),
        S(A(low=0.05, high=0.95), T(low=0, high=1)), S(A(0, 3, low=0.05, high=0.95), T(0, 3), reduction="sum"),
        S(A(2, 3, noncontig=True, low=0.05, high=0.95), T(2, 3, low=0, high=1)),
        S(A(3, low=1.5, high=2), T(3, low=0, high=1)), S(A(3, low=0.1, high=0.9), T(4, low=0, high=1))]),
    OpInfo("binary_cross_entropy_with_logits", fn("binary_cross_entropy_with_logits"), samples=each_reduction(
        A(3, 4), T(3, 4, low=0, high=1)) + [
        S(A(3, 4), A(3, 4, low=0, high=1)),
        S(A(3, 4), T(3, 4, low=0, high=1), weight=T(4, low=0, high=2)),
        S(A(3, 4), T(3, 4, low=0, high=1), pos_weight=T(4, low=0.5, high=3)),
        S(A(3, 4), A(3, 4, low=0, high=1), weight=T(3, 1, low=0, high=2), pos_weight=T(4, low=0.5, high=3),
          reduction="none"),
        S(A(3, 4, low=-60, high=60), T(3, 4, low=0, high=1), pos_weight=T(4, low=0.5, high=3)),
        S(A(), T(low=0, high=1)), S(A(0, 3), T(0, 3), reduction="sum"), S(A(2, 3, noncontig=True), T(2, 3)),
        S(A(3), T(4))]),
    OpInfo("torch.binary_cross_entropy_with_logits", lambda m, x, y, *a: m.binary_cross_entropy_with_logits(x, y, *a),
           samples=[S(A(3, 4), T(3, 4, low=0, high=1)), S(A(3, 4), T(3, 4, low=0, high=1), None, T(4), 2),
                    S(A(3, 4), T(3, 4, low=0, high=1), T(4), None, 1), S(A(3), T(3), None, None, "mean")]),
    OpInfo("smooth_l1_loss", fn("smooth_l1_loss"), samples=each_reduction(A(3, 4), T(3, 4)) + [
        S(A(3, 4), A(3, 4)), S(A(3, 4), T(3, 4), beta=0.5), S(A(3, 4), T(3, 4), beta=2.5, reduction="none"),
        S(A(3, 4), T(3, 4), beta=0.0), S(A(3, 4), T(3, 4), beta=0.0, reduction="none"),
        S(A(), T()), S(A(0, 3), T(0, 3), reduction="sum"), S(A(2, 3, noncontig=True), A(2, 3)),
        S(A(3), T(3), beta=-1.0)]),
    OpInfo("huber_loss", fn("huber_loss"), samples=each_reduction(A(3, 4), T(3, 4)) + [
        S(A(3, 4), A(3, 4)), S(A(3, 4), T(3, 4), delta=0.5), S(A(3, 4), T(3, 4), delta=2.5, reduction="none"),
        S(A(3, 4), T(3, 4), weight=T(3, 4, low=0, high=2)), S(A(), T()), S(A(0, 3), T(0, 3), reduction="sum"),
        S(A(2, 3, noncontig=True), A(2, 3)), S(A(3), T(3), delta=0.0)]),
]
for _op in OPS:
    _op.gradgradcheck = True

test_values, test_grads, test_gradcheck, test_gradgradcheck = make_tests(OPS)


# --- grad_fn names: one node, named as in PyTorch --------------------------------------------------
def _x(m):
    return m.tensor([[-2.5, -0.3, 0.2, 1.7], [0.6, -1.1, 3.2, -4.0]], requires_grad=True)


GRAD_FN = {
    "softplus": lambda m, x: F(m).softplus(x),
    "gelu": lambda m, x: F(m).gelu(x),
    "gelu_tanh": lambda m, x: F(m).gelu(x, approximate="tanh"),
    "silu": lambda m, x: F(m).silu(x),
    "silu_inplace": lambda m, x: F(m).silu(x.clone(), inplace=True),
    "mish": lambda m, x: F(m).mish(x),
    "mish_inplace": lambda m, x: F(m).mish(x.clone(), inplace=True),
    "logsigmoid": lambda m, x: F(m).logsigmoid(x),
    "glu": lambda m, x: F(m).glu(x),
    "elu": lambda m, x: F(m).elu(x),
    "elu_inplace": lambda m, x: F(m).elu(x.clone(), inplace=True),
    "elu_": lambda m, x: F(m).elu_(x.clone()),
    "selu": lambda m, x: F(m).selu(x),
    "selu_inplace": lambda m, x: F(m).selu(x.clone(), inplace=True),
    "torch.selu": lambda m, x: m.selu(x),
    "torch.selu_": lambda m, x: m.selu_(x.clone()),
    "celu": lambda m, x: F(m).celu(x),
    "celu_inplace": lambda m, x: F(m).celu(x.clone(), inplace=True),
    "torch.celu_": lambda m, x: m.celu_(x.clone()),
    "leaky_relu": lambda m, x: F(m).leaky_relu(x),
    "leaky_relu_inplace": lambda m, x: F(m).leaky_relu(x.clone(), inplace=True),
    "leaky_relu_": lambda m, x: F(m).leaky_relu_(x.clone()),
    "hardtanh": lambda m, x: F(m).hardtanh(x),
    "hardtanh_inplace": lambda m, x: F(m).hardtanh(x.clone(), inplace=True),
    "hardtanh_": lambda m, x: F(m).hardtanh_(x.clone()),
    "relu6": lambda m, x: F(m).relu6(x),
    "relu6_inplace": lambda m, x: F(m).relu6(x.clone(), inplace=True),
    "hardsigmoid": lambda m, x: F(m).hardsigmoid(x),
    "hardsigmoid_inplace": lambda m, x: F(m).hardsigmoid(x.clone(), inplace=True),
    "hardswish": lambda m, x: F(m).hardswish(x),
    "hardswish_inplace": lambda m, x: F(m).hardswish(x.clone(), inplace=True),
    "prelu": lambda m, x: F(m).prelu(x, m.full((1,), 0.25, requires_grad=True)),
    "torch.prelu": lambda m, x: m.prelu(x, m.full((4,), 0.25, requires_grad=True)),
    "threshold": lambda m, x: F(m).threshold(x, 0.1, 2.0),
    "threshold_inplace": lambda m, x: F(m).threshold(x.clone(), 0.1, 2.0, inplace=True),
    "threshold_": lambda m, x: F(m).threshold_(x.clone(), 0.1, 2.0),
    "torch.threshold_": lambda m, x: m.threshold_(x.clone(), 0.1, 2.0),
    "softshrink": lambda m, x: F(m).softshrink(x),
    "hardshrink": lambda m, x: F(m).hardshrink(x),
    "tanhshrink": lambda m, x: F(m).tanhshrink(x),
    "softsign": lambda m, x: F(m).softsign(x),
    "relu_": lambda m, x: F(m).relu_(x.clone()),
    "binary_cross_entropy": lambda m, x: F(m).binary_cross_entropy(x.sigmoid().detach().requires_grad_(),
                                                                   m.full((2, 4), 0.3)),
    "binary_cross_entropy_none": lambda m, x: F(m).binary_cross_entropy(
        x.sigmoid().detach().requires_grad_(), m.full((2, 4), 0.3), reduction="none"),
    "binary_cross_entropy_with_logits": lambda m, x: F(m).binary_cross_entropy_with_logits(x, m.full((2, 4), 0.3)),
    "bce_with_logits_pos_weight": lambda m, x: F(m).binary_cross_entropy_with_logits(
        x, m.full((2, 4), 0.3), pos_weight=m.full((4,), 2.0), reduction="sum"),
    "smooth_l1_loss": lambda m, x: F(m).smooth_l1_loss(x, m.zeros(2, 4)),
    "smooth_l1_loss_beta0": lambda m, x: F(m).smooth_l1_loss(x, m.zeros(2, 4), beta=0.0),
    "huber_loss": lambda m, x: F(m).huber_loss(x, m.zeros(2, 4), reduction="none"),
    "huber_loss_weight": lambda m, x: F(m).huber_loss(x, m.zeros(2, 4), weight=m.ones(2, 4)),
}


@pytest.mark.parametrize("name", list(GRAD_FN))
def test_grad_fn_name(name):
    """The node and the nodes it points to (``next_functions``, walked by graph printers) are
    PyTorch's: same name, one entry per tensor input of the op, in the same order."""
    graphs = []
    for m in (torch, ember):
        y = GRAD_FN[name](m, _x(m))
        graphs.append((type(y.grad_fn).__name__,
                       [None if f is None else type(f).__name__ for f, _ in y.grad_fn.next_functions]))
    assert graphs[1] == graphs[0], f"{name}: ember's grad_fn is {graphs[1]}, PyTorch's {graphs[0]}"


def test_single_node_double_backward_names():
    """The backward of a single-op activation is differentiable again (create_graph=True)."""
    for name in ("gelu", "elu", "softplus", "mish", "logsigmoid"):
        x = ember.tensor([-1.5, 0.3, 2.0], requires_grad=True)
        y = getattr(ember.nn.functional, name)(x)
        g, = ember.autograd.grad(y.sum(), x, create_graph=True)
        assert g.requires_grad and g.grad_fn is not None, name
        gg, = ember.autograd.grad(g.sum(), x)
        assert np.isfinite(gg.numpy()).all(), name


def test_inplace_negative_slope_backward_raises():
    """PyTorch's in-place leaky_relu/elu differentiate from the result, which a negative slope makes
    ambiguous: both frameworks refuse the backward."""
    for m in (torch, ember):
        x = m.tensor([-1.0, 2.0], requires_grad=True)
        y = F(m).leaky_relu_(x.clone(), -0.2)
        with pytest.raises(RuntimeError, match="In-place leakyReLu backward"):
            y.sum().backward()
        y = F(m).elu_(x.clone(), -0.2)
        with pytest.raises(RuntimeError, match="In-place elu backward"):
            y.sum().backward()


def test_inplace_on_leaf_raises():
    x = ember.randn(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable"):
        ember.nn.functional.elu_(x)


def test_weights_are_not_differentiable():
    for name, kw in (("binary_cross_entropy_with_logits", "weight"), ("binary_cross_entropy_with_logits",
                                                                      "pos_weight"),
                     ("binary_cross_entropy", "weight")):
        msgs = []
        for m in (torch, ember):
            x = m.full((3,), 0.4, requires_grad=True)
            with pytest.raises(RuntimeError) as info:
                getattr(F(m), name)(x, m.full((3,), 0.5), **{kw: m.ones(3, requires_grad=True)})
            msgs.append(str(info.value))
        assert msgs[0] == msgs[1]


TOP_LEVEL = ["selu", "selu_", "celu", "celu_", "prelu", "threshold", "threshold_", "hardshrink", "relu_",
             "binary_cross_entropy_with_logits", "gelu", "silu", "mish", "softplus", "elu", "leaky_relu", "hardtanh",
             "glu", "logsigmoid", "softshrink", "hardswish", "hardsigmoid", "smooth_l1_loss", "huber_loss"]


@pytest.mark.parametrize("name", TOP_LEVEL)
def test_top_level_names_as_in_torch(name):
    assert hasattr(ember, name) == hasattr(torch, name)


@pytest.mark.parametrize("cls,args", [("ELU", (0.5, True)), ("SELU", (True,)), ("CELU", (1.5, True)),
                                      ("LeakyReLU", (0.1, True)), ("Hardtanh", (-0.5, 0.5, True)),
                                      ("ReLU6", (True,)), ("Threshold", (0.1, 5.0, True)), ("SiLU", (True,)),
                                      ("Mish", (True,)), ("Hardswish", (True,)), ("Hardsigmoid", (True,)),
                                      ("GELU", ("tanh",)), ("Softplus", (2.0, 5.0)), ("Hardshrink", (0.3,)),
                                      ("Softshrink", (0.3,)), ("LogSigmoid", ()), ("GLU", (0,)), ("PReLU", (4,))])
def test_modules(cls, args):
    """The nn.Module classes (in-place ones too) give PyTorch's output, gradient and repr."""
    results = []
    for m in (torch, ember):
        x = m.tensor([[-2.5, -0.3, 0.2, 1.7], [0.6, -1.1, 3.2, -4.0]], requires_grad=True)
        mod = getattr(m.nn, cls)(*args)
        y = mod(x * 1.0)
        (y * y).sum().backward()
        results.append((y.detach().numpy(), x.grad.numpy(), repr(mod), type(y.grad_fn).__name__))
    np.testing.assert_allclose(results[1][0], results[0][0], rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(results[1][1], results[0][1], rtol=1e-5, atol=1e-6)
    assert results[1][2:] == results[0][2:]


def test_float32_erf_within_one_ulp_of_torch():
    """float32 erf (and so gelu) uses a vectorised formula: it stays within one float32 ulp of
    PyTorch's over the whole range, tiny values, infinities and NaN included."""
    x = np.concatenate([np.linspace(-7, 7, 200001), np.geomspace(1e-38, 0.6, 2000), -np.geomspace(1e-38, 0.6, 2000),
                        [0.0, -0.0, np.inf, -np.inf, np.nan]]).astype(np.float32)
    e = ember.from_numpy(x).erf().numpy()
    t = torch.from_numpy(x).erf().numpy()
    assert e.dtype == np.float32
    np.testing.assert_array_equal(np.isnan(e), np.isnan(t))
    ok = ~np.isnan(t)
    ulps = np.abs(e[ok].view(np.int32).astype(np.int64) - t[ok].view(np.int32).astype(np.int64))
    assert ulps.max() <= 1
