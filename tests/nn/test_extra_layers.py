"""PReLU, interpolate/Upsample, pixel (un)shuffle and DataParallel against PyTorch."""
import numpy as np
import pytest
import torch

import ember
from opinfo import A, S, OpInfo, make_tests


def F(m):
    return m.nn.functional


OPS = [
    OpInfo("interpolate", lambda m, x, **k: F(m).interpolate(x, **k), samples=[
        S(A(1, 2, 4, 5), scale_factor=2), S(A(1, 2, 4, 5), size=(7, 3)), S(A(1, 2, 5), size=8, mode="linear"),
        S(A(1, 2, 4, 5), scale_factor=2, mode="bilinear"), S(A(1, 2, 4, 5), size=(3, 7), mode="bilinear"),
        S(A(1, 2, 4, 5), size=(6, 9), mode="bilinear", align_corners=True), S(A(1, 1, 3, 3), scale_factor=1.5)]),
    OpInfo("pixel_shuffle", lambda m, x, r: F(m).pixel_shuffle(x, r), samples=[S(A(1, 8, 2, 3), 2)]),
    OpInfo("pixel_unshuffle", lambda m, x, r: F(m).pixel_unshuffle(x, r), samples=[S(A(1, 2, 4, 6), 2)]),
    OpInfo("prelu", lambda m, x, w: F(m).prelu(x, w), samples=[S(A(2, 3, 4), A(3)), S(A(2, 3), A(1))]),
]

test_values, test_grads, test_gradcheck, test_gradgradcheck = make_tests(OPS)


def test_modules_print_like_pytorch_and_data_parallel_is_transparent():
    for build in [lambda nn: nn.PReLU(), lambda nn: nn.PReLU(3), lambda nn: nn.Upsample(scale_factor=2, mode="bilinear"),
                  lambda nn: nn.Upsample(size=(4, 4)), lambda nn: nn.PixelShuffle(2),
                  lambda nn: nn.DataParallel(nn.Linear(2, 3))]:
        assert repr(build(ember.nn)) == repr(build(torch.nn))
    t = torch.nn.DataParallel(torch.nn.Linear(2, 3))
    e = ember.nn.DataParallel(ember.nn.Linear(2, 3))
    assert list(e.state_dict()) == list(t.state_dict()) == ["module.weight", "module.bias"]
    e.load_state_dict({k: ember.from_numpy(v.numpy().copy()) for k, v in t.state_dict().items()})
    x = np.ones((1, 2), np.float32)
    np.testing.assert_allclose(e(ember.tensor(x)).detach().numpy(), t(torch.tensor(x)).detach().numpy(), rtol=1e-6)


def test_embedding_bag_matches_pytorch():
    for kw, args in [(dict(mode="mean"), ([1, 2, 4, 5, 4], [0, 2])), (dict(mode="sum"), ([[1, 2], [4, 5]], None)),
                     (dict(mode="max"), ([1, 2, 4, 5, 4, 9], [0, 3])),
                     (dict(mode="sum", padding_idx=2), ([1, 2, 4, 2], [0, 2]))]:
        t, e = torch.nn.EmbeddingBag(10, 3, **kw), ember.nn.EmbeddingBag(10, 3, **kw)
        assert repr(e) == repr(t)
        e.load_state_dict({k: ember.from_numpy(v.detach().numpy().copy()) for k, v in t.state_dict().items()})
        idx, off = args
        ot = t(torch.tensor(idx), None if off is None else torch.tensor(off))
        oe = e(ember.tensor(idx), None if off is None else ember.tensor(off))
        np.testing.assert_allclose(oe.detach().numpy(), ot.detach().numpy(), rtol=1e-6)
        ot.sum().backward()
        oe.sum().backward()
        np.testing.assert_allclose(e.weight.grad.numpy(), t.weight.grad.numpy(), rtol=1e-6)


def test_weight_norm_matches_pytorch():
    import warnings
    warnings.simplefilter("ignore")
    for dim in (0, 1, -1, None):  # -1, like None, is the norm of the whole weight
        t = torch.nn.utils.weight_norm(torch.nn.Linear(3, 2), dim=dim)
        e = ember.nn.utils.weight_norm(ember.nn.Linear(3, 2), dim=dim)
        assert [n for n, _ in e.named_parameters()] == [n for n, _ in t.named_parameters()]
        e.load_state_dict({k: ember.from_numpy(v.detach().numpy().copy()) for k, v in t.state_dict().items()})
        x = np.random.default_rng(0).standard_normal((4, 3)).astype(np.float32)
        ot, oe = t(torch.tensor(x)), e(ember.tensor(x))
        np.testing.assert_allclose(oe.detach().numpy(), ot.detach().numpy(), rtol=1e-5, atol=1e-6)
        ot.sum().backward()
        oe.sum().backward()
        for (n, pe), (_, pt) in zip(e.named_parameters(), t.named_parameters()):
            np.testing.assert_allclose(pe.grad.numpy(), pt.grad.numpy(), rtol=1e-5, atol=1e-6, err_msg=n)
        ember.nn.utils.remove_weight_norm(e)
        torch.nn.utils.remove_weight_norm(t)
        assert [n for n, _ in e.named_parameters()] == [n for n, _ in t.named_parameters()]
        np.testing.assert_allclose(e.weight.detach().numpy(), t.weight.detach().numpy(), rtol=1e-6)


def test_dropout_masks_and_default_inits_match_pytorch_under_the_same_seed():
    cases = [lambda m: m.nn.functional.dropout(m.ones(100, 7), 0.3),
             lambda m: m.nn.functional.dropout2d(m.ones(4, 6, 3, 3), 0.5),
             lambda m: m.nn.Embedding(20, 5, padding_idx=3).weight,
             lambda m: m.nn.LSTM(4, 3).weight_hh_l0,
             lambda m: m.nn.MultiheadAttention(8, 2).in_proj_weight,
             lambda m: m.nn.init.xavier_normal_(m.empty(5, 6)),
             lambda m: m.nn.init.kaiming_normal_(m.empty(5, 6), nonlinearity="relu"),
             lambda m: m.nn.init.trunc_normal_(m.empty(40), std=0.5)]
    for case in cases:
        torch.manual_seed(11)
        ember.manual_seed(11)
        t, e = case(torch), case(ember)
        np.testing.assert_allclose(e.detach().numpy(), t.detach().numpy(), rtol=2e-6, atol=2e-6)


def test_trunc_normal_narrow_interval_matches_pytorch():
    for kw in [dict(mean=0.0, std=1.0, a=1.5, b=2.5), dict(mean=0.3, std=0.02, a=-0.04, b=0.04)]:
        torch.manual_seed(5)
        ember.manual_seed(5)
        t = torch.nn.init.trunc_normal_(torch.empty(50), **kw)
        e = ember.nn.init.trunc_normal_(ember.empty(50), **kw)
        np.testing.assert_allclose(e.numpy(), t.numpy(), rtol=2e-6, atol=2e-6)


def test_dropout_is_bit_identical_to_pytorch_values_and_gradients():
    """PyTorch scales the mask first, x * (mask / (1 - p)): the same float32 rounding here."""
    x = np.linspace(0.1, 3, 1000, dtype=np.float32)
    outs = []
    for m in (torch, ember):
        m.manual_seed(0)
        t = m.from_numpy(x.copy()).requires_grad_()
        y = m.nn.functional.dropout(t, 0.3)
        (y * y).sum().backward()
        outs.append((y.detach().numpy(), t.grad.numpy(), type(y.grad_fn).__name__))
    np.testing.assert_array_equal(outs[0][0], outs[1][0])
    np.testing.assert_array_equal(outs[0][1], outs[1][1])
    assert outs[0][2] == outs[1][2] == "MulBackward0"


def test_dropout2d_on_2d_input_drops_elements_with_pytorchs_warning():
    results = []
    for m in (torch, ember):
        m.manual_seed(1)
        with pytest.warns(UserWarning, match="Received a 2-D input to dropout2d"):
            results.append(m.nn.functional.dropout2d(m.ones(6, 5), 0.5).numpy())
    assert results[1].shape == (6, 5)
    np.testing.assert_array_equal(results[0], results[1])


@pytest.mark.parametrize("kw", [dict(scale_factor=2), dict(size=(9, 4)), dict(scale_factor=1.7, align_corners=True),
                                dict(size=(3, 11), align_corners=False), dict(scale_factor=(0.6, 2.5))])
def test_bicubic_interpolation_matches_pytorch(kw):
    x = np.random.default_rng(0).standard_normal((2, 3, 5, 7)).astype(np.float32)
    outs = []
    for m in (torch, ember):
        t = m.from_numpy(x.copy()).requires_grad_()
        y = m.nn.functional.interpolate(t, mode="bicubic", **kw)
        (y * y).sum().backward()
        outs.append((y.detach().numpy(), t.grad.numpy()))
    np.testing.assert_allclose(outs[1][0], outs[0][0], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(outs[1][1], outs[0][1], rtol=1e-5, atol=2e-5)
    x64 = ember.from_numpy(x[:1, :1].astype(np.float64)).requires_grad_()
    assert ember.autograd.gradcheck(lambda t: ember.nn.functional.interpolate(t, mode="bicubic", **kw), (x64,))
    up = ember.nn.Upsample(scale_factor=2, mode="bicubic")
    assert repr(up) == repr(torch.nn.Upsample(scale_factor=2, mode="bicubic"))
