"""nn.utils.parametrize, nn.utils.parametrizations (weight_norm, spectral_norm) and the
hook-based nn.utils.spectral_norm against PyTorch: the same layout (class, state_dict keys,
print), values, gradients, power-iteration buffers, training steps, eval mode, removal."""
import copy
import pickle

import numpy as np
import pytest
import torch

import ember

MODULES = (torch, ember)


def P(m):
    return m.nn.utils.parametrize


def copy_state(src, dst):
    """Load torch module ``src``'s state (parameters and buffers) into ember module ``dst``."""
    dst.load_state_dict({k: ember.from_numpy(v.detach().numpy().copy()) for k, v in src.state_dict().items()})


def close(e, t, rtol=1e-5, atol=1e-6):
    np.testing.assert_allclose(e.detach().numpy(), t.detach().numpy(), rtol=rtol, atol=atol)


def data(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def symmetric(m):
    class Symmetric(m.nn.Module):
        def forward(self, x):
            return x.triu() + x.triu(1).T

        def right_inverse(self, a):
            return a.triu()
    return Symmetric()


def rank_one(m):
    class RankOne(m.nn.Module):
        """A parametrization of two tensors: right_inverse returns a tuple."""

        def forward(self, x, y):
            return x.unsqueeze(-1) @ y.unsqueeze(-2)

        def right_inverse(self, z):
            return z[:, 0].clone(), z[0].clone() / z[0, 0]
    return RankOne()


def scale(m, factor):
    class Scale(m.nn.Module):
        def __init__(self):
            super().__init__()
            self.factor = factor

        def forward(self, x):
            return x * self.factor

        def right_inverse(self, x):
            return x / self.factor
    return Scale()


def build_pair(make):
    """The same construction in torch and ember, with ember's weights copied from torch's."""
    torch.manual_seed(0)
    t = make(torch)
    e = make(ember)
    copy_state(t, e)
    return t, e


# --- register_parametrization ------------------------------------------------------------------
def test_layout_state_dict_print_and_values():
    def make(m):
        return P(m).register_parametrization(m.nn.Linear(4, 4), "weight", symmetric(m))
    t, e = build_pair(make)
    assert type(e).__name__ == type(t).__name__ == "ParametrizedLinear"
    assert isinstance(e, ember.nn.Linear) and P(ember).type_before_parametrizations(e) is ember.nn.Linear
    assert list(e.state_dict()) == list(t.state_dict()) == ["bias", "parametrizations.weight.original"]
    assert [n for n, _ in e.named_parameters()] == [n for n, _ in t.named_parameters()]
    assert repr(e) == repr(t)
    close(e.weight, t.weight)
    w = e.weight.detach().numpy()
    np.testing.assert_allclose(w, w.T)
    assert P(ember).is_parametrized(e) and P(ember).is_parametrized(e, "weight")
    assert not P(ember).is_parametrized(e, "bias") and not P(ember).is_parametrized(ember.nn.Linear(2, 2))
    x = data(3, 4)
    yt, ye = t(torch.tensor(x)), e(ember.tensor(x))
    close(ye, yt)
    yt.square().sum().backward()
    ye.square().sum().backward()
    close(e.parametrizations.weight.original.grad, t.parametrizations.weight.original.grad)
    assert e.weight.grad_fn is not None  # recomputed, differentiably, on every access


def test_assignment_goes_through_right_inverse():
    a = data(4, 4, seed=1)
    a = a + a.T
    out = {}
    for m in MODULES:
        lin = P(m).register_parametrization(m.nn.Linear(4, 4), "weight", symmetric(m))
        original = lin.parametrizations.weight.original
        lin.weight = m.tensor(a)
        assert lin.parametrizations.weight.original is original  # the same parameter object
        out[m] = lin.weight, lin.parametrizations.weight.original
    close(out[ember][0], out[torch][0])
    close(out[ember][1], out[torch][1])
    np.testing.assert_allclose(out[ember][0].detach().numpy(), a, rtol=1e-6)


def test_tuple_right_inverse_makes_original0_original1():
    def make(m):
        return P(m).register_parametrization(m.nn.Linear(3, 4), "weight", rank_one(m))
    t, e = build_pair(make)
    assert list(e.state_dict()) == list(t.state_dict()) == \
        ["bias", "parametrizations.weight.original0", "parametrizations.weight.original1"]
    close(e.weight, t.weight)
    with pytest.raises(ValueError, match="leave_parametrized=False"):
        P(ember).remove_parametrizations(e, "weight", leave_parametrized=False)
    for m, mod in ((torch, t), (ember, e)):
        P(m).remove_parametrizations(mod, "weight")
    assert type(e) is ember.nn.Linear and list(e.state_dict()) == list(t.state_dict()) == ["bias", "weight"]
    close(e.weight, t.weight)
    assert isinstance(e.weight, ember.nn.Parameter)


def test_chained_parametrizations_and_removal():
    def make(m):
        lin = m.nn.Linear(4, 4)
        P(m).register_parametrization(lin, "weight", symmetric(m))
        P(m).register_parametrization(lin, "weight", scale(m, 3.0))
        return lin
    t, e = build_pair(make)
    assert repr(e) == repr(t)
    close(e.weight, t.weight)
    for leave in (True, False):
        tt, ee = build_pair(make)
        P(torch).remove_parametrizations(tt, "weight", leave_parametrized=leave)
        P(ember).remove_parametrizations(ee, "weight", leave_parametrized=leave)
        assert type(ee) is ember.nn.Linear and repr(ee) == repr(tt)
        close(ee.weight, tt.weight)


def test_parametrized_buffer_and_several_tensors():
    def make(m):
        bn = m.nn.BatchNorm1d(3)
        P(m).register_parametrization(bn, "running_var", scale(m, 2.0))
        P(m).register_parametrization(bn, "weight", scale(m, 0.5))
        return bn
    t, e = build_pair(make)
    assert list(e.state_dict()) == list(t.state_dict())
    assert repr(e) == repr(t)
    close(e.running_var, t.running_var)
    P(ember).remove_parametrizations(e, "running_var")
    assert type(e).__name__ == "ParametrizedBatchNorm1d"  # weight is still parametrized
    P(ember).remove_parametrizations(e, "weight")
    assert type(e) is ember.nn.BatchNorm1d and "running_var" in e._buffers


def test_cached_computes_once():
    calls = []

    class Counting(ember.nn.Module):
        def forward(self, x):
            calls.append(1)
            return x * 2
    lin = P(ember).register_parametrization(ember.nn.Linear(2, 2), "weight", Counting())
    calls.clear()
    lin.weight, lin.weight
    assert len(calls) == 2
    with P(ember).cached():
        a, b = lin.weight, lin.weight
        with P(ember).cached():
            assert lin.weight is a
    assert a is b and len(calls) == 3
    lin.weight
    assert len(calls) == 4  # the cache is gone after the context


def test_errors_match_pytorch():
    for m in MODULES:
        lin = m.nn.Linear(3, 2)
        with pytest.raises(ValueError, match="does not have a parameter"):
            P(m).register_parametrization(lin, "nope", scale(m, 2.0))

        class Shrink(m.nn.Module):
            def forward(self, x):
                return x[:1]
        with pytest.raises(ValueError, match="may not change the shape"):
            P(m).register_parametrization(lin, "weight", Shrink())
        assert type(lin).__name__ == "Linear" and "weight" in lin._parameters  # left untouched
        with pytest.raises(ValueError, match="does not have a parametrization on weight"):
            P(m).remove_parametrizations(lin, "weight")
        P(m).register_parametrization(lin, "weight", Shrink(), unsafe=True)
        assert tuple(lin.weight.shape) == (1, 3)


def test_deepcopy_works_and_pickle_refuses():
    lin = P(ember).register_parametrization(ember.nn.Linear(4, 4), "weight", symmetric(ember))
    dup = copy.deepcopy(lin)
    assert type(dup).__name__ == "ParametrizedLinear"
    np.testing.assert_array_equal(dup.weight.detach().numpy(), lin.weight.detach().numpy())
    assert dup.parametrizations.weight.original is not lin.parametrizations.weight.original
    with pytest.raises(RuntimeError, match="only supported through state_dict"):
        pickle.dumps(lin)


def test_transfer_parametrizations_and_params():
    src = P(ember).register_parametrization(ember.nn.Linear(4, 4), "weight", symmetric(ember))
    dst = P(ember).transfer_parametrizations_and_params(src, ember.nn.Linear(4, 4))
    assert P(ember).is_parametrized(dst, "weight")
    np.testing.assert_array_equal(dst.weight.detach().numpy(), src.weight.detach().numpy())


# --- parametrizations.weight_norm ----------------------------------------------------------------
@pytest.mark.parametrize("make,dim,shape", [
    (lambda m: m.nn.Linear(4, 3), 0, (5, 4)),
    (lambda m: m.nn.Linear(4, 3), 1, (5, 4)),
    (lambda m: m.nn.Linear(4, 3), None, (5, 4)),
    (lambda m: m.nn.Conv2d(2, 3, 3), 0, (2, 2, 5, 5)),
    (lambda m: m.nn.Conv2d(2, 3, 3), 2, (2, 2, 5, 5)),
])
def test_weight_norm_matches_pytorch(make, dim, shape):
    t, e = build_pair(lambda m: m.nn.utils.parametrizations.weight_norm(make(m), dim=dim))
    assert list(e.state_dict()) == list(t.state_dict())
    assert "parametrizations.weight.original0" in e.state_dict()
    assert e.parametrizations.weight.original0.shape == t.parametrizations.weight.original0.shape
    assert repr(e) == repr(t)
    close(e.weight, t.weight)
    opts = {torch: torch.optim.SGD(t.parameters(), lr=0.1), ember: ember.optim.SGD(e.parameters(), lr=0.1)}
    for step in range(3):
        x = data(*shape, seed=step)
        for m, mod in ((torch, t), (ember, e)):
            opts[m].zero_grad()
            mod(m.tensor(x)).square().mean().backward()
            opts[m].step()
        close(e.parametrizations.weight.original0.grad, t.parametrizations.weight.original0.grad)
        close(e.parametrizations.weight.original1.grad, t.parametrizations.weight.original1.grad)
    close(e.weight, t.weight)
    for m, mod in ((torch, t), (ember, e)):
        P(m).remove_parametrizations(mod, "weight")
    assert list(e.state_dict()) == list(t.state_dict()) and repr(e) == repr(t)
    close(e.weight, t.weight)


def test_weight_norm_loads_old_hook_based_checkpoints():
    old = ember.nn.utils.weight_norm(ember.nn.Linear(4, 3))
    new = ember.nn.utils.parametrizations.weight_norm(ember.nn.Linear(4, 3))
    new.load_state_dict(old.state_dict())
    np.testing.assert_allclose(new.weight.detach().numpy(), old.weight.detach().numpy(), rtol=1e-6)


# --- parametrizations.spectral_norm ----------------------------------------------------------------
SPECTRAL = [
    ("linear", lambda m: m.nn.Linear(5, 4), {}, (3, 5)),
    ("linear-3-iterations", lambda m: m.nn.Linear(5, 4), dict(n_power_iterations=3), (3, 5)),
    ("conv2d", lambda m: m.nn.Conv2d(2, 3, 3), {}, (2, 2, 5, 5)),
    ("conv-transpose", lambda m: m.nn.ConvTranspose2d(2, 3, 3), {}, (2, 2, 4, 4)),
    ("conv2d-dim-1", lambda m: m.nn.Conv2d(2, 3, 3), dict(dim=1, eps=1e-6), (2, 2, 5, 5)),
]


@pytest.mark.parametrize("name,make,kwargs,shape", SPECTRAL, ids=[s[0] for s in SPECTRAL])
def test_spectral_norm_matches_pytorch(name, make, kwargs, shape):
    mods = {}
    for m in MODULES:
        m.manual_seed(0)  # the layer's init and then u, v come from the same generator draws
        mods[m] = m.nn.utils.parametrizations.spectral_norm(make(m), **kwargs)
    t, e = mods[torch], mods[ember]
    assert list(e.state_dict()) == list(t.state_dict())
    assert repr(e) == repr(t)
    # ember's normal_ gives PyTorch's draws: u, v agree after the 15 + 1 initial iterations
    close(e.parametrizations.weight[0]._u, t.parametrizations.weight[0]._u, rtol=1e-4, atol=1e-5)
    copy_state(t, e)  # from here on, exactly the same state
    opts = {torch: torch.optim.Adam(t.parameters(), lr=0.05), ember: ember.optim.Adam(e.parameters(), lr=0.05)}
    for step in range(4):
        x = data(*shape, seed=step)
        outs = {}
        for m, mod in mods.items():
            opts[m].zero_grad()
            outs[m] = mod(m.tensor(x))
            outs[m].square().mean().backward()
            opts[m].step()
        close(outs[ember], outs[torch])
        close(e.parametrizations.weight.original.grad, t.parametrizations.weight.original.grad, rtol=1e-4, atol=1e-5)
    for buf in ("_u", "_v"):
        close(getattr(e.parametrizations.weight[0], buf), getattr(t.parametrizations.weight[0], buf))
    close(e.weight, t.weight)
    # eval mode: no power iteration, the buffers stay put
    for mod in mods.values():
        mod.eval()
    u = e.parametrizations.weight[0]._u.clone()
    x = data(*shape, seed=9)
    close(e(ember.tensor(x)), t(torch.tensor(x)))
    np.testing.assert_array_equal(e.parametrizations.weight[0]._u.numpy(), u.numpy())
    for m, mod in mods.items():
        P(m).remove_parametrizations(mod, "weight")
    assert list(e.state_dict()) == list(t.state_dict()) and repr(e) == repr(t)
    close(e.weight, t.weight)


def test_spectral_norm_of_a_vector_normalizes_it():
    t, e = build_pair(lambda m: m.nn.utils.parametrizations.spectral_norm(m.nn.Linear(3, 4), name="bias"))
    assert list(e.state_dict()) == list(t.state_dict())
    close(e.bias, t.bias)
    np.testing.assert_allclose(np.linalg.norm(e.bias.detach().numpy()), 1, rtol=1e-6)


def test_spectral_norm_errors():
    for m in MODULES:
        sn = m.nn.utils.parametrizations.spectral_norm
        with pytest.raises(ValueError, match="n_power_iterations"):
            sn(m.nn.Linear(3, 2), n_power_iterations=0)
        with pytest.raises(IndexError, match="Dimension out of range"):
            sn(m.nn.Linear(3, 2), dim=2)
        with pytest.raises(ValueError, match="has no parameter or buffer"):
            sn(m.nn.Linear(3, 2), name="nope")


# --- the hook-based nn.utils.spectral_norm -------------------------------------------------------
@pytest.mark.parametrize("name,make,kwargs,shape", SPECTRAL, ids=[s[0] for s in SPECTRAL])
def test_hook_spectral_norm_matches_pytorch(name, make, kwargs, shape):
    mods = {}
    for m in MODULES:
        m.manual_seed(0)
        mods[m] = m.nn.utils.spectral_norm(make(m), **kwargs)
    t, e = mods[torch], mods[ember]
    assert list(e.state_dict()) == list(t.state_dict())
    assert dict(e.state_dict()._metadata) == dict(t.state_dict()._metadata)
    assert repr(e) == repr(t)
    close(e.weight_u, t.weight_u, rtol=1e-5, atol=1e-6)
    copy_state(t, e)
    opts = {torch: torch.optim.SGD(t.parameters(), lr=0.1, momentum=0.9),
            ember: ember.optim.SGD(e.parameters(), lr=0.1, momentum=0.9)}
    for step in range(4):
        x = data(*shape, seed=step)
        outs = {}
        for m, mod in mods.items():
            opts[m].zero_grad()
            outs[m] = mod(m.tensor(x))
            outs[m].square().mean().backward()
            opts[m].step()
        close(outs[ember], outs[torch])
        close(e.weight_orig.grad, t.weight_orig.grad, rtol=1e-4, atol=1e-5)
    close(e.weight_u, t.weight_u)
    close(e.weight_v, t.weight_v)
    for mod in mods.values():
        mod.eval()
    v = e.weight_v.clone()
    x = data(*shape, seed=9)
    close(e(ember.tensor(x)), t(torch.tensor(x)))
    np.testing.assert_array_equal(e.weight_v.numpy(), v.numpy())
    for m, mod in mods.items():
        m.nn.utils.remove_spectral_norm(mod)
    assert list(e.state_dict()) == list(t.state_dict())
    assert dict(e.state_dict()._metadata) == dict(t.state_dict()._metadata)
    close(e.weight, t.weight)
    assert isinstance(e.weight, ember.nn.Parameter)


def test_hook_spectral_norm_errors():
    for m in MODULES:
        lin = m.nn.utils.spectral_norm(m.nn.Linear(3, 2))
        with pytest.raises(RuntimeError, match="Cannot register two spectral_norm hooks"):
            m.nn.utils.spectral_norm(lin)
        with pytest.raises(ValueError, match="spectral_norm of 'bias' not found"):
            m.nn.utils.remove_spectral_norm(lin, "bias")
        with pytest.raises(ValueError, match="n_power_iterations"):
            m.nn.utils.spectral_norm(m.nn.Linear(3, 2), n_power_iterations=0)
