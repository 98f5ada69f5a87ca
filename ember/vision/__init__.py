"""``ember.vision``: the torchvision counterpart (transforms and utils so far)."""
from . import transforms, utils  # noqa: F401
from . import datasets, models  # noqa: F401

from .._missing import module_getattr as _module_getattr  # noqa: E402
__getattr__ = _module_getattr("torchvision")
