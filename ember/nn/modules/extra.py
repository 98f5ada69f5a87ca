"""``PReLU``, ``Upsample``, ``PixelShuffle``/``PixelUnshuffle`` and ``DataParallel``."""
from ..._ops.creation import full
from .. import functional as F
from ..parameter import Parameter
from .module import Module


class PReLU(Module):
    """max(0, x) + a * min(0, x) with a learned slope a (one, or one per channel), 0.25 at start."""

    def __init__(self, num_parameters=1, init=0.25, device=None, dtype=None):
        super().__init__()
        self.num_parameters = num_parameters
        self.init = init
        self.weight = Parameter(full((num_parameters,), init, dtype=dtype))

    def forward(self, input):
        return F.prelu(input, self.weight)

    def extra_repr(self):
        return f"num_parameters={self.num_parameters}"


class Upsample(Module):
    """Resize by ``scale_factor`` or to ``size`` with nearest or (bi)linear interpolation."""

    def __init__(self, size=None, scale_factor=None, mode="nearest", align_corners=None, recompute_scale_factor=None):
        super().__init__()
        self.name = type(self).__name__
        self.size, self.mode, self.align_corners = size, mode, align_corners
        if isinstance(scale_factor, (tuple, list)):
            self.scale_factor = tuple(float(f) for f in scale_factor)
        else:
            self.scale_factor = float(scale_factor) if scale_factor is not None else None
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input):
        return F.interpolate(input, self.size, self.scale_factor, self.mode, self.align_corners)

    def extra_repr(self):
        info = f"size={self.size}" if self.scale_factor is None else f"scale_factor={self.scale_factor}"
        return info + f", mode='{self.mode}'"


class PixelShuffle(Module):
    """(N, C r^2, H, W) -> (N, C, H r, W r): channels become sub-pixel positions."""

    def __init__(self, upscale_factor):
        super().__init__()
        self.upscale_factor = upscale_factor

    def forward(self, input):
        return F.pixel_shuffle(input, self.upscale_factor)

    def extra_repr(self):
        return f"upscale_factor={self.upscale_factor}"


class PixelUnshuffle(Module):
    """The inverse of PixelShuffle."""

    def __init__(self, downscale_factor):
        super().__init__()
        self.downscale_factor = downscale_factor

    def forward(self, input):
        return F.pixel_unshuffle(input, self.downscale_factor)

    def extra_repr(self):
        return f"downscale_factor={self.downscale_factor}"


class DataParallel(Module):
    """On the CPU a transparent wrapper: ``forward`` calls ``module``, whose parameters appear
    under ``module.`` in ``state_dict`` exactly as with PyTorch's DataParallel."""

    def __init__(self, module, device_ids=None, output_device=None, dim=0):
        super().__init__()
        self.module = module
        self.device_ids, self.output_device, self.dim = [] if device_ids is None else device_ids, output_device, dim

    def forward(self, *inputs, **kwargs):
        return self.module(*inputs, **kwargs)
