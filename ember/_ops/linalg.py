"""Matrix products: ``mm``, ``matmul`` (``@``), and friends.

For C = A B, each entry C_ij = sum_k A_ik B_kj, so dL/dA_ik = sum_j dL/dC_ij B_kj, i.e.
dL/dA = dL/dC B^T, and likewise dL/dB = A^T dL/dC. Batched products apply the same rule to
every matrix of the batch; broadcast batch dims are summed back by the engine.
"""
import numpy as np

from .. import _dtype
from .._tensor import Tensor
from ..autograd.function import Function
from ._util import methods


def _same_dtype(a, b, name):
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {_word(a)} != {_word(b)}")


def _word(t):
    return {"Float": "float", "Double": "double", "Long": "long int", "Int": "int", "Half": "c10::Half",
            "Short": "short int", "Char": "signed char", "Byte": "unsigned char", "Bool": "bool"}[
        _dtype.type_word(t._data.dtype)]


class Mm(Function):
    """C = A B for matrices.   dA = dC B^T,   dB = A^T dC."""

    _backward_name = "MmBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a._data @ b._data

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        na, nb = ctx.needs_input_grad
        return (grad.mm(b.t()) if na else None), (a.t().mm(grad) if nb else None)


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
    if not isinstance(other, Tensor) or not isinstance(input, Tensor):
        raise TypeError(f"matmul(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}")
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
    else:
        r = Matmul.apply(input, other)
    if out is not None:
        from .pointwise import _out
        return _out(r, out)
    return r


def _rmatmul(self, other):
    return matmul(other, self)


def _imatmul(self, other):
    from ._util import apply_inplace
    return apply_inplace(self, matmul, other)


__all__ = ["mm", "matmul"]
methods(mm, matmul, __matmul__=matmul, __rmatmul__=_rmatmul, __imatmul__=_imatmul)
