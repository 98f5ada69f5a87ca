"""``ember.vision``: the torchvision counterpart (datasets, transforms, models, io, utils)."""
from . import transforms, utils  # noqa: F401
from . import datasets, io, models  # noqa: F401

from .._missing import module_getattr as _module_getattr  # noqa: E402
__getattr__ = _module_getattr("torchvision")
