"""``ember.vision``: the torchvision counterpart (transforms and utils so far)."""
from . import transforms, utils  # noqa: F401
