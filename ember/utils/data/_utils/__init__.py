"""``ember.utils.data._utils``: PyTorch keeps ``collate`` (with ``collate_fn_map``, which
custom collate functions extend) and ``worker`` here, and user code imports them from it."""
from . import collate, worker  # noqa: F401
