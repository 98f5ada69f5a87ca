"""Convolution, pooling, padding and unfold/fold against PyTorch (values, gradients,
gradcheck and gradgradcheck through the op table)."""
import pytest
import numpy as np
import torch

import ember
from opinfo import A, S, OpInfo, make_tests


def F(m):
    return m.nn.functional


OPS = [
    OpInfo("conv2d", lambda m, x, w, b=None, **k: F(m).conv2d(x, w, b, **k), samples=[
        S(A(2, 3, 7, 6), A(4, 3, 3, 3), A(4)),
        S(A(1, 4, 8, 8), A(6, 2, 3, 3), A(6), stride=2, padding=1, groups=2),
        S(A(1, 2, 9, 9), A(3, 2, 3, 2), None, stride=(2, 1), padding=(2, 1), dilation=2),
        S(A(1, 2, 6, 6), A(3, 2, 3, 3), A(3), padding="same"),
        S(A(1, 2, 6, 6), A(3, 2, 4, 4), None, padding="same", dilation=1),
        S(A(2, 5, 5), A(3, 2, 3, 3), None),
        S(A(1, 2, 5, 5, noncontig=True), A(3, 2, 2, 2), A(3), padding="valid"),
        S(A(1, 3, 4, 4), A(2, 2, 3, 3), None),
    ], gradgradcheck=True),
    OpInfo("conv1d", lambda m, x, w, b=None, **k: F(m).conv1d(x, w, b, **k), samples=[
        S(A(2, 3, 9), A(4, 3, 3), A(4)),
        S(A(1, 4, 10), A(4, 1, 3), A(4), stride=2, padding=1, groups=4, dilation=2),
        S(A(3, 7), A(2, 3, 2), None, padding="same"),
    ]),
    OpInfo("conv_transpose2d", lambda m, x, w, b=None, **k: F(m).conv_transpose2d(x, w, b, **k), samples=[
        S(A(2, 3, 4, 5), A(3, 2, 3, 3), A(2)),
        S(A(1, 4, 3, 3), A(4, 3, 3, 3), A(6), stride=2, padding=1, output_padding=1, groups=2),
        S(A(1, 2, 3, 4), A(2, 2, 2, 3), None, stride=(2, 3), dilation=2),
        # stride 1: conv_flat's whole-row adds, with dilation, padding and output_padding
        S(A(2, 3, 5, 6), A(3, 2, 3, 2), A(2), padding=(2, 1), dilation=2, output_padding=1),  # op >= stride
        S(A(1, 2, 4, 4, noncontig=True), A(2, 3, 1, 1), None, output_padding=0),
    ], gradgradcheck=True),
    OpInfo("conv_transpose1d", lambda m, x, w, b=None, **k: F(m).conv_transpose1d(x, w, b, **k), samples=[
        S(A(2, 3, 5), A(3, 2, 3), A(2), stride=2, padding=1, output_padding=1),
        S(A(2, 3, 5), A(3, 2, 3), None, padding=2, dilation=3, output_padding=2),
    ]),
    OpInfo("max_pool2d", lambda m, x, **k: F(m).max_pool2d(x, **k), samples=[
        S(A(2, 3, 8, 8, distinct=True), kernel_size=2),
        S(A(1, 2, 9, 7, distinct=True), kernel_size=3, stride=2, padding=1),
        S(A(1, 2, 9, 7, distinct=True), kernel_size=3, stride=2, ceil_mode=True),
        S(A(1, 1, 8, 9, distinct=True), kernel_size=(2, 3), stride=1, dilation=2, return_indices=True),
        S(A(2, 6, 6, distinct=True), kernel_size=2),
    ]),
    OpInfo("max_pool1d", lambda m, x, **k: F(m).max_pool1d(x, **k), samples=[
        S(A(2, 3, 9, distinct=True), kernel_size=3, stride=2, padding=1, return_indices=True)]),
    OpInfo("avg_pool2d", lambda m, x, **k: F(m).avg_pool2d(x, **k), samples=[
        S(A(2, 3, 8, 8), kernel_size=2),
        S(A(1, 2, 9, 7), kernel_size=3, stride=2, padding=1),
        S(A(1, 2, 9, 7), kernel_size=3, stride=2, padding=1, count_include_pad=False),
        S(A(1, 2, 9, 7), kernel_size=3, stride=2, ceil_mode=True),
        S(A(1, 2, 6, 6), kernel_size=2, divisor_override=3),
    ], gradgradcheck=True),
    OpInfo("avg_pool1d", lambda m, x, **k: F(m).avg_pool1d(x, **k), samples=[
        S(A(2, 3, 9), kernel_size=3, stride=2, padding=1)]),
    OpInfo("adaptive_avg_pool2d", lambda m, x, o: F(m).adaptive_avg_pool2d(x, o), samples=[
        S(A(2, 3, 8, 8), 1), S(A(1, 2, 9, 7), 3), S(A(1, 2, 9, 7), (4, 5)), S(A(2, 6, 5), (2, None))]),
    OpInfo("adaptive_max_pool2d", lambda m, x, o, r=False: F(m).adaptive_max_pool2d(x, o, r), samples=[
        S(A(2, 3, 8, 8, distinct=True), 1), S(A(1, 2, 9, 7, distinct=True), 3, True)]),
    OpInfo("pad", lambda m, x, p, **k: F(m).pad(x, p, **k), samples=[
        S(A(2, 3, 4), (1, 2)), S(A(1, 2, 4, 5), (-1, 2, 0, 1)), S(A(2, 3), (1, 1, 2, 0), value=2.5),
        S(A(1, 2, 4, 5), (1, 2, 1, 0), mode="reflect"), S(A(2, 5), (2, 3), mode="reflect"),
        S(A(1, 2, 4, 5), (1, 2, 1, 1), mode="replicate"), S(A(1, 2, 4, 5), (3, 2, 1, 1), mode="circular"),
        S(A(1, 2, 4, 5), (5, 5, 0, 0), mode="reflect"), S(A(2, 3), (1, 1, 1)),
    ], gradgradcheck=True),
    OpInfo("unfold", lambda m, x, **k: F(m).unfold(x, **k), samples=[
        S(A(2, 3, 6, 5), kernel_size=3), S(A(1, 2, 7, 7), kernel_size=(2, 3), stride=2, padding=1, dilation=2)]),
    OpInfo("fold", lambda m, x, **k: F(m).fold(x, **k), samples=[
        S(A(2, 27, 12), output_size=(6, 5), kernel_size=3), S(A(1, 8, 9), output_size=4, kernel_size=2, stride=1)]),
]

test_values, test_grads, test_gradcheck, test_gradgradcheck = make_tests(OPS)


def test_conv_module_prints_and_initialises_like_pytorch():
    for ctor in [lambda nn: nn.Conv2d(3, 32, 3, padding=1), lambda nn: nn.Conv2d(1, 20, 5),
                 lambda nn: nn.Conv2d(4, 8, (3, 5), stride=2, dilation=2, groups=2, bias=False,
                                      padding_mode="reflect", padding=1),
                 lambda nn: nn.Conv1d(3, 4, 3, padding="same"), lambda nn: nn.ConvTranspose2d(3, 4, 3, stride=2),
                 lambda nn: nn.ConvTranspose2d(4, 4, 3, stride=2, padding=1, output_padding=1, groups=2)]:
        torch.manual_seed(0)
        t = ctor(torch.nn)
        ember.manual_seed(0)
        e = ctor(ember.nn)
        assert repr(e) == repr(t)
        for (n, pe), (_, pt) in zip(e.named_parameters(), t.named_parameters()):
            assert tuple(pe.shape) == tuple(pt.shape), n
            assert (pe.detach().numpy() == pt.detach().numpy()).all(), n


def test_conv_errors_match_pytorch():
    cases = [
        lambda m: F(m).conv2d(m.ones(1, 3, 5, 5), m.ones(2, 2, 3, 3)),
        lambda m: F(m).conv2d(m.ones(3, 5), m.ones(2, 3, 3, 3)),
        lambda m: F(m).conv2d(m.ones(1, 3, 5, 5), m.ones(2, 3, 3, 3, dtype=m.float64)),
        lambda m: m.nn.Conv2d(3, 4, 3, groups=2),
        lambda m: m.nn.Conv2d(4, 4, 3, stride=2, padding="same"),
    ]
    for case in cases:
        with pytest.raises(Exception) as te:
            case(torch)
        with pytest.raises(type(te.value)) as ee:
            case(ember)
        assert str(ee.value) == str(te.value)


def test_max_pool_ties_and_nans_pick_pytorchs_index():
    """Equal maxima: the first wins; NaNs: the last NaN in the window wins (PyTorch's CPU rule)."""
    nan = float("nan")
    rows = [[1.0, nan, nan, 5.0], [3.0, 3.0, 1.0, 3.0], [nan, 2.0, 7.0, 7.0], [-1.0, -1.0, -1.0, -1.0]]
    outs = []
    for m in (torch, ember):
        x = m.tensor([[rows]])
        v, i = m.nn.functional.max_pool2d(x, (1, 4), return_indices=True)
        v3, i3 = m.nn.functional.max_pool2d(x, (2, 2), stride=1, return_indices=True)
        outs.append((v.numpy(), i.numpy(), v3.numpy(), i3.numpy()))
    for e, t in zip(outs[1], outs[0]):
        np.testing.assert_array_equal(e, t)


def test_empty_batch_convolutions_have_gradients_like_pytorch():
    for m in (torch, ember):
        for layer in (m.nn.Conv2d(3, 4, 3), m.nn.ConvTranspose2d(3, 4, 3, stride=2)):
            x = m.zeros(0, 3, 5, 5, requires_grad=True)
            y = layer(x)
            y.sum().backward()
            assert tuple(x.grad.shape) == (0, 3, 5, 5) and layer.weight.grad.abs().sum().item() == 0
            assert tuple(y.shape) == ((0, 4, 3, 3) if y.shape[-1] == 3 else (0, 4, 11, 11))


def test_transposed_conv_with_output_padding_past_the_stride_differentiates_twice():
    """Dilation allows output_padding >= stride; the positions it adds have no input behind
    them, so every gradient (first and second order) is cut back to the input's size."""
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((2, 3, 5, 6)), rng.standard_normal((3, 2, 3, 2))
    got = {}
    for m in (torch, ember):
        xt, wt = m.tensor(x, requires_grad=True), m.tensor(w, requires_grad=True)
        y = F(m).conv_transpose2d(xt, wt, padding=(2, 1), dilation=2, output_padding=1)
        gw, = m.autograd.grad((y ** 2).sum(), wt, create_graph=True)
        got[m] = (y.detach().numpy(), gw.detach().numpy(), m.autograd.grad((gw ** 2).sum(), xt)[0].numpy())
    for a, b in zip(got[ember], got[torch]):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-10)
