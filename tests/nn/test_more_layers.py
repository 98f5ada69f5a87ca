"""Padding modules, Fold/Unfold, extra dropouts, Softmax2d, upsampling, ChannelShuffle, RMSNorm,
LocalResponseNorm, LPPool, RReLU, gumbel_softmax and lazy modules against PyTorch."""
import numpy as np
import pytest
import torch

import ember
from opinfo import A, S, OpInfo, make_tests


def F(m):
    return m.nn.functional


def _pad(name, *args):
    return lambda m, x: getattr(m.nn, name)(*args)(x)


OPS = [
    OpInfo("ZeroPad1d", _pad("ZeroPad1d", (2, -1)), samples=[S(A(2, 3, 4)), S(A(3, 4))]),
    OpInfo("ZeroPad2d", _pad("ZeroPad2d", (1, 1, 2, 0)), samples=[S(A(2, 3, 4, 5)), S(A(3, 4))]),
    OpInfo("ZeroPad3d", _pad("ZeroPad3d", 1), samples=[S(A(1, 2, 3, 4, 2)), S(A(2, 3, 2))]),
    OpInfo("ConstantPad1d", _pad("ConstantPad1d", 2, 3.5), samples=[S(A(2, 3, 4)), S(A(4))]),
    OpInfo("ConstantPad2d", _pad("ConstantPad2d", (1, 0, -1, 2), -1.0), samples=[S(A(2, 3, 4, 5))]),
    OpInfo("ConstantPad3d", _pad("ConstantPad3d", (1, 0, 0, 2, 1, 1), 0.5), samples=[S(A(2, 2, 3, 4))]),
    OpInfo("ReflectionPad1d", _pad("ReflectionPad1d", (3, 1)), samples=[S(A(2, 3, 4)), S(A(3, 5))]),
    OpInfo("ReflectionPad2d", _pad("ReflectionPad2d", (1, 2, 2, 0)), samples=[S(A(2, 3, 4, 5)), S(A(3, 4, 4))]),
    OpInfo("ReflectionPad3d", _pad("ReflectionPad3d", 1), samples=[S(A(1, 2, 3, 4, 2)), S(A(2, 3, 2, 3))]),
    OpInfo("ReplicationPad1d", _pad("ReplicationPad1d", (3, 1)), samples=[S(A(2, 3, 4)), S(A(3, 2))]),
    OpInfo("ReplicationPad2d", _pad("ReplicationPad2d", (1, 2, 3, 0)), samples=[S(A(2, 3, 4, 5)), S(A(3, 2, 2))]),
    OpInfo("ReplicationPad3d", _pad("ReplicationPad3d", (2, 1, 0, 1, 1, 2)), samples=[S(A(1, 2, 3, 4, 2))]),
    OpInfo("CircularPad1d", _pad("CircularPad1d", (3, 1)), samples=[S(A(2, 3, 4)), S(A(3, 4))]),
    OpInfo("CircularPad2d", _pad("CircularPad2d", (1, 2, 2, 0)), samples=[S(A(2, 3, 4, 5)), S(A(3, 4, 4))]),
    OpInfo("CircularPad3d", _pad("CircularPad3d", 1), samples=[S(A(1, 2, 3, 4, 2)), S(A(2, 3, 2, 3))]),
]

test_values, test_grads, test_gradcheck, test_gradgradcheck = make_tests(OPS)

PAD_BUILDS = [lambda nn: nn.ZeroPad1d(1), lambda nn: nn.ZeroPad2d((1, 1, 2, 0)), lambda nn: nn.ZeroPad3d([1, 2, 3, 4]),
              lambda nn: nn.ConstantPad1d(2, 3.5), lambda nn: nn.ConstantPad2d((1, 2), 3),
              lambda nn: nn.ConstantPad3d(1, -1.0), lambda nn: nn.ReflectionPad1d(2),
              lambda nn: nn.ReflectionPad2d((1, 2, 3, 4)), lambda nn: nn.ReflectionPad3d(1),
              lambda nn: nn.ReplicationPad1d((1, 2)), lambda nn: nn.ReplicationPad2d(3),
              lambda nn: nn.ReplicationPad3d(1), lambda nn: nn.CircularPad1d(1),
              lambda nn: nn.CircularPad2d((1, 0, 0, 1)), lambda nn: nn.CircularPad3d(2)]


@pytest.mark.parametrize("build", PAD_BUILDS)
def test_padding_modules_print_like_pytorch(build):
    e, t = build(ember.nn), build(torch.nn)
    assert repr(e) == repr(t)
    assert e.padding == t.padding


def _same_error(fn):
    """``fn(module)`` raises the same exception type with ember as with torch (first line of message)."""
    with pytest.raises(Exception) as te:
        fn(torch)
    with pytest.raises(type(te.value)) as ee:
        fn(ember)
    assert str(ee.value).splitlines()[0] == str(te.value).splitlines()[0]


@pytest.mark.parametrize("fn", [
    lambda m: m.nn.CircularPad2d(1)(m.ones(2, 2)),
    lambda m: m.nn.CircularPad1d(1)(m.ones(1, 1, 2, 2)),
    lambda m: m.nn.CircularPad1d(3)(m.ones(1, 2)),
    lambda m: m.nn.ReflectionPad1d(1)(m.ones(1, 1, 2, 2)),
    lambda m: m.nn.ReflectionPad2d(1)(m.ones(2, 2)),
    lambda m: m.nn.ReplicationPad1d(1)(m.ones(5)),
    lambda m: m.nn.ReflectionPad1d(3)(m.ones(1, 2)),
    lambda m: m.nn.ZeroPad2d((1, 2, 3))(m.ones(1, 2, 3)),
])
def test_padding_errors_match_pytorch(fn):
    _same_error(fn)


# --- Fold/Unfold, Softmax2d, upsampling, channel shuffle, norms, LP pooling, RReLU (eval) ----------
def _mod(name, *args, **kw):
    return lambda m, x: getattr(m.nn, name)(*args, **kw)(x)


def _rms(m, x, w, eps=None):
    return F(m).rms_norm(x, tuple(w.shape), w, eps)


OPS2 = [
    OpInfo("Unfold", _mod("Unfold", (2, 3), dilation=(1, 2), padding=1, stride=(2, 1)), samples=[S(A(2, 3, 5, 6))]),
    OpInfo("Unfold_unbatched", _mod("Unfold", 2), samples=[S(A(3, 4, 5))]),
    OpInfo("Fold", _mod("Fold", (4, 5), 2, padding=(0, 1), stride=1), samples=[S(A(2, 12, 18))]),
    OpInfo("Fold_unbatched", _mod("Fold", (4, 5), 2), samples=[S(A(12, 12))]),
    OpInfo("Softmax2d", _mod("Softmax2d"), samples=[S(A(2, 3, 4, 5)), S(A(3, 2, 2))]),
    OpInfo("UpsamplingNearest2d", _mod("UpsamplingNearest2d", scale_factor=2), samples=[S(A(1, 2, 3, 4))]),
    OpInfo("UpsamplingBilinear2d", _mod("UpsamplingBilinear2d", size=(5, 7)), samples=[S(A(1, 2, 3, 4))]),
    OpInfo("upsample_bilinear", lambda m, x: F(m).upsample_bilinear(x, scale_factor=2), samples=[S(A(1, 2, 3, 4))]),
    OpInfo("upsample_nearest", lambda m, x: F(m).upsample_nearest(x, size=(4, 6)), samples=[S(A(1, 2, 3, 4))]),
    OpInfo("ChannelShuffle", _mod("ChannelShuffle", 3), samples=[S(A(2, 6, 2, 3)), S(A(2, 6, 4)), S(A(1, 6, 2, 2, 2))]),
    OpInfo("rms_norm", _rms, samples=[S(A(2, 3, 4), A(4)), S(A(2, 3, 4), A(3, 4), eps=1e-3), S(A(5, 4), A(4))],
           gradgradcheck=True),
    OpInfo("rms_norm_noweight", lambda m, x: F(m).rms_norm(x, [3, 4]), samples=[S(A(2, 3, 4))]),
    OpInfo("LocalResponseNorm", _mod("LocalResponseNorm", 3, alpha=0.5, beta=0.75, k=1.5),
           samples=[S(A(2, 5, 4)), S(A(2, 5, 3, 2)), S(A(1, 4, 2, 2, 2))]),
    OpInfo("LocalResponseNorm_even", _mod("LocalResponseNorm", 2, alpha=1.0), samples=[S(A(2, 5, 4))]),
    OpInfo("LPPool1d", _mod("LPPool1d", 2, 3, stride=2), samples=[S(A(2, 3, 8)), S(A(3, 7))]),
    OpInfo("LPPool1d_p1.5", _mod("LPPool1d", 1.5, 2, ceil_mode=True), samples=[S(A(2, 3, 7, low=0.1))]),
    OpInfo("LPPool2d", _mod("LPPool2d", 2, (2, 3)), samples=[S(A(2, 3, 4, 6))]),
    OpInfo("LPPool3d", _mod("LPPool3d", 3, 2, stride=1), samples=[S(A(1, 2, 3, 3, 4, low=0.1))]),
    OpInfo("RReLU_eval", lambda m, x: m.nn.RReLU(0.1, 0.4).eval()(x), samples=[S(A(2, 3, 4))]),
    OpInfo("rrelu_eval", lambda m, x: F(m).rrelu(x * 1, 0.2, 0.3), samples=[S(A(2, 3))]),
]

test_values2, test_grads2, test_gradcheck2, test_gradgradcheck2 = make_tests(OPS2)


@pytest.mark.parametrize("build", [
    lambda nn: nn.Fold((4, 5), 2), lambda nn: nn.Unfold(2, padding=1), lambda nn: nn.Unfold((2, 3), 1, 0, (1, 2)),
    lambda nn: nn.Dropout3d(), lambda nn: nn.Dropout3d(0.2, True), lambda nn: nn.FeatureAlphaDropout(0.2),
    lambda nn: nn.Softmax2d(), lambda nn: nn.UpsamplingNearest2d(scale_factor=2),
    lambda nn: nn.UpsamplingBilinear2d(size=(3, 4)), lambda nn: nn.ChannelShuffle(2), lambda nn: nn.RMSNorm(4),
    lambda nn: nn.RMSNorm([2, 3], eps=1e-5, elementwise_affine=False), lambda nn: nn.LocalResponseNorm(2),
    lambda nn: nn.LocalResponseNorm(3, 0.1, 0.5, 2), lambda nn: nn.LPPool1d(2, 3),
    lambda nn: nn.LPPool2d(1.5, (2, 3), stride=1), lambda nn: nn.LPPool3d(2, 2, ceil_mode=True), lambda nn: nn.RReLU(),
    lambda nn: nn.RReLU(0.1, 0.3, True)])
def test_layers_print_like_pytorch(build):
    assert repr(build(ember.nn)) == repr(build(torch.nn))


def test_rmsnorm_parameters_match_pytorch():
    t, e = torch.nn.RMSNorm([2, 3]), ember.nn.RMSNorm([2, 3])
    assert [(k, tuple(v.shape)) for k, v in e.state_dict().items()] == \
        [(k, tuple(v.shape)) for k, v in t.state_dict().items()]
    np.testing.assert_array_equal(e.weight.detach().numpy(), t.weight.detach().numpy())
    assert ember.nn.RMSNorm(3, elementwise_affine=False).weight is None


@pytest.mark.parametrize("fn", [
    lambda m: F(m).channel_shuffle(m.ones(2, 4, 3), 0),
    lambda m: F(m).channel_shuffle(m.ones(2, 5, 3), 2),
    lambda m: F(m).channel_shuffle(m.ones(2, 4), 2),
    lambda m: m.nn.ChannelShuffle(2)(m.ones(2, 5, 3)),
    lambda m: F(m).rms_norm(m.ones(2, 3), (4,)),
    lambda m: m.nn.RMSNorm([2, 3])(m.ones(3, 2)),
    lambda m: F(m).local_response_norm(m.ones(2, 3), 2),
    lambda m: F(m).feature_alpha_dropout(m.ones(3), 0.5, True),
    lambda m: m.nn.FeatureAlphaDropout(1.5),
    lambda m: F(m).dropout3d(m.ones(2, 2, 2, 2), -0.1),
    lambda m: F(m).rrelu(m.ones(3), 0.5, 0.2, True),
    lambda m: m.nn.Softmax2d()(m.ones(2, 2)),
    lambda m: m.nn.Unfold(2)(m.ones(2, 3)),
    lambda m: m.nn.Unfold(2)(m.ones(1, 1, 4, 5, 3)),
    lambda m: m.nn.Fold((4, 5), 2)(m.ones(12)),
])
def test_layer_errors_match_pytorch(fn):
    _same_error(fn)


# --- random layers: the same seed gives PyTorch's draws ------------------------------------------
def _both(shape, seed=0, low=-1.0, high=1.0):
    x = np.random.default_rng(seed).uniform(low, high, shape).astype(np.float32)
    return torch.tensor(x, requires_grad=True), ember.tensor(x, requires_grad=True)


def _compare_random(fn, shape, seed=3, low=-1.0, high=1.0):
    """Run fn under the same seed in both frameworks; outputs and input gradients match."""
    xt, xe = _both(shape, low=low, high=high)
    torch.manual_seed(seed)
    ot = fn(torch, xt)
    ember.manual_seed(seed)
    oe = fn(ember, xe)
    np.testing.assert_allclose(oe.detach().numpy(), ot.detach().numpy(), rtol=1e-5, atol=1e-6)
    g = np.random.default_rng(1).standard_normal(tuple(ot.shape)).astype(np.float32)
    ot.backward(torch.tensor(g))
    oe.backward(ember.tensor(g))
    np.testing.assert_allclose(xe.grad.numpy(), xt.grad.numpy(), rtol=1e-5, atol=1e-6)
    return oe


@pytest.mark.parametrize("shape", [(3, 4, 2, 3, 2), (4, 2, 3, 2)])
def test_dropout3d_matches_pytorch_draws(shape):
    out = _compare_random(lambda m, x: m.nn.Dropout3d(0.4)(x), shape)
    assert (out.detach().numpy() == 0).any()
    _compare_random(lambda m, x: F(m).dropout3d(x, 0.4, training=False), shape)


@pytest.mark.parametrize("shape", [(6, 5, 3, 2), (8, 3)])
def test_feature_alpha_dropout_matches_pytorch_draws(shape):
    _compare_random(lambda m, x: m.nn.FeatureAlphaDropout(0.3)(x), shape)
    _compare_random(lambda m, x: F(m).feature_alpha_dropout(x, 1.0, True), shape)
    _compare_random(lambda m, x: m.nn.FeatureAlphaDropout(0.3).eval()(x), shape)


def test_rrelu_training_matches_pytorch_draws():
    out = _compare_random(lambda m, x: m.nn.RReLU()(x), (4, 5, 6))
    x = ember.tensor([-1.0, 2.0, -1.0, 3.0, 0.0])
    ember.manual_seed(0)
    y = ember.nn.functional.rrelu(x, training=True).numpy()
    torch.manual_seed(0)
    np.testing.assert_allclose(y, torch.nn.functional.rrelu(torch.tensor(x.numpy()), training=True).numpy())
    assert y[1] == 2.0 and 0.125 <= -y[0] <= 1 / 3
    assert out.grad_fn is not None
    # in place, on a non-leaf
    _compare_random(lambda m, x: F(m).rrelu_(x * 1, 0.2, 0.5, True), (3, 7))
    _compare_random(lambda m, x: m.nn.RReLU(0.1, 0.2, inplace=True)(x * 1), (3, 7))


@pytest.mark.parametrize("hard", [False, True])
@pytest.mark.parametrize("dim", [-1, 0])
def test_gumbel_softmax_matches_pytorch_draws(hard, dim):
    # weighting the outputs makes the straight-through gradient non-trivial
    _compare_random(lambda m, x: F(m).gumbel_softmax(x, tau=0.7, hard=hard, dim=dim) * m.arange(6.0), (4, 6),
                    low=-2, high=2)
    y = F(ember).gumbel_softmax(ember.zeros(3, 5), hard=hard, dim=dim).numpy()
    np.testing.assert_allclose(y.sum(axis=dim), 1.0, rtol=1e-6)
    assert (set(np.unique(y)) <= {0.0, 1.0}) == hard


def test_upsample_aliases_warn_like_pytorch():
    with pytest.warns(UserWarning, match="upsample_nearest` is deprecated"):
        F(ember).upsample_nearest(ember.ones(1, 1, 2, 2), scale_factor=2)
    with pytest.warns(UserWarning, match="upsample_bilinear` is deprecated"):
        F(ember).upsample_bilinear(ember.ones(1, 1, 2, 2), scale_factor=2)


# --- lazy modules --------------------------------------------------------------------------------
LAZY = [(lambda nn: nn.LazyLinear(3), (2, 5)), (lambda nn: nn.LazyLinear(4, bias=False), (2, 3, 6)),
        (lambda nn: nn.LazyConv1d(4, 3, stride=2, padding=1, groups=2), (2, 6, 9)),
        (lambda nn: nn.LazyConv2d(4, 3, bias=False), (2, 3, 5, 5)), (lambda nn: nn.LazyConv2d(2, 2), (3, 4, 4)),
        (lambda nn: nn.LazyConv3d(2, (1, 2, 2), padding="same"), (1, 2, 3, 4, 4)),
        (lambda nn: nn.LazyBatchNorm1d(), (4, 3)), (lambda nn: nn.LazyBatchNorm2d(momentum=None), (4, 3, 2, 2)),
        (lambda nn: nn.LazyBatchNorm3d(affine=False), (2, 3, 2, 2, 2))]


@pytest.mark.parametrize("build,shape", LAZY)
def test_lazy_modules_become_the_ordinary_module_with_pytorchs_weights(build, shape):
    t, e = build(torch.nn), build(ember.nn)
    assert repr(e) == repr(t)
    xt, xe = _both(shape)
    torch.manual_seed(5)
    ot = t(xt)
    ember.manual_seed(5)
    oe = e(xe)
    assert type(e).__name__ == type(t).__name__ and type(e) is getattr(ember.nn, type(t).__name__)
    assert repr(e) == repr(t)
    for (ke, pe), (kt, pt) in zip(e.state_dict().items(), t.state_dict().items()):
        assert ke == kt
        np.testing.assert_allclose(pe.numpy(), pt.numpy(), rtol=1e-6, err_msg=ke)
    np.testing.assert_allclose(oe.detach().numpy(), ot.detach().numpy(), rtol=1e-5, atol=1e-6)
    ot.sum().backward()
    oe.sum().backward()
    np.testing.assert_allclose(xe.grad.numpy(), xt.grad.numpy(), rtol=1e-5, atol=1e-6)
    for (n, pe), pt in zip(e.named_parameters(), t.parameters()):
        np.testing.assert_allclose(pe.grad.numpy(), pt.grad.numpy(), rtol=1e-5, atol=1e-5, err_msg=n)
    # the same Parameter objects are kept, and later calls are ordinary
    np.testing.assert_allclose(e(xe).detach().numpy(), t(xt).detach().numpy(), rtol=1e-5, atol=1e-6)


def test_lazy_parameters_are_materialized_in_place():
    m = ember.nn.LazyLinear(3)
    w = m.weight
    m(ember.ones(2, 4))
    assert m.weight is w and tuple(w.shape) == (3, 4) and w.requires_grad


@pytest.mark.parametrize("fn", [lambda m: m.nn.LazyConv2d(4, 3)(m.ones(6, 5)),
                                lambda m: m.nn.LazyConv2d(4, 3, groups=2)(m.ones(1, 5, 5, 5))])
def test_lazy_errors_match_pytorch(fn):
    _same_error(fn)
