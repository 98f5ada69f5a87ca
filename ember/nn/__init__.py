"""``ember.nn``: modules, parameters, ``functional`` and ``init`` (PyTorch's ``torch.nn``)."""
from .parameter import Parameter, Buffer  # noqa: F401
from . import parameter  # noqa: F401
from .modules import *  # noqa: F401,F403
from .modules import Module  # noqa: F401
from . import functional, init, utils  # noqa: F401

from .._missing import module_getattr as _module_getattr  # noqa: E402
__getattr__ = _module_getattr("torch.nn")
