"""``Conv1d/2d/3d`` and ``ConvTranspose1d/2d/3d``: one class body for every dimensionality
(see ``ember/_ops/conv.py`` for how a convolution becomes one matrix product)."""

from ..._ops.conv import tuple_n
from ..._ops.creation import empty
from .. import functional as F, init
from ..parameter import Parameter
from .module import Module, _own_forward


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
        # PyTorch prints these as Python sets: built in its order, they print in its order
        valid_padding_strings = {"same", "valid"}
        if isinstance(padding, str):
            if padding not in valid_padding_strings:
                raise ValueError(f"Invalid padding string {padding!r}, should be one of {valid_padding_strings}")
            if padding == "same" and any(s != 1 for s in tuple_n(stride, nd)):
                raise ValueError("padding='same' is not supported for strided convolutions")
        valid_padding_modes = {"zeros", "reflect", "replicate", "circular"}
        if padding_mode not in valid_padding_modes:
            raise ValueError(f"padding_mode must be one of {valid_padding_modes}, but got "
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
        super().__init__(in_channels, out_channels, kernel_size, stride, 0 if isinstance(padding, str) else padding,
                         dilation, groups, bias, padding_mode, device, dtype, output_padding)
        if isinstance(padding, str):
            # PyTorch's _ntuple makes a string into its characters here (there is no 'same' or
            # 'valid' for a transposed convolution); forward then rejects them
            self.padding = tuple(padding)

    def _output_padding(self, input, output_size):
        """The output_padding that gives ``output_size``: each size can be any of the ``stride``
        sizes whose convolution comes back to the input's size."""
        if output_size is None:
            return self.output_padding
        nd = self._nd
        lead = 2 if input.dim() == nd + 2 else 1  # batch and channel dims, or the channel alone
        if len(output_size) == lead + nd:
            output_size = output_size[lead:]
        if len(output_size) != nd:
            raise ValueError(f"ConvTranspose{nd}D: for {input.dim()}D input, output_size must have {nd} or "
                             f"{lead + nd} elements (got {len(output_size)})")
        min_sizes = [(input.shape[lead + i] - 1) * self.stride[i] - 2 * self.padding[i]
                     + self.dilation[i] * (self.kernel_size[i] - 1) + 1 for i in range(nd)]
        max_sizes = [m + s - 1 for m, s in zip(min_sizes, self.stride)]
        for size, lo, hi in zip(output_size, min_sizes, max_sizes):
            if size < lo or size > hi:
                raise ValueError(f"requested an output size of {output_size}, but valid sizes range from {min_sizes} "
                                 f"to {max_sizes} (for an input of {input.size()[2:]})")
        return tuple(size - lo for size, lo in zip(output_size, min_sizes))

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


# each class its own forward, as in PyTorch (call errors name it: see module._own_forward)
_own_forward(Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d)
