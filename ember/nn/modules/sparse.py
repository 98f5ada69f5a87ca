"""``Embedding``: a lookup table of learnable vectors (see ``ember/_ops/embedding.py``)."""
import numpy as np

from ..._ops.creation import empty
from ..._ops.embedding import embedding
from .. import init
from ..parameter import Parameter
from .module import Module


class Embedding(Module):
    """``num_embeddings`` vectors of size ``embedding_dim``, initialised N(0, 1) (the
    ``padding_idx`` row zeroed)."""

    def __init__(self, num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0,
                 scale_grad_by_freq=False, sparse=False, _weight=None, _freeze=False, device=None, dtype=None):
        super().__init__()
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        padding_idx = _check_padding_idx(padding_idx, num_embeddings, "Padding_idx")
        self.padding_idx, self.max_norm, self.norm_type = padding_idx, max_norm, norm_type
        self.scale_grad_by_freq, self.sparse = scale_grad_by_freq, sparse
        if _weight is None:
            self.weight = Parameter(empty(num_embeddings, embedding_dim, dtype=dtype), requires_grad=not _freeze)
            self.reset_parameters()
        else:
            _check_weight_shape(_weight, num_embeddings, embedding_dim)
            self.weight = Parameter(_weight, requires_grad=not _freeze)

    def reset_parameters(self):
        init.normal_(self.weight)
        if self.padding_idx is not None:
            self.weight._data[self.padding_idx] = 0

    def forward(self, input):
        return embedding(input, self.weight, self.padding_idx, self.max_norm, self.norm_type,
                         self.scale_grad_by_freq, self.sparse)

    def extra_repr(self):
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq:
            s += ", scale_grad_by_freq=True"
        if self.sparse:
            s += ", sparse=True"
        return s

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, padding_idx=None, max_norm=None, norm_type=2.0,
                        scale_grad_by_freq=False, sparse=False):
        if embeddings.dim() != 2:
            raise AssertionError("Embeddings parameter is expected to be 2-dimensional")
        rows, cols = embeddings.shape
        return cls(rows, cols, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse, _weight=embeddings,
                   _freeze=freeze)


class EmbeddingBag(Module):
    """Sums, means or maxes of bags of embeddings: ``input`` is (B, L) (B bags of L indices) or
    1-D with ``offsets`` marking where each bag starts. N(0, 1) initialisation."""

    def __init__(self, num_embeddings, embedding_dim, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
                 mode="mean", sparse=False, _weight=None, include_last_offset=False, padding_idx=None, device=None,
                 dtype=None):
        super().__init__()
        self.num_embeddings, self.embedding_dim, self.max_norm, self.norm_type = \
            num_embeddings, embedding_dim, max_norm, norm_type
        self.scale_grad_by_freq, self.mode, self.sparse = scale_grad_by_freq, mode, sparse
        padding_idx = _check_padding_idx(padding_idx, num_embeddings, "padding_idx")
        self.include_last_offset, self.padding_idx = include_last_offset, padding_idx
        if _weight is None:
            self.weight = Parameter(empty(num_embeddings, embedding_dim, dtype=dtype))
            init.normal_(self.weight)
            if padding_idx is not None:
                self.weight._data[padding_idx] = 0
        else:
            _check_weight_shape(_weight, num_embeddings, embedding_dim)
            self.weight = Parameter(_weight)

    def forward(self, input, offsets=None, per_sample_weights=None):
        return embedding_bag(input, self.weight, offsets, self.max_norm, self.norm_type, self.mode,
                             per_sample_weights, self.include_last_offset, self.padding_idx, self.scale_grad_by_freq,
                             self.sparse)

    def extra_repr(self):
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type}"
        s += f", mode='{self.mode}'"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        return s


def _check_padding_idx(padding_idx, num_embeddings, word):
    """``padding_idx`` in [-num_embeddings, num_embeddings), made non-negative. (PyTorch
    capitalises the word in Embedding's message and not in EmbeddingBag's.)"""
    if padding_idx is None:
        return None
    if padding_idx >= num_embeddings or padding_idx < -num_embeddings:
        raise AssertionError(f"{word} must be within num_embeddings")
    return padding_idx + num_embeddings if padding_idx < 0 else padding_idx


def _check_weight_shape(weight, num_embeddings, embedding_dim):
    if list(weight.shape) != [num_embeddings, embedding_dim]:
        raise AssertionError("Shape of weight does not match num_embeddings and embedding_dim")


def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, mode="mean", per_sample_weights=None,
                  include_last_offset=False, padding_idx=None, scale_grad_by_freq=False, sparse=False):
    """Reduce each bag's embeddings (padding_idx entries left out) with sum, mean or max.
    PyTorch's argument checks come first, in its order and words."""
    import ember
    from ..._ops.embedding import arg_type_name, check_indices
    if per_sample_weights is not None and input.size() != per_sample_weights.size():
        raise ValueError(f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is not None, then it must "
                         f"have the same shape as the input ({input.shape})")
    if weight.dim() != 2:
        raise ValueError(f"weight has to be a 2D Tensor, but got Tensor of dimension {weight.dim()}")
    if input.dim() == 2:
        if offsets is not None:
            from ..._tensor import Tensor
            shown = ("<class 'torch.Tensor'>" if type(offsets) is Tensor
                     else str(type(offsets)).replace("'ember.", "'torch."))
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated is a mini-batch of "
                             f"fixed length sequences. However, found offsets of type {shown}")
        offsets = ember.arange(0, input.numel(), input.shape[1], dtype=input.dtype)
        include_last_offset = False
        input = input.reshape(-1)
        if per_sample_weights is not None:
            per_sample_weights = per_sample_weights.reshape(-1)
    elif input.dim() == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        if offsets.dim() != 1:
            raise ValueError("offsets has to be a 1D Tensor")
    else:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.dim()}")
    if mode not in ("sum", "mean", "max"):
        raise ValueError("mode has to be one of sum, mean or max")
    if mode == "max" and scale_grad_by_freq:
        raise ValueError("max mode does not support scaling the gradient by the frequency")
    if mode == "max" and sparse:
        raise ValueError("max mode does not support sparse weights")
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError("embedding_bag: per_sample_weights was not None. per_sample_weights is only "
                                  f"supported for mode='sum' (got mode='{mode}'). Please open a feature request on "
                                  "GitHub.")
    check_indices(input, "embedding_bag")
    check_indices(offsets, "embedding_bag")
    if per_sample_weights is not None and per_sample_weights.dtype != weight.dtype:
        raise RuntimeError("Expected tensor for argument #1 'weight' to have the same type as tensor for argument #1 "
                           f"'per_sample_weights'; but type {arg_type_name(weight)} does not equal "
                           f"{arg_type_name(per_sample_weights)} (while checking arguments for embedding_bag)")
    starts = offsets.tolist()
    if starts and starts[0] != 0:  # PyTorch prints the 0-d tensor it compared, hence the last line
        raise RuntimeError("offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from "
                           f"position 0. However, got {starts[0]}\n[ {arg_type_name(offsets)}{{}} ]")
    if starts and starts[-1] > input.shape[0]:
        raise RuntimeError(f"offsets[-1] can not be greater than input's length {input.shape[0]} but got offsets[-1] "
                           f"of {starts[-1]}")
    idx = input._data
    bad = np.flatnonzero((idx < 0) | (idx >= weight.shape[0]))
    if bad.size:
        p = int(bad[0])
        if mode == "max":
            raise RuntimeError("embedding_bag: Expected idx >= 0 && idx < num_embeddings but found idx to be "
                               f"{idx[p]}")
        raise RuntimeError(f"Index {p} of input takes value {idx[p]} which is not in the valid range "
                           f"[0, {weight.shape[0]})")
    ends = starts[1:] + ([] if include_last_offset else [input.shape[0]])
    if include_last_offset:
        starts = starts[:-1]
    bags = [input[a:b] for a, b in zip(starts, ends)]
    weights = None if per_sample_weights is None else [per_sample_weights[a:b] for a, b in zip(starts, ends)]
    out = []
    for k, bag in enumerate(bags):
        if padding_idx is not None:
            keep = (bag != padding_idx).nonzero(as_tuple=True)[0]
            bag = bag[keep]
        vecs = embedding(bag, weight, None, max_norm, norm_type)
        if weights is not None:
            w = weights[k] if padding_idx is None else weights[k][keep]
            vecs = vecs * w.unsqueeze(1)
        if bag.shape[0] == 0:
            out.append(ember.zeros(weight.shape[1], dtype=weight.dtype))
        elif mode == "sum":
            out.append(vecs.sum(0))
        elif mode == "mean":
            out.append(vecs.mean(0))
        else:
            out.append(vecs.amax(0))
    return ember.stack(out)
