"""``ember.cuda``: there is no GPU backend yet, so CUDA is never available."""


def is_available():
    """False: ember runs on the CPU (NumPy) only for now."""
    return False


def device_count():
    return 0


def manual_seed(seed):
    """Seeding CUDA is a no-op without CUDA, as in PyTorch."""


manual_seed_all = manual_seed


def synchronize(device=None):
    """Nothing to wait for without a GPU."""


def empty_cache():
    """No CUDA cache to free."""


def is_initialized():
    return False


def current_device():
    raise AssertionError("Torch not compiled with CUDA enabled")


get_device_name = current_device

from . import amp  # noqa: E402,F401
from .._missing import module_getattr as _module_getattr  # noqa: E402
__getattr__ = _module_getattr("torch.cuda")
