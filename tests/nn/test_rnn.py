"""Recurrent layers and packed sequences against PyTorch (same weights): outputs, final
states, input and weight gradients; default initialisation under the same seed."""
import numpy as np
import pytest
import torch

import ember

CASES = [
    ("RNN", dict(input_size=3, hidden_size=4)),
    ("RNN-relu-2layer", dict(input_size=3, hidden_size=4, num_layers=2, nonlinearity="relu")),
    ("LSTM", dict(input_size=3, hidden_size=4)),
    ("LSTM-bi-2layer-bf", dict(input_size=3, hidden_size=4, num_layers=2, bidirectional=True, batch_first=True)),
    ("GRU", dict(input_size=3, hidden_size=5, bias=False)),
    ("GRU-bi", dict(input_size=3, hidden_size=4, bidirectional=True)),
    ("LSTM-proj", dict(input_size=3, hidden_size=5, proj_size=2)),
    ("LSTM-proj-bi-2layer-bf", dict(input_size=3, hidden_size=5, proj_size=3, num_layers=2, bidirectional=True,
                                    batch_first=True)),
    ("LSTM-proj-nobias-3layer", dict(input_size=3, hidden_size=4, proj_size=1, num_layers=3, bias=False)),
]


def make(m, name, kwargs):
    cls = getattr(m.nn, name.split("-")[0])
    return cls(**kwargs)


def copy(t, e):
    e.load_state_dict({k: ember.from_numpy(v.detach().numpy().copy()) for k, v in t.state_dict().items()})


@pytest.mark.parametrize("name,kwargs", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("with_state", [False, True])
def test_rnn_matches_pytorch(name, kwargs, with_state):
    rng = np.random.default_rng(0)
    t, e = make(torch, name, kwargs), make(ember, name, kwargs)
    assert repr(e) == repr(t)
    assert [(n, tuple(p.shape)) for n, p in e.named_parameters()] == \
        [(n, tuple(p.shape)) for n, p in t.named_parameters()]
    assert list(e.state_dict()) == list(t.state_dict())
    copy(t, e)
    T, B = 5, 2
    shape = (B, T, 3) if kwargs.get("batch_first") else (T, B, 3)
    x = rng.standard_normal(shape).astype(np.float32)
    xt, xe = torch.tensor(x, requires_grad=True), ember.tensor(x, requires_grad=True)
    dirs = 2 if kwargs.get("bidirectional") else 1
    # with projections h (and the output) have proj_size features, c keeps hidden_size
    cshape = (kwargs.get("num_layers", 1) * dirs, B, kwargs["hidden_size"])
    hshape = cshape[:2] + (kwargs.get("proj_size") or kwargs["hidden_size"],)
    args_t, args_e = (), ()
    if with_state:
        h = rng.standard_normal(hshape).astype(np.float32)
        if name.startswith("LSTM"):
            c = rng.standard_normal(cshape).astype(np.float32)
            args_t, args_e = ((torch.tensor(h), torch.tensor(c)),), ((ember.tensor(h), ember.tensor(c)),)
        else:
            args_t, args_e = (torch.tensor(h),), (ember.tensor(h),)
    ot, ht = t(xt, *args_t)
    oe, he = e(xe, *args_e)
    np.testing.assert_allclose(oe.detach().numpy(), ot.detach().numpy(), rtol=1e-4, atol=1e-5)
    hts = ht if isinstance(ht, tuple) else (ht,)
    hes = he if isinstance(he, tuple) else (he,)
    for a, b in zip(hes, hts):
        assert tuple(a.shape) == tuple(b.shape)
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-4, atol=1e-5)
    g = rng.standard_normal(ot.shape).astype(np.float32)
    gc = rng.standard_normal(hts[-1].shape).astype(np.float32)  # the final state feeds the loss too
    (ot * torch.tensor(g)).sum().add((hts[-1] * torch.tensor(gc)).sum()).backward()
    (oe * ember.tensor(g)).sum().add((hes[-1] * ember.tensor(gc)).sum()).backward()
    np.testing.assert_allclose(xe.grad.numpy(), xt.grad.numpy(), rtol=1e-4, atol=1e-5)
    for (n, pe), (_, pt) in zip(e.named_parameters(), t.named_parameters()):
        np.testing.assert_allclose(pe.grad.numpy(), pt.grad.numpy(), rtol=1e-4, atol=1e-5, err_msg=n)


@pytest.mark.parametrize("cell", ["RNNCell", "LSTMCell", "GRUCell"])
def test_cells_match_pytorch(cell):
    rng = np.random.default_rng(1)
    t, e = getattr(torch.nn, cell)(3, 4), getattr(ember.nn, cell)(3, 4)
    assert repr(e) == repr(t)
    copy(t, e)
    x = rng.standard_normal((2, 3)).astype(np.float32)
    rt, re_ = t(torch.tensor(x)), e(ember.tensor(x))
    for a, b in zip(re_ if isinstance(re_, tuple) else (re_,), rt if isinstance(rt, tuple) else (rt,)):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-5, atol=1e-6)
    rt, re_ = t(torch.tensor(x[0])), e(ember.tensor(x[0]))  # unbatched
    for a, b in zip(re_ if isinstance(re_, tuple) else (re_,), rt if isinstance(rt, tuple) else (rt,)):
        assert tuple(a.shape) == tuple(b.shape)


@pytest.mark.parametrize("proj_size", [0, 2])
@pytest.mark.parametrize("enforce_sorted", [True, False])
def test_packed_sequences_match_pytorch(enforce_sorted, proj_size):
    rng = np.random.default_rng(2)
    lengths = [5, 3, 2] if enforce_sorted else [3, 5, 2]
    x = rng.standard_normal((5, 3, 2)).astype(np.float32)
    kw = dict(bidirectional=True, proj_size=proj_size)
    t, e = torch.nn.LSTM(2, 3, **kw), ember.nn.LSTM(2, 3, **kw)
    copy(t, e)
    pt = torch.nn.utils.rnn.pack_padded_sequence(torch.tensor(x), lengths, enforce_sorted=enforce_sorted)
    pe = ember.nn.utils.rnn.pack_padded_sequence(ember.tensor(x), lengths, enforce_sorted=enforce_sorted)
    np.testing.assert_array_equal(pe.data.numpy(), pt.data.numpy())
    assert pe.batch_sizes.tolist() == pt.batch_sizes.tolist()
    # an initial state in the caller's batch order (reordered inside for the sorted packing)
    h0 = rng.standard_normal((2, 3, proj_size or 3)).astype(np.float32)
    c0 = rng.standard_normal((2, 3, 3)).astype(np.float32)
    ot, (ht, ct) = t(pt, (torch.tensor(h0), torch.tensor(c0)))
    oe, (he, ce) = e(pe, (ember.tensor(h0), ember.tensor(c0)))
    np.testing.assert_allclose(oe.data.detach().numpy(), ot.data.detach().numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(he.detach().numpy(), ht.detach().numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(ce.detach().numpy(), ct.detach().numpy(), rtol=1e-4, atol=1e-5)
    (ot.data.sum() + ct.sum()).backward()
    (oe.data.sum() + ce.sum()).backward()
    for (n, qe), (_, qt) in zip(e.named_parameters(), t.named_parameters()):
        np.testing.assert_allclose(qe.grad.numpy(), qt.grad.numpy(), rtol=1e-4, atol=1e-5, err_msg=n)
    padded_t, len_t = torch.nn.utils.rnn.pad_packed_sequence(ot, batch_first=True)
    padded_e, len_e = ember.nn.utils.rnn.pad_packed_sequence(oe, batch_first=True)
    np.testing.assert_allclose(padded_e.detach().numpy(), padded_t.detach().numpy(), rtol=1e-4, atol=1e-5)
    assert len_e.tolist() == len_t.tolist()


def test_pad_sequence_and_default_init_match_pytorch():
    seqs = [np.arange(n * 2, dtype=np.float32).reshape(n, 2) for n in (3, 1, 2)]
    for bf in (False, True):
        a = ember.nn.utils.rnn.pad_sequence([ember.tensor(s) for s in seqs], batch_first=bf, padding_value=-1)
        b = torch.nn.utils.rnn.pad_sequence([torch.tensor(s) for s in seqs], batch_first=bf, padding_value=-1)
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    for ctor in (lambda nn: nn.GRU(3, 4, num_layers=2),
                 lambda nn: nn.LSTM(3, 6, num_layers=2, bidirectional=True, proj_size=4)):
        torch.manual_seed(3)
        t = ctor(torch.nn)
        ember.manual_seed(3)
        e = ctor(ember.nn)
        assert len(list(e.parameters())) == len(list(t.parameters()))
        for (n, pe), (_, pt) in zip(e.named_parameters(), t.named_parameters()):
            np.testing.assert_array_equal(pe.detach().numpy(), pt.detach().numpy(), err_msg=n)
        assert [[tuple(w.shape) for w in ws] for ws in e.all_weights] == \
            [[tuple(w.shape) for w in ws] for ws in t.all_weights]


def test_unbatched_lstm_with_projection_matches_pytorch():
    rng = np.random.default_rng(4)
    t, e = torch.nn.LSTM(3, 4, proj_size=2), ember.nn.LSTM(3, 4, proj_size=2)
    copy(t, e)
    x, h, c = (rng.standard_normal(s).astype(np.float32) for s in ((5, 3), (1, 2), (1, 4)))
    ot, (ht, ct) = t(torch.tensor(x), (torch.tensor(h), torch.tensor(c)))
    oe, (he, ce) = e(ember.tensor(x), (ember.tensor(h), ember.tensor(c)))
    for a, b in ((oe, ot), (he, ht), (ce, ct)):
        assert tuple(a.shape) == tuple(b.shape)
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_rnn_construction_and_state_errors_match_pytorch():
    cases = [
        lambda m: m.nn.LSTM(3, 4, proj_size=4),
        lambda m: m.nn.LSTM(3, 4, proj_size=-1),
        lambda m: m.nn.GRU(3, 4, proj_size=2),
        lambda m: m.nn.RNN(3, 4, proj_size=0),
        lambda m: m.nn.LSTM(3, 4, num_layers=0),
        lambda m: m.nn.LSTM(3, 0, num_layers=0),
        lambda m: m.nn.GRU(3, 2.0),
        lambda m: m.nn.LSTM(3, 4, proj_size=2)(m.ones(5, 3, 3), (m.zeros(1, 3, 4), m.zeros(1, 3, 4))),
        lambda m: m.nn.LSTM(3, 4, proj_size=2)(m.ones(5, 3, 3), (m.zeros(1, 3, 2), m.zeros(1, 3, 2))),
        lambda m: m.nn.GRU(3, 4)(m.ones(5, 3, 3), m.zeros(1, 2, 4)),
        lambda m: m.nn.LSTM(3, 4, proj_size=2)(m.ones(5, 3), (m.zeros(1, 1, 2), m.zeros(1, 4))),
    ]
    for case in cases:
        with pytest.raises(Exception) as te:
            case(torch)
        with pytest.raises(type(te.value)) as ee:
            case(ember)
        assert str(ee.value) == str(te.value)


def test_clip_grad_and_vector_conversion_match_pytorch():
    res = {}
    for m in (torch, ember):
        ps = [m.nn.Parameter(m.tensor([[1.0, -2.0], [3.0, 0.5]])), m.nn.Parameter(m.tensor([4.0, -1.0]))]
        (ps[0] ** 2).sum().backward()
        (ps[1] * 3).sum().backward()
        n1 = m.nn.utils.clip_grad_norm_(ps, 1.5)
        g1 = [p.grad.tolist() for p in ps]
        m.nn.utils.clip_grad_value_(ps, 0.2)
        g2 = [p.grad.tolist() for p in ps]
        vec = m.nn.utils.parameters_to_vector(ps)
        m.nn.utils.vector_to_parameters(vec * 2, ps)
        res[m] = (float(n1), g1, g2, vec.tolist(), [p.tolist() for p in ps])
    np.testing.assert_allclose(res[ember][0], res[torch][0], rtol=1e-6)
    for a, b in zip(res[ember][1:], res[torch][1:]):
        np.testing.assert_allclose(_flat(a), _flat(b), rtol=1e-5)


def _flat(x):
    if isinstance(x, list):
        return [v for item in x for v in _flat(item)]
    return [x]
