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


class NonDynamicallyQuantizableLinear(Linear):
    """The output projection of MultiheadAttention (a Linear under PyTorch's name)."""


class MultiheadAttention(Module):
    """Multi-head attention with PyTorch's parameter layout: ``in_proj_weight`` stacks the
    query, key and value projections (3E, E); ``out_proj`` maps the concatenated heads back."""

    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False, add_zero_attn=False,
                 kdim=None, vdim=None, batch_first=False, device=None, dtype=None):
        super().__init__()
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(f"embed_dim and num_heads must be greater than 0, got embed_dim={embed_dim} and "
                             f"num_heads={num_heads} instead")
        if add_bias_kv or add_zero_attn or (kdim not in (None, embed_dim)) or (vdim not in (None, embed_dim)):
            raise NotImplementedError("torch.nn.MultiheadAttention with add_bias_kv, add_zero_attn or a different "
                                      "kdim/vdim is not supported by ember")
        self.embed_dim, self.kdim, self.vdim = embed_dim, embed_dim, embed_dim
        self._qkv_same_embed_dim = True
        self.num_heads, self.dropout, self.batch_first = num_heads, dropout, batch_first
        self.head_dim = embed_dim // num_heads
        if self.head_dim * num_heads != embed_dim:
            raise AssertionError("embed_dim must be divisible by num_heads")
        self.in_proj_weight = Parameter(empty(3 * embed_dim, embed_dim, dtype=dtype))
        self.register_parameter("q_proj_weight", None)
        self.register_parameter("k_proj_weight", None)
        self.register_parameter("v_proj_weight", None)
        if bias:
            self.in_proj_bias = Parameter(empty(3 * embed_dim, dtype=dtype))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = NonDynamicallyQuantizableLinear(embed_dim, embed_dim, bias=bias, dtype=dtype)
        self.bias_k = self.bias_v = None
        self.add_zero_attn = False
        self._reset_parameters()

    def _reset_parameters(self):
        init.xavier_uniform_(self.in_proj_weight)
        if self.in_proj_bias is not None:
            init.constant_(self.in_proj_bias, 0.0)
            init.constant_(self.out_proj.bias, 0.0)

    def forward(self, query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None,
                average_attn_weights=True, is_causal=False):
        batched = query.dim() == 3
        if not batched:
            query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
            if key_padding_mask is not None:
                key_padding_mask = key_padding_mask.unsqueeze(0)
        elif self.batch_first:
            query, key, value = (t.transpose(0, 1) for t in (query, key, value))
        L, N, E = query.shape
        S = key.shape[0]
        h, d = self.num_heads, self.head_dim
        w_q, w_k, w_v = self.in_proj_weight.chunk(3)
        b_q = b_k = b_v = None
        if self.in_proj_bias is not None:
            b_q, b_k, b_v = self.in_proj_bias.chunk(3)
        q = F.linear(query, w_q, b_q)
        k = F.linear(key, w_k, b_k)
        v = F.linear(value, w_v, b_v)
        # (L, N, E) -> (N, h, L, d)
        q = q.reshape(L, N * h, d).transpose(0, 1).reshape(N, h, L, d)
        k = k.reshape(S, N * h, d).transpose(0, 1).reshape(N, h, S, d)
        v = v.reshape(S, N * h, d).transpose(0, 1).reshape(N, h, S, d)
        mask = _merge_masks(attn_mask, key_padding_mask, N, h, L, S, is_causal)
        scores = q.matmul(k.transpose(-2, -1)) / math.sqrt(d)
        if mask is not None:
            scores = scores + mask
        weights = scores.softmax(-1)
        if self.dropout > 0.0 and self.training:
            weights = F.dropout(weights, self.dropout, True)
        out = weights.matmul(v)  # (N, h, L, d)
        out = out.permute(2, 0, 1, 3).reshape(L, N, E)
        out = self.out_proj(out)
        if self.batch_first and batched:
            out = out.transpose(0, 1)
        if not batched:
            out = out.squeeze(1)
        if not need_weights:
            return out, None
        attn = weights.mean(1) if average_attn_weights else weights
        if not batched:
            attn = attn.squeeze(0)
        return out, attn


def _merge_masks(attn_mask, key_padding_mask, N, h, L, S, is_causal):
    """One additive float mask (N, h, L, S) from PyTorch's mask arguments (True = masked)."""
    mask = None

    def as_float(m):
        if m.dtype == ember.bool:
            return ember.zeros(m.shape).masked_fill(m, float("-inf"))
        return m

    if attn_mask is None and is_causal:
        attn_mask = ember.ones(L, S, dtype=ember.bool).triu(1)
    if attn_mask is not None:
        m = as_float(attn_mask)
        mask = m.reshape(1, 1, L, S) if m.dim() == 2 else m.reshape(N, h, L, S)
    if key_padding_mask is not None:
        k = as_float(key_padding_mask).reshape(N, 1, 1, S)
        mask = k if mask is None else mask + k
    return mask
