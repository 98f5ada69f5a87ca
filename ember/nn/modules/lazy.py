"""``torch.nn.modules.lazy``'s place: ``LazyModuleMixin`` lives in ``more_layers.py``."""
from .more_layers import LazyModuleMixin  # noqa: F401
