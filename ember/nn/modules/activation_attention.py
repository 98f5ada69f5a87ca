"""``MultiheadAttention`` and ``F.scaled_dot_product_attention``.

Attention(Q, K, V) = softmax(Q K^T / sqrt(d) + mask) V: every query position takes an
average of the values, weighted by how well its query matches each key. Multi-head
attention projects the inputs into ``num_heads`` smaller spaces, attends in each, and
concatenates the results before a final projection. Everything here is ordinary ember
ops, so autograd differentiates it.
"""
import math

import ember
from ..._ops.creation import empty
from .. import functional as F, init
from ..parameter import Parameter
from .linear import Linear
from .module import Module


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None,
                                 enable_gqa=False):
    """softmax(Q K^T * scale + mask) V over the last two dims (scale = 1/sqrt(d) by default).
    A boolean mask keeps positions where it is True; a float mask is added to the scores."""
    _check_sdpa(query, key, value, attn_mask, dropout_p, is_causal)
    L, S = query.shape[-2], key.shape[-2]
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else scale
    scores = query.matmul(key.transpose(-2, -1)) * scale
    if is_causal:
        causal = ember.ones(L, S, dtype=ember.bool).tril()
        scores = scores.masked_fill(causal.logical_not(), float("-inf"))
    if attn_mask is not None:
        if attn_mask.dtype == ember.bool:
            scores = scores.masked_fill(attn_mask.logical_not(), float("-inf"))
        else:
            scores = scores + attn_mask
    weights = scores.softmax(-1)
    if dropout_p > 0.0:
        weights = F.dropout(weights, dropout_p, True)
    return weights.matmul(value)


def _check_sdpa(query, key, value, attn_mask, dropout_p, is_causal):
    """PyTorch's checks of scaled_dot_product_attention's arguments (its math kernel's words)."""
    from ..._ops.linalg import _word
    if not (query.dtype == key.dtype == value.dtype):
        raise RuntimeError(f"Expected query, key, and value to have the same dtype, but got query.dtype: "
                           f"{_word(query)} key.dtype: {_word(key)} and value.dtype: {_word(value)} instead.")
    if attn_mask is not None and attn_mask.dtype != ember.bool and not attn_mask.is_floating_point() \
            and attn_mask.dtype != query.dtype:
        raise RuntimeError(f"Expected attn_mask dtype to be bool or float or to match query dtype, but got "
                           f"attn_mask.dtype: {_word(attn_mask)} and  query.dtype: {_word(query)} instead.")
    if min(query.dim(), key.dim(), value.dim()) < 2:
        raise RuntimeError(f"Expected query, key, and value to all be  at least 2 dimensional, but got query.dim: "
                           f"{query.dim()} key.dim: {key.dim()} and value.dim: {value.dim()} instead.")
    if is_causal and attn_mask is not None:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True")
    if not 0.0 <= dropout_p <= 1.0:
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {dropout_p}")
    # the math path runs two batched products over the flattened batch dims
    batch = math.prod(query.shape[:-2])
    for a, b in ((query.shape[-1], key.shape[-1]), (key.shape[-2], value.shape[-2])):
        if a != b:
            raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{batch}, {a}] but "
                               f"got: [{batch}, {b}].")


class NonDynamicallyQuantizableLinear(Linear):
    """The output projection of MultiheadAttention (a Linear under PyTorch's name)."""


class MultiheadAttention(Module):
    """Multi-head attention with PyTorch's parameter layout: ``in_proj_weight`` stacks the
    query, key and value projections (3E, E) (separate ``q/k/v_proj_weight`` when keys or
    values have other sizes, ``kdim``/``vdim``); ``out_proj`` maps the concatenated heads back.
    ``add_bias_kv`` appends a learned key and value to each sequence, ``add_zero_attn`` a zero one."""

    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False, add_zero_attn=False,
                 kdim=None, vdim=None, batch_first=False, device=None, dtype=None):
        super().__init__()
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(f"embed_dim and num_heads must be greater than 0, got embed_dim={embed_dim} and "
                             f"num_heads={num_heads} instead")
        self.embed_dim = embed_dim
        self.kdim = kdim if kdim is not None else embed_dim
        self.vdim = vdim if vdim is not None else embed_dim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.num_heads, self.dropout, self.batch_first = num_heads, dropout, batch_first
        self.head_dim = embed_dim // num_heads
        if self.head_dim * num_heads != embed_dim:
            raise AssertionError("embed_dim must be divisible by num_heads")
        if self._qkv_same_embed_dim:
            self.in_proj_weight = Parameter(empty(3 * embed_dim, embed_dim, dtype=dtype))
            self.register_parameter("q_proj_weight", None)
            self.register_parameter("k_proj_weight", None)
            self.register_parameter("v_proj_weight", None)
        else:
            self.q_proj_weight = Parameter(empty(embed_dim, embed_dim, dtype=dtype))
            self.k_proj_weight = Parameter(empty(embed_dim, self.kdim, dtype=dtype))
            self.v_proj_weight = Parameter(empty(embed_dim, self.vdim, dtype=dtype))
            self.register_parameter("in_proj_weight", None)
        if bias:
            self.in_proj_bias = Parameter(empty(3 * embed_dim, dtype=dtype))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = NonDynamicallyQuantizableLinear(embed_dim, embed_dim, bias=bias, dtype=dtype)
        if add_bias_kv:
            self.bias_k = Parameter(empty(1, 1, embed_dim, dtype=dtype))
            self.bias_v = Parameter(empty(1, 1, embed_dim, dtype=dtype))
        else:
            self.bias_k = self.bias_v = None
        self.add_zero_attn = add_zero_attn
        self._reset_parameters()

    def _reset_parameters(self):
        if self._qkv_same_embed_dim:
            init.xavier_uniform_(self.in_proj_weight)
        else:
            init.xavier_uniform_(self.q_proj_weight)
            init.xavier_uniform_(self.k_proj_weight)
            init.xavier_uniform_(self.v_proj_weight)
        if self.in_proj_bias is not None:
            init.constant_(self.in_proj_bias, 0.0)
            init.constant_(self.out_proj.bias, 0.0)
        if self.bias_k is not None:
            init.xavier_normal_(self.bias_k)
        if self.bias_v is not None:
            init.xavier_normal_(self.bias_v)

    def forward(self, query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None,
                average_attn_weights=True, is_causal=False):
        # PyTorch's checks come in this order; each failing one raises its own error
        batched = _mha_shape_check(query, key, value, key_padding_mask, attn_mask, self.num_heads)
        key_padding_mask = _canonical_mask(key_padding_mask, "key_padding_mask",
                                           None if attn_mask is None else attn_mask.dtype, "attn_mask", query.dtype)
        attn_mask = _canonical_mask(attn_mask, "attn_mask", None, "", query.dtype)
        if not batched:
            query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
            if key_padding_mask is not None:
                key_padding_mask = key_padding_mask.unsqueeze(0)
        elif self.batch_first:
            query, key, value = (t.transpose(0, 1) for t in (query, key, value))
        L, N, E = query.shape
        h, d = self.num_heads, self.head_dim
        if is_causal and attn_mask is None:
            raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use the Transformer module "
                               "method `generate_square_subsequent_mask` to create this mask.")
        if E != self.embed_dim:
            raise AssertionError(f"was expecting embedding dimension of {self.embed_dim}, but got {E}")
        if self._qkv_same_embed_dim:
            if key.shape != value.shape:
                raise AssertionError(f"key shape {key.shape} does not match value shape {value.shape}")
            w_q, w_k, w_v = self.in_proj_weight.chunk(3)
        else:
            if key.shape[:2] != value.shape[:2]:
                raise AssertionError(f"key's sequence and batch dims {key.shape[:2]} do not match value's "
                                     f"{value.shape[:2]}")
            w_q, w_k, w_v = self.q_proj_weight, self.k_proj_weight, self.v_proj_weight
            for what, w, size in (("query", w_q, E), ("key", w_k, key.shape[-1]), ("value", w_v, value.shape[-1])):
                if tuple(w.shape) != (E, size):
                    raise AssertionError(f"expecting {what} weights shape of {(E, size)}, but got {w.shape}")
        b_q = b_k = b_v = None
        if self.in_proj_bias is not None:
            b_q, b_k, b_v = self.in_proj_bias.chunk(3)
        q = F.linear(query, w_q, b_q)
        k = F.linear(key, w_k, b_k)
        v = F.linear(value, w_v, b_v)
        S = k.shape[0]
        if attn_mask is not None:
            if attn_mask.dim() == 2:
                if tuple(attn_mask.shape) != (L, S):
                    raise RuntimeError(f"The shape of the 2D attn_mask is {attn_mask.shape}, but should be {(L, S)}.")
                attn_mask = attn_mask.unsqueeze(0)
            elif tuple(attn_mask.shape) != (N * h, L, S):
                raise RuntimeError(f"The shape of the 3D attn_mask is {attn_mask.shape}, but should be "
                                   f"{(N * h, L, S)}.")
        if self.bias_k is not None:  # one more key and value position, visible to every query
            k = ember.cat([k, self.bias_k.repeat(1, N, 1)])
            v = ember.cat([v, self.bias_v.repeat(1, N, 1)])
            attn_mask = F.pad(attn_mask, (0, 1)) if attn_mask is not None else None
            key_padding_mask = F.pad(key_padding_mask, (0, 1)) if key_padding_mask is not None else None
        # (S, N, E) -> (N h, S, d)
        q = q.reshape(L, N * h, d).transpose(0, 1)
        k = k.reshape(k.shape[0], N * h, d).transpose(0, 1)
        v = v.reshape(v.shape[0], N * h, d).transpose(0, 1)
        if self.add_zero_attn:  # and one of zeros
            k = ember.cat([k, ember.zeros(N * h, 1, d, dtype=k.dtype)], 1)
            v = ember.cat([v, ember.zeros(N * h, 1, d, dtype=v.dtype)], 1)
            attn_mask = F.pad(attn_mask, (0, 1)) if attn_mask is not None else None
            key_padding_mask = F.pad(key_padding_mask, (0, 1)) if key_padding_mask is not None else None
        S = k.shape[1]
        if key_padding_mask is not None:
            for i, want in ((0, N), (1, S)):
                if key_padding_mask.shape[i] != want:
                    raise AssertionError(f"Expected key_padded_mask.shape[{i}] to be {want}, but got "
                                         f"{key_padding_mask.shape[i]}")
            kpm = key_padding_mask.reshape(N, 1, 1, S).expand(-1, h, -1, -1).reshape(N * h, 1, S)
            attn_mask = kpm if attn_mask is None else attn_mask + kpm
        if need_weights and attn_mask is not None and attn_mask.dtype != q.dtype:  # PyTorch's baddbmm refuses it
            from ..._ops.linalg import _word
            raise RuntimeError(f"Input dtypes must be the same, got: input {_word(attn_mask)}, batch1: {_word(q)}, "
                               f"batch2: {_word(k)}")
        scores = (q * math.sqrt(1.0 / d)).matmul(k.transpose(-2, -1))
        if attn_mask is not None:
            scores = scores + attn_mask
        weights = scores.softmax(-1)
        if self.dropout > 0.0 and self.training:
            weights = F.dropout(weights, self.dropout, True)
        out = weights.matmul(v)  # (N h, L, d)
        out = out.transpose(0, 1).reshape(L * N, E)
        out = self.out_proj(out).view(L, N, E)
        if self.batch_first and batched:
            out = out.transpose(0, 1)
        if not batched:
            out = out.squeeze(1)
        if not need_weights:
            return out, None
        weights = weights.view(N, h, L, S)
        attn = weights.mean(1) if average_attn_weights else weights
        if not batched:
            attn = attn.squeeze(0)
        return out, attn


def _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads):
    """Whether the call is batched, after PyTorch's checks of the inputs' and masks' ranks."""
    if query.dim() not in (2, 3):
        raise AssertionError(f"query should be unbatched 2D or batched 3D tensor but received {query.dim()}-D query "
                             "tensor")
    batched = query.dim() == 3
    kind = "batched (3-D)" if batched else "unbatched (2-D)"
    n = query.dim()
    if key.dim() != n or value.dim() != n:
        raise AssertionError(f"For {kind} `query`, expected `key` and `value` to be {n}-D but found {key.dim()}-D "
                             f"and {value.dim()}-D tensors respectively")
    if key_padding_mask is not None and key_padding_mask.dim() != n - 1:
        raise AssertionError(f"For {kind} `query`, expected `key_padding_mask` to be `None` or {n - 1}-D but found "
                             f"{key_padding_mask.dim()}-D tensor instead")
    if attn_mask is not None:
        if attn_mask.dim() not in (2, 3):
            raise AssertionError(f"For {kind} `query`, expected `attn_mask` to be `None`, 2-D or 3-D but found "
                                 f"{attn_mask.dim()}-D tensor instead")
        if not batched and attn_mask.dim() == 3:
            expected = (num_heads, query.shape[0], key.shape[0])
            if tuple(attn_mask.shape) != expected:
                raise AssertionError(f"Expected `attn_mask` shape to be {expected} but got {attn_mask.shape}")
    return batched


def _canonical_mask(mask, name, other_dtype, other_name, dtype):
    """A boolean mask as an additive float one (-inf where True); any other non-float mask is an
    error, and masks of two different types draw PyTorch's deprecation warning."""
    if mask is None:
        return None
    if mask.dtype != ember.bool and not mask.is_floating_point():
        raise AssertionError(f"only bool and floating types of {name} are supported")
    if other_dtype is not None and mask.dtype != other_dtype:
        import warnings
        warnings.warn(f"Support for mismatched {name} and {other_name} is deprecated. Use same type for both "
                      "instead.", stacklevel=3)
    if mask.dtype == ember.bool:
        return ember.zeros(mask.shape, dtype=dtype).masked_fill(mask, float("-inf"))
    return mask
