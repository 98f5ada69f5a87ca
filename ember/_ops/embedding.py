"""``F.embedding``: rows of a weight matrix picked by index.

y[..., :] = W[idx[...], :]. Each row of W receives the sum of the output gradients of every
position that picked it (a scatter-add), except ``padding_idx``, whose row never learns.
"""
import numpy as np

from .._tensor import Tensor
from ..autograd.function import Function


class Embedding(Function):
    """y = W[idx].   dL/dW[r] = sum of dL/dy over positions with idx == r (0 for padding_idx)."""

    _backward_name = "EmbeddingBackward0"

    @staticmethod
    def forward(ctx, weight, indices, padding_idx):
        idx = indices._data
        n = weight._data.shape[0]
        if idx.size and (idx.min() < -n or idx.max() >= n):
            raise IndexError("index out of range in self")
        ctx.meta = (weight._data.shape, idx, padding_idx)
        return weight._data[idx]

    @staticmethod
    def backward(ctx, g):
        shape, idx, padding_idx = ctx.meta
        return EmbeddingGrad.apply(g, Tensor._make(idx), shape, padding_idx), None, None


class EmbeddingGrad(Function):
    """dL/dW of an embedding: scatter-add of rows. Linear in g; its gradient gathers rows."""

    _backward_name = "EmbeddingDenseBackwardBackward0"

    @staticmethod
    def forward(ctx, g, indices, shape, padding_idx):
        n, d = shape
        idx = indices._data.reshape(-1) % n
        rows = g._data.reshape(-1, d)
        flat = (idx[:, None] * d + np.arange(d)[None, :]).ravel()
        out = np.bincount(flat, weights=rows.ravel().astype(np.float64), minlength=n * d).reshape(n, d)
        if padding_idx is not None:
            out[padding_idx] = 0
        ctx.meta = (indices._data, padding_idx)
        return out.astype(g._data.dtype)

    @staticmethod
    def backward(ctx, gg):
        idx, padding_idx = ctx.meta
        picked = gg._data[idx]
        if padding_idx is not None:
            picked = picked * (idx != padding_idx)[..., None]
        return Tensor._make(picked), None, None, None


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
              sparse=False):
    """Look up rows of ``weight``; with ``max_norm``, rows used here are first renormalised in
    place to at most that norm (as PyTorch does)."""
    if input.dtype.name not in ("int64", "int32"):
        from .._tensor import _legacy_type_name
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           f"Long, Int; but got {_legacy_type_name(input)} instead (while checking arguments for "
                           "embedding)")
    if scale_grad_by_freq or sparse:
        raise NotImplementedError("torch.nn.functional.embedding(scale_grad_by_freq=True / sparse=True)")
    if padding_idx is not None and padding_idx < 0:
        padding_idx += weight.shape[0]
    if max_norm is not None:
        rows = np.unique(input._data.reshape(-1))
        w = weight._data
        norms = np.linalg.norm(w[rows], ord=norm_type, axis=1)
        scale = np.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0)
        w[rows] *= scale[:, None].astype(w.dtype)
        weight._vc[0] += 1
    return Embedding.apply(weight, input, padding_idx)


__all__ = []
