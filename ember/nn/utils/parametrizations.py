"""``nn.utils.parametrizations``: weight norm and spectral norm written as parametrizations
(see ``parametrize.py``), PyTorch's current form of ``nn.utils.weight_norm`` and
``nn.utils.spectral_norm``. The weight becomes a property computed on each access from
``module.parametrizations.weight.original*``."""
import ember
from ...autograd import grad_mode
from .. import functional as F
from ..modules.module import Module, _hook_ids
from . import parametrize

__all__ = ["weight_norm", "spectral_norm"]


def _norm_except_dim(v, dim):
    """PyTorch's ``norm_except_dim(v, 2, dim)``: the 2-norm over every dim but ``dim``, kept
    as size-1 dims; dim == -1 (what ``dim=None`` becomes) means the norm of the whole tensor."""
    if dim == -1:
        return (v * v).sum().sqrt()
    dim = dim % v.dim()
    return (v * v).sum(tuple(d for d in range(v.dim()) if d != dim), keepdim=True).sqrt()


class _WeightNorm(Module):
    """w = g * v / ||v||: the length g and the direction v of w are learned separately
    (Salimans & Kingma); original0 is g, original1 is v. ``right_inverse`` splits a weight
    into g = ||w|| and v = w, which gives back w exactly. Autograd differentiates the
    forward's composition of ops."""

    def __init__(self, dim=0):
        super().__init__()
        self.dim = -1 if dim is None else dim

    def forward(self, weight_g, weight_v):
        return weight_v * (weight_g / _norm_except_dim(weight_v, self.dim))

    def right_inverse(self, weight):
        return _norm_except_dim(weight, self.dim), weight


def weight_norm(module, name="weight", dim=0):
    """Parametrize ``module.<name>`` as g * v / ||v|| (norm over every dim but ``dim``; over
    the whole tensor for ``dim=None``). Returns ``module``."""
    parametrize.register_parametrization(module, name, _WeightNorm(dim), unsafe=True)

    def load_old_keys(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs):
        # checkpoints of the hook-based nn.utils.weight_norm store <name>_g and <name>_v
        g_key, v_key = f"{prefix}{name}_g", f"{prefix}{name}_v"
        if g_key in state_dict and v_key in state_dict:
            state_dict[f"{prefix}parametrizations.{name}.original0"] = state_dict.pop(g_key)
            state_dict[f"{prefix}parametrizations.{name}.original1"] = state_dict.pop(v_key)

    module._load_state_dict_pre_hooks[next(_hook_ids)] = load_old_keys
    return module


class _SpectralNorm(Module):
    """W / sigma(W), sigma the largest singular value of W seen as a matrix (dim ``dim``
    first, the others flattened), estimated by power iteration (Miyato et al.):

        u <- normalize(W v),   v <- normalize(W^T u),   sigma = u . (W v).

    u and v are buffers (``_u``, ``_v``), started from normal draws and refined by 15
    iterations at registration; each forward in training mode runs ``n_power_iterations``
    more, without recording a graph, so that u and v track W as it trains. The gradient
    flows through W in both W and sigma = u^T W v, with u and v held constant: d sigma / dW
    = u v^T, which is the derivative of the top singular value when u and v are its
    singular vectors. A 1-d weight is just normalized."""

    def __init__(self, weight, n_power_iterations=1, dim=0, eps=1e-12):
        super().__init__()
        ndim = weight.ndim
        if dim >= ndim or dim < -ndim:
            raise IndexError(f"Dimension out of range (expected to be in range of [-{ndim}, {ndim - 1}] but got {dim})")
        if n_power_iterations <= 0:
            raise ValueError("Expected n_power_iterations to be positive, but got "
                             f"n_power_iterations={n_power_iterations}")
        self.dim = dim if dim >= 0 else dim + ndim
        self.eps = eps
        if ndim > 1:
            self.n_power_iterations = n_power_iterations
            weight_mat = self._reshape_weight_to_matrix(weight)
            h, w = weight_mat.shape
            # u is drawn before v, from the default generator, as in PyTorch
            u = weight_mat.new_empty(h).normal_(0, 1)
            v = weight_mat.new_empty(w).normal_(0, 1)
            self.register_buffer("_u", F.normalize(u, dim=0, eps=self.eps))
            self.register_buffer("_v", F.normalize(v, dim=0, eps=self.eps))
            self._power_method(weight_mat, 15)

    def _reshape_weight_to_matrix(self, weight):
        if self.dim != 0:
            weight = weight.permute(self.dim, *(d for d in range(weight.dim()) if d != self.dim))
        return weight.flatten(1)

    def _power_method(self, weight_mat, n_power_iterations):
        # in place, into the buffers themselves: state_dict and users hold these tensors
        with grad_mode.no_grad():
            for _ in range(n_power_iterations):
                self._u.copy_(F.normalize(ember.mv(weight_mat, self._v), dim=0, eps=self.eps))
                self._v.copy_(F.normalize(ember.mv(weight_mat.t(), self._u), dim=0, eps=self.eps))

    def forward(self, weight):
        if weight.ndim == 1:
            return F.normalize(weight, dim=0, eps=self.eps)
        weight_mat = self._reshape_weight_to_matrix(weight)
        if self.training:
            self._power_method(weight_mat, self.n_power_iterations)
        # copies: the next training forward updates the buffers in place, and this graph
        # must keep the u and v it used
        u, v = self._u.clone(), self._v.clone()
        sigma = ember.vdot(u, ember.mv(weight_mat, v))
        return weight / sigma

    def right_inverse(self, value):
        # any weight is W / sigma(W) of itself rescaled; keeping it as is is the simplest
        return value


def spectral_norm(module, name="weight", n_power_iterations=1, eps=1e-12, dim=None):
    """Parametrize ``module.<name>`` as W / sigma(W) (see ``_SpectralNorm``). ``dim`` is the
    output dimension: 1 for transposed convolutions, else 0. Returns ``module``."""
    weight = getattr(module, name, None)
    if not isinstance(weight, ember.Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    if dim is None:
        dim = 1 if _is_transposed_conv(module) else 0
    parametrize.register_parametrization(module, name, _SpectralNorm(weight, n_power_iterations, dim, eps))
    return module


def _is_transposed_conv(module):
    from .. import modules
    kinds = tuple(getattr(modules, n) for n in ("ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d")
                  if hasattr(modules, n))
    return isinstance(module, kinds)
