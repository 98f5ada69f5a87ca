"""Probability distributions (``torch.distributions``): sampling with PyTorch's random draws,
log densities, entropies and KL divergences built from ember ops, so autograd differentiates
them (and ``rsample``) with respect to the parameters."""

from . import constraints  # noqa: F401
from .distribution import Distribution  # noqa: F401
from .normal import Normal  # noqa: F401
from .categorical import Categorical  # noqa: F401
from .bernoulli import Bernoulli  # noqa: F401
from .uniform import Uniform  # noqa: F401
from .kl import kl_divergence, register_kl  # noqa: F401

__all__ = ["Bernoulli", "Categorical", "Distribution", "Normal", "Uniform", "constraints", "kl_divergence",
           "register_kl"]

from .._missing import module_getattr as _module_getattr  # noqa: E402
__getattr__ = _module_getattr("torch.distributions")
