"""Activation modules: thin wrappers that call ``nn.functional``."""
from .. import functional as F
from .module import Module


_REQUIRED = object()  # a constructor argument without a default (Threshold's two)


def _activation(name, fn, params=(), repr_fmt=None, doc="", check=None, forward_owner=None):
    """Build an activation Module class whose ``forward`` is ``fn(input, **params)``.

    ``params`` lists (name, default) pairs that become constructor arguments and attributes
    (default ``_REQUIRED``: none); ``repr_fmt`` formats ``extra_repr`` from them (PyTorch's text
    for each class); ``check(self)`` validates them; ``forward_owner`` names the PyTorch class
    whose ``forward`` this is (ReLU6's is Hardtanh's)."""
    names = [p for p, _ in params]

    def __init__(self, *args, **kwargs):
        if not params:  # PyTorch's class takes no arguments: Module.__init__ words the error
            Module.__init__(self, *args, **kwargs)
            return
        Module.__init__(self)
        _bind(name, params, args, kwargs, self)
        if check is not None:
            check(self)

    def forward(self, input):
        return fn(input, **{p: getattr(self, p) for p in names})

    def extra_repr(self):
        return repr_fmt(self) if repr_fmt else ""

    # Python names these functions in call errors ("ReLU.forward() missing 1 required ...")
    __init__.__qualname__ = f"{name}.__init__"
    forward.__qualname__ = f"{forward_owner or name}.forward"
    return type(name, (Module,), {"__init__": __init__, "forward": forward, "extra_repr": extra_repr,
                                  "__doc__": doc, "__module__": __name__})


def _bind(name, params, args, kwargs, module):
    """Set each parameter from ``args``/``kwargs`` or its default, with Python's own errors for
    a call that does not fit the signature."""
    names = [p for p, _ in params]
    if len(args) > len(names):
        required = sum(d is _REQUIRED for _, d in params)
        takes = (f"from {required + 1} to {len(names) + 1} positional arguments" if required < len(names)
                 else f"{len(names) + 1} positional arguments")
        raise TypeError(f"{name}.__init__() takes {takes} but {len(args) + 1} were given")
    values = dict(zip(names, args))
    for k, v in kwargs.items():
        if k not in names:
            raise TypeError(f"{name}.__init__() got an unexpected keyword argument '{k}'")
        if k in values:
            raise TypeError(f"{name}.__init__() got multiple values for argument '{k}'")
        values[k] = v
    missing = [p for p, d in params if d is _REQUIRED and p not in values]
    if missing:
        listed = " and ".join(f"'{p}'" for p in missing)
        s = "s" if len(missing) > 1 else ""
        raise TypeError(f"{name}.__init__() missing {len(missing)} required positional argument{s}: {listed}")
    for p, d in params:
        setattr(module, p, values.get(p, d))


def _check_hardtanh(self):
    if self.max_val <= self.min_val:
        raise AssertionError(f"max_val ({self.max_val}) must be greater than min_val ({self.min_val})")


def _inplace_repr(self):
    return "inplace=True" if self.inplace else ""


ReLU = _activation("ReLU", F.relu, [("inplace", False)], _inplace_repr, "max(x, 0)")
ReLU6 = _activation("ReLU6", F.relu6, [("inplace", False)], _inplace_repr, "min(max(x, 0), 6)",
                    forward_owner="Hardtanh")  # a Hardtanh subclass in PyTorch
LeakyReLU = _activation("LeakyReLU", F.leaky_relu, [("negative_slope", 0.01), ("inplace", False)],
                        lambda s: f"negative_slope={s.negative_slope}" + (", inplace=True" if s.inplace else ""),
                        "x if x > 0 else negative_slope * x")
ELU = _activation("ELU", F.elu, [("alpha", 1.0), ("inplace", False)],
                  lambda s: f"alpha={s.alpha}" + (", inplace=True" if s.inplace else ""))
CELU = _activation("CELU", F.celu, [("alpha", 1.0), ("inplace", False)],
                   lambda s: f"alpha={s.alpha}" + (", inplace=True" if s.inplace else ""))
SELU = _activation("SELU", F.selu, [("inplace", False)], _inplace_repr)
GELU = _activation("GELU", F.gelu, [("approximate", "none")], lambda s: f"approximate='{s.approximate}'")
SiLU = _activation("SiLU", F.silu, [("inplace", False)], _inplace_repr)
Mish = _activation("Mish", F.mish, [("inplace", False)], _inplace_repr)
Sigmoid = _activation("Sigmoid", F.sigmoid, doc="1 / (1 + e^-x)")
Tanh = _activation("Tanh", F.tanh, doc="tanh x")
Hardtanh = _activation("Hardtanh", F.hardtanh, [("min_val", -1.0), ("max_val", 1.0), ("inplace", False)],
                       lambda s: f"min_val={s.min_val}, max_val={s.max_val}" + (", inplace=True" if s.inplace else ""),
                       check=_check_hardtanh)
Hardswish = _activation("Hardswish", F.hardswish, [("inplace", False)])  # PyTorch shows no inplace here
Hardsigmoid = _activation("Hardsigmoid", F.hardsigmoid, [("inplace", False)])
Softplus = _activation("Softplus", F.softplus, [("beta", 1.0), ("threshold", 20.0)],
                       lambda s: f"beta={s.beta}, threshold={s.threshold}")
Softsign = _activation("Softsign", F.softsign)
Tanhshrink = _activation("Tanhshrink", F.tanhshrink)
LogSigmoid = _activation("LogSigmoid", F.logsigmoid)
Threshold = _activation("Threshold", F.threshold, [("threshold", _REQUIRED), ("value", _REQUIRED), ("inplace", False)],
                        lambda s: f"threshold={s.threshold}, value={s.value}" + (", inplace=True" if s.inplace else ""))
Hardshrink = _activation("Hardshrink", F.hardshrink, [("lambd", 0.5)], lambda s: f"{s.lambd}",
                         "x where |x| > lambd, else 0")
Softshrink = _activation("Softshrink", F.softshrink, [("lambd", 0.5)], lambda s: str(s.lambd),
                         "x - lambd above lambd, x + lambd below -lambd, 0 between")
GLU = _activation("GLU", F.glu, [("dim", -1)], lambda s: f"dim={s.dim}")
Softmax = _activation("Softmax", F.softmax, [("dim", None)], lambda s: f"dim={s.dim}")
LogSoftmax = _activation("LogSoftmax", F.log_softmax, [("dim", None)], lambda s: f"dim={s.dim}")
Softmin = _activation("Softmin", F.softmin, [("dim", None)], lambda s: f"dim={s.dim}")
