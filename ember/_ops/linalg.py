"""Matrix products: ``mm``, ``matmul`` (``@``), and friends.

For C = A B, each entry C_ij = sum_k A_ik B_kj, so dL/dA_ik = sum_j dL/dC_ij B_kj, i.e.
dL/dA = dL/dC B^T, and likewise dL/dB = A^T dL/dC. Batched products apply the same rule to
every matrix of the batch; broadcast batch dims are summed back by the engine.
"""
import numpy as np

from .. import _dtype
from .._size import expands_to
from .._tensor import Tensor
from ..autograd.function import Function
from ._arguments import tp_name
from ._util import methods
from .shape import SqueezeInPlace, UnsafeView, as_view, reshape, unsqueeze


def _same_dtype(a, b, name):
    """PyTorch's error for operands of different dtypes, in the words of the kernel that
    ``name`` runs on (mm, addmv for matrix @ vector, bmm for batches, dot)."""
    if a._data.dtype == b._data.dtype:
        return
    wa, wb = _dtype.type_word(a._data.dtype), _dtype.type_word(b._data.dtype)
    if name == "matmul":
        ad, bd = a._data.ndim, b._data.ndim
        name = "dot" if ad == bd == 1 else "mv" if (ad, bd) == (2, 1) else "bmm" if bd > 2 else "mm"
    if name == "mv":
        raise RuntimeError(f"addmv input tensors must have the same dtype, but got {wb}, {wa}, and {wb}")
    if name == "bmm":
        raise RuntimeError(f"expected scalar type {wa} but found {wb}")
    if name == "dot":
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found {wa} and {wb}")
    raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {_word(a)} != {_word(b)}")


def _word(t):
    return {"Float": "float", "Double": "double", "Long": "long int", "Int": "int", "Half": "c10::Half",
            "Short": "short int", "Char": "signed char", "Byte": "unsigned char", "Bool": "bool"}[
        _dtype.type_word(t._data.dtype)]


def _t(m):
    """The transpose of a matrix: an ndarray's (first-order backward) or a Tensor's."""
    return m.T if m.__class__ is np.ndarray else m.t()


def _column_major(m):
    f = (m if m.__class__ is np.ndarray else m._data).flags
    return f.f_contiguous and not f.c_contiguous


def _mat1_grad(g, b, a):
    """dA = dC B^T, laid out like A: for a transposed A (column-major, as ``weight.t()``
    is) computed as (B dC^T)^T, so the gradient that reaches the weight is row-major like
    the weight and can become its ``.grad`` without a copy (PyTorch does the same).
    Arrays or tensors alike (``@`` is ``mm`` for matrices)."""
    if _column_major(a):
        return _t(b @ _t(g))
    return g @ _t(b)


def _mat2_grad(g, a, b):
    """dB = A^T dC, laid out like B (see ``_mat1_grad``)."""
    if _column_major(b):
        return _t(_t(g) @ a)
    return _t(a) @ g


class Mm(Function):
    """C = A B for matrices.   dA = dC B^T,   dB = A^T dC."""

    _backward_name = "MmBackward0"
    _array_backward = True

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a._data @ b._data

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_values
        na, nb = ctx.needs_input_grad
        return (_mat1_grad(grad, b, a) if na else None), (_mat2_grad(grad, a, b) if nb else None)


def mm(input, mat2, *, out=None):
    """Matrix product of two 2-D tensors."""
    if input._data.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2._data.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    if input._data.shape[1] != mat2._data.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({input._data.shape[0]}x"
                           f"{input._data.shape[1]} and {mat2._data.shape[0]}x{mat2._data.shape[1]})")
    _same_dtype(input, mat2, "mm")
    r = Mm.apply(input, mat2)
    if out is not None:
        from .pointwise import _out
        return _out(r, out)
    return r


class Matmul(Function):
    """The general ``@``: vectors are promoted to matrices, batch dims broadcast.
    dA = dC B^T and dB = A^T dC per matrix, with the promoted dims removed again."""

    _backward_name = "MmBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.matmul(a._data, b._data)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        na, nb = ctx.needs_input_grad
        ga = gb = None
        ad, bd = a._data.ndim, b._data.ndim
        if ad == 1 and bd == 1:  # dot product: grad is a scalar
            return (grad * b if na else None), (grad * a if nb else None)
        if ad == 1:  # (k) @ (..., k, n) -> (..., n)
            g = grad.unsqueeze(-2)
            if na:
                ga = g.matmul(b.mT).squeeze(-2)
            if nb:
                gb = a.unsqueeze(-1).matmul(g)
            return ga, gb
        if bd == 1:  # (..., m, k) @ (k) -> (..., m)
            g = grad.unsqueeze(-1)
            if na:
                ga = g.matmul(b.unsqueeze(-2))
            if nb:
                gb = a.mT.matmul(g).squeeze(-1)
                if gb._data.ndim > 1:
                    gb = gb.sum_to_size(b._data.shape)
            return ga, gb
        if na:
            ga = grad.matmul(b.mT)
        if nb:
            gb = a.mT.matmul(grad)
        return ga, gb


def matmul(input, other, *, out=None):
    """Matrix product with NumPy/PyTorch broadcasting rules (``@``)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"matmul(): argument 'input' (position 1) must be Tensor, not {tp_name(input)}")
    if not isinstance(other, Tensor):
        raise TypeError(f"matmul(): argument 'other' (position 2) must be Tensor, not {tp_name(other)}")
    ad, bd = input._data.ndim, other._data.ndim
    if ad == 0 or bd == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {ad}D and {bd}D")
    ka = input._data.shape[-1]
    kb = other._data.shape[-2] if bd > 1 else other._data.shape[0]
    if ka != kb:
        if ad == 1 and bd == 1:
            raise RuntimeError(f"inconsistent tensor size, expected tensor [{ka}] and src [{kb}] to have the "
                               "same number of elements, but got " f"{ka} and {kb} elements respectively")
        sa = input._data.shape if ad == 2 else (int(np.prod(input._data.shape[:-1])), ka)
        sb = other._data.shape if bd == 2 else (kb, int(np.prod(other._data.shape[1:]))) if bd != 1 else (kb, 1)
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({sa[0]}x{sa[1]} and {sb[0]}x{sb[1]})")
    _same_dtype(input, other, "matmul")
    if ad == 2 and bd == 2:
        r = Mm.apply(input, other)
    elif ad == 1 and bd == 1:
        r = Dot.apply(input, other)
    elif ad == 2 and bd == 1:
        r = Mv.apply(input, other)
    elif ad == 1 and bd == 2:  # (k) @ (k, n): a one-row mm, its row dim squeezed away, as PyTorch does
        r = Mm.apply(unsqueeze(input, 0), other)
        r = as_view(SqueezeInPlace.apply(r, (0,)), r)
    elif ad > 2 and bd == 2:
        # (..., m, k) @ (k, n): fold the batch dims into the rows, as PyTorch does. One BLAS
        # call instead of one per batch entry, and dB = A^T dC then sums over the batch
        # inside that one product instead of making a (batch, k, n) gradient to reduce.
        r = Mm.apply(reshape(input, (-1, ka)), other)
        r = UnsafeView.apply(r, input._data.shape[:-1] + other._data.shape[-1:])
    else:
        r = Matmul.apply(input, other)
    if out is not None:
        from .pointwise import _out
        return _out(r, out)
    return r


def _matmul_operator(self, other):
    # anything but a tensor is left to Python: an ndarray then multiplies through NumPy
    # (which wraps its result back into a tensor), anything else raises Python's TypeError
    return matmul(self, other) if isinstance(other, Tensor) else NotImplemented


def _rmatmul(self, other):
    return matmul(other, self) if isinstance(other, Tensor) else NotImplemented


def _imatmul(self, other):
    from ._util import apply_inplace
    return apply_inplace(self, matmul, other)


def _scale(t, s):
    return t if s == 1 else t * s


class Addmm(Function):
    """y = beta * c + alpha * (A @ B).   dc = beta * g (summed over broadcasting),
    dA = alpha * g B^T,  dB = alpha * A^T g."""

    _backward_name = "AddmmBackward0"
    _array_backward = True

    @staticmethod
    def forward(ctx, c, a, b, beta, alpha):
        ctx.save_for_backward(a, b)
        ctx.scales = (beta, alpha)
        x, w, cd = a._data, b._data, c._data
        m, n = x.shape[0], w.shape[1]
        if m <= 64 and n >= 4 * m and _column_major(w) and alpha == 1 and beta == 1 and cd.dtype == x.dtype \
                and expands_to(cd.shape, (m, n)):
            # a linear layer on a short batch (x W^T with W^T a transposed view): OpenBLAS
            # computes the same numbers faster as (W x^T)^T, and the bias add lays the
            # result out row-major in the same pass
            out = np.empty((m, n), x.dtype)
            np.add((w.T @ x.T).T, cd, out=out)
            return out
        p = x @ w
        if alpha != 1:
            p *= alpha
        if beta == 0:
            return np.broadcast_to(p, np.broadcast_shapes(p.shape, c._data.shape)).copy()
        cd = c._data if beta == 1 else beta * c._data
        if expands_to(cd.shape, p.shape) and cd.dtype == p.dtype:
            p += cd  # the product is a fresh array: add the bias in place, one pass fewer
            return p
        return p + cd

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_values
        beta, alpha = ctx.scales
        nc, na, nb = ctx.needs_input_grad[:3]
        return ((_scale(g, beta) if nc else None), (_scale(_mat1_grad(g, b, a), alpha) if na else None),
                (_scale(_mat2_grad(g, a, b), alpha) if nb else None), None, None)


def addmm(input, mat1, mat2, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * (mat1 @ mat2)`` (the op behind ``nn.Linear``)."""
    if mat1._data.ndim != 2 or mat2._data.ndim != 2:
        raise RuntimeError(f"{'mat1' if mat1._data.ndim != 2 else 'mat2'} must be a matrix, got "
                           f"{(mat1 if mat1._data.ndim != 2 else mat2)._data.ndim}-D tensor")
    if mat1._data.shape[1] != mat2._data.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({mat1._data.shape[0]}x{mat1._data.shape[1]} "
                           f"and {mat2._data.shape[0]}x{mat2._data.shape[1]})")
    for first, what in ((input, "self"), (mat1, "mat1")):  # PyTorch compares each with mat2, self first
        if isinstance(first, Tensor) and first._data.dtype != mat2._data.dtype:
            raise RuntimeError(f"{what} and mat2 must have the same dtype, but got "
                               f"{_dtype.type_word(first._data.dtype)} and {_dtype.type_word(mat2._data.dtype)}")
    r = Addmm.apply(input, mat1, mat2, beta, alpha)
    if out is not None:
        from .pointwise import _out
        return _out(r, out)
    return r


class Bmm(Function):
    """C[b] = A[b] @ B[b].   dA = g B^T,  dB = A^T g, batch by batch."""

    _backward_name = "BmmBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.matmul(a._data, b._data)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        na, nb = ctx.needs_input_grad
        return (g.bmm(b.transpose(1, 2)) if na else None), (a.transpose(1, 2).bmm(g) if nb else None)


def bmm(input, mat2, *, out=None):
    """Batched matrix product of two 3-D tensors with the same batch size."""
    if input._data.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2._data.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if input._data.shape[0] != mat2._data.shape[0] or input._data.shape[2] != mat2._data.shape[1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{input._data.shape[0]}, {input._data.shape[2]}] but got: "
                           f"[{mat2._data.shape[0]}, {mat2._data.shape[1]}].")
    _same_dtype(input, mat2, "bmm")
    return Bmm.apply(input, mat2)


class Dot(Function):
    """y = sum_i a_i b_i.   da = g b,  db = g a."""

    _backward_name = "DotBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.asarray(np.dot(a._data, b._data))

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        return g * b, g * a


def dot(input, tensor, *, out=None):
    """Inner product of two 1-D tensors."""
    if input._data.ndim != 1 or tensor._data.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input._data.ndim}D and {tensor._data.ndim}D tensors")
    if input._data.shape != tensor._data.shape:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{input._data.shape[0]}] and src "
                           f"[{tensor._data.shape[0]}] to have the same number of elements, but got "
                           f"{input._data.shape[0]} and {tensor._data.shape[0]} elements respectively")
    _same_dtype(input, tensor, "dot")
    return Dot.apply(input, tensor)


vdot = dot


class Mv(Function):
    """y = M v.   dM = g v^T (an outer product),  dv = M^T g."""

    _backward_name = "MvBackward0"

    @staticmethod
    def forward(ctx, m, v):
        ctx.save_for_backward(m, v)
        return m._data @ v._data

    @staticmethod
    def backward(ctx, g):
        m, v = ctx.saved_tensors
        nm, nv = ctx.needs_input_grad
        return (g.unsqueeze(1) * v if nm else None), (m.t().mv(g) if nv else None)


def mv(input, vec, *, out=None):
    """Matrix-vector product."""
    if input._data.ndim != 2 or vec._data.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {input._data.ndim}, {vec._data.ndim}")
    if input._data.shape[1] != vec._data.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({input._data.shape[0]}), mat ({input._data.shape[0]}x"
                           f"{input._data.shape[1]}), vec ({vec._data.shape[0]})")
    _same_dtype(input, vec, "mv")
    return Mv.apply(input, vec)


def outer(input, vec2):
    """a_i b_j as a matrix (a broadcast product)."""
    return input.unsqueeze(1) * vec2


ger = outer


def addmv(input, mat, vec, *, beta=1, alpha=1):
    return _scale(input, beta) + _scale(mv(mat, vec), alpha) if beta != 0 else _scale(mv(mat, vec), alpha)


def addr(input, vec1, vec2, *, beta=1, alpha=1):
    return _scale(input, beta) + _scale(outer(vec1, vec2), alpha) if beta != 0 else _scale(outer(vec1, vec2), alpha)


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1):
    p = _scale(bmm(batch1, batch2), alpha)
    return _scale(input, beta) + p if beta != 0 else p + 0 * input


def addbmm(input, batch1, batch2, *, beta=1, alpha=1):
    p = _scale(bmm(batch1, batch2).sum(0), alpha)
    return _scale(input, beta) + p if beta != 0 else p


class Einsum(Function):
    """Any sum of products of the operands' entries (NumPy's einsum notation).

    The output is linear in each operand, so the gradient with respect to operand k is
    again an einsum: of the output gradient with all the other operands, into operand k's
    indices (an index repeated within operand k, e.g. 'ii', gets the gradient on its diagonal)."""

    _backward_name = "EinsumBackward0"

    @staticmethod
    def forward(ctx, spec, *ops):
        ctx.spec = spec
        ctx.save_for_backward(*ops)
        return np.asarray(np.einsum(spec, *(o._data for o in ops), optimize=len(ops) > 2))

    @staticmethod
    def backward(ctx, g):
        ops = ctx.saved_tensors
        ins, out = ctx.spec.split("->")
        terms = ins.split(",")
        grads = [None]
        for k, term in enumerate(terms):
            if not ctx.needs_input_grad[k + 1]:
                grads.append(None)
                continue
            others = [t for i, t in enumerate(terms) if i != k]
            uniq = "".join(dict.fromkeys(term))
            # an index only this operand had was summed away: the gradient is constant along it
            avail = "".join(c for c in uniq if c in out or any(c in t for t in others))
            gk = einsum(",".join([out] + others) + "->" + avail, g, *[o for i, o in enumerate(ops) if i != k])
            if avail != uniq:
                sizes = [ops[k].shape[term.index(c)] for c in uniq]
                gk = gk.reshape([n if c in avail else 1 for c, n in zip(uniq, sizes)]).expand(sizes)
            grads.append(gk if uniq == term else _embed_diagonal(gk, uniq, term, ops[k].shape))
        return tuple(grads)


def _embed_diagonal(g, uniq, term, shape):
    """Place g (indexed by the unique letters) on the diagonals where ``term`` repeats a
    letter: each repeat gets a fresh letter tied to the first one by an identity matrix."""
    spec, eyes, full = [uniq], [], list(term)
    for pos, ch in enumerate(term):
        if term.index(ch) != pos:
            fresh = chr(ord("Z") - len(eyes))
            spec.append(ch + fresh)
            eyes.append(Tensor._make(np.eye(shape[pos], dtype=g._data.dtype)))
            full[pos] = fresh
    return einsum(",".join(spec) + "->" + "".join(full), g, *eyes)


def _explicit(equation, n_ops, shapes):
    """An einsum equation with '...' expanded and the output made explicit."""
    eq = equation.replace(" ", "")
    if "->" in eq:
        ins, out = eq.split("->")
    else:
        ins, out = eq, None
    terms = ins.split(",")
    if len(terms) != n_ops:
        raise RuntimeError("einsum(): more operands were provided than specified in the equation"
                           if n_ops > len(terms) else "einsum(): fewer operands were provided than specified in the "
                           "equation")
    used = set(c for c in eq if c.isalpha())
    free = [c for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXY" if c not in used]
    ell_dims = max((len(s) - (len(t) - 3) for t, s in zip(terms, shapes) if "..." in t), default=0)
    ell = "".join(free[:ell_dims])
    terms = [t.replace("...", ell[len(ell) - (len(s) - (len(t) - 3)):] if "..." in t else "")
             for t, s in zip(terms, shapes)]
    if out is None:
        counts = {}
        for t in terms:
            for c in t:
                counts[c] = counts.get(c, 0) + 1
        out = ell + "".join(sorted(c for c, n in counts.items() if n == 1 and c not in ell))
    else:
        out = out.replace("...", ell)
    return ",".join(terms) + "->" + out


def einsum(equation, *operands):
    """Einstein summation: e.g. 'ij,jk->ik' is a matrix product, 'ii->' a trace."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    spec = _explicit(equation, len(operands), [o._data.shape for o in operands])
    return Einsum.apply(spec, *operands)


def tensordot(a, b, dims=2, out=None):
    """Sum over the last ``dims`` dims of a and the first of b (or the listed dim pairs)."""
    if isinstance(dims, int):
        da, db = list(range(a.dim() - dims, a.dim())), list(range(dims))
    else:
        da, db = ([dims[0]] if isinstance(dims[0], int) else list(dims[0])),                  ([dims[1]] if isinstance(dims[1], int) else list(dims[1]))
    letters = iter("abcdefghijklmnopqrstuvwxyz")
    ta = [next(letters) for _ in range(a.dim())]
    tb = [next(letters) for _ in range(b.dim())]
    for i, j in zip(da, db):
        tb[j % b.dim()] = ta[i % a.dim()]
    out_t = [c for i, c in enumerate(ta) if i not in [d % a.dim() for d in da]] + \
            [c for j, c in enumerate(tb) if j not in [d % b.dim() for d in db]]
    return einsum("".join(ta) + "," + "".join(tb) + "->" + "".join(out_t), a, b)


def inner(input, other):
    if input.dim() == 0 or other.dim() == 0:
        return input * other
    return tensordot(input, other, ([-1], [-1]))


class Trace(Function):
    """y = sum of the diagonal.   dL/dx = g times the identity."""

    _backward_name = "TraceBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.shape = x._data.shape
        return np.asarray(np.trace(x._data))

    @staticmethod
    def backward(ctx, g):
        return g * Tensor._make(np.eye(*ctx.shape, dtype=g._data.dtype))


def trace(input):
    if input.dim() != 2:
        raise RuntimeError("trace: expected a matrix, but got tensor with dim " + str(input.dim()))
    return Trace.apply(input)


__all__ = ["mm", "matmul", "addmm", "bmm", "dot", "vdot", "mv", "outer", "ger", "addmv", "addr", "baddbmm",
           "addbmm", "einsum", "tensordot", "inner", "trace"]
methods(mm, matmul, addmm, bmm, dot, vdot, mv, outer, ger, addmv, addr, baddbmm, addbmm, inner, trace,
        __matmul__=_matmul_operator, __rmatmul__=_rmatmul, __imatmul__=_imatmul)
