r"""KL divergences KL(p || q) = E_p[log p(X) - log q(X)] between pairs of distributions.

``register_kl(P, Q)`` adds an implementation; ``kl_divergence(p, q)`` picks the most specific
registered pair for ``type(p), type(q)`` (subclasses match their base classes' entries)."""

import warnings

import ember
import ember.nn.functional as F
from .bernoulli import Bernoulli
from .categorical import Categorical
from .distribution import Distribution
from .normal import Normal
from .uniform import Uniform

__all__ = ["register_kl", "kl_divergence"]

_KL_REGISTRY = {}  # (type_p, type_q) -> function
_KL_MEMOIZE = {}   # (type(p), type(q)) -> function found by _dispatch_kl


def register_kl(type_p, type_q):
    """Decorator registering ``fun(p, q)`` as KL(p || q) for ``type_p``, ``type_q``."""
    for t, name in ((type_p, "type_p"), (type_q, "type_q")):
        if not (isinstance(t, type) and issubclass(t, Distribution)):
            raise TypeError(f"Expected {name} to be a Distribution subclass but got {t}")

    def decorator(fun):
        _KL_REGISTRY[type_p, type_q] = fun
        _KL_MEMOIZE.clear()  # a new entry can change which match is most specific
        return fun
    return decorator


def _depth(cls):
    return len(cls.__mro__)


def _dispatch_kl(type_p, type_q):
    """The most specific registered pair (assuming single inheritance, every matching type is an
    ancestor of type_p or type_q, so a deeper class in the MRO is a more specific one)."""
    matches = [(sp, sq) for sp, sq in _KL_REGISTRY if issubclass(type_p, sp) and issubclass(type_q, sq)]
    if not matches:
        return NotImplemented
    left = max(matches, key=lambda m: (_depth(m[0]), _depth(m[1])))    # most specific p first
    right = max(matches, key=lambda m: (_depth(m[1]), _depth(m[0])))   # most specific q first
    if _KL_REGISTRY[left] is not _KL_REGISTRY[right]:
        warnings.warn(f"Ambiguous kl_divergence({type_p.__name__}, {type_q.__name__}). "
                      f"Please register_kl({left[0].__name__}, {right[1].__name__})", RuntimeWarning, stacklevel=2)
    return _KL_REGISTRY[left]


def kl_divergence(p, q):
    r"""KL(p || q) = \int p(x) log(p(x) / q(x)) dx, one value per batch element."""
    try:
        fun = _KL_MEMOIZE[type(p), type(q)]
    except KeyError:
        fun = _dispatch_kl(type(p), type(q))
        _KL_MEMOIZE[type(p), type(q)] = fun
    if fun is NotImplemented:
        raise NotImplementedError(f"No KL(p || q) is implemented for p type {p.__class__.__name__} and q type "
                                  f"{q.__class__.__name__}")
    return fun(p, q)


def _fill(mask, value, t):
    # t with ``value`` where mask holds; like t[mask] = value, no gradient reaches t there
    return ember.where(mask, ember.full_like(t, value), t)


@register_kl(Normal, Normal)
def _kl_normal_normal(p, q):
    r"""1/2 (s_p^2 / s_q^2 + (m_p - m_q)^2 / s_q^2 - 1 - log(s_p^2 / s_q^2))."""
    var_ratio = (p.scale / q.scale).pow(2)
    t1 = ((p.loc - q.loc) / q.scale).pow(2)
    return 0.5 * (var_ratio + t1 - 1 - var_ratio.log())


@register_kl(Categorical, Categorical)
def _kl_categorical_categorical(p, q):
    r"""sum_k p_k (log p_k - log q_k): inf if some q_k = 0 < p_k; terms with p_k = 0 count 0."""
    t = p.probs * (p.logits - q.logits)
    t = _fill(q.probs == 0, float("inf"), t)
    t = _fill(p.probs == 0, 0.0, t)
    return t.sum(-1)


@register_kl(Bernoulli, Bernoulli)
def _kl_bernoulli_bernoulli(p, q):
    r"""p log(p / q) + (1 - p) log((1 - p) / (1 - q)), written with softplus of the logits
    (log p = -softplus(-logit), log(1 - p) = -softplus(logit)) for stability."""
    t1 = p.probs * (F.softplus(-q.logits) - F.softplus(-p.logits))
    t1 = _fill(q.probs == 0, float("inf"), t1)
    t1 = _fill(p.probs == 0, 0.0, t1)
    t2 = (1 - p.probs) * (F.softplus(q.logits) - F.softplus(p.logits))
    t2 = _fill(q.probs == 1, float("inf"), t2)
    t2 = _fill(p.probs == 1, 0.0, t2)
    return t1 + t2


@register_kl(Uniform, Uniform)
def _kl_uniform_uniform(p, q):
    r"""log((high_q - low_q) / (high_p - low_p)) if [low_p, high_p] lies inside [low_q, high_q], else inf."""
    result = ((q.high - q.low) / (p.high - p.low)).log()
    return _fill((q.low > p.low) | (q.high < p.high), float("inf"), result)
