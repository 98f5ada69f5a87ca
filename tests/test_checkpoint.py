"""utils.checkpoint: the same outputs, gradients (dropout included) and generator state as
PyTorch's, with the recomputing backward node for use_reentrant=True."""
import numpy as np
import pytest
import torch

import ember


def run(m, use_reentrant):
    m.manual_seed(0)
    block = m.nn.Sequential(m.nn.Linear(4, 8), m.nn.ReLU(), m.nn.Dropout(0.5), m.nn.Linear(8, 2))
    x = m.ones(3, 4, requires_grad=True)
    y = m.utils.checkpoint.checkpoint(block, x, use_reentrant=use_reentrant)
    (y * y).sum().backward()
    m.manual_seed(1)
    seq = m.nn.Sequential(m.nn.Linear(4, 8), m.nn.ReLU(), m.nn.Linear(8, 2), m.nn.Tanh())
    z = m.utils.checkpoint.checkpoint_sequential(seq, 2, m.ones(3, 4, requires_grad=True), use_reentrant=use_reentrant)
    z.sum().backward()
    return (type(y.grad_fn).__name__, type(z.grad_fn).__name__, m.rand(1).item(),
            [y.detach().numpy(), x.grad.numpy(), block[0].weight.grad.numpy(), z.detach().numpy(),
             seq[0].weight.grad.numpy()])


@pytest.mark.parametrize("use_reentrant", [True, False])
def test_checkpoint_matches_pytorch(use_reentrant):
    e, t = run(ember, use_reentrant), run(torch, use_reentrant)
    assert e[:3] == t[:3]  # grad_fn names, and the generator state after the recomputation
    for a, b in zip(e[3], t[3]):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_warnings_match_pytorch():
    for m in (torch, ember):
        lin = m.nn.Linear(3, 3)
        with pytest.warns(UserWarning, match="the use_reentrant parameter should be passed explicitly"):
            m.utils.checkpoint.checkpoint(lin, m.ones(2, 3, requires_grad=True))
        with pytest.warns(UserWarning, match="None of the inputs have requires_grad=True"):
            y = m.utils.checkpoint.checkpoint(lin, m.ones(2, 3), use_reentrant=True)
        assert not y.requires_grad
