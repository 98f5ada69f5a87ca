"""PReLU, interpolate/Upsample, pixel (un)shuffle and DataParallel against PyTorch."""
import numpy as np
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
