"""``ember.utils.tensorboard``: log training to TensorBoard (``torch.utils.tensorboard``).

::

    from ember.utils.tensorboard import SummaryWriter
    with SummaryWriter() as writer:          # logs go to runs/<date>_<host>
        for step in range(100):
            writer.add_scalar("loss", loss.item(), step)

Then ``tensorboard --logdir runs``. Writing needs the ``tensorboard`` package (as in
PyTorch); importing this module does not.
"""
from .writer import SummaryWriter  # noqa: F401

__all__ = ["SummaryWriter"]
