"""``torch.linalg`` against PyTorch: values, gradients, gradcheck, gradgradcheck, errors.

Eigenvectors and singular vectors are unique only up to sign, so the table compares functions
of them that do not depend on the sign (elementwise squares, reconstructions)."""
import math

import numpy as np
import pytest
import torch

import ember
from opinfo import A, S, OpInfo, make_tests


def _spd(m, x):
    """A symmetric positive definite matrix made from x (differentiable in x)."""
    return x @ x.mT + x.shape[-1] * m.eye(x.shape[-1], dtype=x.dtype)


def _sym(m, x):
    return x + x.mT


def _eigh(m, x, **k):
    w, q = m.linalg.eigh(_sym(m, x), **k)
    return w, q * q


def _svd(m, x, full=False):
    u, s, vh = m.linalg.svd(x, full_matrices=full)
    return s, u * u, vh * vh


def _svd_rebuild(m, x):
    u, s, vh = m.linalg.svd(x, full_matrices=False)
    return (u * s.unsqueeze(-2)) @ vh


def _qr(m, x, mode="reduced"):
    q, r = m.linalg.qr(x, mode=mode)
    return q, r


OPS = [
    OpInfo("inv", lambda m, x: m.linalg.inv(x), samples=[
        S(A(3, 3)), S(A(2, 4, 4)), S(A(3, 3, noncontig=True)), S(A(2, 3)), S(A(3)), S(A(0, 0))],
        gradgradcheck=True),
    OpInfo("det", lambda m, x: m.linalg.det(x), samples=[S(A(3, 3)), S(A(2, 3, 3)), S(A(1, 1)), S(A(2, 3))],
           gradgradcheck=True),
    OpInfo("det_singular", lambda m, x: m.linalg.det(x * m.tensor([1., 1., 0.], dtype=x.dtype)),
           samples=[S(A(3, 3))]),
    OpInfo("slogdet", lambda m, x: tuple(m.linalg.slogdet(x)), samples=[S(A(3, 3)), S(A(2, 2, 2)), S(A(3, 2))],
           gradgradcheck=True),
    OpInfo("logdet", lambda m, x: m.logdet(_spd(m, x)) if hasattr(m, "logdet") else m.linalg.logdet(_spd(m, x)),
           samples=[S(A(3, 3)), S(A(2, 2, 2))]),
    OpInfo("solve", lambda m, a, b, **k: m.linalg.solve(a, b, **k), samples=[
        S(A(3, 3), A(3)), S(A(3, 3), A(3, 2)), S(A(2, 3, 3), A(2, 3)), S(A(2, 3, 3), A(3, 4)),
        S(A(3, 3), A(2, 3, 1)), S(A(3, 3), A(2, 3), left=False), S(A(3, 3), A(4)), S(A(3, 3), A(2, 4)),
        S(A(2, 3), A(2))],
        gradgradcheck=True),
    OpInfo("vector_norm", lambda m, x, *a, **k: m.linalg.vector_norm(x, *a, **k), samples=[
        S(A(3, 4)), S(A(3, 4), 1), S(A(3, 4), 3.5, dim=1), S(A(3, 4), math.inf, dim=(0,)),
        S(A(3, 4), -math.inf), S(A(2, 3, 4), 2, dim=(0, 2), keepdim=True), S(A(5), 0.5), S(A(4), 0)],
        gradgradcheck=True),
    OpInfo("matrix_norm", lambda m, x, *a, **k: m.linalg.matrix_norm(x, *a, **k), samples=[
        S(A(3, 4)), S(A(3, 4), "nuc"), S(A(3, 4), 2), S(A(2, 3, 4), -2), S(A(3, 4), 1), S(A(3, 4), -1),
        S(A(3, 4), math.inf), S(A(2, 3, 4), -math.inf, keepdim=True), S(A(2, 3, 4), 1, dim=(0, 2)),
        S(A(2, 3, 4), "nuc", dim=(2, 0), keepdim=True), S(A(3, 4), 3), S(A(3))]),
    OpInfo("norm", lambda m, x, *a, **k: m.linalg.norm(x, *a, **k), samples=[
        S(A(2, 3, 4)), S(A(3, 4), "fro"), S(A(3, 4), 2), S(A(4), 3), S(A(3, 4), 1, dim=1),
        S(A(2, 3, 4), "nuc", dim=(1, 2)), S(A(3, 4), None, (0, 1)), S(A(2, 3, 4), 2)]),
    OpInfo("eigh", _eigh, samples=[S(A(3, 3)), S(A(2, 4, 4)), S(A(3, 3), UPLO="U"), S(A(2, 3))],
           gradgradcheck=True),
    OpInfo("eigh_rebuild", lambda m, x: (lambda w, q: (q * w.unsqueeze(-2)) @ q.mT)(*m.linalg.eigh(_sym(m, x))),
           samples=[S(A(4, 4))]),
    OpInfo("eigvalsh", lambda m, x, **k: m.linalg.eigvalsh(_sym(m, x), **k), samples=[S(A(3, 3)), S(A(2, 4, 4))]),
    OpInfo("svd", _svd, samples=[S(A(3, 3)), S(A(4, 3)), S(A(3, 5)), S(A(2, 4, 3))], gradgradcheck=True),
    OpInfo("svd_full", lambda m, x: _svd(m, x, True), samples=[S(A(4, 3)), S(A(2, 5))], grad=False),
    OpInfo("svd_rebuild", _svd_rebuild, samples=[S(A(4, 3)), S(A(3, 5))]),
    OpInfo("svdvals", lambda m, x: m.linalg.svdvals(x), samples=[S(A(3, 3)), S(A(4, 2)), S(A(2, 2, 5))],
           gradgradcheck=True),
    OpInfo("cholesky", lambda m, x, **k: m.linalg.cholesky(_spd(m, x), **k), samples=[
        S(A(3, 3)), S(A(2, 4, 4)), S(A(3, 3), upper=True)], gradgradcheck=True),
    OpInfo("qr", _qr, samples=[S(A(4, 3)), S(A(3, 3)), S(A(2, 5, 2)), S(A(3, 4), mode="complete"), S(A(2, 4)),
                               S(A(2, 3, 3), mode="complete")],
           gradgradcheck=True),
    OpInfo("qr_no_grad", _qr, samples=[S(A(4, 3), mode="r"), S(A(4, 3), mode="complete"), S(A(3, 5), mode="r")],
           grad=False),
    OpInfo("pinv", lambda m, x, **k: m.linalg.pinv(x, **k), samples=[
        S(A(3, 3)), S(A(4, 3)), S(A(2, 3, 5)), S(A(3, 3), hermitian=False, rtol=0.01)], gradgradcheck=True),
    OpInfo("pinv_hermitian", lambda m, x: m.linalg.pinv(_spd(m, x), hermitian=True), samples=[S(A(3, 3))]),
    OpInfo("matrix_rank", lambda m, x, **k: m.linalg.matrix_rank(x, **k), samples=[
        S(A(3, 3)), S(A(2, 4, 3)), S(A(3, 3), atol=1.0, rtol=0.5), S(A(3, 3), hermitian=True)], grad=False),
    OpInfo("matrix_rank_deficient", lambda m, x: m.linalg.matrix_rank(x @ x.mT), samples=[S(A(4, 2))], grad=False),
    OpInfo("matrix_power", lambda m, x, n: m.linalg.matrix_power(x, n), samples=[
        S(A(3, 3), 3), S(A(2, 3, 3), 2), S(A(3, 3), 1), S(A(3, 3), 0), S(A(3, 3), -2), S(A(2, 3), 2)],
        gradgradcheck=True),
    OpInfo("cond", lambda m, x, *a: m.linalg.cond(x, *a), samples=[
        S(A(3, 3)), S(A(3, 3), -2), S(A(4, 3))]),
    # PyTorch's own backward of these fails (an in-place op on a saved tensor): values only here,
    # gradients checked numerically in test_cond_gradcheck
    OpInfo("cond_p", lambda m, x, *a: m.linalg.cond(x, *a), samples=[
        S(A(3, 3), "fro"), S(A(3, 3), 1), S(A(3, 3), math.inf), S(A(3, 3), "nuc"), S(A(3, 4), 1)], grad=False),
    OpInfo("cross", lambda m, a, b, **k: m.linalg.cross(a, b, **k), samples=[
        S(A(4, 3), A(4, 3)), S(A(3, 2), A(3, 2), dim=0), S(A(1, 3), A(4, 3))]),
    OpInfo("multi_dot", lambda m, *ts: m.linalg.multi_dot(list(ts)), samples=[
        S(A(2, 3), A(3, 4), A(4, 2)), S(A(3), A(3, 4), A(4)), S(A(3), A(3, 2))]),
    OpInfo("lstsq", lambda m, a, b: tuple(m.linalg.lstsq(a, b)), samples=[
        S(A(5, 3), A(5, 2)), S(A(5, 3), A(5)), S(A(2, 4, 2), A(2, 4, 3)), S(A(3, 3), A(3, 1)),
        S(A(4, 3), A(3, 2))]),
    OpInfo("vecdot", lambda m, a, b, **k: m.linalg.vecdot(a, b, **k), samples=[
        S(A(3, 4), A(4)), S(A(3, 4), A(3, 4), dim=0)]),
    OpInfo("diagonal", lambda m, a, **k: m.linalg.diagonal(a, **k), samples=[
        S(A(2, 3, 4)), S(A(3, 4), offset=1), S(A(2, 3, 4), dim1=0, dim2=2)]),
    OpInfo("inv_ex", lambda m, x: tuple(m.linalg.inv_ex(x)), samples=[S(A(3, 3))]),
    OpInfo("solve_triangular", lambda m, a, b, **k: m.linalg.solve_triangular(a + 4 * m.eye(a.shape[-1],
                                                                                                dtype=a.dtype), b, **k),
           samples=[S(A(3, 3), A(3, 2), upper=True), S(A(3, 3), A(3, 2), upper=False),
                    S(A(2, 3, 3), A(3, 4), upper=True, unitriangular=True),
                    S(A(3, 3), A(2, 3), upper=False, left=False), S(A(3, 3), A(3), upper=True)],
           gradgradcheck=True),
    OpInfo("solve_ex", lambda m, a, b: tuple(m.linalg.solve_ex(a, b)), samples=[S(A(3, 3), A(3))]),
    OpInfo("tensorinv", lambda m, a, **k: m.linalg.tensorinv(a, **k), samples=[S(A(4, 2, 2)), S(A(2, 3, 6), ind=1)]),
    OpInfo("tensorsolve", lambda m, a, b: m.linalg.tensorsolve(a, b), samples=[S(A(2, 3, 6), A(2, 3))]),
    OpInfo("top_svd", lambda m, x, *a: tuple(m.svd(x, *a)) if hasattr(m, "svd") else
           tuple(m.linalg.TOP_LEVEL["svd"](x, *a)), samples=[S(A(3, 3)), S(A(4, 2), False), S(A(3, 2), True, False)],
           grad=False),
    OpInfo("method_det_inverse", lambda m, x: (x.det(), x.inverse(), x.slogdet()[1], x.matrix_power(2)),
           samples=[S(A(3, 3)), S(A(2, 2, 2))]),
    OpInfo("lu", lambda m, x: tuple(m.linalg.lu(x)), samples=[S(A(3, 3)), S(A(2, 4, 4)), S(A(4, 2)), S(A(2, 4))],
           gradgradcheck=True),
    OpInfo("lu_factor", lambda m, x: tuple(m.linalg.lu_factor(x)), samples=[S(A(3, 3)), S(A(2, 4, 3)), S(A(2, 3))]),
    OpInfo("lu_factor_ex", lambda m, x: tuple(m.linalg.lu_factor_ex(x)), samples=[S(A(3, 3))]),
    OpInfo("lu_solve", lambda m, a, b, **k: m.linalg.lu_solve(*m.linalg.lu_factor(a), b, **k), samples=[
        S(A(3, 3), A(3, 2)), S(A(2, 3, 3), A(2, 3, 1), adjoint=True), S(A(3, 3), A(2, 3), left=False),
        S(A(3, 3), A(2, 3), left=False, adjoint=True)], gradgradcheck=True),
    OpInfo("matrix_exp", lambda m, x: m.linalg.matrix_exp(x), samples=[S(A(3, 3)), S(A(2, 2, 2)), S(A(1, 1)),
                                                                      S(A(2, 3))], gradgradcheck=True),
    OpInfo("cholesky_solve", lambda m, b, x, **k: m.cholesky_solve(b, m.linalg.cholesky(_spd(m, x), **k), **k)
           if hasattr(m, "cholesky_solve") else m.linalg.TOP_LEVEL["cholesky_solve"](
               b, m.linalg.cholesky(_spd(m, x), **k), **k),
           samples=[S(A(3, 2), A(3, 3)), S(A(3, 1), A(3, 3), upper=True)]),
    OpInfo("cholesky_inverse", lambda m, x: m.cholesky_inverse(m.linalg.cholesky(_spd(m, x))) if hasattr(
        m, "cholesky_inverse") else m.linalg.TOP_LEVEL["cholesky_inverse"](m.linalg.cholesky(_spd(m, x))),
           samples=[S(A(3, 3))]),
    OpInfo("vander", lambda m, x, **k: m.linalg.vander(x, **k), samples=[S(A(4)), S(A(2, 3), N=4)]),
]

test_values, test_grads, test_gradcheck, test_gradgradcheck = make_tests(OPS)


# --- errors: PyTorch's types and messages -----------------------------------------------------------
def _both(fn, *arrays):
    msgs = []
    for m in (torch, ember):
        with pytest.raises(Exception) as info:
            fn(m, *(m.from_numpy(a.copy()) for a in arrays))
        msgs.append(info.value)
    t, e = msgs
    assert isinstance(e, RuntimeError)
    assert str(e) == str(t), (str(e), str(t))
    assert (type(t).__name__ == "_LinAlgError") == isinstance(e, ember.linalg.LinAlgError)


SINGULAR = np.array([[1., 2., 3.], [2., 4., 6.], [0., 1., 1.]])
SINGULAR_DIAG = np.diag([1., 1., 0.])


@pytest.mark.parametrize("case", [
    (lambda m, x: m.linalg.inv(x), [SINGULAR_DIAG]),
    (lambda m, x: m.linalg.inv(x), [np.stack([np.eye(3), SINGULAR_DIAG])]),
    (lambda m, x: m.linalg.inv(x), [SINGULAR]),
    (lambda m, x: m.linalg.inv(x), [np.ones((2, 3))]),
    (lambda m, x: m.linalg.inv(x), [np.ones(3)]),
    (lambda m, x: m.linalg.inv(x), [np.ones((3, 3), np.int64)]),
    (lambda m, x, b: m.linalg.solve(x, b), [SINGULAR_DIAG, np.ones(3)]),
    (lambda m, x, b: m.linalg.solve(x, b), [np.stack([np.eye(3), SINGULAR_DIAG]), np.ones((2, 3))]),
    (lambda m, x, b: m.linalg.solve(x, b), [np.eye(3), np.ones((2, 4))]),
    (lambda m, x, b: m.linalg.solve(x, b), [np.eye(3), np.ones(3, np.float32)]),
    (lambda m, x: m.linalg.cholesky(x), [-np.eye(3)]),
    (lambda m, x: m.linalg.cholesky(x), [np.diag([1., 1., -1.])]),
    (lambda m, x: m.linalg.cholesky(x), [np.stack([np.eye(2), -np.eye(2)])]),
    (lambda m, x: m.linalg.cholesky(x), [np.ones((2, 3))]),
    (lambda m, x: m.linalg.det(x), [np.ones((2, 3))]),
    (lambda m, x: m.linalg.det(x), [np.ones(3)]),
    (lambda m, x: m.linalg.slogdet(x), [np.ones((2, 3))]),
    (lambda m, x: m.linalg.eigh(x), [np.ones((2, 3))]),
    (lambda m, x: m.linalg.svd(x), [np.ones(3)]),
    (lambda m, x: m.linalg.qr(x), [np.ones(3)]),
    (lambda m, x: m.linalg.matrix_power(x, 2), [np.ones((2, 3))]),
    (lambda m, x: m.linalg.matrix_power(x, 2), [np.ones(3)]),
    (lambda m, x: m.linalg.matrix_norm(x, 3), [np.ones((3, 3))]),
    (lambda m, x, b: m.linalg.lstsq(x, b), [np.ones((4, 3)), np.ones((3, 2))]),
    (lambda m, x: m.linalg.vector_norm(x), [np.ones(3, np.int64)]),
    (lambda m, x: m.linalg.lu_factor(x), [np.stack([np.eye(3), SINGULAR_DIAG])]),
    (lambda m, x: m.linalg.lu_factor(x), [np.diag([1., 0., 1.])]),
    (lambda m, x: m.linalg.norm(x, 2), [np.ones((2, 2, 2))]),
    (lambda m, x, b: m.linalg.solve_triangular(x, b, upper=True), [np.eye(3), np.ones(3)]),
    (lambda m, x, b: m.linalg.solve_triangular(x, b, upper=True), [np.eye(3), np.ones((2, 3))]),
], ids=lambda c: "")
def test_errors(case):
    fn, arrays = case
    _both(fn, *arrays)


def test_linalg_error_is_runtime_error():
    assert issubclass(ember.linalg.LinAlgError, RuntimeError)


def test_named_tuples():
    a = np.array([[2., 1.], [1., 3.]])
    for m in (torch, ember):
        r = m.linalg.slogdet(m.from_numpy(a))
        assert type(r).__name__ == "linalg_slogdet" and r.sign.item() == 1.0 and r[1] is r.logabsdet
        assert m.linalg.eigh(m.from_numpy(a)).eigenvalues.shape == (2,)
        u = m.linalg.svd(m.from_numpy(a))
        assert (u.U.shape, u.S.shape, u.Vh.shape) == ((2, 2), (2,), (2, 2))
        q = m.linalg.qr(m.from_numpy(a))
        assert q.Q.shape == q.R.shape == (2, 2)
        s = m.linalg.lstsq(m.from_numpy(a), m.from_numpy(a))
        assert s.solution.shape == (2, 2) and s.rank.item() == 2
    assert "torch.return_types.linalg_slogdet(" in repr(ember.linalg.slogdet(ember.from_numpy(a)))


def test_qr_mode_r_has_no_gradient():
    for m in (torch, ember):
        x = m.from_numpy(np.random.default_rng(0).standard_normal((4, 3))).requires_grad_()
        q, r = m.linalg.qr(x, mode="r")
        assert q.numel() == 0
        with pytest.raises(RuntimeError, match="depends on Q"):
            r.sum().backward()


def test_svd_full_matrices_gradient_of_s_only():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((4, 3))
    grads = []
    for m in (torch, ember):
        x = m.from_numpy(a.copy()).requires_grad_()
        m.linalg.svd(x, full_matrices=True).S.sum().backward()
        grads.append(x.grad.numpy())
    np.testing.assert_allclose(grads[1], grads[0], rtol=1e-10, atol=1e-12)


def test_det_gradient_at_singular_matrix():
    """Jacobi's formula det * A^-T is 0 * inf there: the SVD formula gives PyTorch's value."""
    grads = []
    for m in (torch, ember):
        x = m.from_numpy(SINGULAR.copy()).requires_grad_()
        m.linalg.det(x).backward()
        grads.append(x.grad.numpy())
    np.testing.assert_allclose(grads[1], grads[0], rtol=1e-7, atol=1e-10)


def test_top_level_names():
    a = np.array([[2., 1.], [1., 3.]])
    lin = ember.linalg
    for name, fn in lin.TOP_LEVEL.items():
        if name in ("cholesky_solve", "cholesky_inverse", "orgqr"):
            continue   # tested in the op table and with geqrf (tests/nn/test_orthogonal.py)
        top = getattr(torch, name)
        r = fn(ember.from_numpy(a.copy()), 2) if name == "matrix_power" else fn(ember.from_numpy(a.copy()))
        t = top(torch.from_numpy(a.copy()), 2) if name == "matrix_power" else top(torch.from_numpy(a.copy()))
        if name in ("slogdet", "svd", "qr", "geqrf"):
            assert type(r).__name__ == type(t).__name__ == name
            r, t = r[1], t[1]
        np.testing.assert_allclose(r.numpy(), t.numpy(), rtol=1e-12)


def test_missing_name_raises_missing_api():
    from ember._missing import MissingAPI
    with pytest.raises(MissingAPI, match="torch.linalg.ldl_factor"):
        ember.linalg.ldl_factor


@pytest.mark.parametrize("p", ["fro", "nuc", 1, -math.inf])
def test_cond_gradcheck(p):
    x = ember.from_numpy(np.random.default_rng(3).standard_normal((3, 3)) + 3 * np.eye(3)).requires_grad_()
    assert ember.autograd.gradcheck(lambda a: ember.linalg.cond(a, p), (x,), eps=1e-6, atol=1e-5, rtol=1e-3)


def test_qr_complete_tall_not_differentiable():
    msgs = []
    for m in (torch, ember):
        x = m.from_numpy(np.random.default_rng(0).standard_normal((4, 3))).requires_grad_()
        q, r = m.linalg.qr(x, mode="complete")
        with pytest.raises(RuntimeError) as info:
            (q.sum() + r.sum()).backward()
        msgs.append(str(info.value))
    assert msgs[1] == msgs[0]
