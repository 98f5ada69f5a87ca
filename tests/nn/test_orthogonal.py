"""nn.utils.parametrizations.orthogonal against PyTorch: the weight, the weight after
training steps, state_dict and print for every map, shape and trivialization; assignment;
errors. And the linear algebra under it: geqrf and householder_product."""
import numpy as np
import pytest
import torch
from torch.nn.utils import parametrizations as TP

import ember
from ember.nn.utils import parametrizations as EP


def _trained(m, P, shape, orthogonal_map, triv, steps=3):
    m.manual_seed(0)
    lin = m.nn.Linear(shape[1], shape[0])
    P.orthogonal(lin, orthogonal_map=orthogonal_map, use_trivialization=triv)
    first = lin.weight.detach().numpy().copy()
    opt = m.optim.SGD(lin.parameters(), lr=0.1)
    x = m.randn(5, shape[1])
    for _ in range(steps):
        opt.zero_grad()
        lin(x).pow(2).sum().backward()
        opt.step()
    return first, lin


@pytest.mark.parametrize("triv", [True, False])
@pytest.mark.parametrize("shape", [(4, 4), (6, 3), (3, 6)])
@pytest.mark.parametrize("orthogonal_map", [None, "matrix_exp", "cayley", "householder"])
def test_orthogonal_linear_trains_as_in_pytorch(orthogonal_map, shape, triv):
    (e0, e), (t0, t) = (_trained(m, P, shape, orthogonal_map, triv) for m, P in ((ember, EP), (torch, TP)))
    np.testing.assert_allclose(e0, t0, atol=1e-5)
    np.testing.assert_allclose(e.weight.detach().numpy(), t.weight.detach().numpy(), atol=1e-4)
    w = e.weight.detach().numpy()
    gram = w.T @ w if shape[0] >= shape[1] else w @ w.T
    np.testing.assert_allclose(gram, np.eye(min(shape)), atol=1e-5)  # still orthogonal after the steps
    es, ts = e.state_dict(), t.state_dict()
    assert list(es) == list(ts)
    for k in ts:
        np.testing.assert_allclose(es[k].numpy(), ts[k].numpy(), atol=1e-4)
    assert repr(e) == repr(t)


def test_batched_weights_and_assignment():
    out = []
    for m, P in ((ember, EP), (torch, TP)):
        m.manual_seed(1)
        mod = m.nn.Module()
        mod.w = m.nn.Parameter(m.randn(2, 5, 3))
        P.orthogonal(mod, "w")
        first = mod.w.detach().numpy().copy()
        q = m.linalg.qr(m.randn(2, 5, 3)).Q
        with m.no_grad():
            mod.w = q  # kept as the base: the weight is q itself
        out.append((first, mod.w.detach().numpy(), q.numpy()))
    np.testing.assert_allclose(out[0][0], out[1][0], atol=1e-5)
    np.testing.assert_allclose(out[0][1], out[0][2], atol=1e-5)
    np.testing.assert_allclose(out[0][1], out[1][1], atol=1e-5)


@pytest.mark.parametrize("make", [
    lambda m, P: P.orthogonal(m.nn.Linear(3, 3), "bias"),
    lambda m, P: P.orthogonal(m.nn.Linear(3, 3), orthogonal_map="qr"),
    lambda m, P: P.orthogonal(m.nn.Linear(3, 3), "nothing"),
    lambda m, P: setattr(P.orthogonal(m.nn.Linear(3, 3), use_trivialization=False), "weight", m.eye(3)),
    lambda m, P: setattr(P.orthogonal(m.nn.Linear(3, 3)), "weight", m.eye(4)),
])
def test_orthogonal_errors(make):
    errors = []
    for m, P in ((ember, EP), (torch, TP)):
        with pytest.raises(Exception) as info:
            make(m, P)
        errors.append((type(info.value), str(info.value).replace("torch.Size", "Size")))
    assert errors[0][0] is errors[1][0]
    if "Module '" not in errors[1][1]:  # that message prints the module, whose class names differ
        assert errors[0][1] == errors[1][1]


def test_geqrf_and_householder_product():
    a = np.random.default_rng(0).standard_normal((2, 5, 3))
    res = []
    for m in (ember, torch):
        x = m.tensor(a, requires_grad=True)
        g = m.geqrf(x.detach())
        tau = g.tau.clone().requires_grad_()
        q = m.linalg.householder_product(g.a.clone().requires_grad_(), tau)
        (q * m.tensor(a)).sum().backward()
        res.append((type(g).__name__, g.a.numpy(), g.tau.numpy(), q.detach().numpy(), tau.grad.numpy(),
                    m.orgqr(g.a[0], g.tau[0][:2]).numpy(), type(m.geqrf(x)[0].grad_fn).__name__))
    assert res[0][0] == res[1][0] and res[0][6] == res[1][6]
    for e, t in zip(res[0][1:6], res[1][1:6]):
        np.testing.assert_allclose(e, t, atol=1e-10)
    a64 = ember.tensor(a, requires_grad=True)
    g = ember.geqrf(a64.detach())
    assert ember.autograd.gradcheck(ember.linalg.householder_product,
                                    (g.a.clone().requires_grad_(), g.tau.clone().requires_grad_()))


@pytest.mark.parametrize("call", [
    lambda m: m.geqrf(m.ones(3)), lambda m: m.geqrf(m.ones(2, 3, dtype=m.long)),
    lambda m: m.linalg.householder_product(m.ones(2, 3), m.ones(2)),
    lambda m: m.linalg.householder_product(m.ones(3, 2), m.ones(3)),
    lambda m: m.linalg.householder_product(m.ones(3, 2), m.ones(2, 2)),
    lambda m: m.geqrf(m.ones(3, 2, requires_grad=True)).a.sum().backward(),
])
def test_geqrf_and_householder_product_errors(call):
    errors = []
    for m in (ember, torch):
        with pytest.raises(Exception) as info:
            call(m)
        errors.append((type(info.value), str(info.value)))
    assert errors[0] == errors[1]
