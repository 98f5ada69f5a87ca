"""``ember.optim``: optimizers and learning-rate schedulers (PyTorch's ``torch.optim``)."""
from .optimizer import Optimizer  # noqa: F401
from .sgd import SGD  # noqa: F401
from .adam import Adam, AdamW  # noqa: F401
from .adaptive import RMSprop, Adagrad, Adadelta, Adamax, NAdam, RAdam, ASGD, Rprop  # noqa: F401
from .lbfgs import LBFGS  # noqa: F401
from .adafactor import Adafactor  # noqa: F401
from . import lr_scheduler  # noqa: F401

from .._missing import module_getattr as _module_getattr  # noqa: E402
__getattr__ = _module_getattr("torch.optim")
