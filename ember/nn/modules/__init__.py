from .module import Module  # noqa: F401
from .container import Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict  # noqa: F401
from .linear import Identity, Linear, Bilinear  # noqa: F401
from .flatten import Flatten, Unflatten  # noqa: F401
from .activation import (ReLU, ReLU6, LeakyReLU, ELU, CELU, SELU, GELU, SiLU, Mish, Sigmoid, Tanh,  # noqa: F401
                         Hardtanh, Hardswish, Hardsigmoid, Softplus, Softsign, Tanhshrink, LogSigmoid, Threshold,
                         GLU, Softmax, LogSoftmax, Softmin)
from .dropout import Dropout  # noqa: F401
from .loss import L1Loss, MSELoss, NLLLoss, CrossEntropyLoss  # noqa: F401
