"""Normalisation layers against PyTorch: outputs, input and parameter gradients, running
statistics over several training steps, eval mode; gradcheck of the shared op."""
import numpy as np
import pytest
import torch

import ember

CASES = [
    ("BatchNorm2d", lambda nn: nn.BatchNorm2d(3), (4, 3, 5, 5)),
    ("BatchNorm1d", lambda nn: nn.BatchNorm1d(3, momentum=None), (6, 3)),
    ("BatchNorm1d-3d", lambda nn: nn.BatchNorm1d(3, affine=False), (4, 3, 7)),
    ("BatchNorm2d-nostats", lambda nn: nn.BatchNorm2d(3, track_running_stats=False), (2, 3, 4, 4)),
    ("LayerNorm", lambda nn: nn.LayerNorm([5, 5]), (4, 3, 5, 5)),
    ("LayerNorm-nobias", lambda nn: nn.LayerNorm(5, bias=False), (2, 3, 5)),
    ("GroupNorm", lambda nn: nn.GroupNorm(3, 6), (2, 6, 4, 3)),
    ("InstanceNorm2d", lambda nn: nn.InstanceNorm2d(3, affine=True, track_running_stats=True), (4, 3, 5, 5)),
    ("InstanceNorm1d", lambda nn: nn.InstanceNorm1d(3), (2, 3, 6)),
    ("BatchNorm3d", lambda nn: nn.BatchNorm3d(3), (4, 3, 3, 4, 5)),
    ("BatchNorm3d-momentum-none", lambda nn: nn.BatchNorm3d(2, momentum=None, affine=False), (3, 2, 2, 3, 2)),
    ("InstanceNorm3d", lambda nn: nn.InstanceNorm3d(3, affine=True, track_running_stats=True), (2, 3, 4, 3, 5)),
    ("InstanceNorm3d-plain", lambda nn: nn.InstanceNorm3d(2), (3, 2, 3, 3, 4)),
    ("InstanceNorm3d-unbatched", lambda nn: nn.InstanceNorm3d(3, affine=True), (3, 4, 3, 5)),
    ("InstanceNorm1d-unbatched", lambda nn: nn.InstanceNorm1d(3, affine=True), (3, 6)),
]


@pytest.mark.parametrize("name,ctor,shape", CASES, ids=[c[0] for c in CASES])
def test_norm_layer_matches_pytorch(name, ctor, shape):
    rng = np.random.default_rng(0)
    t, e = ctor(torch.nn), ctor(ember.nn)
    assert repr(e) == repr(t)
    with torch.no_grad():
        for p in t.parameters():
            p.uniform_(0.5, 1.5)
    e.load_state_dict({k: ember.from_numpy(v.numpy().copy()) for k, v in t.state_dict().items()})
    for step in range(3):
        x = (rng.standard_normal(shape) * (step + 1) + step).astype(np.float32)
        xt, xe = torch.tensor(x, requires_grad=True), ember.tensor(x, requires_grad=True)
        yt, ye = t(xt), e(xe)
        g = rng.standard_normal(yt.shape).astype(np.float32)
        yt.backward(torch.tensor(g))
        ye.backward(ember.tensor(g))
        np.testing.assert_allclose(ye.detach().numpy(), yt.detach().numpy(), rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(xe.grad.numpy(), xt.grad.numpy(), rtol=1e-4, atol=1e-5)
    assert ye.grad_fn.name() == yt.grad_fn.name() or name.startswith("InstanceNorm")
    for (n, pe), (_, pt) in zip(e.named_parameters(), t.named_parameters()):
        np.testing.assert_allclose(pe.grad.numpy(), pt.grad.numpy(), rtol=1e-4, atol=1e-4, err_msg=n)
    for (n, be), (_, bt) in zip(e.named_buffers(), t.named_buffers()):
        np.testing.assert_allclose(be.numpy(), bt.numpy(), rtol=1e-5, atol=1e-6, err_msg=n)
    t.eval()
    e.eval()
    x = rng.standard_normal(shape).astype(np.float32)
    np.testing.assert_allclose(e(ember.tensor(x)).detach().numpy(), t(torch.tensor(x)).detach().numpy(),
                               rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_gradcheck_and_double_backward(training):
    rng = np.random.default_rng(1)
    x = ember.tensor(rng.standard_normal((3, 2, 2)), requires_grad=True)
    w = ember.tensor(rng.uniform(0.5, 1.5, 2), requires_grad=True)
    b = ember.tensor(rng.standard_normal(2), requires_grad=True)
    rm, rv = ember.zeros(2, dtype=ember.float64), ember.ones(2, dtype=ember.float64)
    f = lambda x, w, b: ember.nn.functional.batch_norm(x, rm.clone(), rv.clone(), w, b, training=training)
    assert ember.autograd.gradcheck(f, (x, w, b))
    assert ember.autograd.gradgradcheck(f, (x, w, b))


def test_layer_and_group_norm_gradcheck():
    rng = np.random.default_rng(2)
    x = ember.tensor(rng.standard_normal((2, 4, 3)), requires_grad=True)
    w = ember.tensor(rng.uniform(0.5, 1.5, 3), requires_grad=True)
    assert ember.autograd.gradcheck(lambda x, w: ember.nn.functional.layer_norm(x, (3,), w), (x, w))
    assert ember.autograd.gradgradcheck(lambda x, w: ember.nn.functional.layer_norm(x, (3,), w), (x, w))
    wg = ember.tensor(rng.uniform(0.5, 1.5, 4), requires_grad=True)
    assert ember.autograd.gradcheck(lambda x, w: ember.nn.functional.group_norm(x, 2, w), (x, wg))


def test_batch_norm_errors_match_pytorch():
    for m in (torch, ember):
        with pytest.raises(ValueError, match="expected 4D input"):
            m.nn.BatchNorm2d(3)(m.ones(2, 3))
        with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
            m.nn.BatchNorm1d(3)(m.ones(1, 3))


@pytest.mark.parametrize("which", ["batch", "layer"])
@pytest.mark.parametrize("affine", ["weight", "bias", "both", "none"])
def test_functional_norms_with_either_affine_parameter(which, affine):
    """The first-order backward's shortcuts (sums of dL/dy for a per-channel weight) hold with
    a weight alone, a bias alone, both or neither."""
    rng = np.random.default_rng(1)
    x = rng.standard_normal((4, 3, 5)).astype(np.float32)
    shape = (3,) if which == "batch" else (5,)
    w, b = rng.standard_normal(shape).astype(np.float32), rng.standard_normal(shape).astype(np.float32)
    results = []
    for m in (torch, ember):
        t = m.from_numpy(x.copy()).requires_grad_()
        wt = m.from_numpy(w.copy()).requires_grad_() if affine in ("weight", "both") else None
        bt = m.from_numpy(b.copy()).requires_grad_() if affine in ("bias", "both") else None
        F = m.nn.functional
        y = F.batch_norm(t, None, None, wt, bt, training=True) if which == "batch" else F.layer_norm(t, (5,), wt, bt)
        (y * y * m.arange(5.0)).sum().backward()
        results.append([y.detach().numpy(), t.grad.numpy()] + [p.grad.numpy() for p in (wt, bt) if p is not None])
    for e, t in zip(results[1], results[0]):
        np.testing.assert_allclose(e, t, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("dtype", ["float16", "float32"])
def test_norms_of_large_offset_data_in_low_precision(dtype):
    """Mean 100 and spread 30: the variance must come from deviations, summed in at least
    float32 (half-precision squares overflow their own type)."""
    x = np.random.default_rng(0).standard_normal((8, 4, 30, 30)) * 30 + 100
    out = {}
    for m in (torch, ember):
        t = m.tensor(x).to(getattr(m, dtype))
        out[m] = [F.float().numpy() for F in (m.nn.functional.batch_norm(t, None, None, training=True),
                                              m.nn.functional.layer_norm(t, (30, 30)),
                                              m.nn.functional.group_norm(t, 2))]
    for a, b in zip(out[ember], out[torch]):
        np.testing.assert_allclose(a, b, atol=2e-2 if dtype == "float16" else 1e-4)
