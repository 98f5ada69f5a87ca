"""The differentiable decompositions behind ``torch.linalg``: one ``Function`` per factorization.

Each forward calls NumPy's LAPACK wrappers (``np.linalg``), batched over the leading dims.
Each backward is written with ember's own ops (``matmul``, ``inv``, ``tril``...), so a backward
graph is recorded under ``create_graph=True`` and second derivatives work as in PyTorch.

Notation: for an output Y of an op with input A, ``gY`` is dL/dY (given) and ``gA`` is dL/dA
(returned); <X, Y> = sum_ij X_ij Y_ij. A backward rule is read off the forward differential:
if dY = f(dA) then <gY, dY> = <f^*(gY), dA>, so gA = f^*(gY), the adjoint of f.
"""
import numpy as np

from .._tensor import Tensor
from ..autograd.function import Function


class LinAlgError(RuntimeError):
    """``torch.linalg.LinAlgError``: a matrix has no inverse, no Cholesky factor... (a
    ``RuntimeError``, as in PyTorch)."""


def _const(arr):
    return Tensor._make(np.asarray(arr))


def _eye_like(t, n=None):
    n = t._data.shape[-1] if n is None else n
    return _const(np.eye(n, dtype=t._data.dtype))


def _batch_prefix(batch_shape, index):
    """PyTorch's "(Batch element i): " prefix for a failing matrix of a batch."""
    return f"(Batch element {index}): " if batch_shape else ""


def _lu_zero_pivot(m):
    """1-based position of the first exactly-zero pivot of LU with partial pivoting (LAPACK's
    ``getrf`` info), or 0 when there is none."""
    a = np.array(m, dtype=np.float64 if m.dtype == np.float64 else np.float32)
    n = a.shape[0]
    for k in range(n):
        p = k + int(np.argmax(np.abs(a[k:, k])))
        if a[p, k] == 0:
            return k + 1
        a[[k, p]] = a[[p, k]]
        a[k + 1:, k] /= a[k, k]
        a[k + 1:, k + 1:] -= np.outer(a[k + 1:, k], a[k, k + 1:])
    return 0


def _singular_error(name, a, message):
    """Raise PyTorch's LinAlgError for the first singular matrix of the batch ``a``."""
    batch = a.shape[:-2]
    flat = a.reshape((-1,) + a.shape[-2:])
    for i, m in enumerate(flat):
        k = _lu_zero_pivot(m)
        if k:
            raise LinAlgError(f"{name}: {_batch_prefix(batch, i)}" + message(k))
    raise LinAlgError(f"{name}: {_batch_prefix(batch, 0)}" + message(a.shape[-1]))


class Inv(Function):
    """X = A^-1.   dX = -A^-1 dA A^-1, so gA = -A^-T gX A^-T.

    Differentiate A X = I: dA X + A dX = 0, so dX = -X dA X. Its adjoint moves the two X
    factors to the other side transposed: <gX, -X dA X> = <-X^T gX X^T, dA>. The backward uses
    the saved output X (a node of this graph), so the rule is itself differentiable."""

    _backward_name = "LinalgInvExBackward0"

    @staticmethod
    def forward(ctx, a):
        try:
            x = np.linalg.inv(a._data)
        except np.linalg.LinAlgError:
            _singular_error("linalg.inv", a._data, lambda k: f"The diagonal element {k} is zero, the inversion "
                                                           "could not be completed because the input matrix is "
                                                           "singular.")
        ctx.save_for_backward(x)
        return x

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        xt = x.mT
        return -(xt.matmul(g).matmul(xt))


class Solve(Function):
    """X = A^-1 B (B a batch of matrices).   gB = A^-T gX,  gA = -gB X^T.

    From A X = B: dA X + A dX = dB, so dX = A^-1 (dB - dA X). Then
    <gX, A^-1 dB> = <A^-T gX, dB> gives gB, and <gX, -A^-1 dA X> = <-A^-T gX X^T, dA> gives
    gA = -gB X^T. gB is itself a solve, with A^T, so the backward is differentiable."""

    _backward_name = "LinalgSolveExBackward0"

    @staticmethod
    def forward(ctx, a, b):
        try:
            x = np.linalg.solve(a._data, b._data)
        except np.linalg.LinAlgError:
            ab = np.broadcast_to(a._data, np.broadcast_shapes(a._data.shape[:-2], b._data.shape[:-2])
                                 + a._data.shape[-2:])
            _singular_error("torch.linalg.solve", ab,
                            lambda k: "The solver failed because the input matrix is singular.")
        ctx.save_for_backward(a, x)
        return x

    @staticmethod
    def backward(ctx, g):
        a, x = ctx.saved_tensors
        na, nb = ctx.needs_input_grad
        gb = Solve.apply(a.mT, g)
        return (-gb.matmul(x.mT) if na else None), (gb if nb else None)


def _triangle(a, upper, unit):
    """The triangle of ``a`` a triangular solve reads (its diagonal set to 1 when ``unit``)."""
    t = np.triu(a) if upper else np.tril(a)
    if unit:
        t = t.copy()
        idx = np.arange(a.shape[-1])
        t[..., idx, idx] = 1
    return t


class SolveTriangular(Function):
    """X = T^-1 B with T the upper (or lower) triangle of A.   gB = T^-T gX,  gA = triangle(-gB X^T).

    The same rule as ``Solve`` (from T X = B: dX = T^-1 (dB - dT X)); only the entries of the
    triangle take part, so the gradient of A is the triangle of -gB X^T (without its diagonal
    when the diagonal is taken as ones)."""

    _backward_name = "LinalgSolveTriangularBackward0"

    @staticmethod
    def forward(ctx, a, b, upper, unit):
        t = _triangle(a._data, upper, unit)
        try:
            x = np.linalg.solve(t, b._data)
        except np.linalg.LinAlgError:       # a zero on the diagonal: LAPACK's trtrs gives inf/nan
            with np.errstate(all="ignore"):
                x = np.full(np.broadcast_shapes(t.shape[:-2], b._data.shape[:-2]) + b._data.shape[-2:], np.nan,
                            dtype=b._data.dtype)
        ctx.opts = (upper, unit)
        ctx.save_for_backward(a, x)
        return x

    @staticmethod
    def backward(ctx, g):
        a, x = ctx.saved_tensors
        upper, unit = ctx.opts
        na, nb = ctx.needs_input_grad[:2]
        gb = SolveTriangular.apply(a.mT, g, not upper, unit)
        ga = None
        if na:
            ga = -gb.matmul(x.mT)
            off = 1 if unit else 0
            ga = ga.triu(off) if upper else ga.tril(-off)
        return ga, (gb if nb else None), None, None


def _det_grad_factor(a, det):
    """d det(A)/dA = det(A) A^-T (Jacobi's formula); for a singular A (det = 0) that product
    is 0 * inf, so there use A = U S V^T: det = det(U) det(V) prod(s), whose derivative is
    det(U) det(V) U diag(prod_{j != i} s_j) V^T, which is finite at any A."""
    if not (det._data == 0).any():
        return det.unsqueeze(-1).unsqueeze(-2) * Inv.apply(a).mT
    u, s, vh = Svd.apply(a, False)
    n = s._data.shape[-1]
    mask = np.eye(n, dtype=bool)
    others = s.unsqueeze(-2).expand(s._data.shape[:-1] + (n, n)).masked_fill(_const(mask), 1.0).prod(-1)
    sgn = np.linalg.det(u._data) * np.linalg.det(vh._data)
    return _const(sgn[..., None, None]) * (u * others.unsqueeze(-2)).matmul(vh)


class Det(Function):
    """d = det(A).   gA = gd det(A) A^-T (Jacobi's formula: d det = det tr(A^-1 dA)).

    tr(A^-1 dA) = <A^-T, dA>, so the adjoint of dA -> det tr(A^-1 dA) is gd det A^-T. At a
    singular matrix the product det * A^-1 is replaced by the cofactor-like SVD formula (see
    ``_det_grad_factor``), as PyTorch does."""

    _backward_name = "LinalgDetBackward0"

    @staticmethod
    def forward(ctx, a):
        d = np.asarray(np.linalg.det(a._data))
        ctx.save_for_backward(a, d)
        return d

    @staticmethod
    def backward(ctx, g):
        a, d = ctx.saved_tensors
        return g.unsqueeze(-1).unsqueeze(-2) * _det_grad_factor(a, d)


class Slogdet(Function):
    """(sign, log|det A|).   g_A = g_logabsdet A^-T; the sign is piecewise constant (no gradient).

    d log|det A| = d det / det = tr(A^-1 dA) = <A^-T, dA> (Jacobi's formula divided by det)."""

    _backward_name = "LinalgSlogdetBackward0"

    @staticmethod
    def forward(ctx, a):
        sign, logabs = np.linalg.slogdet(a._data)
        sign, logabs = np.asarray(sign), np.asarray(logabs)
        ctx.save_for_backward(a)   # sign requires grad as in PyTorch, but its gradient is always 0
        return sign, logabs

    @staticmethod
    def backward(ctx, gsign, glogabs):
        a, = ctx.saved_tensors
        return glogabs.unsqueeze(-1).unsqueeze(-2) * Inv.apply(a).mT


def _not_pd_error(a):
    batch = a.shape[:-2]
    flat = a.reshape((-1,) + a.shape[-2:])
    for i, m in enumerate(flat):
        for k in range(1, m.shape[-1] + 1):
            try:
                np.linalg.cholesky(m[:k, :k])
            except np.linalg.LinAlgError:
                raise LinAlgError(f"linalg.cholesky: {_batch_prefix(batch, i)}The factorization could not be "
                                  "completed because the input is not positive-definite (the leading minor of "
                                  f"order {k} is not positive-definite).") from None
    raise LinAlgError("linalg.cholesky: The factorization could not be completed because the input is not "
                      "positive-definite.")


class Cholesky(Function):
    """A = L L^T, L lower triangular (or A = U^T U with U = L^T).   gA = sym(L^-T Phi(L^T gL) L^-1).

    Here Phi(X) keeps the lower triangle of X and halves its diagonal, and sym(X) = (X + X^T)/2.
    From dA = dL L^T + L dL^T: L^-1 dA L^-T = L^-1 dL + (L^-1 dL)^T, where L^-1 dL is lower
    triangular, so L^-1 dL = Phi(L^-1 dA L^-T) and dL = L Phi(L^-1 dA L^-T). Taking the
    adjoint of that map gives the formula (PyTorch's ``cholesky_backward``); the result is
    symmetrized because only symmetric perturbations of A are meaningful."""

    _backward_name = "LinalgCholeskyExBackward0"

    @staticmethod
    def forward(ctx, a, upper):
        try:
            low = np.linalg.cholesky(a._data if not upper else np.swapaxes(a._data, -1, -2))
        except np.linalg.LinAlgError:
            _not_pd_error(a._data)
        out = np.ascontiguousarray(np.swapaxes(low, -1, -2)) if upper else low
        ctx.upper = upper
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        low, gl = (out.mT, g.mT) if ctx.upper else (out, g)
        phi = low.mT.matmul(gl).tril()
        phi = phi - 0.5 * phi.diagonal(0, -2, -1).diag_embed()
        linv = Inv.apply(low)
        ga = linv.mT.matmul(phi).matmul(linv)
        return 0.5 * (ga + ga.mT), None


class Eigh(Function):
    """A = Q diag(w) Q^T (A symmetric, w ascending).   gA = Q (diag(gw) + skew(Q^T gQ)/(2E)) Q^T.

    E_ij = w_j - w_i and skew(X) = X - X^T. From dA = dQ W Q^T + Q dW Q^T + Q W dQ^T with
    C = Q^T dQ skew-symmetric: Q^T dA Q = dW + C W - W C, so dw_i = (Q^T dA Q)_ii and
    C_ij = (Q^T dA Q)_ij / (w_j - w_i) off the diagonal. The adjoint of dQ = Q C puts the
    skew part of Q^T gQ over E; this needs distinct eigenvalues (PyTorch's rule too)."""

    _backward_name = "LinalgEighBackward0"

    @staticmethod
    def forward(ctx, a, uplo):
        w, q = np.linalg.eigh(a._data, UPLO=uplo)
        ctx.save_for_backward(w, q)
        ctx.set_materialize_grads(False)
        return w, q

    @staticmethod
    def backward(ctx, gw, gq):
        w, q = ctx.saved_tensors
        n = w._data.shape[-1]
        inner = None
        if gq is not None:
            qgq = q.mT.matmul(gq)
            skew = 0.5 * (qgq - qgq.mT)
            e = w.unsqueeze(-2) - w.unsqueeze(-1)
            e = e + _eye_like(q, n)               # 1 on the diagonal (skew is 0 there)
            inner = skew / e
        if gw is not None:
            inner = gw.diag_embed() if inner is None else inner + gw.diag_embed()
        if inner is None:
            return None, None
        return q.matmul(inner).matmul(q.mT), None


class Svd(Function):
    """A = U diag(s) V^T.   gA = U [(skew(U^T gU) S + S skew(V^T gV)) / E + diag(gs)] V^T
    + (I - U U^T) gU S^-1 V^T + U S^-1 gV^T (I - V V^T).

    Here E_ij = s_j^2 - s_i^2 (1 on the diagonal) and skew(X) = X - X^T; this is PyTorch's
    ``svd_backward``. It follows as for ``Eigh``: U^T dA V = U^T dU S + dS + S dV^T V with
    U^T dU and V^T dV skew, so the diagonal gives ds_i = (U^T dA V)_ii and the off-diagonal
    entries solve 2x2 systems whose determinant is s_j^2 - s_i^2; the last two terms are the
    parts of dU, dV outside the spans of U and V (rectangular A). Gradients of U or V need
    distinct non-zero singular values; with ``full_matrices=True`` only gS is supported."""

    _backward_name = "LinalgSvdBackward0"

    @staticmethod
    def forward(ctx, a, full_matrices):
        u, s, vh = np.linalg.svd(a._data, full_matrices=full_matrices)
        ctx.full = full_matrices
        ctx.save_for_backward(u, s, vh)
        ctx.set_materialize_grads(False)
        return u, s, vh

    @staticmethod
    def backward(ctx, gu, gs, gvh):
        u, s, vh = ctx.saved_tensors
        m, n = u._data.shape[-2], vh._data.shape[-1]
        k = s._data.shape[-1]
        if ctx.full and (gu is not None or gvh is not None) and max(m, n) > k:
            raise RuntimeError("linalg_svd_backward: Setting full_matrices=True in forward is not supported "
                               "when computing gradients of U or Vh. Please use full_matrices=False.")
        if gu is None and gvh is None:
            if gs is None:
                return None, None
            if ctx.full:
                u, vh = u[..., :k], vh[..., :k, :]
            return (u * gs.unsqueeze(-2)).matmul(vh), None
        v = vh.mT
        gv = gvh.mT if gvh is not None else None
        s2 = s * s
        e = s2.unsqueeze(-2) - s2.unsqueeze(-1) + _eye_like(s, k)
        inner = None
        if gu is not None:
            x = u.mT.matmul(gu)
            inner = (x - x.mT) * s.unsqueeze(-2)
        if gv is not None:
            y = v.mT.matmul(gv)
            t = s.unsqueeze(-1) * (y - y.mT)
            inner = t if inner is None else inner + t
        inner = inner / e
        if gs is not None:
            inner = inner + gs.diag_embed()
        if m > k and gu is not None:
            gus = gu / s.unsqueeze(-2)
            ga = u.matmul(inner) + gus - u.matmul(u.mT.matmul(gus))
            ga = ga.matmul(vh)
        elif n > k and gv is not None:
            gvs = gv / s.unsqueeze(-2)
            ga = inner.matmul(vh) + (gvs - v.matmul(v.mT.matmul(gvs))).mT
            ga = u.matmul(ga)
        else:
            ga = u.matmul(inner).matmul(vh)
        return ga, None


class Geqrf(Function):
    """(a, tau) = geqrf(A), the QR decomposition with Q as Householder reflectors.   The
    derivative is not implemented, as in PyTorch (backward raises).

    R is a's upper triangle; reflector i's vector (1 at i, a[i+1:, i] below) lies under the
    diagonal and its scale is tau[i] (see ``householder_product``). NumPy's
    ``qr(mode='raw')`` runs the same LAPACK routine and returns a transposed."""

    _backward_name = "GeqrfBackward0"

    @staticmethod
    def forward(ctx, a):
        h, tau = np.linalg.qr(a._data, mode="raw")
        return np.ascontiguousarray(h.swapaxes(-1, -2)), tau

    @staticmethod
    def backward(ctx, ga, gtau):
        raise NotImplementedError("the derivative for 'geqrf' is not implemented.")


class Qr(Function):
    """A = Q R (reduced, m >= n).   gA = [gQ + Q (N - Q^T gQ)] R^-T,  N = gR R^T + low(D - D^T),
    D = Q^T gQ - gR R^T.

    low() keeps the strictly lower triangle. With X = Q^T dA R^-1: dR R^-1 is upper triangular
    and C = Q^T dQ is skew, so C = low(X) - low(X)^T, dR = (X - C) R and
    dQ = (I - Q Q^T) dA R^-1 + Q C. Collecting <gQ, dQ> + <gR, dR> as <N, X> + <(I-QQ^T) gQ R^-T, dA>
    and X's adjoint (Q N R^-T) gives the rule."""

    _backward_name = "LinalgQrBackward0"

    @staticmethod
    def forward(ctx, a, mode):
        q, r = np.linalg.qr(a._data, mode=mode)
        ctx.mode = mode
        ctx.save_for_backward(q, r)
        ctx.set_materialize_grads(False)
        return q, r

    @staticmethod
    def backward(ctx, gq, gr):
        q, r = ctx.saved_tensors
        m, n = q._data.shape[-2], r._data.shape[-1]
        if ctx.mode == "complete" and m > n:
            raise RuntimeError("The QR decomposition is not differentiable when mode='complete' and nrows > ncols.")
        if gq is None and gr is None:
            return None, None
        if m >= n:
            return _qr_backward_tall(gq, gr, q, r), None
        # wide A = Q [R1 R2]: X = A[:, :m] = Q R1 is a square QR, Y = A[:, m:] = Q R2 a product.
        # R2 = Q^T Y, so Y gets Q gR2 and Q gets the extra gradient Y gR2^T, passed to X's rule.
        r1, r2 = r[..., :m], r[..., m:]
        gr1 = gr[..., :m] if gr is not None else None
        if gr is not None:
            gr2 = gr[..., m:]
            y = q.matmul(r2)
            extra = y.matmul(gr2.mT)
            gq = extra if gq is None else gq + extra
            gy = q.matmul(gr2)
        else:
            gy = _const(np.zeros(q._data.shape[:-2] + (m, n - m), q._data.dtype))
        from .._ops.shape import cat
        return cat([_qr_backward_tall(gq, gr1, q, r1), gy], -1), None


def _qr_backward_tall(gq, gr, q, r):
    """``Qr``'s rule for m >= n (see its docstring); gq or gr may be None (no gradient)."""
    g1 = gr.matmul(r.mT) if gr is not None else None
    g2 = q.mT.matmul(gq) if gq is not None else None
    if g1 is None:
        d = g2
    elif g2 is None:
        d = -g1
    else:
        d = g2 - g1
    low = (d - d.mT).tril(-1)
    nn = low if g1 is None else g1 + low
    inner = nn if g2 is None else nn - g2
    top = q.matmul(inner)
    if gq is not None:
        top = top + gq
    return top.matmul(Inv.apply(r).mT)


def pinv_backward(g, p, a):
    """gA for P = pinv(A) (A of constant rank):
    gA = -P^T g P^T + (I - A P) g^T P P^T + P^T P g^T (I - P A)."""
    pt = p.mT
    gt = g.mT
    t1 = -pt.matmul(g).matmul(pt)
    t2 = (gt - a.matmul(p.matmul(gt))).matmul(p.matmul(pt))
    t3 = pt.matmul(p).matmul(gt - gt.matmul(p.matmul(a)))
    return t1 + t2 + t3


def _pinv_array(a, atol, rtol, hermitian):
    if hermitian:
        w, q = np.linalg.eigh(a)
        aw = np.abs(w)
        smax = aw.max(-1, keepdims=True) if aw.shape[-1] else aw[..., :1]
        keep = aw > np.maximum(atol, rtol * smax)
        winv = np.where(keep, 1 / np.where(keep, w, 1), 0).astype(a.dtype)
        return (q * winv[..., None, :]) @ np.swapaxes(q, -1, -2)
    u, s, vh = np.linalg.svd(a, full_matrices=False)
    smax = s[..., :1]
    keep = s > np.maximum(atol, rtol * smax)
    sinv = np.where(keep, 1 / np.where(keep, s, 1), 0).astype(a.dtype)
    return (np.swapaxes(vh, -1, -2) * sinv[..., None, :]) @ np.swapaxes(u, -1, -2)


class Pinv(Function):
    """P = A^+, singular values at or below max(atol, rtol s_max) dropped.   gA = -P^T gP P^T
    + (I - A P) gP^T P P^T + P^T P gP^T (I - P A).

    For A of constant rank, dP = -P dA P + P P^T dA^T (I - A P) + (I - P A) dA^T P^T P (Golub
    and Pereyra); the three adjoints of those terms give the rule (PyTorch's ``pinv_backward``)."""

    _backward_name = "LinalgPinvBackward0"

    @staticmethod
    def forward(ctx, a, atol, rtol, hermitian):
        p = np.asarray(_pinv_array(a._data, atol, rtol, hermitian))
        ctx.save_for_backward(a, p)
        return p

    @staticmethod
    def backward(ctx, g):
        a, p = ctx.saved_tensors
        return pinv_backward(g, p, a), None, None, None


class Lstsq(Function):
    """X = argmin ||A X - B|| (the minimum-norm solution: X = A^+ B).   gB = A^+T gX,
    gA = pinv_backward(gX B^T, A^+, A).

    X is A^+ B, so the product rule splits the gradient: B's is the transpose of A^+ applied
    to gX, and A's is the pseudo-inverse's gradient for gP = gX B^T (PyTorch's
    ``linalg_lstsq_backward`` does the same)."""

    _backward_name = "LinalgLstsqBackward0"

    @staticmethod
    def forward(ctx, a, b, rcond):
        ad, bd = a._data, b._data
        batch = np.broadcast_shapes(ad.shape[:-2], bd.shape[:-2])
        ab = np.broadcast_to(ad, batch + ad.shape[-2:]).reshape((-1,) + ad.shape[-2:])
        bb = np.broadcast_to(bd, batch + bd.shape[-2:]).reshape((-1,) + bd.shape[-2:])
        n, k = ad.shape[-1], bd.shape[-1]
        xs = np.empty((ab.shape[0], n, k), dtype=ad.dtype)
        ranks = np.empty(ab.shape[0], dtype=np.int64)
        if rcond is None:
            rcond = np.finfo(ad.dtype).eps * max(ad.shape[-2:])
        for i in range(ab.shape[0]):
            x, _, rank, _ = np.linalg.lstsq(ab[i], bb[i], rcond=rcond)
            xs[i], ranks[i] = x, rank
        x = xs.reshape(batch + (n, k))
        ctx.save_for_backward(a, b)
        ranks = ranks.reshape(batch)
        ctx.mark_non_differentiable(ranks)
        return x, ranks

    @staticmethod
    def backward(ctx, gx, grank):
        a, b = ctx.saved_tensors
        na, nb = ctx.needs_input_grad[:2]
        p = Pinv.apply(a, 0.0, float(np.finfo(a._data.dtype).eps * max(a._data.shape[-2:])), False)
        ga = pinv_backward(gx.matmul(b.mT), p, a) if na else None
        gb = p.mT.matmul(gx) if nb else None
        return ga, gb, None


# --- LU -------------------------------------------------------------------------------------------
def lu_factor_array(a):
    """LU with partial pivoting, as LAPACK's ``getrf``: (LU packed in one array, 1-based pivots
    (int32), info = 1-based position of the first exactly-zero pivot or 0), batched; one pass per
    column, each vectorized over the batch."""
    m, n = a.shape[-2:]
    k = min(m, n)
    batch = a.shape[:-2]
    flat = np.array(a.reshape((int(np.prod(batch)), m, n)), copy=True)
    nb = flat.shape[0]
    rows = np.arange(nb)
    piv = np.empty((nb, k), np.int32)
    info = np.zeros(nb, np.int32)
    for j in range(k):
        p = j + np.argmax(np.abs(flat[:, j:, j]), axis=1) if m > j else np.full(nb, j)
        piv[:, j] = p + 1
        top = flat[rows, j].copy()
        flat[rows, j] = flat[rows, p]
        flat[rows, p] = top
        pivot = flat[:, j, j]
        zero = pivot == 0
        info[(info == 0) & zero] = j + 1
        flat[:, j + 1:, j] /= np.where(zero, 1, pivot)[:, None]
        flat[:, j + 1:, j + 1:] -= flat[:, j + 1:, j, None] * flat[:, j, None, j + 1:]
    return flat.reshape(a.shape), piv.reshape(batch + (k,)), info.reshape(batch)


def pivots_to_permutation(piv, m):
    """The permutation matrix P of A = P L U from LAPACK's sequential row swaps."""
    batch = piv.shape[:-1]
    fp = piv.reshape((int(np.prod(batch)), piv.shape[-1])).astype(np.int64) - 1
    perm = np.tile(np.arange(m), (fp.shape[0], 1))
    rows = np.arange(fp.shape[0])
    for j in range(fp.shape[1]):
        p = fp[:, j]
        top = perm[rows, j].copy()
        perm[rows, j] = perm[rows, p]
        perm[rows, p] = top
    # row i of P^T A is row perm[i] of A: P^T = I[perm], so P = I[perm]^T
    pt = np.eye(m)[perm]
    return np.swapaxes(pt, -1, -2).reshape(batch + (m, m))


def _lu_square_backward(p, low, up, gl, gu):
    """gA = P L^-T (tril(L^T gL, -1) + triu(gU U^T)) U^-T, for A = P L U square."""
    phi = None
    if gl is not None:
        phi = low.mT.matmul(gl).tril(-1)
    if gu is not None:
        t = gu.matmul(up.mT).triu()
        phi = t if phi is None else phi + t
    x = Inv.apply(low).mT.matmul(phi).matmul(Inv.apply(up).mT)
    return p.matmul(x)


class Lu(Function):
    """A = P L U (L unit lower, U upper).   gA = P L^-T (tril(L^T gL, -1) + triu(gU U^T)) U^-T
    for square A.

    P^T dA = dL U + L dU, so X = L^-1 P^T dA U^-1 = L^-1 dL + dU U^-1 with the first term
    strictly lower and the second upper triangular: dL = L tril(X, -1), dU = triu(X) U, and
    the adjoints of these maps give the rule. A tall A = P [L1; L2] U adds L2 = A2 U^-1 (and a
    wide one U2 = L^-1 A2), whose gradients are passed on to the square part."""

    _backward_name = "LinalgLuBackward0"

    @staticmethod
    def forward(ctx, a):
        lu, piv, _ = lu_factor_array(a._data)
        m, n = a._data.shape[-2:]
        k = min(m, n)
        p = Tensor._make(pivots_to_permutation(piv, m).astype(a._data.dtype))
        low = np.tril(lu[..., :, :k], -1)
        idx = np.arange(k)
        low[..., idx, idx] = 1
        up = np.ascontiguousarray(np.triu(lu[..., :k, :]))
        low = np.ascontiguousarray(low)
        ctx.save_for_backward(p, low, up)
        ctx.mark_non_differentiable(p)
        ctx.set_materialize_grads(False)
        return p, low, up

    @staticmethod
    def backward(ctx, gp, gl, gu):
        p, low, up = ctx.saved_tensors
        if gl is None and gu is None:
            return None
        m, n = low._data.shape[-2], up._data.shape[-1]
        if m == n:
            return _lu_square_backward(p, low, up, gl, gu)
        from .._ops.shape import cat
        if m > n:
            l1, l2 = low[..., :n, :], low[..., n:, :]
            gl1 = gl[..., :n, :] if gl is not None else None
            uinv_t = Inv.apply(up).mT
            if gl is not None:
                gl2 = gl[..., n:, :]
                ga2 = gl2.matmul(uinv_t)
                extra = -l2.mT.matmul(ga2)
                gu = extra if gu is None else gu + extra
            else:
                ga2 = _const(np.zeros(low._data.shape[:-2] + (m - n, n), low._data.dtype))
            ga1 = _lu_square_backward(_eye_like(low, n), l1, up, gl1, gu)
            return p.matmul(cat([ga1, ga2], -2))
        u1, u2 = up[..., :, :m], up[..., :, m:]
        gu1 = gu[..., :, :m] if gu is not None else None
        linv_t = Inv.apply(low).mT
        if gu is not None:
            gu2 = gu[..., :, m:]
            ga2 = linv_t.matmul(gu2)
            extra = -ga2.matmul(u2.mT)
            gl = extra if gl is None else gl + extra
        else:
            ga2 = _const(np.zeros(up._data.shape[:-2] + (m, n - m), up._data.dtype))
        ga1 = _lu_square_backward(_eye_like(low, m), low, u1, gl, gu1)
        return p.matmul(cat([ga1, ga2], -1))


# --- matrix exponential ---------------------------------------------------------------------------
_PADE13 = (64764752532480000., 32382376266240000., 7771770303897600., 1187353796428800., 129060195264000.,
           10559470521600., 670442572800., 33522128640., 1323241920., 40840800., 960960., 16380., 182., 1.)


def _expm_array(a):
    """exp(A) by scaling and squaring with the [13/13] Pade approximant (Higham 2005), in float64."""
    x = np.asarray(a, np.float64)
    n = x.shape[-1]
    if n == 0 or x.size == 0:
        return np.asarray(a).copy()
    norm1 = np.abs(x).sum(-2).max(-1)
    with np.errstate(divide="ignore"):
        s = np.maximum(0, np.ceil(np.log2(np.where(norm1 > 0, norm1, 1) / 5.371920351148152))).astype(int)
    x = x / (2.0 ** s)[..., None, None]
    b = _PADE13
    eye = np.eye(n)
    x2 = x @ x
    x4 = x2 @ x2
    x6 = x4 @ x2
    u = x @ (x6 @ (b[13] * x6 + b[11] * x4 + b[9] * x2) + b[7] * x6 + b[5] * x4 + b[3] * x2 + b[1] * eye)
    v = x6 @ (b[12] * x6 + b[10] * x4 + b[8] * x2) + b[6] * x6 + b[4] * x4 + b[2] * x2 + b[0] * eye
    r = np.linalg.solve(v - u, v + u)
    for i in range(int(s.max()) if s.size else 0):
        sq = r @ r
        r = np.where((s > i)[..., None, None], sq, r)
    return r.astype(np.asarray(a).dtype)


class MatrixExp(Function):
    """E = exp(A) = sum_k A^k / k!.   gA = the top-right block of exp([[A^T, gE], [0, A^T]]).

    The derivative of exp at A in the direction dA is the Frechet derivative L(A, dA), and
    exp([[X, Y], [0, X]]) = [[exp X, L(X, Y)], [0, exp X]] (Van Loan). L is linear in its second
    argument with adjoint L(A^T, .), so gA = L(A^T, gE): one exponential of a 2n x 2n matrix,
    itself differentiable."""

    _backward_name = "LinalgMatrixExpBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return _expm_array(a._data)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        from .._ops.shape import cat
        at = a.mT
        n = a._data.shape[-1]
        if g._data.shape != a._data.shape:
            at = at.expand(g._data.shape)
        zero = _const(np.zeros(g._data.shape, g._data.dtype))
        big = cat([cat([at, g], -1), cat([zero, at], -1)], -2)
        return MatrixExp.apply(big)[..., :n, n:]
