"""nn.Module bookkeeping, containers, printing, state_dict and hooks, compared with PyTorch."""
import numpy as np
import pytest
import torch

import ember


def build(m):
    """The quickstart network of seed 002, in module ``m`` (torch or ember)."""
    nn = m.nn

    class NeuralNetwork(nn.Module):
        def __init__(self):
            super().__init__()
            self.flatten = nn.Flatten()
            self.linear_relu_stack = nn.Sequential(
                nn.Linear(28 * 28, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))

        def forward(self, x):
            return self.linear_relu_stack(self.flatten(x))
    return NeuralNetwork()


def copy_weights(src, dst):
    """Load torch module ``src``'s state into ember module ``dst``."""
    dst.load_state_dict({k: ember.from_numpy(v.detach().numpy().copy()) for k, v in src.state_dict().items()})


def test_quickstart_print_matches_pytorch():
    assert repr(build(ember)) == repr(build(torch))


def test_parameters_state_dict_and_metadata():
    e, t = build(ember), build(torch)
    assert [(n, tuple(p.shape)) for n, p in e.named_parameters()] == \
           [(n, tuple(p.shape)) for n, p in t.named_parameters()]
    es, ts = e.state_dict(), t.state_dict()
    assert list(es) == list(ts)
    assert dict(es._metadata) == dict(ts._metadata)
    assert all(isinstance(p, ember.nn.Parameter) and p.requires_grad for p in e.parameters())
    assert [n for n, _ in e.named_modules()] == [n for n, _ in t.named_modules()]
    assert [n for n, _ in e.named_children()] == [n for n, _ in t.named_children()]


def test_load_state_dict_reports_like_pytorch():
    e, t = build(ember), build(torch)
    copy_weights(t, e)
    assert repr(e.load_state_dict(e.state_dict())) == "<All keys matched successfully>"
    sd_t, sd_e = t.state_dict(), e.state_dict()
    del sd_t["linear_relu_stack.0.bias"], sd_e["linear_relu_stack.0.bias"]
    sd_t["extra.weight"] = torch.zeros(1)
    sd_e["extra.weight"] = ember.zeros(1)
    with pytest.raises(RuntimeError) as te:
        t.load_state_dict(sd_t)
    with pytest.raises(RuntimeError) as ee:
        e.load_state_dict(sd_e)
    assert str(ee.value) == str(te.value)
    rt, re_ = t.load_state_dict(sd_t, strict=False), e.load_state_dict(sd_e, strict=False)
    assert (re_.missing_keys, re_.unexpected_keys) == (rt.missing_keys, rt.unexpected_keys)
    sd_t, sd_e = t.state_dict(), e.state_dict()
    sd_t["linear_relu_stack.0.bias"] = torch.zeros(3)
    sd_e["linear_relu_stack.0.bias"] = ember.zeros(3)
    with pytest.raises(RuntimeError) as te:
        t.load_state_dict(sd_t)
    with pytest.raises(RuntimeError) as ee:
        e.load_state_dict(sd_e)
    assert str(ee.value) == str(te.value)


def test_assigning_before_super_init_raises():
    for m in (torch, ember):
        class Bad(m.nn.Module):
            def __init__(self):
                self.layer = m.nn.Linear(2, 2)
        with pytest.raises(AttributeError, match="cannot assign module before Module.__init__\\(\\) call"):
            Bad()


def test_forward_backward_match_pytorch():
    e, t = build(ember), build(torch)
    copy_weights(t, e)
    x = np.random.default_rng(0).standard_normal((4, 1, 28, 28)).astype(np.float32)
    y = np.array([1, 3, 0, 9])
    lt = torch.nn.CrossEntropyLoss()(t(torch.from_numpy(x)), torch.from_numpy(y))
    le = ember.nn.CrossEntropyLoss()(e(ember.from_numpy(x)), ember.from_numpy(y))
    np.testing.assert_allclose(le.item(), lt.item(), rtol=1e-5)
    lt.backward()
    le.backward()
    for (n, pt), (_, pe) in zip(t.named_parameters(), e.named_parameters()):
        np.testing.assert_allclose(pe.grad.numpy(), pt.grad.numpy(), rtol=1e-4, atol=1e-6, err_msg=n)


def test_sequential_and_containers():
    for m in (torch, ember):
        nn = m.nn
        s = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
        assert len(s) == 3 and isinstance(s[0], nn.Linear) and isinstance(s[-1], nn.Linear)
        assert isinstance(s[1:], nn.Sequential) and len(s[1:]) == 2
        s.append(nn.Sigmoid())
        assert len(s) == 4
    e = ember.nn.ModuleList([ember.nn.Linear(2, 2) for _ in range(3)] + [ember.nn.ReLU()])
    t = torch.nn.ModuleList([torch.nn.Linear(2, 2) for _ in range(3)] + [torch.nn.ReLU()])
    assert repr(e) == repr(t)
    from collections import OrderedDict
    e = ember.nn.Sequential(OrderedDict([("conv", ember.nn.Identity()), ("act", ember.nn.Tanh())]))
    t = torch.nn.Sequential(OrderedDict([("conv", torch.nn.Identity()), ("act", torch.nn.Tanh())]))
    assert repr(e) == repr(t)
    e = ember.nn.ModuleDict({"a": ember.nn.Linear(1, 2), "b": ember.nn.Dropout(0.2)})
    t = torch.nn.ModuleDict({"a": torch.nn.Linear(1, 2), "b": torch.nn.Dropout(0.2)})
    assert repr(e) == repr(t) and list(e.keys()) == list(t.keys())


def test_seed_003_add_sequential_and_apply():
    for m in (torch, ember):
        class Add(m.nn.Module):
            def __init__(self, value):
                super().__init__()
                self.value = value

            def forward(self, x):
                return x + self.value

        model = m.nn.Sequential(Add(4), Add(3), Add(6))
        assert model(m.tensor([2])).tolist() == [15]

        @m.no_grad()
        def init_weights(mod):
            if type(mod) == m.nn.Linear:
                mod.weight.fill_(1.0)

        net = m.nn.Sequential(m.nn.Linear(2, 2), m.nn.Linear(2, 2))
        net.apply(init_weights)
        assert all(p.tolist() == [[1.0, 1.0], [1.0, 1.0]] for n, p in net.named_parameters() if "weight" in n)


def test_train_eval_and_requires_grad():
    e = build(ember)
    assert e.training and all(mod.training for mod in e.modules())
    e.eval()
    assert not any(mod.training for mod in e.modules())
    e.requires_grad_(False)
    assert not any(p.requires_grad for p in e.parameters())


def test_forward_hooks_and_full_backward_hook_match_pytorch():
    rec = {}
    for m in (torch, ember):
        lin = m.nn.Linear(3, 2)
        with m.no_grad():
            lin.weight.copy_(m.tensor([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]]))
            lin.bias.copy_(m.tensor([0.1, -0.2]))
        seen = []
        h1 = lin.register_forward_pre_hook(lambda mod, args: (args[0] * 2,))
        lin.register_forward_hook(lambda mod, args, out: out + 1)
        lin.register_full_backward_hook(lambda mod, gi, go: seen.append((gi[0].tolist(), go[0].tolist())))
        x = m.tensor([[1.0, -1.0, 0.5]], requires_grad=True)
        out = lin(x)
        (out * m.tensor([[1.0, 3.0]])).sum().backward()
        h1.remove()
        rec[m] = (out.tolist(), x.grad.tolist(), seen, lin(x).tolist())
    flat = lambda v: [z for item in v for z in flat(item)] if isinstance(v, (list, tuple)) else [v]  # noqa: E731
    np.testing.assert_allclose(flat(rec[ember]), flat(rec[torch]), rtol=1e-6)


def test_zero_grad_and_parameter_repr():
    for m in (torch, ember):
        p = m.nn.Parameter(m.ones(2))
        assert repr(p).startswith("Parameter containing:\ntensor([1., 1.], requires_grad=True)")
    e = build(ember)
    for p in e.parameters():
        p.grad = ember.ones_like(p)
    e.zero_grad()
    assert all(p.grad is None for p in e.parameters())


def test_compile_runs_eagerly_in_pytorchs_shape():
    """torch.compile: same outputs; a module wrapped so its checkpoint keys match PyTorch's."""
    outs = []
    for m in (torch, ember):
        m.manual_seed(0)
        model = m.nn.Linear(2, 3)
        compiled = m.compile(model)
        assert type(compiled).__name__ == "OptimizedModule" and compiled._orig_mod is model
        assert compiled.weight is model.weight and compiled.in_features == 2  # read through to the model
        outs.append((list(compiled.state_dict()), repr(compiled),
                     compiled(m.ones(4, 2)).detach().numpy(), m.compile(lambda x: x * 2)(m.ones(2)).tolist()))
    assert outs[0][0] == outs[1][0] and outs[0][1] == outs[1][1] and outs[0][3] == outs[1][3]
    np.testing.assert_allclose(outs[1][2], outs[0][2], rtol=1e-6)
