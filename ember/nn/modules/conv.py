"""``Conv1d/2d/3d`` and ``ConvTranspose1d/2d/3d``: one class body for every dimensionality
(see ``ember/_ops/conv.py`` for how a convolution becomes one matrix product)."""

from ..._ops.conv import tuple_n
from ..._ops.creation import empty
from .. import functional as F, init
from ..parameter import Parameter
from .module import Module


class _ConvNd(Module):
    """Holds the weight (out, in/groups, *kernel) — (in, out/groups, *kernel) when transposed —
    and the bias, initialised like PyTorch: kaiming_uniform_(a=sqrt(5)), i.e.
    U(-1/sqrt(fan_in), 1/sqrt(fan_in)), then the bias from the same range."""

    _nd = 2
    _transposed = False

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                 bias=True, padding_mode="zeros", device=None, dtype=None, output_padding=0):
        super().__init__()
        nd = self._nd
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise ValueError("out_channels must be divisible by groups")
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(f"Invalid padding string {padding!r}, should be one of {{'valid', 'same'}}")
            if padding == "same" and any(s != 1 for s in tuple_n(stride, nd)):
                raise ValueError("padding='same' is not supported for strided convolutions")
        if padding_mode not in ("zeros", "reflect", "replicate", "circular"):
            raise ValueError(f"padding_mode must be one of ['zeros', 'reflect', 'replicate', 'circular'], but got "
                             f"padding_mode='{padding_mode}'")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size = tuple_n(kernel_size, nd)
        self.stride = tuple_n(stride, nd)
        self.padding = padding if isinstance(padding, str) else tuple_n(padding, nd)
        self.dilation = tuple_n(dilation, nd)
        self.transposed = self._transposed
        self.output_padding = tuple_n(output_padding, nd)
        self.groups = groups
        self.padding_mode = padding_mode
        shape = ((in_channels, out_channels // groups) if self._transposed
                 else (out_channels, in_channels // groups)) + self.kernel_size
        self.weight = Parameter(empty(*shape, dtype=dtype, device=device))
        if bias:
            self.bias = Parameter(empty(out_channels, dtype=dtype, device=device))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        init._default_layer_init(self.weight, self.bias)

    def extra_repr(self):
        s = "{in_channels}, {out_channels}, kernel_size={kernel_size}, stride={stride}"
        if self.padding != (0,) * len(self.padding):
            s += ", padding={padding}"
        if self.dilation != (1,) * len(self.dilation):
            s += ", dilation={dilation}"
        if self.output_padding != (0,) * len(self.output_padding):
            s += ", output_padding={output_padding}"
        if self.groups != 1:
            s += ", groups={groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += ", padding_mode={padding_mode}"
        return s.format(**self.__dict__)

    def _padded(self, input):
        """Non-zero padding modes pad explicitly first; the convolution then uses none. For
        'same', the total d (k - 1) per dim is split with the odd extra on the right."""
        if self.padding_mode == "zeros":
            return input, self.padding
        if self.padding == "valid":
            return input, 0
        if self.padding == "same":
            total = [d * (k - 1) for d, k in zip(self.dilation, self.kernel_size)]
            pairs = [(t // 2, t - t // 2) for t in total]
        else:
            pairs = [(p, p) for p in self.padding]
        pad = []
        for lo, hi in reversed(pairs):  # F.pad lists the last dim first
            pad += [lo, hi]
        return F.pad(input, pad, mode=self.padding_mode), 0

    def forward(self, input):
        x, padding = self._padded(input)
        conv = getattr(F, f"conv{self._nd}d")
        return conv(x, self.weight, self.bias, self.stride, padding, self.dilation, self.groups)


class Conv1d(_ConvNd):
    """1-d convolution over (N, C, L) inputs."""

    _nd = 1


class Conv2d(_ConvNd):
    """2-d convolution over (N, C, H, W) inputs."""

    _nd = 2


class Conv3d(_ConvNd):
    """3-d convolution over (N, C, D, H, W) inputs (volumes, or video as time x height x width)."""

    _nd = 3


class _ConvTransposeNd(_ConvNd):
    _transposed = True

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1,
                 bias=True, dilation=1, padding_mode="zeros", device=None, dtype=None):
        if padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for {self.__class__.__name__}')
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                         padding_mode, device, dtype, output_padding)

    def _output_padding(self, input, output_size):
        if output_size is None:
            return self.output_padding
        nd = self._nd
        output_size = list(output_size)[-nd:]
        sizes = input.shape[-nd:]
        return tuple(o - ((s - 1) * st - 2 * p + d * (k - 1) + 1) for o, s, st, p, d, k in
                     zip(output_size, sizes, self.stride, self.padding, self.dilation, self.kernel_size))

    def forward(self, input, output_size=None):
        conv_transpose = getattr(F, f"conv_transpose{self._nd}d")
        return conv_transpose(input, self.weight, self.bias, self.stride, self.padding,
                              self._output_padding(input, output_size), self.groups, self.dilation)


class ConvTranspose1d(_ConvTransposeNd):
    """The adjoint of Conv1d (upsampling by ``stride``)."""

    _nd = 1


class ConvTranspose2d(_ConvTransposeNd):
    """The adjoint of Conv2d (upsampling by ``stride``)."""

    _nd = 2


class ConvTranspose3d(_ConvTransposeNd):
    """The adjoint of Conv3d (upsampling volumes by ``stride``)."""

    _nd = 3
