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
        if idx.size and (idx.min() < 0 or idx.max() >= n):  # no wrap-around for negative indices
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


def arg_type_name(t):
    """How PyTorch's argument checks name a tensor's type: the legacy ``torch.FloatTensor``
    names, and ``CPUBoolType``-style ones for types that never had a legacy name."""
    from .._tensor import _legacy_type_name
    special = {"bool": "CPUBoolType", "complex64": "CPUComplexFloatType", "complex128": "CPUComplexDoubleType"}
    return special.get(t.dtype.name) or _legacy_type_name(t)


def check_indices(t, fn):
    if t.dtype.name not in ("int64", "int32"):
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           f"Long, Int; but got {arg_type_name(t)} instead (while checking arguments for {fn})")


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
              sparse=False):
    """Look up rows of ``weight``; with ``max_norm``, rows used here are first renormalised in
    place to at most that norm (as PyTorch does)."""
    from ..nn.functional import _check_tensor_arg
    _check_tensor_arg("embedding", "weight", 1, weight)  # PyTorch's embedding(weight, indices) order
    _check_tensor_arg("embedding", "indices", 2, input)
    check_indices(input, "embedding")
    if weight.dim() != 2:
        raise RuntimeError("'weight' must be 2-D")
    if scale_grad_by_freq or sparse:
        raise NotImplementedError("torch.nn.functional.embedding(scale_grad_by_freq=True / sparse=True)")
    if padding_idx is not None and padding_idx < 0:
        padding_idx += weight.shape[0]
    if max_norm is not None:
        rows = np.unique(input._data.reshape(-1))
        n = weight.shape[0]
        bad = rows[(rows >= n) | (rows < -n)]
        if bad.size:  # PyTorch's renorm selects each row in ascending order; a negative one wraps there
            raise IndexError(f"select(): index {bad[0]} out of range for tensor of size {list(weight.shape)} at "
                             "dimension 0")
        w = weight._data
        norms = np.linalg.norm(w[rows], ord=norm_type, axis=1)
        scale = np.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0)
        w[rows] *= scale[:, None].astype(w.dtype)
        weight._vc[0] += 1
    return Embedding.apply(weight, input, padding_idx)


__all__ = []
