"""3-d convolution, pooling, normalisation and resampling against PyTorch: the functional
forms through the op table (values and gradients in float32/float64, gradcheck, and
gradgradcheck for the convolutions), then the modules (reprs, default initialisation under
the same seed, padding modes) and PyTorch's errors for inputs of the wrong rank."""
import numpy as np
import pytest
import torch

import ember
from opinfo import A, S, OpInfo, make_tests


def F(m):
    return m.nn.functional


# Samples whose inputs hold at most 60 numbers are also gradchecked (opinfo's budget), so
# each op has at least one tiny sample besides the larger ones.
OPS = [
    OpInfo("conv3d", lambda m, x, w, b=None, **k: F(m).conv3d(x, w, b, **k), samples=[
        S(A(2, 3, 5, 6, 4), A(4, 3, 3, 2, 3), A(4)),
        S(A(1, 4, 6, 5, 7), A(6, 2, 3, 3, 3), A(6), stride=(2, 1, 2), padding=(1, 2, 0), groups=2),
        S(A(1, 2, 7, 6, 5), A(3, 2, 2, 3, 2), None, stride=2, padding=1, dilation=(2, 1, 2)),
        S(A(1, 2, 4, 5, 4), A(3, 2, 3, 2, 3), A(3), padding="same"),
        S(A(1, 2, 5, 4, 4), A(2, 2, 2, 4, 3), None, padding="same", dilation=(2, 1, 1)),
        S(A(2, 4, 3, 5), A(3, 2, 2, 2, 2), A(3)),  # unbatched (C, D, H, W)
        S(A(1, 2, 4, 4, 5, noncontig=True), A(3, 2, 2, 2, 2), A(3), padding="valid"),
        S(A(1, 3, 4, 4, 4), A(2, 2, 3, 3, 3), None),  # channel mismatch: PyTorch's error
        S(A(1, 1, 3, 3, 3), A(1, 1, 2, 2, 2), A(1)),
        S(A(1, 2, 2, 3, 2), A(2, 1, 2, 2, 1), None, stride=(1, 2, 1), padding=1, groups=2),
    ], gradgradcheck=True),
    OpInfo("conv_transpose3d", lambda m, x, w, b=None, **k: F(m).conv_transpose3d(x, w, b, **k), samples=[
        S(A(2, 3, 3, 4, 2), A(3, 2, 3, 3, 2), A(2)),
        S(A(1, 4, 3, 2, 3), A(4, 3, 3, 3, 2), A(6), stride=2, padding=1, output_padding=(1, 0, 1), groups=2),
        S(A(1, 2, 3, 2, 4), A(2, 2, 2, 3, 2), None, stride=(2, 3, 1), dilation=2),
        S(A(2, 3, 2, 3), A(2, 2, 2, 2, 2), A(2), stride=2),  # unbatched
        S(A(1, 1, 2, 3, 2), A(1, 2, 2, 2, 2), A(2), stride=2, output_padding=1),
    ], gradgradcheck=True),
    OpInfo("max_pool3d", lambda m, x, **k: F(m).max_pool3d(x, **k), samples=[
        S(A(2, 3, 6, 6, 4, distinct=True), kernel_size=2),
        S(A(1, 2, 7, 6, 5, distinct=True), kernel_size=3, stride=2, padding=1),
        S(A(1, 2, 7, 6, 5, distinct=True), kernel_size=(3, 2, 3), stride=2, ceil_mode=True, return_indices=True),
        S(A(1, 1, 7, 8, 6, distinct=True), kernel_size=(2, 3, 2), stride=1, dilation=(2, 1, 2), padding=(1, 1, 0),
          return_indices=True),
        S(A(2, 5, 4, 6, distinct=True), kernel_size=2, return_indices=True),  # unbatched
        S(A(1, 2, 3, 3, 3, distinct=True), kernel_size=2, stride=1),
        S(A(1, 1, 4, 3, 4, distinct=True), kernel_size=2, ceil_mode=True, padding=1),
    ]),
    OpInfo("avg_pool3d", lambda m, x, **k: F(m).avg_pool3d(x, **k), samples=[
        S(A(2, 3, 6, 6, 4), kernel_size=2),
        S(A(1, 2, 7, 6, 5), kernel_size=3, stride=2, padding=1),
        S(A(1, 2, 7, 6, 5), kernel_size=3, stride=2, padding=1, count_include_pad=False),
        S(A(1, 2, 7, 6, 5), kernel_size=(3, 2, 3), stride=(2, 2, 1), ceil_mode=True),
        S(A(1, 2, 5, 6, 6), kernel_size=2, divisor_override=3),
        S(A(1, 2, 3, 3, 3), kernel_size=2, stride=1, padding=1, ceil_mode=True, count_include_pad=False),
        S(A(2, 4, 3, 5), kernel_size=(2, 1, 2)),  # unbatched
    ], gradgradcheck=True),
    OpInfo("adaptive_avg_pool3d", lambda m, x, o: F(m).adaptive_avg_pool3d(x, o), samples=[
        S(A(2, 3, 6, 6, 4), 1), S(A(1, 2, 7, 6, 5), 3), S(A(1, 2, 7, 6, 5), (4, 5, 2)), S(A(2, 6, 5, 3), (2, None, 2)),
        S(A(1, 2, 3, 3, 3), 2)]),
    OpInfo("adaptive_max_pool3d", lambda m, x, o, r=False: F(m).adaptive_max_pool3d(x, o, r), samples=[
        S(A(2, 3, 6, 6, 4, distinct=True), 1), S(A(1, 2, 7, 6, 5, distinct=True), 3, True),
        S(A(1, 2, 7, 6, 5, distinct=True), (4, None, 2), True), S(A(2, 5, 4, 3, distinct=True), (2, 3, 2)),
        S(A(1, 2, 3, 3, 3, distinct=True), 2, True)]),
    OpInfo("interpolate5d", lambda m, x, **k: F(m).interpolate(x, **k), samples=[
        S(A(1, 2, 3, 4, 2), scale_factor=2),
        S(A(2, 1, 3, 2, 4), size=(5, 3, 7)),
        S(A(1, 2, 3, 4, 2), scale_factor=(2, 1.5, 3), mode="trilinear"),
        S(A(1, 2, 3, 4, 2), size=(4, 7, 3), mode="trilinear", align_corners=True),
        S(A(1, 1, 2, 3, 2), size=(3, 2, 4), mode="trilinear"),
        S(A(1, 2, 3, 3), size=4, mode="trilinear"),  # 4-d input: PyTorch's error
    ]),
]

test_values, test_grads, test_gradcheck, test_gradgradcheck = make_tests(OPS)


@pytest.mark.parametrize("fn,shapes", [
    (lambda x, w, b: F(ember).conv3d(x, w, b, stride=(2, 1, 1), padding=1, dilation=(1, 2, 1)),
     [(1, 2, 4, 5, 3), (2, 2, 2, 2, 2), (2,)]),
    (lambda x, w, b: F(ember).conv_transpose3d(x, w, b, stride=2, padding=(0, 1, 0), output_padding=1),
     [(1, 2, 2, 3, 2), (2, 1, 2, 3, 2), (1,)]),
    (lambda x: F(ember).max_pool3d(x, 2, stride=1, padding=1, dilation=(1, 2, 1)), [(1, 2, 4, 5, 3)]),
    (lambda x: F(ember).avg_pool3d(x, (2, 3, 2), stride=(1, 2, 1), padding=1, ceil_mode=True,
                                   count_include_pad=False), [(1, 2, 4, 5, 3)]),
    (lambda x: F(ember).adaptive_max_pool3d(x, (2, 3, 2)), [(1, 2, 4, 5, 3)]),
    (lambda x: F(ember).adaptive_avg_pool3d(x, (3, 2, 2)), [(1, 2, 4, 5, 3)]),
])
def test_gradcheck_larger_3d_inputs(fn, shapes):
    """gradcheck beyond the op table's 60-number budget (finite differences, float64)."""
    rng = np.random.default_rng(5)
    # distinct values keep every max pooling window's winner away from ties
    inputs = [ember.tensor(rng.permutation(int(np.prod(s))).reshape(s) * 0.1 + rng.uniform(-.02, .02, s),
                           requires_grad=True) for s in shapes]
    assert ember.autograd.gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3)


def test_conv3d_double_backward_matches_pytorch():
    rng = np.random.default_rng(6)
    arrs = [rng.standard_normal(s) for s in ((2, 4, 4, 5, 3), (6, 2, 3, 2, 2), (6,))]
    res = {}
    for m in (torch, ember):
        x, w, b = (m.tensor(a, requires_grad=True) for a in arrs)
        y = F(m).conv3d(x, w, b, stride=(1, 2, 1), padding=1, groups=2)
        gx, gw = m.autograd.grad((y * y).sum(), (x, w), create_graph=True)
        ((gx ** 2).sum() + (gw * w).sum()).backward()
        res[m] = [t.detach().numpy() for t in (gx, gw, x.grad, w.grad, b.grad)]
    for e, t in zip(res[ember], res[torch]):
        np.testing.assert_allclose(e, t, rtol=1e-9, atol=1e-9)


MODULES = [
    lambda nn: nn.Conv3d(3, 4, 3),
    lambda nn: nn.Conv3d(4, 6, (3, 1, 2), stride=(2, 1, 1), padding=1, dilation=(1, 2, 1), groups=2),
    lambda nn: nn.Conv3d(3, 4, 3, padding="same", bias=False),
    lambda nn: nn.Conv3d(3, 2, 2, padding=1, padding_mode="reflect"),
    lambda nn: nn.Conv3d(3, 2, (3, 2, 3), padding=(1, 1, 2), padding_mode="replicate"),
    lambda nn: nn.Conv3d(3, 2, 3, padding=(2, 1, 1), padding_mode="circular", stride=2),
    lambda nn: nn.Conv3d(3, 2, 4, padding="same", padding_mode="reflect"),
    lambda nn: nn.ConvTranspose3d(3, 4, 3, stride=2),
    lambda nn: nn.ConvTranspose3d(4, 4, (3, 2, 3), stride=2, padding=1, output_padding=1, groups=2, bias=False),
    lambda nn: nn.ConvTranspose3d(3, 2, 2, dilation=2, padding=(1, 0, 1)),
]


@pytest.mark.parametrize("ctor", MODULES)
def test_conv3d_modules_print_initialise_and_compute_like_pytorch(ctor):
    torch.manual_seed(0)
    t = ctor(torch.nn)
    ember.manual_seed(0)
    e = ctor(ember.nn)
    assert repr(e) == repr(t)
    assert list(e.state_dict()) == list(t.state_dict())
    for (n, pe), (_, pt) in zip(e.named_parameters(), t.named_parameters()):
        assert tuple(pe.shape) == tuple(pt.shape), n
        assert (pe.detach().numpy() == pt.detach().numpy()).all(), n
    x = np.random.default_rng(1).standard_normal((2, t.in_channels, 5, 6, 7)).astype(np.float32)
    xt, xe = torch.tensor(x, requires_grad=True), ember.tensor(x, requires_grad=True)
    yt, ye = t(xt), e(xe)
    np.testing.assert_allclose(ye.detach().numpy(), yt.detach().numpy(), rtol=1e-4, atol=1e-5)
    g = np.random.default_rng(2).standard_normal(tuple(yt.shape)).astype(np.float32)
    yt.backward(torch.tensor(g))
    ye.backward(ember.tensor(g))
    np.testing.assert_allclose(xe.grad.numpy(), xt.grad.numpy(), rtol=1e-4, atol=1e-4)
    for (n, pe), (_, pt) in zip(e.named_parameters(), t.named_parameters()):
        np.testing.assert_allclose(pe.grad.numpy(), pt.grad.numpy(), rtol=1e-4, atol=1e-4, err_msg=n)


def test_conv_transpose3d_output_size_matches_pytorch():
    torch.manual_seed(0)
    t = torch.nn.ConvTranspose3d(2, 3, 3, stride=2, padding=1)
    ember.manual_seed(0)
    e = ember.nn.ConvTranspose3d(2, 3, 3, stride=2, padding=1)
    x = np.random.default_rng(3).standard_normal((1, 2, 3, 4, 3)).astype(np.float32)
    yt = t(torch.tensor(x), output_size=[6, 8, 5])
    ye = e(ember.tensor(x), output_size=[6, 8, 5])
    assert tuple(ye.shape) == tuple(yt.shape) == (1, 3, 6, 8, 5)
    np.testing.assert_allclose(ye.detach().numpy(), yt.detach().numpy(), rtol=1e-5, atol=1e-6)


POOLS = [
    (lambda nn: nn.MaxPool3d(2), False),
    (lambda nn: nn.MaxPool3d((3, 2, 2), stride=(2, 1, 2), padding=1, dilation=(1, 2, 1), ceil_mode=True), False),
    (lambda nn: nn.MaxPool3d(3, 2, return_indices=True), True),
    (lambda nn: nn.AvgPool3d(2), False),
    (lambda nn: nn.AvgPool3d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False), False),
    (lambda nn: nn.AvgPool3d((2, 3, 2), divisor_override=4), False),
    (lambda nn: nn.AdaptiveAvgPool3d((2, None, 3)), False),
    (lambda nn: nn.AdaptiveAvgPool3d(1), False),
    (lambda nn: nn.AdaptiveMaxPool3d(2), False),
    (lambda nn: nn.AdaptiveMaxPool3d((3, 2, 2), return_indices=True), True),
    (lambda nn: nn.Upsample(scale_factor=2), False),
    (lambda nn: nn.Upsample(size=(4, 9, 5), mode="trilinear"), False),
    (lambda nn: nn.Upsample(scale_factor=(1.5, 2, 1), mode="trilinear", align_corners=True), False),
]


@pytest.mark.parametrize("ctor,indices", POOLS)
def test_pool3d_modules_match_pytorch(ctor, indices):
    t, e = ctor(torch.nn), ctor(ember.nn)
    assert repr(e) == repr(t)
    rng = np.random.default_rng(4)
    x = (rng.permutation(2 * 3 * 7 * 6 * 5) * 0.01).reshape(2, 3, 7, 6, 5).astype(np.float32)
    xt, xe = torch.tensor(x, requires_grad=True), ember.tensor(x, requires_grad=True)
    ot, oe = t(xt), e(xe)
    if indices:
        np.testing.assert_array_equal(oe[1].numpy(), ot[1].numpy())
        assert str(oe[1].dtype) == str(ot[1].dtype)
        ot, oe = ot[0], oe[0]
    np.testing.assert_allclose(oe.detach().numpy(), ot.detach().numpy(), rtol=1e-5, atol=1e-6)
    g = rng.standard_normal(tuple(ot.shape)).astype(np.float32)
    ot.backward(torch.tensor(g))
    oe.backward(ember.tensor(g))
    np.testing.assert_allclose(xe.grad.numpy(), xt.grad.numpy(), rtol=1e-5, atol=1e-5)


def test_pool3d_backward_nodes_named_like_pytorch():
    for fn in (lambda m, x: F(m).max_pool3d(x, 2), lambda m, x: F(m).avg_pool3d(x, 2),
               lambda m, x: F(m).adaptive_max_pool3d(x, 2), lambda m, x: F(m).conv3d(x, m.ones(1, 2, 2, 2, 2))):
        names = [fn(m, m.ones(1, 2, 4, 4, 4, requires_grad=True)).grad_fn.name() for m in (torch, ember)]
        assert names[0] == names[1]


def test_3d_errors_match_pytorch():
    cases = [
        lambda m: F(m).conv3d(m.ones(1, 3, 4, 4), m.ones(2, 3, 2, 2, 2)),
        lambda m: F(m).conv3d(m.ones(1, 2, 3, 4, 4), m.ones(2, 3, 2, 2, 2)),
        lambda m: F(m).conv3d(m.ones(1, 2, 4, 4, 4), m.ones(2, 2, 2, 2, 2), stride=2, padding="same"),
        lambda m: F(m).conv_transpose3d(m.ones(2, 3, 4, 4), m.ones(3, 3, 2, 2, 2)),
        lambda m: F(m).conv_transpose3d(m.ones(1, 3, 2, 2, 2), m.ones(3, 3, 2, 2, 2), stride=2, output_padding=2),
        lambda m: F(m).conv_transpose2d(m.ones(1, 3, 2, 2), m.ones(3, 3, 2, 2), stride=2, output_padding=(0, 2)),
        lambda m: F(m).conv_transpose1d(m.ones(1, 3, 2), m.ones(3, 3, 2), stride=2, output_padding=2),
        lambda m: F(m).conv2d(m.ones(2, 4, 4), m.ones(2, 3, 2, 2)),
        lambda m: F(m).conv3d(m.ones(1, 3, 3, 4, 4), m.ones(2, 3, 2, 2)),
        lambda m: F(m).conv2d(m.ones(1, 3, 4, 4), m.ones(2, 3, 2, 2, 2)),
        lambda m: F(m).conv1d(m.ones(1, 3, 4), m.ones(2, 3, 2, 2), stride=2),
        lambda m: F(m).conv3d(m.ones(1, 3, 3, 4, 4), m.ones(2, 3, 2, 2, 2), stride=(1, 2)),
        lambda m: F(m).conv3d(m.ones(1, 3, 3, 4, 4), m.ones(2, 3, 2, 2, 2), padding=(1, 2)),
        lambda m: F(m).conv3d(m.ones(1, 3, 3, 4, 4), m.ones(2, 3, 2, 2, 2), dilation=(1, 2)),
        lambda m: F(m).conv_transpose3d(m.ones(1, 3, 3, 4, 4), m.ones(3, 3, 2, 2, 2), output_padding=(1, 2)),
        lambda m: F(m).max_pool3d(m.ones(3, 4, 4), 2),
        lambda m: F(m).max_pool3d(m.ones(1, 1, 4, 4, 4), 2, padding=(0, 0, 2)),
        lambda m: F(m).avg_pool3d(m.ones(3, 4, 4), 2),
        lambda m: F(m).avg_pool3d(m.ones(1, 1, 4, 4, 4), (2, 2, 4), padding=(1, 1, 3)),
        lambda m: F(m).adaptive_avg_pool3d(m.ones(3, 4, 4), 2),
        lambda m: F(m).adaptive_max_pool3d(m.ones(3, 4, 4), 2),
        lambda m: F(m).max_pool1d(m.ones(4), 2),
        lambda m: F(m).avg_pool1d(m.ones(4), 2),
        lambda m: F(m).max_pool2d(m.ones(4, 4), 2),
        lambda m: F(m).adaptive_avg_pool2d(m.ones(4), 2),
        lambda m: F(m).adaptive_max_pool2d(m.ones(4), 2),
        lambda m: F(m).interpolate(m.ones(1, 2, 3, 3, 3), scale_factor=2, mode="bilinear"),
        lambda m: m.nn.Conv3d(3, 4, 3, groups=2),
        lambda m: m.nn.Conv3d(4, 4, 3, stride=2, padding="same"),
        lambda m: m.nn.ConvTranspose3d(4, 4, 3, padding_mode="reflect"),
        lambda m: m.nn.BatchNorm3d(3)(m.ones(2, 3, 4, 4)),
        lambda m: m.nn.InstanceNorm3d(3)(m.ones(3, 4, 4)),
        lambda m: m.nn.InstanceNorm1d(3)(m.ones(3)),
    ]
    for case in cases:
        with pytest.raises(Exception) as te:
            case(torch)
        with pytest.raises(type(te.value)) as ee:
            case(ember)
        assert str(ee.value) == str(te.value)


@pytest.mark.parametrize("nd,output_size", [(3, None), (3, (7, 8, 6)), (1, None), (1, [9])])
def test_max_unpool_matches_pytorch(nd, output_size):
    shape = (2, 3) + (7, 8, 6)[:nd] if nd == 3 else (2, 3, 9)
    x = (np.random.default_rng(7).permutation(int(np.prod(shape))) * 0.1).reshape(shape).astype(np.float32)
    res = {}
    for m in (torch, ember):
        pool = getattr(m.nn, f"MaxPool{nd}d")(2, return_indices=True)
        unpool = getattr(m.nn, f"MaxUnpool{nd}d")(2)
        xt = m.tensor(x, requires_grad=True)
        y, idx = pool(xt)
        out = unpool(y, idx, output_size=output_size)
        (out * out).sum().backward()
        res[m] = (repr(unpool), out.detach().numpy(), xt.grad.numpy())
    assert res[ember][0] == res[torch][0]
    for e, t in zip(res[ember][1:], res[torch][1:]):
        np.testing.assert_allclose(e, t, rtol=1e-6, atol=1e-6)
