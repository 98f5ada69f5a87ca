"""``torch.linalg``: inverses, determinants, solvers, decompositions and norms, for float32 and
float64 matrices batched over the leading dims.

The factorizations are ``Function``s in ``_functions.py`` (NumPy's LAPACK forward, a backward
written with ember ops, so double backward works); everything else here is composed from them
and from ordinary ember ops, so its gradient follows by the chain rule. Results that PyTorch
returns as named tuples (``slogdet``, ``eigh``, ``svd``, ``qr``, ``lstsq``...) have the same
field names here.
"""
import math

import numpy as np

from .. import _dtype
from .._tensor import Tensor
from ..autograd.function import Function
from .._ops.reduction import return_type, VectorNorm, _check_norm_input
from .._ops._util import normalize_dim
from ._functions import (LinAlgError, Inv, Solve, Det, Slogdet, Cholesky, Eigh, Svd, Qr, Geqrf, Pinv, Lstsq,
                         SolveTriangular, Lu, MatrixExp, lu_factor_array, pivots_to_permutation,
                         _const)

_slogdet_t = return_type("linalg_slogdet", ("sign", "logabsdet"))
_slogdet_top_t = return_type("slogdet", ("sign", "logabsdet"))
_eigh_t = return_type("linalg_eigh", ("eigenvalues", "eigenvectors"))
_svd_t = return_type("linalg_svd", ("U", "S", "Vh"))
_qr_t = return_type("linalg_qr", ("Q", "R"))
_lstsq_t = return_type("linalg_lstsq", ("solution", "residuals", "rank", "singular_values"))
_inv_ex_t = return_type("linalg_inv_ex", ("inverse", "info"))
_solve_ex_t = return_type("linalg_solve_ex", ("result", "info"))
_lu_t = return_type("linalg_lu", ("P", "L", "U"))
_lu_factor_t = return_type("linalg_lu_factor", ("LU", "pivots"))
_lu_factor_ex_t = return_type("linalg_lu_factor_ex", ("LU", "pivots", "info"))
_top_svd_t = return_type("svd", ("U", "S", "V"))
_top_qr_t = return_type("qr", ("Q", "R"))
_geqrf_t = return_type("geqrf", ("a", "tau"))
_chol_ex_t = return_type("linalg_cholesky_ex", ("L", "info"))


# --- argument checks, with PyTorch's messages ----------------------------------------------------
def _check_tensor(name, A):
    if not isinstance(A, Tensor):
        raise TypeError(f"{name}(): argument 'A' (position 1) must be Tensor, not {type(A).__name__}")


def _check_float(name, A):
    if A._data.dtype == np.float16 or _dtype.type_word(A._data.dtype) == "BFloat16":
        raise RuntimeError(f"{name}: Low precision dtypes not supported. Got {_dtype.type_word(A._data.dtype)}")
    if A._data.dtype.kind != "f":
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. Got "
                           f"{_dtype.type_word(A._data.dtype)}")


def _check_matrix(name, A, square=True, floating=True):
    _check_tensor(name, A)
    if A._data.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    if square and A._data.shape[-1] != A._data.shape[-2]:
        raise RuntimeError(f"{name}: A must be batches of square matrices, but they are "
                           f"{A._data.shape[-2]} by {A._data.shape[-1]} matrices")
    if floating:
        _check_float(name, A)


# --- inverses and determinants -------------------------------------------------------------------
def inv(A, *, out=None):
    """The inverse of each square matrix of ``A``; a singular one raises ``LinAlgError``."""
    _check_matrix("linalg.inv", A)
    return _out(Inv.apply(A), out)


def _singular_info(A):
    """LAPACK's ``info`` per matrix of a batch: the 1-based index of the first zero pivot of
    its LU factorization (0 where the matrix is invertible)."""
    from ._functions import _lu_zero_pivot
    flat = A._data.reshape((-1,) + A._data.shape[-2:])
    return np.array([_lu_zero_pivot(m) for m in flat], np.int32).reshape(A._data.shape[:-2])


def inv_ex(A, *, check_errors=False, out=None):
    """``inv`` that reports singular matrices in ``info`` (the 1-based zero pivot) instead of raising."""
    _check_matrix("linalg.inv", A)
    try:
        r = Inv.apply(A)
        info = np.zeros(A._data.shape[:-2], np.int32)
    except LinAlgError:
        if check_errors:
            raise
        info = _singular_info(A)
        with np.errstate(all="ignore"):
            r = _const(np.full(A._data.shape, np.nan, A._data.dtype))
    return _inv_ex_t((r, _const(info)))


def det(A, *, out=None):
    """det(A) for each square matrix."""
    _check_matrix("linalg.det", A)
    return _out(Det.apply(A), out)


def slogdet(A, *, out=None):
    """(sign, log|det A|): the determinant without overflow; sign is 0 for a singular matrix."""
    _check_matrix("linalg.slogdet", A)
    return _slogdet_t(Slogdet.apply(A))


def logdet(A):
    """log det(A): nan for a negative determinant, -inf for a singular matrix (``torch.logdet``)."""
    _check_matrix("logdet", A)
    sign, logabs = Slogdet.apply(A)
    with np.errstate(all="ignore"):
        return logabs + sign.log()


def _top_slogdet(A):
    """``torch.slogdet`` (its named tuple is ``torch.return_types.slogdet``)."""
    return _slogdet_top_t(slogdet(A))


def matrix_power(A, n, *, out=None):
    """A^n by repeated squaring; n < 0 inverts first, n = 0 gives the identity."""
    _check_matrix("linalg.matrix_power", A, floating=False)
    if not isinstance(n, int):
        raise TypeError(f"linalg_matrix_power(): argument 'n' (position 2) must be int, not {type(n).__name__}")
    if n == 0:
        eye = np.broadcast_to(np.eye(A._data.shape[-1], dtype=A._data.dtype), A._data.shape)
        if not A.requires_grad:
            return _out(_const(eye.copy()), out)
        # the identity, still connected to A (with a zero gradient) as PyTorch's result is
        from .._ops.masking import where
        return _out(where(_const(np.ones(A._data.shape, bool)), _const(eye.copy()), A), out)
    if n < 0:
        A = inv(A)
        n = -n
    result, base = None, A
    while True:
        if n & 1:
            result = base if result is None else result.matmul(base)
        n >>= 1
        if not n:
            break
        base = base.matmul(base)
    return _out(result, out)


# --- solvers --------------------------------------------------------------------------------------
def _vector_rhs(A, B):
    """PyTorch's rule: B is a (batch of) vector(s) if it is 1-D or has exactly A's shape minus
    its last dim."""
    return B._data.ndim == 1 or (B._data.ndim == A._data.ndim - 1 and B._data.shape == A._data.shape[:-1])


def solve(A, B, *, left=True, out=None):
    """X with A X = B (``left=True``) or X A = B: one LU solve per matrix, batch dims broadcast."""
    _check_matrix("linalg.solve", A)
    if not isinstance(B, Tensor):
        raise TypeError(f"linalg_solve(): argument 'B' (position 2) must be Tensor, not {type(B).__name__}")
    if A._data.dtype != B._data.dtype:
        raise RuntimeError(f"linalg.solve: Expected A and B to have the same dtype, but found A of type "
                           f"{_dtype.type_word(A._data.dtype)} and B of type {_dtype.type_word(B._data.dtype)} "
                           "instead")
    vec = _vector_rhs(A, B)
    Bm = B.unsqueeze(-1) if vec else B
    n = A._data.shape[-1]
    rows = Bm._data.shape[-2] if left else Bm._data.shape[-1]
    if rows != n:
        bs = Bm._data.shape
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation "
                           f"{'AX = B' if left else 'XA = B'} ({n}x{n} and {bs[-2]}x{bs[-1]})")
    if left:
        X = Solve.apply(A, Bm)
    else:
        X = Solve.apply(A.mT, Bm.mT).mT
    return _out(X.squeeze(-1) if vec else X, out)


def solve_ex(A, B, *, left=True, check_errors=False, out=None):
    """``solve`` that reports a singular matrix in ``info`` instead of raising (unless ``check_errors``)."""
    try:
        X = solve(A, B, left=left)
        info = np.zeros(A._data.shape[:-2], np.int32)
    except LinAlgError:
        if check_errors:
            raise
        info = _singular_info(A)
        shape = np.broadcast_shapes(A._data.shape[:-1], B._data.shape[:-1]) if _vector_rhs(A, B) else \
            np.broadcast_shapes(A._data.shape[:-2], B._data.shape[:-2]) + B._data.shape[-2:]
        X = _const(np.full(shape, np.nan, A._data.dtype))
    return _solve_ex_t((X, _const(info)))


def solve_triangular(A, B, *, upper, left=True, unitriangular=False, out=None):
    """X with A X = B (or X A = B) reading only A's upper or lower triangle (its diagonal taken
    as ones when ``unitriangular``); B is always a batch of matrices."""
    _check_matrix("linalg.solve_triangular", A)
    if B._data.ndim < 2:
        raise RuntimeError("linalg.solve_triangular: The input tensor B must have at least 2 dimensions.")
    if A._data.dtype != B._data.dtype:
        raise RuntimeError(f"linalg.solve_triangular: Expected A and B to have the same dtype, but found A of "
                           f"type {_dtype.type_word(A._data.dtype)} and B of type "
                           f"{_dtype.type_word(B._data.dtype)} instead")
    n = A._data.shape[-1]
    if (B._data.shape[-2] if left else B._data.shape[-1]) != n:
        bs = B._data.shape
        raise RuntimeError(f"linalg.solve_triangular: Incompatible shapes of A and B for the equation "
                           f"{'AX = B' if left else 'XA = B'} ({n}x{n} and {bs[-2]}x{bs[-1]})")
    if left:
        return _out(SolveTriangular.apply(A, B, bool(upper), bool(unitriangular)), out)
    return _out(SolveTriangular.apply(A.mT, B.mT, not upper, bool(unitriangular)).mT, out)


def lu(A, *, pivot=True, out=None):
    """A = P L U with partial pivoting: P a permutation, L unit lower triangular (m x k),
    U upper triangular (k x n), k = min(m, n)."""
    _check_matrix("linalg.lu", A, square=False)
    if not pivot:
        raise RuntimeError("linalg.lu_factor: LU without pivoting is not implemented on the CPU")
    return _lu_t(Lu.apply(A))


def lu_factor_ex(A, *, pivot=True, check_errors=False, out=None):
    """(LU, pivots, info): L and U packed into one matrix (L's unit diagonal left out), LAPACK's
    1-based row swaps, and the position of the first zero pivot (0 if none)."""
    _check_matrix("linalg.lu_factor_ex", A, square=False)
    if not pivot:
        raise RuntimeError("linalg.lu_factor: LU without pivoting is not implemented on the CPU")
    _, piv, info = lu_factor_array(A._data)
    P, L, U = Lu.apply(A)
    m, n = A._data.shape[-2:]
    k = min(m, n)
    # packed = strict lower part of L plus U, laid out in an m x n matrix (differentiable in L, U)
    from .._ops.shape import cat
    if m >= n:
        packed = L.tril(-1) + cat([U, _const(np.zeros(U._data.shape[:-2] + (m - k, n), A._data.dtype))], -2)
    else:
        packed = U + cat([L.tril(-1), _const(np.zeros(L._data.shape[:-2] + (m, n - k), A._data.dtype))], -1)
    if check_errors and info.any():
        raise LinAlgError(f"linalg.lu_factor_ex: U[{int(info.max())},{int(info.max())}] is zero")
    return _lu_factor_ex_t((packed, _const(piv), _const(info)))


def lu_factor(A, *, pivot=True, out=None):
    """(LU, pivots) as ``lu_factor_ex``; a zero pivot raises, as in PyTorch."""
    LU, piv, info = lu_factor_ex(A, pivot=pivot)
    if info._data.any():
        flat = info._data.reshape(-1)
        i = int(np.flatnonzero(flat)[0])
        k = int(flat[i])
        where = f"(Batch element {i}): " if info._data.ndim else ""
        raise RuntimeError(f"torch.linalg.lu_factor: {where}U[{k},{k}] is zero and using it on lu_solve would "
                           "result in a division by zero. If you still want to perform the factorization, "
                           "consider calling linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)")
    return _lu_factor_t((LU, piv))


def lu_solve(LU, pivots, B, *, left=True, adjoint=False, out=None):
    """X with A X = B (or X A = B; A^T in place of A when ``adjoint``) for A = P L U given by
    ``lu_factor``: two triangular solves and a permutation."""
    n = LU._data.shape[-1]
    P = _const(pivots_to_permutation(pivots._data, n).astype(LU._data.dtype))
    L = LU.tril(-1) + _const(np.eye(n, dtype=LU._data.dtype))
    U = LU.triu()

    def solve_a(b):            # A^-1 b = U^-1 L^-1 P^T b
        y = solve_triangular(L, P.mT.matmul(b), upper=False, unitriangular=True)
        return solve_triangular(U, y, upper=True)

    def solve_at(b):           # A^-T b = P L^-T U^-T b
        y = solve_triangular(U.mT, b, upper=False)
        return P.matmul(solve_triangular(L.mT, y, upper=True, unitriangular=True))

    if left:
        X = solve_at(B) if adjoint else solve_a(B)
    else:                      # X A = B  <=>  A^T X^T = B^T
        X = (solve_a(B.mT) if adjoint else solve_at(B.mT)).mT
    return _out(X, out)


def matrix_exp(A):
    """exp(A) = I + A + A^2/2! + ... of each square matrix."""
    _check_matrix("linalg.matrix_exp", A)
    return MatrixExp.apply(A)


def _top_cholesky_solve(B, L, upper=False, *, out=None):
    """``torch.cholesky_solve``: X with A X = B where A = L L^T (or U^T U)."""
    if upper:
        y = solve_triangular(L.mT, B, upper=False)
        return _out(solve_triangular(L, y, upper=True), out)
    y = solve_triangular(L, B, upper=False)
    return _out(solve_triangular(L.mT, y, upper=True), out)


def _top_cholesky_inverse(L, upper=False, *, out=None):
    """``torch.cholesky_inverse``: A^-1 where A = L L^T (or U^T U)."""
    eye = _const(np.eye(L._data.shape[-1], dtype=L._data.dtype))
    return _top_cholesky_solve(eye, L, upper, out=out)


def tensorinv(A, ind=2, *, out=None):
    """The inverse of A read as a matrix: the first ``ind`` dims are its rows, the rest its columns."""
    if ind <= 0:
        raise RuntimeError(f"Expected a strictly positive integer for 'ind', but got {ind}")
    rows, cols = A._data.shape[:ind], A._data.shape[ind:]
    m, k = int(np.prod(rows)), int(np.prod(cols))
    if m != k:
        raise RuntimeError(f"Expected self to satisfy the requirement prod(self.shape[ind:]) == "
                           f"prod(self.shape[:ind]), but got {k} != {m}")
    return _out(inv(A.reshape(m, k)).reshape(tuple(cols) + tuple(rows)), out)


def tensorsolve(A, B, dims=None, *, out=None):
    """X with tensordot(A, X, X.ndim) = B."""
    if dims is not None:
        nd = A._data.ndim
        dims = [normalize_dim(d, nd) for d in dims]
        A = A.permute(*([i for i in range(nd) if i not in dims] + dims))
    rest = A._data.shape[B._data.ndim:]
    m, k = int(np.prod(B._data.shape)), int(np.prod(rest))
    if m != k:
        raise RuntimeError("Expected self to satisfy the requirement prod(self.shape[other.ndim:]) == "
                           f"prod(self.shape[:other.ndim]), but got {k} != {m}")
    return _out(solve(A.reshape(m, k), B.reshape(m)).reshape(tuple(rest)), out)


def lstsq(A, B, rcond=None, *, driver=None):
    """The least-squares solution of A X = B (minimum norm), as PyTorch's default CPU driver
    ('gelsy') reports it: ``residuals`` and ``singular_values`` are empty, ``rank`` is filled."""
    _check_matrix("torch.linalg.lstsq", A, square=False)
    vec = B._data.ndim == A._data.ndim - 1
    Bm = B.unsqueeze(-1) if vec else B
    if A._data.shape[-2] != Bm._data.shape[-2]:
        raise RuntimeError("torch.linalg.lstsq: input.size(-2) should match other.size(-2)")
    if driver not in (None, "gelsy", "gelsd", "gelss", "gels"):
        raise RuntimeError(f"torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)")
    X, rank = Lstsq.apply(A, Bm, rcond)
    if vec:
        X = X.squeeze(-1)
    empty = _const(np.zeros(0, A._data.dtype))
    return _lstsq_t((X, empty, rank, _const(np.zeros(0, A._data.dtype))))


# --- decompositions -------------------------------------------------------------------------------
def cholesky(A, *, upper=False, out=None):
    """L lower triangular with A = L L^T (or U = L^T with ``upper=True``); A symmetric positive
    definite, else ``LinAlgError``."""
    _check_matrix("linalg.cholesky", A)
    return _out(Cholesky.apply(A, bool(upper)), out)


def cholesky_ex(A, *, upper=False, check_errors=False, out=None):
    _check_matrix("linalg.cholesky", A)
    try:
        L = Cholesky.apply(A, bool(upper))
        info = np.zeros(A._data.shape[:-2], np.int32)
    except LinAlgError:
        if check_errors:
            raise
        L = _const(np.zeros(A._data.shape, A._data.dtype))
        info = np.ones(A._data.shape[:-2], np.int32)
    return _chol_ex_t((L, _const(info)))


def _top_cholesky(input, upper=False, *, out=None):
    """``torch.cholesky`` (deprecated in PyTorch): ``linalg.cholesky``."""
    return cholesky(input, upper=upper, out=out)


def qr(A, mode="reduced", *, out=None):
    """A = Q R: Q with orthonormal columns, R upper triangular. ``mode``: 'reduced' (Q is m x k),
    'complete' (Q is m x m), 'r' (R only; Q is an empty tensor)."""
    _check_matrix("linalg.qr", A, square=False)
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), "
                           "'r', or 'complete'")
    if mode == "r":
        from ..autograd import no_grad
        with no_grad():
            _, R = Qr.apply(A, "reduced")
        if A.requires_grad:
            R = _RequiresQ.apply(A, R)
        return _qr_t((_const(np.zeros(0, A._data.dtype)), R))
    return _qr_t(Qr.apply(A, mode))


class _RequiresQ(Function):
    """R from ``qr(mode='r')``.   Its derivative needs Q, which was not computed: backward raises,
    as PyTorch's does."""

    _backward_name = "LinalgQrBackward0"

    @staticmethod
    def forward(ctx, a, r):
        return r._data.copy()

    @staticmethod
    def backward(ctx, g):
        raise RuntimeError("The derivative of linalg.qr depends on Q, which is not computed when mode='r'. "
                           "Please use linalg.qr(A, mode='reduced') if you are going to differentiate through "
                           "linalg.qr.")


def _geqrf(input, *, out=None):
    """``torch.geqrf``: QR with Q as Householder reflectors, (a, tau) as LAPACK gives them."""
    _check_tensor("torch.geqrf", input)
    if input.dim() < 2:
        raise RuntimeError("torch.geqrf: input must have at least 2 dimensions.")
    if input._data.dtype.kind != "f" or input._data.dtype == np.float16:
        raise NotImplementedError(f"\"geqrf_cpu\" not implemented for '{_dtype.type_word(input._data.dtype)}'")
    return _out(_geqrf_t(Geqrf.apply(input)), out)


def householder_product(A, tau, *, out=None):
    """The first n columns of H_1 H_2 ... H_k, H_i = I - tau_i v_i v_i^T with v_i = (0, ..., 0, 1,
    A[i+1:, i]) (LAPACK's orgqr: Q from ``geqrf``'s reflectors). Applied from the last
    reflector to the first to the first n columns of I, each step Q <- Q - tau_i v_i (v_i^T Q);
    made of ember ops, so it differentiates in A and tau."""
    name = "torch.linalg.householder_product"
    if A.dim() < 2:
        raise RuntimeError(f"{name}: input must have at least 2 dimensions.")
    if tau.dim() != A.dim() - 1:
        raise RuntimeError(f"{name}: Expected tau to have one dimension less than input, but got tau.ndim equal "
                           f"to {tau.dim()} and input.ndim is equal to {A.dim()}")
    m, n = A.shape[-2:]
    if m < n:
        raise RuntimeError(f"{name}: input.shape[-2] must be greater than or equal to input.shape[-1]")
    if tau.shape[-1] > n:
        raise RuntimeError(f"{name}: input.shape[-1] must be greater than or equal to tau.shape[-1]")
    from .. import _ops
    batch = tuple(A.shape[:-2])
    q = _const(np.broadcast_to(np.eye(m, n, dtype=A._data.dtype), batch + (m, n)))
    head = np.zeros(batch + (m,), A._data.dtype)
    for i in reversed(range(tau.shape[-1])):
        head[..., :i + 1] = 0
        head[..., i] = 1
        v = _ops.shape.cat([_const(head[..., :i + 1].copy()), A[..., i + 1:, i]], -1).unsqueeze(-1)
        q = q - tau[..., i, None, None] * v * v.mT.matmul(q)
    return _out(q, out)


def eigh(A, UPLO="L", *, out=None):
    """Eigenvalues (ascending) and orthonormal eigenvectors of symmetric matrices; only the
    ``UPLO`` triangle of A is read."""
    _check_matrix("linalg.eigh", A)
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    return _eigh_t(Eigh.apply(A, UPLO))


def eigvalsh(A, UPLO="L", *, out=None):
    """The eigenvalues of symmetric matrices, ascending."""
    _check_matrix("linalg.eigvalsh", A)
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    if A.requires_grad:
        return _out(Eigh.apply(A, UPLO)[0], out)
    return _out(_const(np.linalg.eigvalsh(A._data, UPLO=UPLO)), out)


def svd(A, full_matrices=True, *, driver=None, out=None):
    """A = U diag(S) Vh, singular values descending."""
    _check_matrix("linalg.svd", A, square=False)
    return _svd_t(Svd.apply(A, bool(full_matrices)))


def svdvals(A, *, driver=None, out=None):
    """The singular values, descending (their gradient goes through the SVD: U diag(gS) Vh)."""
    _check_matrix("linalg.svdvals", A, square=False)
    if A.requires_grad:
        return _out(Svd.apply(A, False)[1], out)
    return _out(_const(np.linalg.svd(A._data, compute_uv=False)), out)


def _tolerances(A, atol, rtol, rcond=None, tol=None):
    """PyTorch's rule: rtol defaults to eps * max(m, n) when atol is not given (or is 0)."""
    if tol is not None:
        atol, rtol = tol, 0.0
    if rcond is not None:
        rtol = rcond
    for t in (atol, rtol):
        if isinstance(t, Tensor):
            raise NotImplementedError("ember: tensor atol/rtol are not supported; pass floats")
    if rtol is None:
        rtol = np.finfo(A._data.dtype).eps * max(A._data.shape[-2:]) if (atol is None or atol <= 0) else 0.0
    return float(atol or 0.0), float(rtol)


def pinv(A, *, atol=None, rtol=None, hermitian=False, out=None):
    """The Moore-Penrose pseudo-inverse, via the SVD (or ``eigh`` when ``hermitian``): singular
    values at or below max(atol, rtol * largest) count as zero."""
    _check_matrix("linalg.pinv", A, square=False)
    atol, rtol = _tolerances(A, atol, rtol)
    return _out(Pinv.apply(A, atol, rtol, bool(hermitian)), out)


def _top_svd(input, some=True, compute_uv=True, *, out=None):
    """``torch.svd`` (deprecated in PyTorch): returns V, not V^T; ``some=False`` gives full U, V."""
    if not compute_uv:
        S = svdvals(input)
        m, n = input._data.shape[-2:]
        batch, dt = input._data.shape[:-2], input._data.dtype
        return _top_svd_t((_const(np.zeros(batch + (m, m), dt)), S, _const(np.zeros(batch + (n, n), dt))))
    U, S, Vh = svd(input, full_matrices=not some)
    return _top_svd_t((U, S, Vh.mT))


def _top_qr(input, some=True, *, out=None):
    """``torch.qr`` (deprecated in PyTorch): ``linalg.qr`` with ``some`` for mode 'reduced'."""
    return _top_qr_t(qr(input, "reduced" if some else "complete"))


def _top_pinverse(input, rcond=1e-15):
    """``torch.pinverse``: ``linalg.pinv`` with rtol = rcond."""
    return pinv(input, rtol=rcond)


def matrix_rank(A, *, atol=None, rtol=None, hermitian=False, tol=None, out=None):
    """How many singular values exceed max(atol, rtol * the largest) (int64)."""
    _check_matrix("linalg.matrix_rank", A, square=False)
    atol, rtol = _tolerances(A, atol, rtol, tol=tol)
    a = A._data
    if hermitian:
        s = np.abs(np.linalg.eigvalsh(a))
    else:
        s = np.linalg.svd(a, compute_uv=False)
    smax = s.max(-1, keepdims=True) if s.shape[-1] else np.zeros(s.shape[:-1] + (1,), s.dtype)
    return _out(_const(np.asarray((s > np.maximum(atol, rtol * smax)).sum(-1), np.int64)), out)


# --- norms ----------------------------------------------------------------------------------------
def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):
    """(sum |x_i|^ord)^(1/ord) over ``dim`` (all dims by default); ord = inf/-inf gives the
    max/min |x_i|, ord = 0 counts the non-zeros."""
    _check_tensor("linalg.vector_norm", x)
    if isinstance(ord, str):
        raise TypeError(f"linalg_vector_norm(): argument 'ord' (position 2) must be Number, not str")
    if x._data.dtype.kind != "f":
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
                               f"{_dtype.type_word(x._data.dtype)}")
    if dtype is not None:
        d = _dtype.to_dtype(dtype)
        if d.np != x._data.dtype:
            x = x.to(d)
    from .._ops.reduction import reduce_dims
    dims = reduce_dims(dim, x._data.ndim)
    _check_norm_input(x._data, dims, ord)
    return _out(VectorNorm.apply(x, float(ord), dims, bool(keepdim)), out)


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None, out=None):
    """The matrix norms: 'fro' (sqrt of the sum of squares), 'nuc' (sum of singular values),
    2 / -2 (largest / smallest singular value), 1 / -1 (max / min column abs sum), inf / -inf
    (max / min row abs sum)."""
    _check_tensor("linalg.matrix_norm", A)
    if A._data.ndim < 2:
        raise RuntimeError(f"linalg.matrix_norm: The input tensor A must have at least 2 dimensions.")
    _check_float("linalg.matrix_norm", A)
    if dtype is not None:
        A = A.to(dtype)
    dim = tuple(dim)
    if len(dim) != 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, dim))}")
    nd = A._data.ndim
    d0, d1 = normalize_dim(dim[0], nd), normalize_dim(dim[1], nd)
    if d0 == d1:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({dim[0]}, {dim[1]})")
    if ord == "fro":
        return _out(vector_norm(A, 2, (d0, d1), keepdim), out)
    if ord not in ("nuc", 2, -2, 1, -1, math.inf, -math.inf):
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    if ord in ("nuc", 2, -2):
        perm = [i for i in range(nd) if i not in (d0, d1)] + [d0, d1]
        s = svdvals(A.permute(*perm))
        if s._data.shape[-1] == 0:                  # an empty matrix: every norm is 0
            s = _const(np.zeros(s._data.shape[:-1] + (1,), s._data.dtype))
        r = s.sum(-1) if ord == "nuc" else s.amax(-1) if ord == 2 else s.amin(-1)
        if keepdim:
            for d in sorted((d0, d1)):
                r = r.unsqueeze(d)
        return _out(r, out)
    # 1 / -1: reduce the rows (d0) by abs sum, then the columns; inf / -inf the other way round
    first, second = (d0, d1) if ord in (1, -1) else (d1, d0)
    s = A.abs().sum(first, keepdim=True)
    r = s.amax(second, keepdim=True) if ord > 0 else s.amin(second, keepdim=True)
    if not keepdim:
        r = r.squeeze(max(d0, d1)).squeeze(min(d0, d1))
    return _out(r, out)


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None, out=None):
    """A vector norm or a matrix norm: by ``dim`` (int: vector, 2-tuple: matrix), or, when dim
    is None, by A's dims (1-D: vector, 2-D: matrix; with ord None, the 2-norm of everything)."""
    _check_tensor("linalg.norm", A)
    if dim is not None:
        if isinstance(dim, int):
            dim = (dim,)
        dim = tuple(dim)
        if len(dim) not in (1, 2):
            raise RuntimeError(f"linalg.norm: If dim is specified, it must be of length 1 or 2. Got {list(dim)}")
    elif ord is not None:
        if A._data.ndim not in (1, 2):
            raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. "
                               f"Got {A._data.ndim}D.")
        dim = tuple(range(A._data.ndim))
    if ord is None:
        return vector_norm(A, 2, dim, keepdim, dtype=dtype, out=out)
    if len(dim) == 2 or isinstance(ord, str):
        return matrix_norm(A, ord, dim, keepdim, dtype=dtype, out=out)
    return vector_norm(A, ord, dim, keepdim, dtype=dtype, out=out)


def cond(A, p=None, *, out=None):
    """The condition number ||A||_p ||A^-1||_p; for p None/2/-2 the ratio of the extreme
    singular values (then A may be rectangular)."""
    _check_tensor("linalg.cond", A)
    if A._data.ndim < 2:
        raise RuntimeError("linalg.cond: The input tensor A must have at least 2 dimensions.")
    if p in (None, 2, -2):
        s = svdvals(A)
        r = s.amax(-1) / s.amin(-1) if p != -2 else s.amin(-1) / s.amax(-1)
        return _out(r, out)
    _check_matrix("linalg.cond", A)
    return _out(matrix_norm(A, p) * matrix_norm(inv(A), p), out)


# --- products and the rest --------------------------------------------------------------------------
def cross(input, other, *, dim=-1, out=None):
    """The cross product of 3-vectors along ``dim`` (default the last), batch dims broadcast."""
    from .._ops.more_math import cross as _cross
    if input._data.ndim != other._data.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    return _cross(input, other, dim=dim, out=out)


def multi_dot(tensors, *, out=None):
    """A_1 A_2 ... A_k in one call; the first may be 1-D (a row) and the last 1-D (a column)."""
    tensors = list(tensors)
    if len(tensors) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(tensors)}")
    first_vec, last_vec = tensors[0]._data.ndim == 1, tensors[-1]._data.ndim == 1
    mats = list(tensors)
    if first_vec:
        mats[0] = mats[0].unsqueeze(0)
    if last_vec:
        mats[-1] = mats[-1].unsqueeze(-1)
    for i, t in enumerate(mats):
        if t._data.ndim != 2:
            which = "first" if i == 0 else "last" if i == len(mats) - 1 else None
            if which:
                raise RuntimeError(f"multi_dot(): the {which} tensor must be 1D or 2D but got {t._data.ndim}D")
            raise RuntimeError(f"multi_dot(): tensor {i} must be 2D but got {t._data.ndim}D")
    r = mats[0]
    for t in mats[1:]:
        r = r.matmul(t)
    if first_vec:
        r = r.squeeze(0)
    if last_vec:
        r = r.squeeze(-1)
    return _out(r, out)


def vecdot(x, y, *, dim=-1, out=None):
    """sum_i x_i y_i along ``dim`` (batch dims broadcast)."""
    return _out((x * y).sum(dim), out)


def diagonal(A, *, offset=0, dim1=-2, dim2=-1):
    """``torch.diagonal`` with the last two dims as the default."""
    return A.diagonal(offset, dim1, dim2)


def matmul(input, other, *, out=None):
    return input.matmul(other) if out is None else _out(input.matmul(other), out)


def vander(x, *, N=None):
    """Rows x_i^0, x_i^1, ..., x_i^(N-1)."""
    n = x._data.shape[-1] if N is None else N
    if n < 1:
        raise RuntimeError("N must be greater than 1.")
    powers = [x.unsqueeze(-1) * 0 + 1]
    for _ in range(1, n):
        powers.append(powers[-1] * x.unsqueeze(-1))
    from .._ops.shape import cat
    return cat(powers, -1)


def _out(r, out):
    if out is None:
        return r
    from .._ops.pointwise import _out as pw_out
    return pw_out(r, out)


# names PyTorch also has at the top level (torch.det, torch.inverse...): see TOP_LEVEL
TOP_LEVEL = {"det": det, "inverse": inv, "logdet": logdet, "slogdet": _top_slogdet, "cholesky": _top_cholesky,
             "pinverse": _top_pinverse, "matrix_power": matrix_power, "svd": _top_svd, "qr": _top_qr,
             "matrix_exp": matrix_exp, "cholesky_solve": _top_cholesky_solve,
             "cholesky_inverse": _top_cholesky_inverse, "geqrf": _geqrf, "orgqr": householder_product}


def _attach_methods():
    """``A.det()``, ``A.inverse()``, ``A.svd()``...: the top-level names as Tensor methods (only
    where no method of that name exists yet)."""
    for name, fn in TOP_LEVEL.items():
        if not hasattr(Tensor, name):
            setattr(Tensor, name, fn)


_attach_methods()

__all__ = ["LinAlgError", "inv", "inv_ex", "det", "slogdet", "logdet", "matrix_power", "solve", "lstsq",
           "cholesky", "cholesky_ex", "qr", "solve_ex", "solve_triangular", "lu", "lu_factor", "lu_factor_ex",
           "lu_solve", "matrix_exp", "tensorinv", "tensorsolve", "eigh", "eigvalsh", "svd", "svdvals", "pinv",
           "matrix_rank", "vector_norm", "matrix_norm", "norm", "cond", "cross", "multi_dot", "vecdot",
           "diagonal", "matmul", "vander", "householder_product"]

from .._missing import module_getattr as _module_getattr  # noqa: E402
__getattr__ = _module_getattr("torch.linalg")
