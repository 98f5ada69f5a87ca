"""ember.distributions against torch.distributions: same seeds give the same samples, and
log_prob / entropy / cdf / icdf / KL values and their parameter gradients agree."""
import re

import numpy as np
import pytest
import torch

import ember
import ember.distributions as ED
import torch.distributions as TD

SEEDS = [0, 3, 11, 12345]


@pytest.fixture(autouse=True)
def _pytorch_validates():
    """torch.compile (another test runs it) switches PyTorch's argument validation off for the
    whole process; the comparisons here need it on, as it is by default."""
    TD.Distribution.set_default_validate_args(True)


def _np(x):
    return x.detach().numpy() if isinstance(x, (ember.Tensor, torch.Tensor)) else np.asarray(x)


def close(a, b, rtol=1e-5, atol=1e-6):
    a, b = _np(a), _np(b)
    assert a.shape == b.shape, (a.shape, b.shape)
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


def params(*arrays):
    """The same float32 arrays as ember and torch leaf tensors with requires_grad."""
    e = [ember.tensor(np.asarray(a, np.float32), requires_grad=True) for a in arrays]
    t = [torch.tensor(np.asarray(a, np.float32), requires_grad=True) for a in arrays]
    return e, t


def check_grads(fe, ft, pe, pt):
    """Values of fe()/ft() agree, and so do the gradients of their sums w.r.t. the parameters."""
    ve, vt = fe(), ft()
    close(ve, vt)
    ve.sum().backward()
    vt.sum().backward()
    for a, b in zip(pe, pt):
        assert (a.grad is None) == (b.grad is None)  # e.g. the entropy does not depend on loc
        if b.grad is not None:
            close(a.grad, b.grad, rtol=1e-4, atol=1e-5)


LOC = [[0.5, -1.0, 2.0], [0.0, 0.3, -0.7]]
SCALE = [[1.0, 0.5, 2.0], [0.2, 1.5, 3.0]]
PROBS = [[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]]
LOGITS = [[0.3, -1.2, 2.0], [0.0, 0.0, 1.0]]


# --- samples: same seeds, same draws -------------------------------------------------------

def same_samples(fe, ft, exact=True):
    for s in SEEDS:
        ember.manual_seed(s)
        torch.manual_seed(s)
        a, b = _np(fe()), _np(ft())
        assert a.shape == b.shape and str(a.dtype) == str(b.dtype), (a.shape, b.shape, a.dtype, b.dtype)
        if exact:
            np.testing.assert_array_equal(a, b)
        else:
            np.testing.assert_allclose(a, b, rtol=2e-6, atol=2e-6)


@pytest.mark.parametrize("sample_shape", [(), (4,), (3, 5)])
def test_normal_samples(sample_shape):
    (le, se), (lt, st) = params(LOC, SCALE)
    same_samples(lambda: ED.Normal(le, se).sample(sample_shape), lambda: TD.Normal(lt, st).sample(sample_shape),
                 exact=False)
    same_samples(lambda: ED.Normal(le, se).rsample(sample_shape), lambda: TD.Normal(lt, st).rsample(sample_shape),
                 exact=False)
    same_samples(lambda: ED.Normal(0.0, 1.0).sample(sample_shape), lambda: TD.Normal(0.0, 1.0).sample(sample_shape),
                 exact=False)


def test_normal_rsample_gradient():
    (le, se), (lt, st) = params(LOC, SCALE)
    ember.manual_seed(7)
    torch.manual_seed(7)
    check_grads(lambda: ED.Normal(le, se).rsample((6,)) ** 2, lambda: TD.Normal(lt, st).rsample((6,)) ** 2,
                [le, se], [lt, st])
    assert not ED.Normal(le, se).sample().requires_grad


@pytest.mark.parametrize("sample_shape", [(), (1,), (7,), (2, 3)])
def test_categorical_samples(sample_shape):
    same_samples(lambda: ED.Categorical(ember.tensor(PROBS)).sample(sample_shape),
                 lambda: TD.Categorical(torch.tensor(PROBS)).sample(sample_shape))
    same_samples(lambda: ED.Categorical(logits=ember.tensor(LOGITS[0])).sample(sample_shape),
                 lambda: TD.Categorical(logits=torch.tensor(LOGITS[0])).sample(sample_shape))


@pytest.mark.parametrize("sample_shape", [(), (5,), (2, 3)])
def test_bernoulli_samples(sample_shape):
    same_samples(lambda: ED.Bernoulli(ember.tensor(PROBS)).sample(sample_shape),
                 lambda: TD.Bernoulli(torch.tensor(PROBS)).sample(sample_shape))
    same_samples(lambda: ED.Bernoulli(logits=ember.tensor(LOGITS)).sample(sample_shape),
                 lambda: TD.Bernoulli(logits=torch.tensor(LOGITS)).sample(sample_shape))
    same_samples(lambda: ED.Bernoulli(0.3).sample(sample_shape), lambda: TD.Bernoulli(0.3).sample(sample_shape))


@pytest.mark.parametrize("sample_shape", [(), (5,), (2, 3)])
def test_uniform_samples(sample_shape):
    same_samples(lambda: ED.Uniform(ember.tensor([0.0, -1.0]), ember.tensor([1.0, 3.0])).sample(sample_shape),
                 lambda: TD.Uniform(torch.tensor([0.0, -1.0]), torch.tensor([1.0, 3.0])).sample(sample_shape))
    same_samples(lambda: ED.Uniform(-2.0, 5.0).rsample(sample_shape),
                 lambda: TD.Uniform(-2.0, 5.0).rsample(sample_shape))


def test_uniform_rsample_gradient():
    (le, he), (lt, ht) = params([0.0, -1.0], [1.0, 3.0])
    ember.manual_seed(2)
    torch.manual_seed(2)
    check_grads(lambda: ED.Uniform(le, he).rsample((4,)) ** 2, lambda: TD.Uniform(lt, ht).rsample((4,)) ** 2,
                [le, he], [lt, ht])


# --- densities, entropies and their gradients ------------------------------------------

def test_normal_log_prob_entropy_cdf_icdf():
    x = [[0.1, 0.2, -3.0], [1.0, 0.0, 0.5]]
    for method in ("log_prob", "cdf"):
        (le, se), (lt, st) = params(LOC, SCALE)
        check_grads(lambda: getattr(ED.Normal(le, se), method)(ember.tensor(x)),
                    lambda: getattr(TD.Normal(lt, st), method)(torch.tensor(x)), [le, se], [lt, st])
    (le, se), (lt, st) = params(LOC, SCALE)
    check_grads(lambda: ED.Normal(le, se).entropy(), lambda: TD.Normal(lt, st).entropy(), [le, se], [lt, st])
    (le, se), (lt, st) = params(LOC, SCALE)
    p = [[0.1, 0.5, 0.9], [0.3, 0.99, 0.01]]
    check_grads(lambda: ED.Normal(le, se).icdf(ember.tensor(p)), lambda: TD.Normal(lt, st).icdf(torch.tensor(p)),
                [le, se], [lt, st])
    # a value broadcast against the batch
    close(ED.Normal(ember.tensor(LOC), ember.tensor(SCALE)).log_prob(ember.tensor([[[0.3]]] * 2)),
          TD.Normal(torch.tensor(LOC), torch.tensor(SCALE)).log_prob(torch.tensor([[[0.3]]] * 2)))


@pytest.mark.parametrize("kind", ["probs", "logits"])
def test_categorical_log_prob_entropy(kind):
    src = PROBS if kind == "probs" else LOGITS
    value = [[0, 2], [1, 1], [2, 0]]
    (pe,), (pt,) = params(src)
    check_grads(lambda: ED.Categorical(**{kind: pe}).log_prob(ember.tensor(value)),
                lambda: TD.Categorical(**{kind: pt}).log_prob(torch.tensor(value)), [pe], [pt])
    (pe,), (pt,) = params(src)
    check_grads(lambda: ED.Categorical(**{kind: pe}).entropy(), lambda: TD.Categorical(**{kind: pt}).entropy(),
                [pe], [pt])
    e, t = ED.Categorical(**{kind: ember.tensor(src)}), TD.Categorical(**{kind: torch.tensor(src)})
    close(e.probs, t.probs)
    close(e.logits, t.logits)
    close(e.mode, t.mode)
    close(e.mean, t.mean)
    close(e.variance, t.variance)


def test_categorical_zero_probability_entropy():
    e = ED.Categorical(ember.tensor([0.0, 0.4, 0.6]))
    t = TD.Categorical(torch.tensor([0.0, 0.4, 0.6]))
    close(e.entropy(), t.entropy())
    close(e.log_prob(ember.tensor(0)), t.log_prob(torch.tensor(0)))


@pytest.mark.parametrize("kind", ["probs", "logits"])
def test_bernoulli_log_prob_entropy(kind):
    src = PROBS if kind == "probs" else LOGITS
    value = [[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]]
    (pe,), (pt,) = params(src)
    check_grads(lambda: ED.Bernoulli(**{kind: pe}).log_prob(ember.tensor(value)),
                lambda: TD.Bernoulli(**{kind: pt}).log_prob(torch.tensor(value)), [pe], [pt])
    (pe,), (pt,) = params(src)
    check_grads(lambda: ED.Bernoulli(**{kind: pe}).entropy(), lambda: TD.Bernoulli(**{kind: pt}).entropy(),
                [pe], [pt])
    e, t = ED.Bernoulli(**{kind: ember.tensor(src)}), TD.Bernoulli(**{kind: torch.tensor(src)})
    for attr in ("mean", "mode", "variance", "stddev", "probs", "logits"):
        close(getattr(e, attr), getattr(t, attr))


def test_uniform_log_prob_entropy_cdf():
    x = [-0.5, 0.5, 2.0, 3.5]
    for method in ("log_prob", "cdf"):
        (le, he), (lt, ht) = params([0.0, -1.0, 1.0, 0.0], [1.0, 3.0, 4.0, 2.0])
        check_grads(lambda: getattr(ED.Uniform(le, he, validate_args=False), method)(ember.tensor(x)),
                    lambda: getattr(TD.Uniform(lt, ht, validate_args=False), method)(torch.tensor(x)),
                    [le, he], [lt, ht])
    (le, he), (lt, ht) = params([0.0, -1.0], [1.0, 3.0])
    check_grads(lambda: ED.Uniform(le, he).entropy(), lambda: TD.Uniform(lt, ht).entropy(), [le, he], [lt, ht])
    e, t = ED.Uniform(ember.tensor([0.0, -1.0]), 3.0), TD.Uniform(torch.tensor([0.0, -1.0]), 3.0)
    for attr in ("mean", "mode", "variance", "stddev"):
        close(getattr(e, attr), getattr(t, attr))
    close(e.icdf(ember.tensor([0.25, 0.5])), t.icdf(torch.tensor([0.25, 0.5])))


# --- KL divergences -------------------------------------------------------------------

def test_kl_normal():
    (a, b, c, d), (ta, tb, tc, td) = params(LOC, SCALE, LOGITS, PROBS)
    check_grads(lambda: ED.kl_divergence(ED.Normal(a, b), ED.Normal(c, d)),
                lambda: TD.kl_divergence(TD.Normal(ta, tb), TD.Normal(tc, td)), [a, b, c, d], [ta, tb, tc, td])


def test_kl_categorical():
    (a, b), (ta, tb) = params(PROBS, LOGITS)
    check_grads(lambda: ED.kl_divergence(ED.Categorical(a), ED.Categorical(logits=b)),
                lambda: TD.kl_divergence(TD.Categorical(ta), TD.Categorical(logits=tb)), [a, b], [ta, tb])
    # zero probabilities: q_k = 0 < p_k gives inf, p_k = 0 contributes 0
    p, q = [[0.0, 0.5, 0.5], [0.5, 0.5, 0.0]], [[0.2, 0.3, 0.5], [0.2, 0.8, 0.0]]
    close(ED.kl_divergence(ED.Categorical(ember.tensor(p)), ED.Categorical(ember.tensor(q))),
          TD.kl_divergence(TD.Categorical(torch.tensor(p)), TD.Categorical(torch.tensor(q))))
    close(ED.kl_divergence(ED.Categorical(ember.tensor(q)), ED.Categorical(ember.tensor(p))),
          TD.kl_divergence(TD.Categorical(torch.tensor(q)), TD.Categorical(torch.tensor(p))))


def test_kl_bernoulli():
    (a, b), (ta, tb) = params(PROBS, LOGITS)
    check_grads(lambda: ED.kl_divergence(ED.Bernoulli(a), ED.Bernoulli(logits=b)),
                lambda: TD.kl_divergence(TD.Bernoulli(ta), TD.Bernoulli(logits=tb)), [a, b], [ta, tb])
    p, q = [0.0, 1.0, 0.5, 0.3], [0.5, 0.5, 0.0, 1.0]
    close(ED.kl_divergence(ED.Bernoulli(ember.tensor(p)), ED.Bernoulli(ember.tensor(q))),
          TD.kl_divergence(TD.Bernoulli(torch.tensor(p)), TD.Bernoulli(torch.tensor(q))))


def test_kl_uniform():
    (a, b, c, d), (ta, tb, tc, td) = params([0.0, -1.0, 0.0], [1.0, 1.0, 2.0], [-1.0, -2.0, 0.5], [2.0, 1.5, 3.0])
    check_grads(lambda: ED.kl_divergence(ED.Uniform(a, b), ED.Uniform(c, d)),
                lambda: TD.kl_divergence(TD.Uniform(ta, tb), TD.Uniform(tc, td)), [a, b, c, d], [ta, tb, tc, td])


def test_register_kl_dispatch():
    class MyNormal(ED.Normal):
        pass

    p, q = MyNormal(0.0, 1.0), ED.Normal(1.0, 2.0)
    close(ED.kl_divergence(p, q), TD.kl_divergence(TD.Normal(0.0, 1.0), TD.Normal(1.0, 2.0)))

    @ED.register_kl(MyNormal, ED.Normal)
    def _kl(p, q):
        return ember.tensor(42.0)

    assert ED.kl_divergence(p, q).item() == 42.0
    assert ED.kl_divergence(q, q).item() == 0.0
    with pytest.raises(NotImplementedError, match="No KL"):
        ED.kl_divergence(ED.Normal(0.0, 1.0), ED.Bernoulli(0.5))
    with pytest.raises(TypeError):
        ED.register_kl(int, ED.Normal)


# --- shapes, supports, expand, reprs, validation --------------------------------------

def _dists(lib, T):
    return [lib.Normal(T.zeros(2, 3), T.ones(2, 3)), lib.Normal(0.0, 1.0), lib.Categorical(T.ones(2, 4)),
            lib.Categorical(logits=T.zeros(5)), lib.Bernoulli(T.full((3,), 0.5)), lib.Bernoulli(logits=0.2),
            lib.Uniform(T.zeros(3), 2.0), lib.Uniform(0.0, 1.0)]


def _rounded(text):
    return re.sub(r"-?\d+\.\d+", lambda m: f"{float(m.group()):.6g}", text)


@pytest.mark.parametrize("i", range(8))
@pytest.mark.parametrize("sample_shape", [(), (4,), (2, 3)])
def test_shapes_and_expand(i, sample_shape):
    e, t = _dists(ED, ember)[i], _dists(TD, torch)[i]
    assert tuple(e.batch_shape) == tuple(t.batch_shape) and tuple(e.event_shape) == tuple(t.event_shape)
    assert tuple(e.sample(sample_shape).shape) == tuple(t.sample(sample_shape).shape)
    assert e.has_rsample == t.has_rsample and e.has_enumerate_support == t.has_enumerate_support
    assert _rounded(repr(e)) == _rounded(repr(t))
    assert repr(e.support) == repr(t.support)
    shape = (5,) + tuple(t.batch_shape)
    ee, te = e.expand(shape), t.expand(shape)
    assert tuple(ee.batch_shape) == tuple(te.batch_shape) == shape
    assert _rounded(repr(ee)) == _rounded(repr(te))  # lazily built probs may differ by an ulp
    assert tuple(ee.sample(sample_shape).shape) == tuple(te.sample(sample_shape).shape)
    if t.has_enumerate_support:
        for expand in (True, False):
            close(e.enumerate_support(expand), t.enumerate_support(expand))


def test_reprs_after_lazy_params():
    e, t = ED.Categorical(logits=ember.ones(3)), TD.Categorical(logits=torch.ones(3))
    assert repr(e) == repr(t) == "Categorical(logits: torch.Size([3]))"
    e.probs, t.probs
    assert repr(e) == repr(t)
    assert repr(ED.Normal(ember.zeros(2), ember.ones(2))) == "Normal(loc: torch.Size([2]), scale: torch.Size([2]))"
    assert repr(ED.Normal(0.0, 1.0)) == repr(TD.Normal(0.0, 1.0)) == "Normal(loc: 0.0, scale: 1.0)"
    assert repr(ED.Bernoulli(0.3)) == repr(TD.Bernoulli(0.3))
    assert repr(ED.Normal.arg_constraints) == repr(TD.Normal.arg_constraints)
    assert repr(ED.Categorical.arg_constraints) == repr(TD.Categorical.arg_constraints)
    assert repr(ED.Bernoulli.arg_constraints) == repr(TD.Bernoulli.arg_constraints)


def _error(fn):
    with pytest.raises(ValueError) as info:
        fn()
    return str(info.value)


@pytest.mark.parametrize("make", [
    lambda L, T: L.Normal(T.zeros(2), -T.ones(2)),
    lambda L, T: L.Normal(T.tensor([0.0, float("nan")]), T.ones(2)),
    lambda L, T: L.Uniform(1.0, 0.0),
    lambda L, T: L.Categorical(T.tensor([[-1.0, 1.0]])),
    lambda L, T: L.Bernoulli(T.tensor(1.5)),
    lambda L, T: L.Bernoulli(0.3).log_prob(T.tensor(0.5)),
    lambda L, T: L.Categorical(T.ones(3)).log_prob(T.tensor(5)),
    lambda L, T: L.Normal(T.zeros(3), T.ones(3)).log_prob(T.zeros(2)),
    lambda L, T: L.Uniform(0.0, 1.0).log_prob(T.tensor(2.0)),
    lambda L, T: L.Categorical(),
    lambda L, T: L.Bernoulli(probs=0.5, logits=0.0),
    lambda L, T: L.Categorical(T.tensor(1.0)),
])
def test_validation_errors(make):
    assert _error(lambda: make(ED, ember)) == _error(lambda: make(TD, torch))


def test_validate_args_off():
    ED.Normal(ember.zeros(2), -ember.ones(2), validate_args=False)
    assert ED.Uniform(0.0, 1.0, validate_args=False).log_prob(ember.tensor(2.0)).item() == float("-inf")
    # a module-wide default, as torch.distributions.Distribution.set_default_validate_args
    ED.Distribution.set_default_validate_args(False)
    try:
        ED.Bernoulli(ember.tensor(1.5))
    finally:
        ED.Distribution.set_default_validate_args(True)
    with pytest.raises(ValueError):
        ED.Bernoulli(ember.tensor(1.5))


def test_missing_names_raise_missing_api():
    with pytest.raises(NotImplementedError, match="torch.distributions.Gamma"):
        ED.Gamma
    assert not hasattr(ED, "Dirichlet")
