"""Attention and transformer layers against PyTorch with copied weights (dropout off)."""
import numpy as np
import pytest
import torch

import ember


def copy(t, e):
    e.load_state_dict({k: ember.from_numpy(v.detach().numpy().copy()) for k, v in t.state_dict().items()})


def run_both(ctor, inputs, call):
    t, e = ctor(torch.nn), ctor(ember.nn)
    assert repr(e) == repr(t)
    assert [n for n, _ in e.named_parameters()] == [n for n, _ in t.named_parameters()]
    copy(t, e)
    t.eval()
    e.eval()
    ti = [torch.tensor(x, requires_grad=x.dtype == np.float32) if isinstance(x, np.ndarray) else x for x in inputs]
    ei = [ember.tensor(x, requires_grad=x.dtype == np.float32) if isinstance(x, np.ndarray) else x for x in inputs]
    ot, oe = call(t, ti, torch), call(e, ei, ember)
    np.testing.assert_allclose(oe.detach().numpy(), ot.detach().numpy(), rtol=1e-4, atol=1e-5)
    g = np.random.default_rng(9).standard_normal(tuple(ot.shape)).astype(np.float32)
    (ot * torch.tensor(g)).sum().backward()
    (oe * ember.tensor(g)).sum().backward()
    for a, b in zip(ei, ti):
        if hasattr(b, "grad") and b.grad is not None:
            np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-4, atol=1e-5)
    for (n, pe), (_, pt) in zip(e.named_parameters(), t.named_parameters()):
        np.testing.assert_allclose(pe.grad.numpy(), pt.grad.numpy(), rtol=1e-3, atol=1e-5, err_msg=n)


rng = np.random.default_rng(0)
X = rng.standard_normal((5, 2, 8)).astype(np.float32)
Y = rng.standard_normal((4, 2, 8)).astype(np.float32)


@pytest.mark.parametrize("masked", [False, True])
def test_multihead_attention(masked):
    def call(mod, inp, m):
        kw = {}
        if masked:
            kw = dict(attn_mask=m.ones(4, 5, dtype=m.bool).triu(1), key_padding_mask=m.tensor([[False] * 4 + [True],
                                                                                              [False] * 5]))
        out, w = mod(inp[0], inp[1], inp[1], **kw)
        return out + w.sum()
    run_both(lambda nn: nn.MultiheadAttention(8, 2), [Y, X], call)


def test_multihead_attention_batch_first_weights_per_head():
    def call(mod, inp, m):
        out, w = mod(inp[0], inp[0], inp[0], average_attn_weights=False)
        assert tuple(w.shape) == (5, 2, 2, 2)
        return out
    run_both(lambda nn: nn.MultiheadAttention(8, 2, batch_first=True), [X], call)


@pytest.mark.parametrize("norm_first", [False, True])
def test_encoder_layer_and_stack(norm_first):
    run_both(lambda nn: nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, norm_first=norm_first), 2),
             [X], lambda mod, inp, m: mod(inp[0]))


def test_full_transformer_with_causal_mask():
    def call(mod, inp, m):
        mask = m.nn.Transformer.generate_square_subsequent_mask(4)
        return mod(inp[0], inp[1], tgt_mask=mask)
    run_both(lambda nn: nn.Transformer(8, 2, 1, 1, 16), [X, Y], call)


def test_scaled_dot_product_attention():
    q, k, v = (rng.standard_normal((2, 3, 4, 5)).astype(np.float32) for _ in range(3))
    for causal in (False, True):
        a = ember.nn.functional.scaled_dot_product_attention(*(ember.tensor(x) for x in (q, k, v)), is_causal=causal)
        b = torch.nn.functional.scaled_dot_product_attention(*(torch.tensor(x) for x in (q, k, v)), is_causal=causal)
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)
