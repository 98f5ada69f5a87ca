"""ember: PyTorch rebuilt from scratch in Python on NumPy.

Use it as ``import ember as torch``: this module is the ``torch`` namespace.
"""
__version__ = "0.1.0"

from ._warnings import silence_float_warnings as _silence_float_warnings

_silence_float_warnings()  # NumPy's overflow/invalid-value warnings, which PyTorch does not give

from ._dtype import (dtype, bool, uint8, int8, int16, int32, int64, float16, float32, float64, half,  # noqa: F401
                     float, double, short, int, long, get_default_dtype, set_default_dtype, promote_types,
                     result_type)
from ._device import device  # noqa: F401
from ._size import Size  # noqa: F401
from ._tensor import Tensor  # noqa: F401
from . import autograd  # noqa: F401
from .autograd import (no_grad, enable_grad, set_grad_enabled, inference_mode, is_grad_enabled,  # noqa: F401
                       is_inference_mode_enabled)
from . import _ops
from ._ops.creation import LEGACY_TYPES as _LEGACY_TYPES
from . import cuda  # noqa: F401
from ._random import (manual_seed, seed, initial_seed, Generator, default_generator, get_rng_state,  # noqa: F401
                      set_rng_state)

globals().update(_ops.FUNCTIONS)
globals().update(_LEGACY_TYPES)
from ._random import FUNCTIONS as _RANDOM_FUNCTIONS  # noqa: E402
globals().update(_RANDOM_FUNCTIONS)
from ._tensor_str import set_printoptions  # noqa: E402,F401


class _NamedConstant:
    """A named option object printed as ``torch.<name>``."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "torch." + self.name


class layout(_NamedConstant):
    """``torch.layout``; ember tensors are always strided (dense)."""


strided = layout("strided")
sparse_coo = layout("sparse_coo")


class memory_format(_NamedConstant):
    """``torch.memory_format``. ember's tensors are row-major (or views of row-major memory),
    so ``contiguous_format`` and ``preserve_format`` are what every op gives; the
    channels-last formats are not provided (a missing name says so when used)."""


contiguous_format = memory_format("contiguous_format")
preserve_format = memory_format("preserve_format")


def is_tensor(obj):
    """True if ``obj`` is an ember tensor."""
    return isinstance(obj, Tensor)


def is_floating_point(input):
    return input.is_floating_point()


def numel(input):
    return input.numel()


from ._threads import (get_num_threads, set_num_threads, get_num_interop_threads,  # noqa: E402,F401
                       set_num_interop_threads)
from . import nn  # noqa: E402,F401
from . import optim  # noqa: E402,F401
from .serialization import save, load  # noqa: E402,F401
from . import serialization  # noqa: E402,F401
from . import utils  # noqa: E402,F401
from . import metrics  # noqa: E402,F401
from . import vision  # noqa: E402,F401
from . import profiler  # noqa: E402,F401
from . import linalg  # noqa: E402,F401
# torch.det, torch.inverse, torch.svd, ...: the older top-level names of linalg functions
globals().update({k: v for k, v in linalg.TOP_LEVEL.items() if k not in globals()})  # noqa: E402
from . import amp, backends, multiprocessing  # noqa: E402,F401
from . import func  # noqa: E402,F401
from .func import vmap  # noqa: E402,F401
from . import distributions  # noqa: E402,F401
from .amp import autocast  # noqa: E402,F401
from ._compile import compile  # noqa: E402,F401
from ._typeinfo import (are_deterministic_algorithms_enabled, can_cast, finfo, iinfo, typename,  # noqa: E402,F401
                        use_deterministic_algorithms)
from .autograd import functional as _autograd_functional  # noqa: E402,F401  (needs the ops)

from ._safetensors import save_safetensors, load_safetensors  # noqa: E402,F401

from ._missing import module_getattr as _module_getattr  # noqa: E402
__getattr__ = _module_getattr("torch")
