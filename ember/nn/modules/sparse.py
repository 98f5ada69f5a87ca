"""``Embedding``: a lookup table of learnable vectors (see ``ember/_ops/embedding.py``)."""
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
        if padding_idx is not None:
            if padding_idx > 0:
                assert padding_idx < num_embeddings, "Padding_idx must be within num_embeddings"
            elif padding_idx < 0:
                assert padding_idx >= -num_embeddings, "Padding_idx must be within num_embeddings"
                padding_idx = num_embeddings + padding_idx
        self.padding_idx, self.max_norm, self.norm_type = padding_idx, max_norm, norm_type
        self.scale_grad_by_freq, self.sparse = scale_grad_by_freq, sparse
        if _weight is None:
            self.weight = Parameter(empty(num_embeddings, embedding_dim, dtype=dtype), requires_grad=not _freeze)
            self.reset_parameters()
        else:
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
        assert embeddings.dim() == 2, "Embeddings parameter is expected to be 2-dimensional"
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
        if mode not in ("sum", "mean", "max"):
            raise ValueError(f"mode has to be one of sum, mean or max")
        self.num_embeddings, self.embedding_dim, self.max_norm, self.norm_type = \
            num_embeddings, embedding_dim, max_norm, norm_type
        self.scale_grad_by_freq, self.mode, self.sparse = scale_grad_by_freq, mode, sparse
        self.include_last_offset, self.padding_idx = include_last_offset, padding_idx
        if _weight is None:
            self.weight = Parameter(empty(num_embeddings, embedding_dim, dtype=dtype))
            init.normal_(self.weight)
            if padding_idx is not None:
                self.weight._data[padding_idx] = 0
        else:
            self.weight = Parameter(_weight)

    def forward(self, input, offsets=None, per_sample_weights=None):
        return embedding_bag(input, self.weight, offsets, self.max_norm, self.norm_type, self.mode,
                             per_sample_weights, self.include_last_offset, self.padding_idx)

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


def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, mode="mean", per_sample_weights=None,
                  include_last_offset=False, padding_idx=None):
    """Reduce each bag's embeddings (padding_idx entries left out) with sum, mean or max."""
    import ember
    if input.dim() == 2:
        bags = [input[i] for i in range(input.shape[0])]
        weights = None if per_sample_weights is None else [per_sample_weights[i] for i in range(input.shape[0])]
    else:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        starts = offsets.tolist()
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
