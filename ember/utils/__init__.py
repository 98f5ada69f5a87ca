"""``ember.utils``: data loading (``ember.utils.data``), gradient checkpointing
(``ember.utils.checkpoint``); ``viz`` and ``tensorboard`` import on demand."""
from . import checkpoint, data  # noqa: F401
