"""Device objects and which array backend serves a device.

The CPU is served by NumPy. ``"cuda"`` names parse exactly as in PyTorch, but until a GPU
backend exists ``ember.cuda.is_available()`` is False and moving a tensor there raises the
error PyTorch raises on a build without CUDA.
"""
import numpy as np

_KNOWN = ("cpu", "cuda", "mps", "meta", "xpu")


class device:
    """``torch.device``: a device type (``'cpu'``, ``'cuda'``) and an optional index."""

    __slots__ = ("type", "index")

    def __init__(self, type, index=None):
        if isinstance(type, device):
            self.type, self.index = type.type, type.index
            return
        if isinstance(type, int) and not isinstance(type, bool):
            type, index = "cuda", type
        if not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments - got ({type.__class__.__name__})")
        name, _, idx = type.partition(":")
        if name not in _KNOWN:
            raise RuntimeError(
                "Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, "
                f"xla, lazy, vulkan, mps, meta, hpu, mtia, privateuseone device type at start of device string: {type}")
        if idx:
            if index is not None:
                raise RuntimeError(f"type (string) must not include an index because index was passed explicitly: {type}")
            if not idx.isdigit():
                raise RuntimeError(f"Invalid device string: '{type}'")
            index = int(idx)
        if index is not None and index < 0:
            raise RuntimeError(f"Device index must not be negative")
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


CPU = device("cpu")


def to_device(d):
    """Normalise a ``device=`` argument; None means the CPU."""
    if d is None:
        return CPU
    return d if isinstance(d, device) else device(d)


def check_available(d):
    """Raise PyTorch's error for a device that has no backend here; return the array module."""
    d = to_device(d)
    if d.type == "cpu":
        return np
    if d.type == "cuda":
        raise AssertionError("Torch not compiled with CUDA enabled")
    if d.type == "meta":
        raise NotImplementedError("torch.device('meta'): ember has no meta tensors")
    raise RuntimeError(f"ember has no backend for device type '{d.type}'; only the CPU is available")
