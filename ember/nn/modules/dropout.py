"""``Dropout``: zero random elements while training (see ``F.dropout``)."""
from .. import functional as F
from .module import Module, _own_forward


class Dropout(Module):
    """During training zero each element with probability p and scale the rest by 1/(1-p)."""

    _fn = staticmethod(F.dropout)

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p, self.inplace = p, inplace

    def forward(self, input):
        return self._fn(input, self.p, self.training, self.inplace)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class Dropout1d(Dropout):
    """Zero whole channels of (N, C, L) inputs."""

    _fn = staticmethod(F.dropout1d)


class Dropout2d(Dropout):
    """Zero whole feature maps of (N, C, H, W) inputs."""

    _fn = staticmethod(F.dropout2d)


class AlphaDropout(Dropout):
    """Dropout for SELU networks (keeps mean and variance)."""

    _fn = staticmethod(F.alpha_dropout)


# each class its own forward, as in PyTorch (call errors name it: see module._own_forward)
_own_forward(Dropout1d, Dropout2d, AlphaDropout)
