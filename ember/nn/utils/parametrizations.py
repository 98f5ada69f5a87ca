"""``nn.utils.parametrizations``: weight norm, spectral norm and orthogonal matrices written
as parametrizations (see ``parametrize.py``), PyTorch's current form of
``nn.utils.weight_norm`` and ``nn.utils.spectral_norm``. The weight becomes a property
computed on each access from ``module.parametrizations.weight.original*``."""
import ember
from ...autograd import grad_mode
from .. import functional as F
from ..modules.module import Module, _hook_ids
from . import parametrize

__all__ = ["weight_norm", "spectral_norm", "orthogonal"]


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


# --- orthogonal ---------------------------------------------------------------------------------
_ORTHOGONAL_MAPS = ("matrix_exp", "cayley", "householder")


def _is_orthogonal(q):
    """Q^T Q = I within 10 n eps (PyTorch's test before keeping a given matrix as it is)."""
    n, k = q.shape[-2:]
    eps = 10.0 * n * ember.finfo(q.dtype).eps
    return ember.allclose(q.mT @ q, ember.eye(k, dtype=q.dtype), atol=eps)


def _make_orthogonal(a):
    """Q of A = Q R (A tall) with R's diagonal made non-negative: the columns of Q whose R
    entry was negative flip sign, so Q is the one orthogonal matrix nearest A's columns."""
    x, tau = ember.geqrf(a)
    return ember.linalg.householder_product(x, tau) * x.diagonal(dim1=-2, dim2=-1).sgn().unsqueeze(-2)


class _Orthogonal(Module):
    """Q (n x k, n >= k; a wide matrix is handled as its transpose) with orthonormal columns,
    from an unconstrained X of the same shape:

    * matrix_exp: Q = the first k columns of exp(A), A = L - L^T skew-symmetric, L the lower
      triangle of X (padded to n x n); exp of a skew matrix is orthogonal.
    * cayley: Q = the first k columns of (I - A/2)^-1 (I + A/2), orthogonal for skew A.
    * householder: Q = H_1 ... H_k from the reflectors under X's diagonal (tau_i = 2 / (1 +
      |v_i|^2) makes each H_i a reflection), each column's sign set by X's diagonal.

    With ``use_trivialization`` (the default) the result is multiplied on the left by a
    stored orthogonal ``base``: assigning a weight makes it the base (made orthogonal by QR
    if it is not) and sets X to -I, which every map sends to the identity, so training moves
    away from the assigned matrix ("dynamic trivialization")."""

    def __init__(self, weight, orthogonal_map, *, use_trivialization=True):
        super().__init__()
        self.shape = weight.shape
        self.orthogonal_map = orthogonal_map
        if use_trivialization:
            self.register_buffer("base", None)

    def forward(self, X):
        n, k = X.shape[-2:]
        transposed = n < k
        if transposed:
            X, n, k = X.mT, k, n
        if self.orthogonal_map == "householder":
            A = X.tril(diagonal=-1)
            tau = 2.0 / (1.0 + (A * A).sum(dim=-2))
            Q = ember.linalg.householder_product(A, tau) * X.diagonal(dim1=-2, dim2=-1).int().unsqueeze(-2)
        else:
            X = X.tril()
            if n != k:
                X = ember.cat([X, X.new_zeros(n, n - k).expand(*X.shape[:-2], -1, -1)], dim=-1)
            A = X - X.mT
            if self.orthogonal_map == "matrix_exp":
                Q = ember.matrix_exp(A)
            else:
                eye = ember.eye(n, dtype=A.dtype)
                Q = ember.linalg.solve(eye - 0.5 * A, eye + 0.5 * A)
            Q = Q[..., :k]
        if hasattr(self, "base"):
            Q = self.base @ Q
        return Q.mT if transposed else Q

    def right_inverse(self, Q):
        with grad_mode.no_grad():
            if Q.shape != self.shape:
                raise ValueError(f"Expected a matrix or batch of matrices of shape {self.shape}. "
                                 f"Got a tensor of shape {Q.shape}.")
            Q_init = Q
            n, k = Q.shape[-2:]
            transpose = n < k
            if transpose:
                Q, n, k = Q.mT, k, n
            if not hasattr(self, "base"):
                if self.orthogonal_map != "householder":
                    raise NotImplementedError("It is not possible to assign to the matrix exponential or the Cayley "
                                              "parametrizations when use_trivialization=False.")
                # X whose householder map gives Q: geqrf's reflectors, and on the diagonal the
                # sign each column needs (a zero tau is a reflector left out: flip its sign)
                A, tau = ember.geqrf(Q)
                d = A.diagonal(dim1=-2, dim2=-1).sign()
                d = ember.where(tau == 0.0, -d, d)
                A = ember.where(ember.eye(n, k, dtype=ember.bool), d.unsqueeze(-2), A)
                return A.mT if transpose else A
            if n == k:
                Q = Q.clone() if _is_orthogonal(Q) else _make_orthogonal(Q)
            else:  # complete the columns with random ones, then orthogonalise the square matrix
                N = ember.randn(*(tuple(Q.shape[:-2]) + (n, n - k)), dtype=Q.dtype)
                Q = _make_orthogonal(ember.cat([Q, N], dim=-1))
            self.base = Q
            return -ember.eye(*Q_init.shape[-2:], dtype=Q_init.dtype).expand_as(Q_init).clone()


def orthogonal(module, name="weight", orthogonal_map=None, *, use_trivialization=True):
    """Make ``module.<name>`` (a matrix, or a batch of them) orthogonal: orthonormal columns
    if it is tall, orthonormal rows if it is wide, kept so through training by computing it
    from an unconstrained tensor (see ``_Orthogonal`` for the three maps). The default map is
    matrix_exp for a square matrix and householder otherwise. The initial weight is the
    module's own, orthogonalised by QR if it is not orthogonal already."""
    weight = getattr(module, name, None)
    if not isinstance(weight, ember.Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    if weight.dim() < 2:
        raise ValueError(f"Expected a matrix or batch of matrices. Got a tensor of {weight.dim()} dimensions.")
    if orthogonal_map is None:
        orthogonal_map = "matrix_exp" if weight.shape[-2] == weight.shape[-1] else "householder"
    if orthogonal_map not in _ORTHOGONAL_MAPS:
        raise ValueError('orthogonal_map has to be one of "matrix_exp", "cayley", "householder". '
                         f"Got: {orthogonal_map}")
    parametrize.register_parametrization(
        module, name, _Orthogonal(weight, orthogonal_map, use_trivialization=use_trivialization), unsafe=True)
    return module
