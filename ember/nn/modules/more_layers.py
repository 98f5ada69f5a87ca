"""Less common layers PyTorch users reach for: ``Fold``/``Unfold``, ``Dropout3d``,
``FeatureAlphaDropout``, ``Softmax2d``, ``UpsamplingNearest2d``/``UpsamplingBilinear2d``,
``ChannelShuffle``, ``RMSNorm``, ``LocalResponseNorm``, ``LPPool1d/2d/3d`` and ``RReLU``.
Each is a thin wrapper around its functional form (``ember/nn/_functional_layers.py``)."""
from ..._ops.creation import empty, ones
from ...autograd.grad_mode import no_grad
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .dropout import Dropout
from .extra import Upsample
from .conv import Conv1d, Conv2d, Conv3d
from .linear import Linear
from .module import Module, _own_forward
from .normalization import BatchNorm1d, BatchNorm2d, BatchNorm3d


class Fold(Module):
    """Sum columns of sliding patches back into an image: (N, C*prod(k), L) -> (N, C, *output_size)."""

    def __init__(self, output_size, kernel_size, dilation=1, padding=0, stride=1):
        super().__init__()
        self.output_size, self.kernel_size = output_size, kernel_size
        self.dilation, self.padding, self.stride = dilation, padding, stride

    def forward(self, input):
        return F.fold(input, self.output_size, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self):
        return (f"output_size={self.output_size}, kernel_size={self.kernel_size}, dilation={self.dilation}, "
                f"padding={self.padding}, stride={self.stride}")


class Unfold(Module):
    """Extract sliding patches as columns: (N, C, H, W) -> (N, C*prod(k), L)."""

    def __init__(self, kernel_size, dilation=1, padding=0, stride=1):
        super().__init__()
        self.kernel_size, self.dilation, self.padding, self.stride = kernel_size, dilation, padding, stride

    def forward(self, input):
        return F.unfold(input, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, dilation={self.dilation}, padding={self.padding}, stride={self.stride}"


class Dropout3d(Dropout):
    """Zero whole 3-D feature maps of (N, C, D, H, W) inputs."""

    _fn = staticmethod(F.dropout3d)


class FeatureAlphaDropout(Dropout):
    """Alpha dropout (SELU-friendly) of whole channels."""

    _fn = staticmethod(F.feature_alpha_dropout)


class Softmax2d(Module):
    """Softmax over the channel dim (-3) of (C, H, W) or (N, C, H, W) inputs, at each pixel."""

    def forward(self, input):
        if input.dim() not in (3, 4):
            raise ValueError(f"Softmax2d: expected input to be 3D or 4D, got {input.dim()}D instead")
        return F.softmax(input, -3)


class UpsamplingNearest2d(Upsample):
    """``Upsample(mode='nearest')`` for images."""

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    """``Upsample(mode='bilinear', align_corners=True)`` for images."""

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)


class ChannelShuffle(Module):
    """Interleave the channels of ``groups`` groups (see ``F.channel_shuffle``)."""

    def __init__(self, groups):
        super().__init__()
        self.groups = groups

    def forward(self, input):
        return F.channel_shuffle(input, self.groups)

    def extra_repr(self):
        return f"groups={self.groups}"


class RMSNorm(Module):
    """y = x / sqrt(mean(x^2 over the trailing normalized_shape dims) + eps) * weight, weight
    starting at ones (no bias, no mean subtraction)."""

    def __init__(self, normalized_shape, eps=None, elementwise_affine=True, device=None, dtype=None):
        super().__init__()
        if isinstance(normalized_shape, int):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps, self.elementwise_affine = eps, elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(ones(*self.normalized_shape, dtype=dtype))
        else:
            self.register_parameter("weight", None)

    def reset_parameters(self):
        if self.weight is not None:
            init.ones_(self.weight)

    def forward(self, x):
        return F.rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self):
        return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"


class LocalResponseNorm(Module):
    """Divide each activation by (k + alpha * mean of squares over ``size`` neighbouring channels)^beta."""

    def __init__(self, size, alpha=1e-4, beta=0.75, k=1.0):
        super().__init__()
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def forward(self, input):
        return F.local_response_norm(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self):
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"


class _LPPoolNd(Module):
    """Power-average pooling: (sum over each window of x^p)^(1/p)."""

    _fn = None

    def __init__(self, norm_type, kernel_size, stride=None, ceil_mode=False):
        super().__init__()
        self.norm_type, self.kernel_size, self.stride, self.ceil_mode = norm_type, kernel_size, stride, ceil_mode

    def forward(self, input):
        return self._fn(input, float(self.norm_type), self.kernel_size, self.stride, self.ceil_mode)

    def extra_repr(self):
        return (f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, stride={self.stride}, "
                f"ceil_mode={self.ceil_mode}")


class LPPool1d(_LPPoolNd):
    """Power-average pooling over the last dim."""

    _fn = staticmethod(F.lp_pool1d)


class LPPool2d(_LPPoolNd):
    """Power-average pooling over the last two dims."""

    _fn = staticmethod(F.lp_pool2d)


class LPPool3d(_LPPoolNd):
    """Power-average pooling over the last three dims."""

    _fn = staticmethod(F.lp_pool3d)


class RReLU(Module):
    """Leaky ReLU whose negative slope is drawn from U(lower, upper) per element while
    training and fixed at (lower + upper) / 2 in eval."""

    def __init__(self, lower=1.0 / 8, upper=1.0 / 3, inplace=False):
        super().__init__()
        self.lower, self.upper, self.inplace = lower, upper, inplace

    def forward(self, input):
        return F.rrelu(input, self.lower, self.upper, self.training, self.inplace)

    def extra_repr(self):
        return f"lower={self.lower}, upper={self.upper}" + (", inplace=True" if self.inplace else "")


# --- lazy modules: the input size is read from the first input ------------------------------------
class LazyModuleMixin:
    """A module whose input size (``in_features``/``in_channels``/``num_features``) is 0 until
    its first call. That call reads the size from the input, gives the placeholder parameters
    their shapes (the same Parameter objects, so references to them stay valid), draws their
    initial values exactly as the ordinary module's ``__init__`` would at that moment, and turns
    the module into ``cls_to_become`` (e.g. ``LazyLinear`` becomes ``Linear``).

    Simplified from PyTorch: the placeholders are empty ordinary Parameters rather than
    ``UninitializedParameter``s, so create optimizers after the first call (as PyTorch also
    advises) and load state dicts only into initialised modules."""

    cls_to_become = None

    def has_uninitialized_params(self):
        return True  # the lazy class only exists until the first call

    def initialize_parameters(self, *args, **kwargs):
        raise NotImplementedError

    def _materialize(self, name, shape):
        t = getattr(self, name)
        if t is not None:
            t.data = ones(*shape, dtype=t.dtype)  # real values come from reset_parameters

    def forward(self, *args, **kwargs):
        with no_grad():
            self.initialize_parameters(*args, **kwargs)
        self.__class__ = self.cls_to_become
        return self.forward(*args, **kwargs)


class LazyLinear(LazyModuleMixin, Linear):
    """``Linear`` with ``in_features`` taken from the last dim of the first input."""

    cls_to_become = Linear

    def __init__(self, out_features, bias=True, device=None, dtype=None):
        super().__init__(0, 0, False, device=device, dtype=dtype)
        self.out_features = out_features
        if bias:
            self.bias = Parameter(empty(0, dtype=dtype))

    def reset_parameters(self):
        if self.in_features:  # nothing to draw until the shapes are known
            super().reset_parameters()

    def initialize_parameters(self, input):
        self.in_features = input.shape[-1]
        self._materialize("weight", (self.out_features, self.in_features))
        self._materialize("bias", (self.out_features,))
        self.reset_parameters()


class _LazyConvNd(LazyModuleMixin):
    """Convolution with ``in_channels`` taken from the first input's channel dim."""

    def __init__(self, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True,
                 padding_mode="zeros", device=None, dtype=None):
        super().__init__(0, 0, kernel_size, stride, padding, dilation, groups, False, padding_mode, device, dtype)
        self.out_channels = out_channels
        if bias:
            self.bias = Parameter(empty(0, dtype=dtype))

    def reset_parameters(self):
        if self.in_channels:
            super().reset_parameters()

    def initialize_parameters(self, input, *args, **kwargs):
        nd = len(self.kernel_size)
        if input.dim() not in (nd + 1, nd + 2):
            raise RuntimeError(f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to "
                               f"{type(self).__name__}, but got input of size: {input.shape}")
        self.in_channels = input.shape[1 if input.dim() == nd + 2 else 0]
        if self.in_channels % self.groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        self._materialize("weight", (self.out_channels, self.in_channels // self.groups) + self.kernel_size)
        self._materialize("bias", (self.out_channels,))
        self.reset_parameters()


class LazyConv1d(_LazyConvNd, Conv1d):
    """``Conv1d`` with ``in_channels`` inferred at the first call."""

    cls_to_become = Conv1d


class LazyConv2d(_LazyConvNd, Conv2d):
    """``Conv2d`` with ``in_channels`` inferred at the first call."""

    cls_to_become = Conv2d


class LazyConv3d(_LazyConvNd, Conv3d):
    """``Conv3d`` with ``in_channels`` inferred at the first call."""

    cls_to_become = Conv3d


class _LazyNormBase(LazyModuleMixin):
    """Batch norm with ``num_features`` taken from the first input's dim 1."""

    def __init__(self, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None):
        super().__init__(0, eps, momentum, affine, track_running_stats, device, dtype)

    def initialize_parameters(self, input):
        self.num_features = input.shape[1]
        for name in ("weight", "bias", "running_mean", "running_var"):
            self._materialize(name, (self.num_features,))
        self.reset_parameters()  # weight 1, bias 0, running mean 0 and var 1: nothing random


class LazyBatchNorm1d(_LazyNormBase, BatchNorm1d):
    """``BatchNorm1d`` with ``num_features`` inferred at the first call."""

    cls_to_become = BatchNorm1d


class LazyBatchNorm2d(_LazyNormBase, BatchNorm2d):
    """``BatchNorm2d`` with ``num_features`` inferred at the first call."""

    cls_to_become = BatchNorm2d


class LazyBatchNorm3d(_LazyNormBase, BatchNorm3d):
    """``BatchNorm3d`` with ``num_features`` inferred at the first call."""

    cls_to_become = BatchNorm3d


# each class its own forward, as in PyTorch (call errors name it: see module._own_forward)
_own_forward(Dropout3d, FeatureAlphaDropout, LPPool1d, LPPool2d, LPPool3d)
