"""Tensors print exactly as PyTorch prints them."""
import numpy as np
import pytest
import torch

import ember

rng = np.random.default_rng(0)
ARRAYS = [
    np.array([1.0, 2, 3]), np.arange(12.0).reshape(3, 4) / 7, np.array(3.5), np.array([1e-5, 1, 1e5]),
    np.array([1e10, 2]), np.arange(2000.0).reshape(40, 50), np.array([np.nan, np.inf, -np.inf, 1.5]),
    np.array([-0.0, 1]), np.arange(10), np.array([True, False]), np.arange(6, dtype=np.uint8), np.zeros((0, 3)),
    np.zeros(0), np.zeros(0, dtype=np.int64), np.arange(5.0), np.float16([1.5, 2.25]),
    rng.standard_normal((3, 30)).astype(np.float32), np.array(7), np.arange(3000).reshape(3, 1000),
    rng.standard_normal((2, 3, 4)), np.arange(-5, 5, dtype=np.int8), np.array([123456.789, 0.001]),
    np.array([1e-8, 1e-9]), rng.standard_normal((5, 5, 5, 10)).astype(np.float32) * 1000, np.array([0.0, 0.0]),
    np.array([np.nan]), np.arange(24, dtype=np.int32).reshape(2, 3, 4), rng.integers(0, 2, (3, 3)).astype(bool),
    np.array([100.0, 200.0, 300.5]), np.array([1, 2], dtype=np.int16), np.full((2, 2), 1e-3),
]


@pytest.mark.parametrize("i", range(len(ARRAYS)))
def test_repr_matches_pytorch(i):
    a = ARRAYS[i]
    assert repr(ember.from_numpy(a.copy())) == repr(torch.from_numpy(a.copy()))
    assert str(ember.from_numpy(a.copy())) == str(torch.from_numpy(a.copy()))


@pytest.fixture
def restore_printoptions():
    yield
    ember.set_printoptions(profile="default")
    torch.set_printoptions(profile="default")


@pytest.mark.parametrize("opts", [dict(precision=2), dict(threshold=5), dict(edgeitems=1, threshold=10),
                                  dict(linewidth=40), dict(sci_mode=True), dict(sci_mode=False), dict(profile="short"),
                                  dict(profile="full"), dict(precision=6, sci_mode=False)])
def test_printoptions(opts, restore_printoptions):
    ember.set_printoptions(**opts)
    torch.set_printoptions(**opts)
    for a in ARRAYS[:8] + [ARRAYS[16]]:
        assert repr(ember.from_numpy(a.copy())) == repr(torch.from_numpy(a.copy()))


def test_autograd_suffixes_and_default_dtype():
    for m in (torch, ember):
        x = m.tensor([1.0, 2.0], requires_grad=True)
        m.outs = [repr(x), repr(x * 2), repr((x * 2).sum()), repr(x.detach()), repr(m.nn.Parameter(m.ones(2)))]
    assert ember.outs == torch.outs
    try:
        ember.set_default_dtype(ember.float64)
        torch.set_default_dtype(torch.float64)
        for a in (np.array([1.0, 2.0], np.float32), np.array([1.0, 2.0]), np.zeros((0, 2), np.float32)):
            assert repr(ember.from_numpy(a.copy())) == repr(torch.from_numpy(a.copy()))
    finally:
        ember.set_default_dtype(ember.float32)
        torch.set_default_dtype(torch.float32)


def test_format_of_zero_dim_tensors():
    assert f"{ember.tensor(2.5):.3f}" == f"{torch.tensor(2.5):.3f}"
    assert f"{ember.tensor(7)}" == f"{torch.tensor(7)}"
