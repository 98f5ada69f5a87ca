"""ember's generator reproduces PyTorch's: same seeds, same numbers (exactly, or within
float32 rounding where PyTorch uses vectorised log/cos/sin)."""
import numpy as np
import pytest
import torch

import ember

SEEDS = list(range(0, 20, 3)) + [2**32 + 5, 123456789]
SIZES = [0, 1, 2, 7, 15, 16, 17, 31, 100, 1000]


def same(name, fe, ft, exact=True, atol=2e-6):
    for s in SEEDS:
        torch.manual_seed(s)
        ember.manual_seed(s)
        a, b = fe(), ft()
        a = a.numpy() if isinstance(a, ember.Tensor) else np.asarray(a)
        b = b.numpy() if isinstance(b, torch.Tensor) else np.asarray(b)
        assert a.shape == b.shape and str(a.dtype) == str(b.dtype), (name, a.shape, b.shape, a.dtype, b.dtype)
        if exact:
            np.testing.assert_array_equal(a, b, err_msg=f"{name} seed {s}")
        else:  # within float32 rounding of PyTorch's SIMD transcendental functions
            np.testing.assert_allclose(a, b, rtol=2e-6, atol=atol, err_msg=f"{name} seed {s}")


@pytest.mark.parametrize("n", SIZES)
def test_uniform_family_exact(n):
    same("rand", lambda: ember.rand(n), lambda: torch.rand(n))
    same("rand64", lambda: ember.rand(n, dtype=ember.float64), lambda: torch.rand(n, dtype=torch.float64))
    same("uniform_", lambda: ember.empty(n).uniform_(-3, 5), lambda: torch.empty(n).uniform_(-3, 5))
    b = 1 / 27 ** 0.5  # a range whose products need rounding (nn.Linear's default init)
    same("uniform_b", lambda: ember.empty(n).uniform_(-b, b), lambda: torch.empty(n).uniform_(-b, b))
    same("randint", lambda: ember.randint(0, 10, (n,)), lambda: torch.randint(0, 10, (n,)))
    same("randint-lo", lambda: ember.randint(-7, 3, (n,), dtype=ember.int32),
         lambda: torch.randint(-7, 3, (n,), dtype=torch.int32))
    same("randperm", lambda: ember.randperm(n), lambda: torch.randperm(n))
    same("bernoulli_", lambda: ember.empty(n).bernoulli_(0.3), lambda: torch.empty(n).bernoulli_(0.3))
    same("exponential_", lambda: ember.empty(n, dtype=ember.float64).exponential_(2.0),
         lambda: torch.empty(n, dtype=torch.float64).exponential_(2.0), exact=False)  # log1p's last bit


@pytest.mark.parametrize("n", SIZES)
def test_normal_family(n):
    same("randn64", lambda: ember.randn(n, dtype=ember.float64), lambda: torch.randn(n, dtype=torch.float64),
         exact=False)
    same("randn", lambda: ember.randn(n), lambda: torch.randn(n), exact=False)
    # std 3 scales float32 rounding of the unit normal by 3 (and mean 2 can cancel digits)
    same("normal_", lambda: ember.empty(n).normal_(2, 3), lambda: torch.empty(n).normal_(2, 3), exact=False,
         atol=1e-5)


def test_shapes_and_sequences_stay_in_sync():
    def seq(m):
        return [m.rand(2, 3), m.randn(3), m.randint(0, 100, (4, 2)), m.randn(5, 7), m.randperm(9),
                m.rand(1), m.randn(1), m.randn(1), m.empty(4, 4).normal_(), m.randint(0, 2**40, (3,)),
                m.empty(3).random_(), m.empty(3, dtype=m.int64).random_(), m.empty(2, dtype=m.int32).random_(5, 9),
                m.rand(17, dtype=m.float64)]
    torch.manual_seed(7)
    ember.manual_seed(7)
    for a, b in zip(seq(ember), seq(torch)):
        assert tuple(a.shape) == tuple(b.shape) and str(a.dtype) == str(b.dtype)
        np.testing.assert_allclose(a.numpy().astype(float), b.numpy().astype(float), rtol=2e-6, atol=2e-6)


def test_generators_are_independent_and_states_round_trip():
    ge, gt = ember.Generator().manual_seed(11), torch.Generator().manual_seed(11)
    ember.manual_seed(0)
    torch.manual_seed(0)
    np.testing.assert_array_equal(ember.rand(5, generator=ge).numpy(), torch.rand(5, generator=gt).numpy())
    np.testing.assert_array_equal(ember.randperm(10, generator=ge).numpy(), torch.randperm(10, generator=gt).numpy())
    np.testing.assert_array_equal(ember.rand(3).numpy(), torch.rand(3).numpy())  # default one untouched
    state = ember.get_rng_state()
    a = ember.randn(5)
    ember.set_rng_state(state)
    np.testing.assert_array_equal(ember.randn(5).numpy(), a.numpy())
    assert ember.initial_seed() == 0
    s = ember.seed()
    assert ember.initial_seed() == s
    assert ember.Generator().initial_seed() == torch.Generator().initial_seed()


def test_rng_state_bytes_are_pytorchs_and_move_both_ways():
    steps = [lambda m: None, lambda m: m.rand(3), lambda m: m.randn(1), lambda m: m.randn(1),
             lambda m: m.rand(621), lambda m: m.rand(1), lambda m: m.randn(3, dtype=m.float64),
             lambda m: m.randperm(30), lambda m: m.rand(2000)]
    for seed in (0, 7, 2**40 + 3):
        ember.manual_seed(seed)
        torch.manual_seed(seed)
        for step in steps:
            step(ember)
            step(torch)
            e, t = ember.get_rng_state(), torch.get_rng_state()
            assert e.dtype == ember.uint8 and tuple(e.shape) == (5056,)
            np.testing.assert_array_equal(e.numpy(), t.numpy())
    torch.manual_seed(5)
    torch.randn(1)  # leaves a cached normal in the state
    ember.set_rng_state(ember.from_numpy(torch.get_rng_state().numpy()))
    np.testing.assert_allclose(ember.randn(4).numpy(), torch.randn(4).numpy(), rtol=1e-6)
    ember.manual_seed(9)
    ember.rand(10)
    torch.set_rng_state(torch.from_numpy(ember.get_rng_state().numpy()))
    np.testing.assert_array_equal(ember.rand(7).numpy(), torch.rand(7).numpy())
    g = ember.Generator().manual_seed(3)
    np.testing.assert_array_equal(g.get_state().numpy(), torch.Generator().manual_seed(3).get_state().numpy())


def test_bad_rng_states_raise_pytorchs_errors():
    for m in (ember, torch):
        with pytest.raises(RuntimeError, match="of size 5056 but found the input RNG state size to be 10"):
            m.set_rng_state(m.zeros(10, dtype=m.uint8))
        with pytest.raises(TypeError, match="RNG state must be a torch.ByteTensor"):
            m.set_rng_state(m.zeros(5056))
        bad = m.get_rng_state().clone()
        bad[8:12] = 0  # left = 0: no mt19937 state has that
        with pytest.raises(RuntimeError, match="Invalid mt19937 state"):
            m.set_rng_state(bad)


def test_dataloader_style_seed_draws_match():
    g_e, g_t = ember.Generator(), torch.Generator()
    g_e.manual_seed(3)
    g_t.manual_seed(3)
    a = ember.empty((), dtype=ember.int64).random_(generator=g_e).item()
    b = torch.empty((), dtype=torch.int64).random_(generator=g_t).item()
    assert a == b
    assert ember.randperm(50, generator=g_e).tolist() == torch.randperm(50, generator=g_t).tolist()


def test_noncontiguous_and_errors():
    torch.manual_seed(1)
    ember.manual_seed(1)
    te, tt = ember.zeros(4, 6).t(), torch.zeros(4, 6).t()
    te.uniform_()
    tt.uniform_()
    np.testing.assert_array_equal(te.numpy(), tt.numpy())
    for m in (torch, ember):
        with pytest.raises(RuntimeError):
            m.randint(5, 5, (2,))
        with pytest.raises(RuntimeError):
            m.empty(3).normal_(0, -1)
        with pytest.raises(RuntimeError):
            m.rand(2, dtype=m.int64)
        with pytest.raises(RuntimeError):
            m.zeros(2, requires_grad=True).uniform_()


@pytest.mark.parametrize("replacement", [True, False])
def test_multinomial_shape_and_support(replacement):
    ember.manual_seed(0)
    w = ember.tensor([[0.0, 1.0, 3.0, 0.5], [1.0, 1.0, 1.0, 1.0]])
    s = ember.multinomial(w, 3, replacement=replacement)
    assert tuple(s.shape) == (2, 3) and s.dtype == ember.int64
    assert (s[0] != 0).all().item() if replacement else (s[0] != 0).all().item()
    if not replacement:
        assert all(len(set(row)) == 3 for row in s.tolist())


@pytest.mark.parametrize("seed", range(12))
def test_multinomial_draws_pytorchs_indices_and_leaves_its_state(seed):
    rng = np.random.default_rng(seed)
    cases = [(np.arange(1, 11, dtype=np.float32), 1, False), (np.arange(1, 11, dtype=np.float32), 1, True),
             (np.arange(1, 11, dtype=np.float32), 3, False), (rng.random((3, 7)).astype(np.float32), 2, False),
             (rng.random((4, 40)), 5, False), (np.array([0, 0, 1, 2, 0], np.float32), 2, False),
             (np.arange(1, 11, dtype=np.float32), 4, True)]
    for p, k, replacement in cases:
        torch.manual_seed(seed)
        ember.manual_seed(seed)
        t = torch.multinomial(torch.from_numpy(p), k, replacement)
        e = ember.multinomial(ember.from_numpy(p), k, replacement)
        assert e.dtype == ember.int64 and tuple(e.shape) == tuple(t.shape)
        np.testing.assert_array_equal(e.numpy(), t.numpy())
        assert ember.rand(1).item() == torch.rand(1).item()  # the same draws were consumed
