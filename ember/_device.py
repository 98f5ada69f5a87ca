"""Device objects and which array backend serves a device.

The CPU is served by NumPy. Device names parse exactly as in PyTorch (every device type
PyTorch knows makes a ``torch.device``), but only the CPU has a backend: putting a tensor
anywhere else raises the error a CPU-only build of PyTorch raises.
"""
import operator
import re

import numpy as np

# the device types PyTorch knows, in the order its error message lists them
_KNOWN = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga", "maia", "xla",
          "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone")
# PyTorch's grammar of a device string: a name, then optionally ':' and an index written
# without leading zeros
_DEVICE_STRING = re.compile(r"[A-Za-z_]+(?::(?:[1-9][0-9]*|0))?")
_UNSET = object()  # index not given (an explicit None counts as given, as in PyTorch)


class device:
    """``torch.device``: a device type (``'cpu'``, ``'cuda'``) and an optional index."""

    __slots__ = ("type", "index")

    def __init__(self, type=_UNSET, index=_UNSET):
        if index is _UNSET:
            if isinstance(type, device):
                self.type, self.index = type.type, type.index
                return
            if isinstance(type, int) and not isinstance(type, bool):
                # device(0) means the current accelerator, and this build has none
                if type < 0:
                    raise RuntimeError("Device index must not be negative")
                raise RuntimeError("Cannot access accelerator device when none is available.")
            if not isinstance(type, str):
                raise _invalid_arguments(() if type is _UNSET else (type,))
        else:
            from ._ops._arguments import is_int, tp_name
            if not isinstance(type, str):
                raise TypeError(f"device(): argument 'type' (position 1) must be str, not {tp_name(type)}")
            if index is not None and not is_int(index):
                raise TypeError(f"device(): argument 'index' (position 2) must be int, not {tp_name(index)}")
        if not type:
            raise RuntimeError("Device string must not be empty")
        if not _DEVICE_STRING.fullmatch(type):
            raise RuntimeError(f"Invalid device string: '{type}'")
        name, _, idx = type.partition(":")
        if name not in _KNOWN:
            raise RuntimeError(f"Expected one of {', '.join(_KNOWN)} device type at start of device string: {type}")
        if name == "mkldnn":
            import warnings
            warnings.warn("'mkldnn' is no longer used as device type. So torch.device('mkldnn') will be deprecated "
                          "and removed in the future. Please use other valid device types instead.", UserWarning,
                          stacklevel=2)
        if idx:
            if index is not _UNSET:
                raise RuntimeError(f"type (string) must not include an index because index was passed explicitly: {type}")
            index = int(idx)
        elif index is _UNSET:
            index = None
        if index is not None:
            index = operator.index(index)
            if index < 0:
                raise RuntimeError("Device index must not be negative")
        self.type, self.index = name, index

    def __eq__(self, other):
        return isinstance(other, device) and self.type == other.type and self.index == other.index

    def __hash__(self):
        return hash((self.type, self.index))

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __reduce__(self):
        return (device, (self.type, self.index))


def _invalid_arguments(args):
    """PyTorch's TypeError for ``device()`` called with neither a device nor a string."""
    from ._ops._arguments import _describe, tp_name
    lines = [f"device() received an invalid combination of arguments - got ({', '.join(tp_name(a) for a in args)}), "
             "but expected one of:", " * (torch.device device)"]
    if args:  # (one argument, which is not a torch.device)
        lines.append(f"      didn't match because some of the arguments have invalid types: (!{_describe(args[0])}!)")
    lines.append(" * (str type, int index = -1)")
    return TypeError("\n".join(lines) + "\n")


CPU = device("cpu")


def to_device(d):
    """Normalise a ``device=`` argument; None means the CPU."""
    if d is None or d.__class__ is str and d == "cpu":  # (the common cases, without parsing)
        return CPU
    return d if isinstance(d, device) else device(d)


# the error a CPU-only PyTorch raises when a tensor is put on a device of each type
_NOT_COMPILED = {"cuda": "CUDA", "xpu": "XPU"}
_NO_MTIA = ("Torch not compiled with MTIA enabled. Ensure you have `import mtia.host_runtime.torch_mtia.dynamic_library` "
            "in your python src file and include `//mtia/host_runtime/torch_mtia:torch_mtia` as your target dependency!")


def check_available(d):
    """Raise PyTorch's error for a device that has no backend here; return the array module."""
    d = to_device(d)
    t = d.type
    if t == "cpu":
        return np
    if t in _NOT_COMPILED:
        raise AssertionError(f"Torch not compiled with {_NOT_COMPILED[t]} enabled")
    if t == "mtia":
        raise AssertionError(_NO_MTIA)
    if t == "meta":
        raise NotImplementedError("torch.device('meta'): ember has no meta tensors")
    if t in ("hpu", "privateuseone"):  # PyTorch looks for the backend's module, torch.<type>
        raise ModuleNotFoundError(f"No module named 'torch.{t}'", name=f"torch.{t}")
    if t == "lazy":  # (PyTorch's message goes on to list every backend the op has)
        raise NotImplementedError("Could not run 'aten::empty.memory_format' with arguments from the 'Lazy' backend.")
    raise RuntimeError(f"PyTorch is not linked with support for {t} devices")
