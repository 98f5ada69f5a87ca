"""The mistakes PyTorch users actually make with ``torch.nn`` and ``torch.optim``, made on both
libraries: ember must raise the same exception type with the same message, and warn the same
warnings, as PyTorch (run here as the oracle; no message is written down in this file).

Each case is ``(id, expect, fn)``: ``fn(m)`` builds and calls everything from module ``m``
(``torch`` or ``ember``), and ``expect`` says what PyTorch does with it ("raises", "warns", or
"returns" a value, compared too), so a case that stops exercising an error fails as well.
"""
import re
import warnings

import numpy as np
import pytest
import torch

import ember


def R(*shape, dtype=np.float32):
    """A fixed array of normal samples per shape (the same in both runs of a case)."""
    return np.random.default_rng(100 * len(shape) + sum(shape)).standard_normal(shape).astype(dtype)


def T(m, *shape, dtype=np.float32):
    return m.tensor(R(*shape, dtype=dtype))


def F(m):
    return m.nn.functional


def seeded(m, cls, *args, **kwargs):
    m.manual_seed(0)
    return getattr(m.nn, cls)(*args, **kwargs)


def params(m, n=3):
    return [m.nn.Parameter(m.ones(n))]


def sgd(m):
    return m.optim.SGD(params(m), lr=0.1, momentum=0.9)


def _summary(value):
    if isinstance(value, (tuple, list)):
        return tuple(_summary(v) for v in value)
    if isinstance(value, (torch.Tensor, ember.Tensor)):
        return ("tensor", str(value.dtype), tuple(value.shape), value.detach().numpy())
    return ("value", repr(value))


def _same(a, b):
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.shape == b.shape and np.allclose(a, b, rtol=1e-5, atol=1e-6,
                                                                               equal_nan=True)
    if isinstance(a, tuple):
        return isinstance(b, tuple) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def _outcome(fn, m):
    """What ``fn(m)`` does: ("raised", type name, message) or ("returned", summary), and the
    warnings it gave (PyTorch's C++ warnings end with where they were triggered: dropped)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = ("returned", _summary(fn(m)))
        except Exception as exc:  # the type and message are what is compared
            result = ("raised", type(exc).__name__, str(exc))
    shown = [(w.category.__name__, re.sub(r" \(Triggered internally at .*\)$", "", str(w.message), flags=re.S))
             for w in caught]
    return result, shown


def check(expect, fn):
    (t_result, t_warnings) = _outcome(fn, torch)
    assert t_result[0] == ("raised" if expect == "raises" else "returned"), t_result
    if expect == "warns":
        assert t_warnings, "PyTorch no longer warns here"
    (e_result, e_warnings) = _outcome(fn, ember)
    if t_result[0] == "raised":
        assert e_result == t_result
    else:
        assert e_result[0] == "returned", e_result
        assert _same(e_result[1], t_result[1]), (e_result, t_result)
    assert e_warnings == t_warnings


def _ids(cases):
    return [c[0] for c in cases]


# --- Linear, convolution ------------------------------------------------------------------------
LINEAR_CONV = [
    ("linear-2d-wrong-in", "raises", lambda m: seeded(m, "Linear", 4, 3)(T(m, 2, 5))),
    ("linear-3d-wrong-in", "raises", lambda m: seeded(m, "Linear", 4, 3)(T(m, 2, 3, 5))),
    ("linear-1d-wrong-in", "raises", lambda m: seeded(m, "Linear", 4, 3)(T(m, 5))),
    ("linear-0d", "raises", lambda m: seeded(m, "Linear", 4, 3)(m.tensor(1.0))),
    ("linear-float64-input", "raises", lambda m: seeded(m, "Linear", 4, 3)(T(m, 2, 4, dtype=np.float64))),
    ("linear-int-input", "raises", lambda m: seeded(m, "Linear", 4, 3)(m.ones(2, 4, dtype=m.int64))),
    ("linear-numpy-input", "raises", lambda m: seeded(m, "Linear", 4, 3)(R(2, 4))),
    ("F.linear-bias-size", "raises", lambda m: F(m).linear(T(m, 2, 4), T(m, 3, 4), T(m, 2))),
    ("F.linear-bias-size-3d", "raises", lambda m: F(m).linear(T(m, 2, 2, 4), T(m, 3, 4), T(m, 5))),
    ("F.linear-bias-float64", "raises", lambda m: F(m).linear(T(m, 2, 4), T(m, 3, 4), T(m, 3, dtype=np.float64))),
    ("F.linear-2d-bias-3d-input", "returns", lambda m: F(m).linear(T(m, 5, 2, 4), T(m, 3, 4), T(m, 2, 3))),
    ("bilinear-input2-size", "raises", lambda m: seeded(m, "Bilinear", 3, 4, 5)(T(m, 2, 3), T(m, 2, 3))),
    ("bilinear-batch", "raises", lambda m: F(m).bilinear(T(m, 2, 3), T(m, 3, 4), T(m, 5, 3, 4))),
    ("conv1d-channels", "raises", lambda m: seeded(m, "Conv1d", 3, 4, 3)(T(m, 2, 2, 8))),
    ("conv2d-channels-unbatched", "raises", lambda m: seeded(m, "Conv2d", 3, 4, 3)(T(m, 1, 8, 8))),
    ("conv2d-rank", "raises", lambda m: seeded(m, "Conv2d", 3, 4, 3)(T(m, 8, 8))),
    ("conv3d-rank", "raises", lambda m: seeded(m, "Conv3d", 3, 4, 3)(T(m, 3, 4, 4))),
    ("conv2d-float64", "raises", lambda m: seeded(m, "Conv2d", 3, 4, 3)(T(m, 2, 3, 8, 8, dtype=np.float64))),
    ("conv2d-float64-no-bias", "raises",
     lambda m: seeded(m, "Conv2d", 3, 4, 3, bias=False)(T(m, 2, 3, 8, 8, dtype=np.float64))),
    ("conv2d-weight-float64-batched", "raises",
     lambda m: F(m).conv2d(T(m, 2, 3, 5, 5), T(m, 4, 3, 3, 3, dtype=np.float64))),
    ("conv2d-weight-float64-one", "raises",
     lambda m: F(m).conv2d(T(m, 1, 3, 5, 5), T(m, 4, 3, 3, 3, dtype=np.float64))),
    ("conv2d-kernel-too-big", "raises", lambda m: seeded(m, "Conv2d", 3, 4, 5)(T(m, 2, 3, 4, 4))),
    ("conv2d-kernel-too-big-padded", "raises", lambda m: seeded(m, "Conv2d", 3, 4, 7, padding=1)(T(m, 2, 3, 4, 4))),
    ("conv2d-kernel-too-big-dilated", "raises", lambda m: seeded(m, "Conv2d", 3, 4, 3, dilation=2)(T(m, 2, 3, 4, 4))),
    ("conv1d-kernel-too-big", "raises", lambda m: seeded(m, "Conv1d", 3, 4, 5)(T(m, 2, 3, 4))),
    ("conv3d-kernel-too-big", "raises", lambda m: seeded(m, "Conv3d", 3, 4, 5)(T(m, 1, 3, 4, 4, 4))),
    ("conv-groups-not-dividing", "raises", lambda m: seeded(m, "Conv2d", 3, 4, 3, groups=2)),
    ("conv-padding-string", "raises", lambda m: seeded(m, "Conv2d", 4, 4, 3, padding="foo")),
    ("conv-same-strided", "raises", lambda m: seeded(m, "Conv2d", 4, 4, 3, padding="same", stride=2)),
    ("F.conv2d-bias-size", "raises", lambda m: F(m).conv2d(T(m, 1, 3, 5, 5), T(m, 4, 3, 3, 3), T(m, 3))),
    ("F.conv2d-stride-0", "raises", lambda m: F(m).conv2d(T(m, 1, 3, 5, 5), T(m, 4, 3, 3, 3), stride=0)),
    ("F.conv2d-negative-padding", "raises", lambda m: F(m).conv2d(T(m, 1, 3, 5, 5), T(m, 4, 3, 3, 3), padding=-1)),
    ("F.conv2d-dilation-0", "raises", lambda m: F(m).conv2d(T(m, 1, 3, 5, 5), T(m, 4, 3, 3, 3), dilation=0)),
    ("F.conv2d-groups-0", "raises", lambda m: F(m).conv2d(T(m, 1, 3, 5, 5), T(m, 4, 3, 3, 3), groups=0)),
    ("F.conv2d-weight-groups", "raises", lambda m: F(m).conv2d(T(m, 1, 3, 5, 5), T(m, 4, 1, 3, 3), groups=3)),
    ("F.conv2d-padding-string", "raises", lambda m: F(m).conv2d(T(m, 1, 3, 5, 5), T(m, 4, 3, 3, 3), padding="foo")),
    ("convT2d-channels", "raises", lambda m: seeded(m, "ConvTranspose2d", 3, 4, 3)(T(m, 2, 4, 5, 5))),
    ("convT2d-output-padding", "raises",
     lambda m: seeded(m, "ConvTranspose2d", 3, 4, 3, output_padding=1)(T(m, 2, 3, 5, 5))),
    ("convT2d-output-size-range", "raises",
     lambda m: seeded(m, "ConvTranspose2d", 3, 4, 3, stride=2)(T(m, 2, 3, 5, 5), output_size=[20, 20])),
    ("convT2d-output-size-length", "raises",
     lambda m: seeded(m, "ConvTranspose2d", 3, 4, 3, stride=2)(T(m, 2, 3, 5, 5), output_size=[1, 2, 3, 4, 5])),
    ("convT2d-output-size-ok", "returns",
     lambda m: seeded(m, "ConvTranspose2d", 3, 4, 3, stride=2)(T(m, 2, 3, 5, 5), output_size=[12, 12]).shape),
    ("convT2d-padding-same", "raises",
     lambda m: seeded(m, "ConvTranspose2d", 3, 4, 3, padding="same")(T(m, 1, 3, 5, 5))),
    ("convT2d-output-too-small", "raises",
     lambda m: F(m).conv_transpose2d(T(m, 1, 3, 2, 2), T(m, 3, 4, 3, 3), padding=3)),
    ("convT1d-output-too-small", "raises", lambda m: F(m).conv_transpose1d(T(m, 1, 3, 2), T(m, 3, 4, 3), padding=3)),
]


# --- pooling ------------------------------------------------------------------------------------
POOL = [
    ("maxpool2d-kernel-too-big", "raises", lambda m: m.nn.MaxPool2d(5)(T(m, 1, 1, 3, 3))),
    ("avgpool2d-kernel-too-big", "raises", lambda m: m.nn.AvgPool2d(5)(T(m, 1, 1, 3, 3))),
    ("maxpool1d-kernel-too-big", "raises", lambda m: m.nn.MaxPool1d(5)(T(m, 1, 1, 3))),
    ("avgpool1d-kernel-too-big", "raises", lambda m: m.nn.AvgPool1d(5)(T(m, 1, 1, 3))),
    ("maxpool3d-kernel-too-big", "raises", lambda m: m.nn.MaxPool3d(5)(T(m, 1, 1, 3, 3, 3))),
    ("avgpool3d-kernel-too-big", "raises", lambda m: m.nn.AvgPool3d(5)(T(m, 1, 1, 3, 3, 3))),
    ("lppool2d-kernel-too-big", "raises", lambda m: m.nn.LPPool2d(2, 5)(T(m, 1, 1, 3, 3))),
    ("maxpool2d-padding-over-half", "raises", lambda m: m.nn.MaxPool2d(2, padding=2)(T(m, 1, 1, 6, 6))),
    ("maxpool2d-padding-over-half-dilated", "raises",
     lambda m: F(m).max_pool2d(T(m, 1, 1, 6, 6), 2, padding=2, dilation=2)),
    ("avgpool2d-padding-over-half", "raises", lambda m: m.nn.AvgPool2d(2, padding=2)(T(m, 1, 1, 6, 6))),
    ("maxpool1d-padding-over-half", "raises", lambda m: m.nn.MaxPool1d(2, padding=2)(T(m, 1, 1, 6))),
    ("maxpool1d-indices-kernel-too-big", "raises",
     lambda m: F(m).max_pool1d(T(m, 1, 2, 3), 5, return_indices=True)),
    ("maxpool2d-negative-padding", "raises", lambda m: F(m).max_pool2d(T(m, 1, 1, 6, 6), 2, padding=-1)),
    ("maxpool2d-stride-0", "raises", lambda m: m.nn.MaxPool2d(2, stride=0)(T(m, 1, 1, 6, 6))),
    ("maxpool2d-kernel-0", "raises", lambda m: F(m).max_pool2d(T(m, 1, 1, 6, 6), 0, stride=1)),
    ("maxpool3d-kernel-0", "raises", lambda m: F(m).max_pool3d(T(m, 1, 1, 3, 3, 3), 0, stride=1)),
    ("maxpool2d-dilation-0", "raises", lambda m: m.nn.MaxPool2d(2, dilation=0)(T(m, 1, 1, 6, 6))),
    ("maxpool1d-stride-0", "raises", lambda m: F(m).max_pool1d(T(m, 1, 1, 6), 2, stride=0)),
    ("maxpool2d-kernel-length", "raises", lambda m: m.nn.MaxPool2d((2, 2, 2))(T(m, 1, 1, 6, 6))),
    ("avgpool3d-kernel-length", "raises", lambda m: F(m).avg_pool3d(T(m, 1, 1, 4, 4, 4), (2, 2))),
    ("avgpool1d-kernel-length", "raises", lambda m: F(m).avg_pool1d(T(m, 1, 1, 4), (2, 2))),
    ("maxpool1d-kernel-length", "raises", lambda m: F(m).max_pool1d(T(m, 1, 1, 4), (2, 2))),
    ("maxpool2d-empty", "raises", lambda m: F(m).max_pool2d(m.zeros(1, 2, 0, 3), 2)),
    ("maxpool3d-empty", "raises", lambda m: F(m).max_pool3d(m.zeros(1, 2, 0, 3, 3), 2)),
    ("avgpool2d-rank-2", "raises", lambda m: m.nn.AvgPool2d(2)(T(m, 6, 6))),
    ("avgpool2d-rank-5", "raises", lambda m: F(m).avg_pool2d(T(m, 1, 1, 1, 3, 3), 2)),
    ("avgpool2d-divisor-0", "raises", lambda m: m.nn.AvgPool2d(2, divisor_override=0)(T(m, 1, 1, 6, 6))),
    ("maxpool1d-int", "raises", lambda m: F(m).max_pool1d(m.ones(1, 1, 4, dtype=m.int64), 2)),
    ("maxpool2d-numpy", "raises", lambda m: F(m).max_pool2d(R(1, 1, 4, 4), 2)),
    ("adaptiveavg2d-size-length", "raises", lambda m: m.nn.AdaptiveAvgPool2d((2, 2, 2))(T(m, 1, 1, 6, 6))),
    ("adaptiveavg2d-negative", "raises", lambda m: m.nn.AdaptiveAvgPool2d(-1)(T(m, 1, 1, 6, 6))),
    ("adaptiveavg3d-negative", "raises", lambda m: F(m).adaptive_avg_pool3d(T(m, 1, 1, 4, 4, 4), (2, 2, -2))),
    ("adaptiveavg2d-empty", "raises", lambda m: m.nn.AdaptiveAvgPool2d(2)(m.zeros(1, 1, 0, 6))),
    ("adaptiveavg1d-size-length", "raises", lambda m: m.nn.AdaptiveAvgPool1d((2, 2))(T(m, 1, 1, 6))),
    ("adaptiveavg1d-none", "raises", lambda m: F(m).adaptive_avg_pool1d(T(m, 1, 1, 6), (None,))),
    ("adaptiveavg2d-none", "returns", lambda m: m.nn.AdaptiveAvgPool2d((None, 3))(T(m, 1, 1, 6, 6))),
    ("adaptiveavg2d-int", "raises", lambda m: m.nn.AdaptiveAvgPool2d(2)(m.ones(1, 1, 4, 4, dtype=m.int64))),
    ("adaptivemax2d-size-length", "raises", lambda m: m.nn.AdaptiveMaxPool2d((2, 2, 2))(T(m, 1, 1, 6, 6))),
    ("adaptivemax2d-negative", "raises", lambda m: m.nn.AdaptiveMaxPool2d(-1)(T(m, 1, 1, 6, 6))),
    ("adaptivemax1d-empty-channels", "raises", lambda m: F(m).adaptive_max_pool1d(m.zeros(1, 0, 6), 2)),
    ("maxunpool2d-output-size", "raises", lambda m: F(m).max_unpool2d(
        T(m, 1, 1, 2, 2), m.zeros(1, 1, 2, 2, dtype=m.int64), 2, output_size=(9, 9))),
    ("maxunpool2d-output-size-length", "raises", lambda m: F(m).max_unpool2d(
        T(m, 1, 1, 2, 2), m.zeros(1, 1, 2, 2, dtype=m.int64), 2, output_size=(4, 4, 4))),
]


# --- normalisation ------------------------------------------------------------------------------
NORM = [
    ("bn1d-channels", "raises", lambda m: seeded(m, "BatchNorm1d", 3)(T(m, 4, 5))),
    ("bn2d-channels", "raises", lambda m: seeded(m, "BatchNorm2d", 3)(T(m, 2, 4, 5, 6))),
    ("bn1d-rank", "raises", lambda m: seeded(m, "BatchNorm1d", 3)(T(m, 4, 3, 5, 6))),
    ("bn2d-rank", "raises", lambda m: seeded(m, "BatchNorm2d", 3)(T(m, 3, 5, 6))),
    ("bn1d-one-value-per-channel", "raises", lambda m: seeded(m, "BatchNorm1d", 3)(T(m, 1, 3))),
    ("bn2d-float64", "raises", lambda m: seeded(m, "BatchNorm2d", 3)(T(m, 2, 3, 2, 2, dtype=np.float64))),
    ("bn2d-int", "raises", lambda m: seeded(m, "BatchNorm2d", 3)(m.ones(2, 3, 2, 2, dtype=m.int64))),
    ("bn-empty-batch", "returns", lambda m: seeded(m, "BatchNorm1d", 3)(m.zeros(0, 3, 5))),
    ("F.batch_norm-running-size", "raises", lambda m: F(m).batch_norm(T(m, 2, 3, 4), m.zeros(4), m.ones(4))),
    ("F.batch_norm-weight-size", "raises",
     lambda m: F(m).batch_norm(T(m, 2, 3, 4), m.zeros(3), m.ones(3), weight=m.ones(4))),
    ("F.batch_norm-eval-no-stats", "raises", lambda m: F(m).batch_norm(T(m, 2, 3, 4), None, None)),
    ("F.batch_norm-float64-params", "raises",
     lambda m: F(m).batch_norm(T(m, 2, 3, 4), m.zeros(3, dtype=m.float64), m.ones(3, dtype=m.float64), training=True)),
    ("layernorm-shape", "raises", lambda m: seeded(m, "LayerNorm", 5)(T(m, 2, 4))),
    ("layernorm-shape-tuple", "raises", lambda m: seeded(m, "LayerNorm", (3, 4))(T(m, 2, 4, 3))),
    ("layernorm-float64", "raises", lambda m: seeded(m, "LayerNorm", 4)(T(m, 2, 4, dtype=np.float64))),
    ("layernorm-int", "raises", lambda m: seeded(m, "LayerNorm", 4)(m.ones(2, 4, dtype=m.int64))),
    ("F.layer_norm-weight-shape", "raises", lambda m: F(m).layer_norm(T(m, 2, 4), (4,), weight=m.ones(3))),
    ("F.layer_norm-bias-shape", "raises", lambda m: F(m).layer_norm(T(m, 2, 4), (4,), bias=m.ones(3))),
    ("F.layer_norm-int-shape", "raises", lambda m: F(m).layer_norm(T(m, 2, 4), 4)),
    ("F.layer_norm-empty-shape", "raises", lambda m: F(m).layer_norm(T(m, 2, 4), ())),
    ("groupnorm-not-divisible", "raises", lambda m: seeded(m, "GroupNorm", 3, 4)),
    ("groupnorm-channels", "raises", lambda m: seeded(m, "GroupNorm", 2, 4)(T(m, 2, 6, 3))),
    ("groupnorm-rank-1", "raises", lambda m: seeded(m, "GroupNorm", 2, 4)(T(m, 4))),
    ("F.group_norm-not-divisible", "raises", lambda m: F(m).group_norm(T(m, 2, 6, 3), 4)),
    ("F.group_norm-bias-size", "raises", lambda m: F(m).group_norm(T(m, 4, 3, 5), 3, m.ones(3), m.ones(4))),
    ("F.group_norm-one-value", "raises", lambda m: F(m).group_norm(T(m, 1, 2), 2)),
    ("instancenorm1d-channels-affine", "raises", lambda m: seeded(m, "InstanceNorm1d", 3, affine=True)(T(m, 2, 4, 5))),
    ("instancenorm1d-channels-warns", "warns", lambda m: seeded(m, "InstanceNorm1d", 3)(T(m, 2, 4, 5))),
    ("instancenorm2d-unbatched-affine", "raises",
     lambda m: seeded(m, "InstanceNorm2d", 3, affine=True)(T(m, 4, 4, 5))),
    ("instancenorm1d-one-spatial", "raises", lambda m: seeded(m, "InstanceNorm1d", 3)(T(m, 2, 3, 1))),
    ("instancenorm2d-rank", "raises", lambda m: seeded(m, "InstanceNorm2d", 3)(T(m, 4, 5))),
    ("F.instance_norm-weight-size", "raises", lambda m: F(m).instance_norm(T(m, 4, 3, 5), weight=m.ones(4))),
]


# --- embeddings ---------------------------------------------------------------------------------
EMBEDDING = [
    ("embedding-too-large", "raises", lambda m: seeded(m, "Embedding", 5, 3)(m.tensor([1, 5]))),
    ("embedding-negative", "raises", lambda m: seeded(m, "Embedding", 5, 3)(m.tensor([1, -1]))),
    ("embedding-float-indices", "raises", lambda m: seeded(m, "Embedding", 5, 3)(m.tensor([1.0, 2.0]))),
    ("embedding-bool-indices", "raises", lambda m: seeded(m, "Embedding", 5, 3)(m.tensor([True, False]))),
    ("embedding-list-indices", "raises", lambda m: seeded(m, "Embedding", 5, 3)([1, 2])),
    ("embedding-padding-idx", "raises", lambda m: seeded(m, "Embedding", 5, 3, padding_idx=5)),
    ("embedding-weight-shape", "raises", lambda m: m.nn.Embedding(5, 3, _weight=m.ones(4, 3))),
    ("F.embedding-weight-1d", "raises", lambda m: F(m).embedding(m.tensor([1]), m.ones(5))),
    ("F.embedding-max-norm-out-of-range", "raises",
     lambda m: F(m).embedding(m.tensor([1, 7]), T(m, 5, 3), max_norm=1.0)),
    ("embeddingbag-2d-with-offsets", "raises",
     lambda m: seeded(m, "EmbeddingBag", 5, 3)(m.tensor([[1, 2], [3, 4]]), m.tensor([0, 1]))),
    ("embeddingbag-3d", "raises", lambda m: seeded(m, "EmbeddingBag", 5, 3)(m.tensor([[[1, 2]]]))),
    ("embeddingbag-1d-no-offsets", "raises", lambda m: seeded(m, "EmbeddingBag", 5, 3)(m.tensor([1, 2]))),
    ("embeddingbag-offsets-start", "raises",
     lambda m: seeded(m, "EmbeddingBag", 5, 3)(m.tensor([1, 2, 3]), m.tensor([1, 2]))),
    ("embeddingbag-offsets-past-end", "raises",
     lambda m: F(m).embedding_bag(m.tensor([1, 2, 3]), T(m, 5, 3), m.tensor([0, 5]))),
    ("embeddingbag-offsets-2d", "raises",
     lambda m: seeded(m, "EmbeddingBag", 5, 3)(m.tensor([1, 2, 3]), m.tensor([[0, 2]]))),
    ("embeddingbag-bad-mode", "raises", lambda m: seeded(m, "EmbeddingBag", 5, 3, mode="foo")(m.tensor([[1, 2]]))),
    ("embeddingbag-weights-with-mean", "raises",
     lambda m: seeded(m, "EmbeddingBag", 5, 3)(m.tensor([[1, 2]]), per_sample_weights=m.ones(1, 2))),
    ("embeddingbag-weights-shape", "raises",
     lambda m: seeded(m, "EmbeddingBag", 5, 3, mode="sum")(m.tensor([[1, 2]]), per_sample_weights=m.ones(2))),
    ("embeddingbag-out-of-range", "raises", lambda m: seeded(m, "EmbeddingBag", 5, 3)(m.tensor([[1, 7]]))),
    ("embeddingbag-max-out-of-range", "raises",
     lambda m: F(m).embedding_bag(m.tensor([1, 7, 2]), T(m, 5, 3), m.tensor([0, 2]), mode="max")),
    ("embeddingbag-float", "raises", lambda m: seeded(m, "EmbeddingBag", 5, 3)(m.tensor([[1., 2.]]))),
    ("embeddingbag-sum", "returns",
     lambda m: F(m).embedding_bag(m.tensor([1, 4, 2, 0]), T(m, 5, 3), m.tensor([0, 2, 2]), mode="sum")),
]


# --- recurrent layers ---------------------------------------------------------------------------
def _state(m, cls, *shape):
    h = m.zeros(*shape)
    return (h, m.zeros(*shape)) if cls == "LSTM" else h


RNN = []
for _cls in ("RNN", "LSTM", "GRU"):
    RNN += [
        (f"{_cls}-input-size", "raises", lambda m, c=_cls: seeded(m, c, 4, 3)(T(m, 5, 2, 6))),
        (f"{_cls}-rank-4", "raises", lambda m, c=_cls: seeded(m, c, 4, 3)(T(m, 5, 2, 4, 1))),
        (f"{_cls}-rank-1", "raises", lambda m, c=_cls: seeded(m, c, 4, 3)(T(m, 4))),
        (f"{_cls}-float64", "raises", lambda m, c=_cls: seeded(m, c, 4, 3)(T(m, 5, 2, 4, dtype=np.float64))),
        (f"{_cls}-batch-first-state", "raises",
         lambda m, c=_cls: seeded(m, c, 4, 3, batch_first=True)(T(m, 2, 5, 4), _state(m, c, 1, 5, 3))),
        (f"{_cls}-state-hidden-size", "raises",
         lambda m, c=_cls: seeded(m, c, 4, 3)(T(m, 5, 2, 4), _state(m, c, 1, 2, 4))),
        (f"{_cls}-state-layers", "raises",
         lambda m, c=_cls: seeded(m, c, 4, 3)(T(m, 5, 2, 4), _state(m, c, 2, 2, 3))),
        (f"{_cls}-state-2d-batched", "raises",
         lambda m, c=_cls: seeded(m, c, 4, 3)(T(m, 5, 2, 4), _state(m, c, 2, 3))),
        (f"{_cls}-state-3d-unbatched", "raises",
         lambda m, c=_cls: seeded(m, c, 4, 3)(T(m, 5, 4), _state(m, c, 1, 1, 3))),
        (f"{_cls}-dropout-one-layer", "warns", lambda m, c=_cls: repr(seeded(m, c, 4, 3, dropout=0.5))),
        (f"{_cls}-no-input", "raises", lambda m, c=_cls: seeded(m, c, 4, 3)()),
    ]
RNN += [
    ("RNN-state-tuple", "raises", lambda m: seeded(m, "RNN", 4, 3)(T(m, 5, 2, 4), (m.zeros(1, 2, 3),) * 2)),
    ("RNN-nonlinearity", "raises", lambda m: seeded(m, "RNN", 4, 3, nonlinearity="sigmoid")),
    ("LSTM-three-states", "raises", lambda m: seeded(m, "LSTM", 4, 3)(T(m, 5, 2, 4), (m.zeros(1, 2, 3),) * 3)),
    ("LSTM-cell-state-size", "raises",
     lambda m: seeded(m, "LSTM", 4, 3)(T(m, 5, 2, 4), (m.zeros(1, 2, 3), m.zeros(1, 2, 4)))),
    ("LSTM-proj-state", "raises",
     lambda m: seeded(m, "LSTM", 4, 3, proj_size=2)(T(m, 5, 2, 4), (m.zeros(1, 2, 3), m.zeros(1, 2, 3)))),
    ("LSTMCell-input-size", "raises", lambda m: seeded(m, "LSTMCell", 4, 3)(T(m, 2, 5))),
    ("LSTMCell-rank", "raises", lambda m: seeded(m, "LSTMCell", 4, 3)(T(m, 2, 2, 4))),
    ("LSTMCell-state-batch", "raises",
     lambda m: seeded(m, "LSTMCell", 4, 3)(T(m, 2, 4), (m.zeros(3, 3), m.zeros(3, 3)))),
    ("GRUCell-hidden-size", "raises", lambda m: seeded(m, "GRUCell", 4, 3)(T(m, 2, 4), m.zeros(2, 4))),
    ("RNNCell-rank", "raises", lambda m: seeded(m, "RNNCell", 4, 3)(T(m, 2, 2, 4))),
    ("RNNCell-state-1d-batched", "raises", lambda m: seeded(m, "RNNCell", 4, 3)(T(m, 2, 4), m.zeros(3))),
    ("RNNCell-nonlinearity", "raises", lambda m: seeded(m, "RNNCell", 4, 3, nonlinearity="foo")(T(m, 2, 4))),
    ("pack-unsorted", "raises", lambda m: m.nn.utils.rnn.pack_padded_sequence(T(m, 5, 3, 4), [2, 5, 3])),
    ("pack-unsorted-tensor", "raises",
     lambda m: m.nn.utils.rnn.pack_padded_sequence(T(m, 5, 3, 4), m.tensor([2, 5, 3]))),
    ("pack-unsorted-into-rnn", "raises", lambda m: seeded(m, "GRU", 4, 3)(
        m.nn.utils.rnn.pack_padded_sequence(T(m, 5, 3, 4), [2, 5, 3]))),
    ("pack-zero-length", "raises", lambda m: m.nn.utils.rnn.pack_padded_sequence(T(m, 5, 3, 4), [5, 3, 0])),
    ("pack-lengths-count", "raises", lambda m: m.nn.utils.rnn.pack_padded_sequence(T(m, 5, 3, 4), [5, 3])),
    ("pack-batch-first-confusion", "raises",
     lambda m: m.nn.utils.rnn.pack_padded_sequence(T(m, 3, 5, 4), [5, 3, 2])),
    ("pack-lengths-2d", "raises",
     lambda m: m.nn.utils.rnn.pack_padded_sequence(T(m, 5, 3, 4), m.tensor([[5, 3, 2]]))),
    ("pack-float-lengths", "returns",
     lambda m: m.nn.utils.rnn.pack_padded_sequence(T(m, 5, 3, 4), m.tensor([5., 3., 2.])).batch_sizes),
    ("pack-sequence-empty", "raises", lambda m: m.nn.utils.rnn.pack_sequence([])),
    ("pad-sequence-empty", "raises", lambda m: m.nn.utils.rnn.pad_sequence([])),
    ("pad-sequence-trailing-dims", "raises", lambda m: m.nn.utils.rnn.pad_sequence([m.zeros(3, 2), m.zeros(2, 3)])),
    ("pad-sequence-side", "raises", lambda m: m.nn.utils.rnn.pad_sequence([m.zeros(3, 2)], padding_side="middle")),
]


# --- losses -------------------------------------------------------------------------------------
def logits(m):
    return T(m, 4, 3)


def classes(m):
    return m.tensor([0, 1, 2, 1])


LOSS = [
    ("ce-float-class-target", "raises", lambda m: m.nn.CrossEntropyLoss()(logits(m), m.tensor([0., 1., 2., 1.]))),
    ("ce-int32-target", "raises", lambda m: m.nn.CrossEntropyLoss()(logits(m), classes(m).int())),
    ("ce-target-too-large", "raises", lambda m: m.nn.CrossEntropyLoss()(logits(m), m.tensor([0, 1, 3, 1]))),
    ("ce-target-negative", "raises", lambda m: m.nn.CrossEntropyLoss()(logits(m), m.tensor([0, 1, -2, 1]))),
    ("ce-target-batch", "raises", lambda m: m.nn.CrossEntropyLoss()(logits(m), m.tensor([0, 1, 2]))),
    ("ce-target-2d", "raises", lambda m: m.nn.CrossEntropyLoss()(logits(m), m.tensor([[0, 1, 2, 1]]))),
    ("ce-1d-input-0d-target", "returns", lambda m: m.nn.CrossEntropyLoss()(T(m, 3), m.tensor(1))),
    ("ce-0d-input", "raises", lambda m: m.nn.CrossEntropyLoss()(m.tensor(1.), m.tensor(1))),
    ("ce-probabilities-shape", "raises",
     lambda m: m.nn.CrossEntropyLoss()(logits(m), m.softmax(T(m, 4, 2), 1))),
    ("ce-probabilities-batch", "raises",
     lambda m: m.nn.CrossEntropyLoss()(logits(m), m.softmax(T(m, 3, 3), 1))),
    ("ce-probabilities", "returns", lambda m: m.nn.CrossEntropyLoss()(logits(m), m.softmax(T(m, 4, 3), 1))),
    ("ce-probabilities-ignore-index", "raises",
     lambda m: F(m).cross_entropy(logits(m), m.softmax(T(m, 4, 3), 1), ignore_index=1)),
    ("ce-weight-size", "raises", lambda m: m.nn.CrossEntropyLoss(weight=m.ones(4))(logits(m), classes(m))),
    ("ce-weight-size-probabilities", "raises",
     lambda m: m.nn.CrossEntropyLoss(weight=m.ones(4))(logits(m), m.softmax(T(m, 4, 3), 1))),
    ("ce-weight-float64", "raises",
     lambda m: m.nn.CrossEntropyLoss(weight=m.ones(3, dtype=m.float64))(logits(m), classes(m))),
    ("ce-reduction", "raises", lambda m: m.nn.CrossEntropyLoss(reduction="avg")(logits(m), classes(m))),
    ("ce-label-smoothing", "raises", lambda m: m.nn.CrossEntropyLoss(label_smoothing=1.5)(logits(m), classes(m))),
    ("ce-int-input", "raises", lambda m: m.nn.CrossEntropyLoss()(m.ones(4, 3, dtype=m.int64), classes(m))),
    ("ce-4d-target-size", "raises",
     lambda m: m.nn.CrossEntropyLoss()(T(m, 2, 3, 4, 4), m.zeros(2, 4, 5, dtype=m.int64))),
    ("ce-4d-target-rank", "raises",
     lambda m: m.nn.CrossEntropyLoss()(T(m, 2, 3, 4, 4), m.zeros(2, 1, 4, 4, dtype=m.int64))),
    ("ce-list-target", "raises", lambda m: m.nn.CrossEntropyLoss()(logits(m), [0, 1, 2, 1])),
    ("ce-legacy-size-average", "warns", lambda m: m.nn.CrossEntropyLoss(size_average=False).reduction),
    ("nll-float-target", "raises", lambda m: m.nn.NLLLoss()(logits(m), m.tensor([0., 1., 2., 1.]))),
    ("nll-target-too-large", "raises", lambda m: m.nn.NLLLoss()(logits(m), m.tensor([0, 1, 3, 1]))),
    ("nll-weight-size", "raises", lambda m: m.nn.NLLLoss(weight=m.ones(4))(logits(m), classes(m))),
    ("nll-0d-input", "raises", lambda m: m.nn.NLLLoss()(m.tensor(1.), m.tensor(1))),
    ("nll-1d-input-target-size", "raises", lambda m: F(m).nll_loss(T(m, 3), m.tensor([0, 1]))),
    ("nll-3d-target-size", "raises", lambda m: m.nn.NLLLoss()(T(m, 2, 3, 4), m.zeros(2, 5, dtype=m.int64))),
    ("nll-probability-target", "raises", lambda m: m.nn.NLLLoss()(logits(m), m.softmax(logits(m), 1))),
    ("nll-byte-target", "returns", lambda m: F(m).nll_loss(logits(m), classes(m).to(m.uint8))),
    ("bce-input-range", "raises", lambda m: m.nn.BCELoss()(m.tensor([0.5, 1.5]), m.tensor([0., 1.]))),
    ("bce-target-range", "raises", lambda m: F(m).binary_cross_entropy(m.full((2,), 0.5), m.tensor([0., 2.]))),
    ("bce-shape", "raises", lambda m: m.nn.BCELoss()(m.full((4, 1), 0.5), m.tensor([0., 1., 1., 0.]))),
    ("bce-int-target", "raises", lambda m: m.nn.BCELoss()(m.full((2,), 0.5), m.tensor([0, 1]))),
    ("bce-weight-broadcast", "raises",
     lambda m: m.nn.BCELoss(weight=m.ones(3))(m.full((2,), 0.5), m.tensor([0., 1.]))),
    ("bce-with-logits-shape", "raises", lambda m: m.nn.BCEWithLogitsLoss()(m.zeros(4, 1), m.tensor([0., 1., 1., 0.]))),
    ("bce-with-logits-int-target", "raises", lambda m: m.nn.BCEWithLogitsLoss()(m.zeros(4), classes(m))),
    ("bce-with-logits-pos-weight", "raises",
     lambda m: m.nn.BCEWithLogitsLoss(pos_weight=m.ones(3))(m.zeros(2, 4), m.zeros(2, 4))),
    ("bce-with-logits-weight", "raises",
     lambda m: m.nn.BCEWithLogitsLoss(weight=m.ones(3))(m.zeros(2, 4), m.zeros(2, 4))),
    ("bce-with-logits-float64-target", "returns",
     lambda m: F(m).binary_cross_entropy_with_logits(T(m, 3), m.tensor([0., 1., 1.], dtype=m.float64))),
    ("mse-column-vs-row", "warns", lambda m: m.nn.MSELoss()(T(m, 4, 1), T(m, 4))),
    ("mse-row-vs-column", "warns", lambda m: m.nn.MSELoss()(T(m, 4), T(m, 4, 1))),
    ("mse-mismatch", "raises", lambda m: m.nn.MSELoss()(T(m, 4), T(m, 3))),
    ("mse-int-target", "returns", lambda m: m.nn.MSELoss()(T(m, 4), m.tensor([1, 2, 3, 4]))),
    ("mse-int-both", "raises", lambda m: m.nn.MSELoss()(m.tensor([1, 2]), m.tensor([1, 3]))),
    ("mse-weight", "returns", lambda m: F(m).mse_loss(T(m, 4), m.zeros(4), weight=m.arange(4.))),
    ("mse-weight-size", "raises", lambda m: F(m).mse_loss(T(m, 4), m.zeros(4), weight=m.arange(3.))),
    ("mse-numpy-target", "raises", lambda m: m.nn.MSELoss()(T(m, 2), R(2))),
    ("l1-column-vs-row", "warns", lambda m: m.nn.L1Loss()(T(m, 4, 1), T(m, 4))),
    ("l1-mismatch", "raises", lambda m: m.nn.L1Loss()(T(m, 4), T(m, 3))),
    ("smooth-l1-column-vs-row", "warns", lambda m: m.nn.SmoothL1Loss()(T(m, 4, 1), T(m, 4))),
    ("smooth-l1-int-target", "returns", lambda m: m.nn.SmoothL1Loss()(T(m, 4), m.tensor([1, 2, 3, 4]))),
    ("huber-column-vs-row", "warns", lambda m: m.nn.HuberLoss()(T(m, 4, 1), T(m, 4))),
    ("huber-float64-target", "returns", lambda m: m.nn.HuberLoss()(T(m, 4), T(m, 4, dtype=np.float64))),
    ("huber-int-input", "raises", lambda m: F(m).huber_loss(m.ones(4, dtype=m.int64), m.ones(4))),
    ("huber-weight", "returns", lambda m: F(m).huber_loss(T(m, 4) * 3, m.zeros(4), weight=m.arange(4.))),
    ("mse-legacy-reduce", "warns", lambda m: m.nn.MSELoss(reduce=False)(T(m, 4), T(m, 4))),
    ("kldiv-mean", "warns", lambda m: m.nn.KLDivLoss()(T(m, 2, 3), m.softmax(T(m, 2, 3), 1))),
    ("kldiv-batchmean", "returns",
     lambda m: m.nn.KLDivLoss(reduction="batchmean")(T(m, 2, 3), m.softmax(T(m, 2, 3), 1))),
    ("kldiv-shape", "raises", lambda m: F(m).kl_div(T(m, 2, 3), m.softmax(T(m, 2, 4), 1), reduction="sum")),
    ("gaussian-nll-var-size", "raises", lambda m: m.nn.GaussianNLLLoss()(T(m, 2, 3), T(m, 2, 3), m.ones(2, 2))),
    ("gaussian-nll-var-negative", "raises", lambda m: m.nn.GaussianNLLLoss()(T(m, 2, 3), T(m, 2, 3), -m.ones(2, 3))),
    ("gaussian-nll-homoscedastic", "returns", lambda m: F(m).gaussian_nll_loss(T(m, 4, 3), m.ones(4, 3), m.ones(4))),
    ("cosine-embedding-target-size", "raises",
     lambda m: m.nn.CosineEmbeddingLoss()(T(m, 2, 3), T(m, 2, 3), m.ones(3))),
    ("cosine-embedding-target-rank", "raises",
     lambda m: F(m).cosine_embedding_loss(T(m, 3), T(m, 3), m.ones(2))),
    ("hinge-embedding-size", "raises", lambda m: m.nn.HingeEmbeddingLoss()(T(m, 3), m.ones(2))),
    ("soft-margin-size", "raises", lambda m: m.nn.SoftMarginLoss()(T(m, 3), m.ones(2))),
    ("margin-ranking-dims", "raises", lambda m: F(m).margin_ranking_loss(m.zeros(3), m.zeros(2, 3), m.ones(3))),
    ("triplet-dims", "raises", lambda m: m.nn.TripletMarginLoss()(T(m, 2, 3), T(m, 2, 3), T(m, 3))),
    ("triplet-margin", "raises", lambda m: F(m).triplet_margin_loss(T(m, 2, 3), T(m, 2, 3), T(m, 2, 3), margin=0)),
    ("ctc-input-lengths", "raises", lambda m: m.nn.CTCLoss()(
        m.log_softmax(T(m, 6, 2, 5), -1), m.tensor([[1, 2], [3, 4]]), m.tensor([7, 6]), m.tensor([2, 2]))),
    ("ctc-target-lengths", "raises", lambda m: m.nn.CTCLoss()(
        m.log_softmax(T(m, 6, 2, 5), -1), m.tensor([[1, 2], [3, 4]]), m.tensor([6, 6]), m.tensor([3, 2]))),
    ("ctc-float-targets", "returns", lambda m: m.nn.CTCLoss()(
        m.log_softmax(T(m, 6, 2, 5), -1), m.tensor([[1., 2.], [3., 4.]]), m.tensor([6, 6]), m.tensor([2, 2]))),
    ("ctc-infinite", "returns", lambda m: m.nn.CTCLoss(reduction="none")(
        m.log_softmax(T(m, 2, 2, 5), -1), m.tensor([[1, 1], [1, 2]]), m.tensor([2, 2]), m.tensor([2, 2]))),
]


# --- attention and transformers -------------------------------------------------------------------
def mha(m, *args, **kwargs):
    return seeded(m, "MultiheadAttention", *args, **kwargs)


ATTENTION = [
    ("mha-not-divisible", "raises", lambda m: mha(m, 6, 4)),
    ("mha-query-dim", "raises", lambda m: mha(m, 8, 2)(T(m, 3, 2, 6), T(m, 3, 2, 6), T(m, 3, 2, 6))),
    ("mha-key-dim", "raises", lambda m: mha(m, 8, 2)(T(m, 3, 2, 8), T(m, 4, 2, 6), T(m, 4, 2, 8))),
    ("mha-key-value-length", "raises", lambda m: mha(m, 8, 2)(T(m, 3, 2, 8), T(m, 4, 2, 8), T(m, 5, 2, 8))),
    ("mha-rank", "raises", lambda m: mha(m, 8, 2)(T(m, 1, 3, 2, 8), T(m, 1, 3, 2, 8), T(m, 1, 3, 2, 8))),
    ("mha-unbatched-key-rank", "raises", lambda m: mha(m, 8, 2)(T(m, 3, 8), T(m, 3, 1, 8), T(m, 3, 1, 8))),
    ("mha-attn-mask-2d", "raises",
     lambda m: mha(m, 8, 2)(T(m, 3, 2, 8), T(m, 4, 2, 8), T(m, 4, 2, 8), attn_mask=m.zeros(3, 3))),
    ("mha-attn-mask-3d", "raises",
     lambda m: mha(m, 8, 2)(T(m, 3, 2, 8), T(m, 4, 2, 8), T(m, 4, 2, 8), attn_mask=m.zeros(2, 3, 4))),
    ("mha-attn-mask-4d", "raises",
     lambda m: mha(m, 8, 2)(T(m, 3, 2, 8), T(m, 4, 2, 8), T(m, 4, 2, 8), attn_mask=m.zeros(2, 2, 3, 4))),
    ("mha-attn-mask-int", "raises", lambda m: mha(m, 8, 2)(
        T(m, 3, 2, 8), T(m, 4, 2, 8), T(m, 4, 2, 8), attn_mask=m.zeros(3, 4, dtype=m.int64))),
    ("mha-key-padding-mask-size", "raises", lambda m: mha(m, 8, 2)(
        T(m, 3, 2, 8), T(m, 4, 2, 8), T(m, 4, 2, 8), key_padding_mask=m.zeros(2, 3, dtype=m.bool))),
    ("mha-mixed-mask-types", "warns", lambda m: mha(m, 8, 2)(
        T(m, 3, 2, 8), T(m, 4, 2, 8), T(m, 4, 2, 8), key_padding_mask=m.zeros(2, 4),
        attn_mask=m.zeros(3, 4, dtype=m.bool))[0].shape),
    ("mha-causal-without-mask", "raises", lambda m: mha(m, 8, 2)(T(m, 3, 2, 8), T(m, 3, 2, 8), T(m, 3, 2, 8),
                                                             is_causal=True)),
    ("mha-kdim-vdim", "returns",
     lambda m: mha(m, 8, 2, kdim=6, vdim=5)(T(m, 3, 2, 8), T(m, 4, 2, 6), T(m, 4, 2, 5))[0].shape),
    ("mha-kdim-wrong", "raises",
     lambda m: mha(m, 8, 2, kdim=6, vdim=5)(T(m, 3, 2, 8), T(m, 4, 2, 7), T(m, 4, 2, 5))),
    ("encoder-layer-d-model", "raises",
     lambda m: seeded(m, "TransformerEncoderLayer", 8, 2, dim_feedforward=16)(T(m, 3, 2, 6))),
    ("encoder-layer-mask", "raises",
     lambda m: seeded(m, "TransformerEncoderLayer", 8, 2, dim_feedforward=16)(T(m, 3, 2, 8), src_mask=m.zeros(2, 2))),
    ("encoder-layer-activation", "raises", lambda m: seeded(m, "TransformerEncoderLayer", 8, 2, activation="foo")),
    ("decoder-layer-d-model", "raises",
     lambda m: seeded(m, "TransformerDecoderLayer", 8, 2, dim_feedforward=16)(T(m, 3, 2, 6), T(m, 3, 2, 8))),
    ("encoder-nested-tensor", "warns",
     lambda m: m.nn.TransformerEncoder(seeded(m, "TransformerEncoderLayer", 8, 2, dim_feedforward=16), 1).num_layers),
    ("transformer-batch", "raises",
     lambda m: seeded(m, "Transformer", 8, 2, 1, 1, 16)(T(m, 3, 2, 8), T(m, 4, 3, 8))),
    ("transformer-d-model", "raises",
     lambda m: seeded(m, "Transformer", 8, 2, 1, 1, 16)(T(m, 3, 2, 6), T(m, 4, 2, 8))),
    ("sdpa-head-dim", "raises",
     lambda m: F(m).scaled_dot_product_attention(T(m, 2, 3, 4), T(m, 2, 5, 6), T(m, 2, 5, 6))),
    ("sdpa-mask-and-causal", "raises", lambda m: F(m).scaled_dot_product_attention(
        T(m, 2, 3, 4), T(m, 2, 3, 4), T(m, 2, 3, 4), attn_mask=m.zeros(3, 3), is_causal=True)),
    ("sdpa-dtype", "raises",
     lambda m: F(m).scaled_dot_product_attention(T(m, 2, 3, 4).double(), T(m, 2, 5, 4), T(m, 2, 5, 4))),
]


# --- Module, containers, Parameter ------------------------------------------------------------------
def _size_mismatch(m):
    return seeded(m, "Linear", 4, 3).load_state_dict(seeded(m, "Linear", 5, 3).state_dict())


def _missing_and_unexpected(m):
    lin = seeded(m, "Linear", 4, 3)
    sd = lin.state_dict()
    del sd["bias"]
    sd["foo"] = m.zeros(1)
    return lin.load_state_dict(sd)


def _assign(m, attr, value):
    lin = seeded(m, "Linear", 2, 2)
    setattr(lin, attr, value(m))


MODULE = [
    ("missing-input-linear", "raises", lambda m: seeded(m, "Linear", 4, 3)()),
    ("missing-input-conv2d", "raises", lambda m: seeded(m, "Conv2d", 4, 3, 3)()),
    ("missing-input-relu", "raises", lambda m: m.nn.ReLU()()),
    ("missing-input-relu6", "raises", lambda m: m.nn.ReLU6()()),
    ("missing-input-maxpool", "raises", lambda m: m.nn.MaxPool2d(2)()),
    ("missing-input-batchnorm", "raises", lambda m: seeded(m, "BatchNorm2d", 3)()),
    ("missing-input-reflectionpad", "raises", lambda m: m.nn.ReflectionPad2d(1)()),
    ("missing-input-dropout2d", "raises", lambda m: m.nn.Dropout2d()()),
    ("missing-target-mse", "raises", lambda m: m.nn.MSELoss()(m.zeros(2))),
    ("extra-argument", "raises", lambda m: seeded(m, "Linear", 4, 3)(m.zeros(2, 4), m.zeros(2, 4))),
    ("threshold-arguments", "raises", lambda m: m.nn.Threshold(0.1)),
    ("relu-too-many-arguments", "raises", lambda m: m.nn.ReLU(True, 3)),
    ("softplus-keyword", "raises", lambda m: m.nn.Softplus(alpha=2)),
    ("hardtanh-range", "raises", lambda m: m.nn.Hardtanh(1.0, 0.0)),
    ("load-state-dict-size", "raises", _size_mismatch),
    ("load-state-dict-keys", "raises", _missing_and_unexpected),
    ("load-state-dict-not-a-dict", "raises", lambda m: seeded(m, "Linear", 4, 3).load_state_dict([1, 2])),
    ("register-buffer-number", "raises", lambda m: m.nn.Module().register_buffer("x", 3)),
    ("register-buffer-numpy", "raises", lambda m: m.nn.Module().register_buffer("x", R(2))),
    ("register-buffer-dot", "raises", lambda m: m.nn.Module().register_buffer("a.b", m.zeros(1))),
    ("register-buffer-name-type", "raises", lambda m: m.nn.Module().register_buffer(1, m.zeros(1))),
    ("register-parameter-tensor", "raises", lambda m: m.nn.Module().register_parameter("x", m.zeros(1))),
    ("add-module-dot", "raises", lambda m: m.nn.Module().add_module("a.b", m.nn.ReLU())),
    ("add-module-empty", "raises", lambda m: m.nn.Module().add_module("", m.nn.ReLU())),
    ("add-module-number", "raises", lambda m: m.nn.Module().add_module("a", 3)),
    ("add-module-function", "raises", lambda m: m.nn.Module().add_module("f", m.nn.functional.relu)),
    ("assign-tensor-to-parameter", "raises", lambda m: _assign(m, "weight", lambda m: m.zeros(2, 2))),
    ("sequential-function", "raises", lambda m: m.nn.Sequential(m.nn.functional.relu)),
    ("sequential-list", "raises", lambda m: m.nn.Sequential([m.nn.ReLU()])),
    ("sequential-index", "raises", lambda m: m.nn.Sequential(m.nn.ReLU(), m.nn.Tanh())[2]),
    ("sequential-negative-index", "raises", lambda m: m.nn.Sequential(m.nn.ReLU(), m.nn.Tanh())[-3]),
    ("sequential-insert-number", "raises", lambda m: m.nn.Sequential(m.nn.ReLU()).insert(0, 3)),
    ("modulelist-index", "raises", lambda m: m.nn.ModuleList([m.nn.ReLU()])[1]),
    ("modulelist-append-number", "raises", lambda m: m.nn.ModuleList([m.nn.ReLU()]).append(3)),
    ("modulelist-extend-module", "raises", lambda m: m.nn.ModuleList([m.nn.ReLU()]).extend(m.nn.ReLU())),
    ("moduledict-update-number", "raises", lambda m: m.nn.ModuleDict({"a": m.nn.ReLU()}).update(3)),
    ("moduledict-update-triple", "raises", lambda m: m.nn.ModuleDict().update([("a", m.nn.ReLU(), 1)])),
    ("parameterlist-index", "raises", lambda m: m.nn.ParameterList([m.nn.Parameter(m.zeros(1))])[1]),
    ("parameterlist-call", "raises", lambda m: m.nn.ParameterList([m.nn.Parameter(m.zeros(1))])(1)),
    ("parameterlist-repr", "returns",
     lambda m: repr(m.nn.ParameterList([m.nn.Parameter(m.zeros(2)), m.nn.Parameter(m.zeros(2, 3))]))),
    ("parameterdict-sorted", "returns",
     lambda m: list(m.nn.ParameterDict({"b": m.nn.Parameter(m.zeros(1)), "a": m.nn.Parameter(m.zeros(1))}))),
    ("parameter-int", "raises", lambda m: m.nn.Parameter(m.tensor([1, 2]))),
    ("parameter-bool", "raises", lambda m: m.nn.Parameter(m.tensor([True]))),
    ("parameter-int-frozen", "returns", lambda m: m.nn.Parameter(m.tensor([1, 2]), requires_grad=False)),
    ("parameter-list", "raises", lambda m: m.nn.Parameter([1.0, 2.0])),
]


# --- functional ---------------------------------------------------------------------------------
FUNCTIONAL = [
    ("one-hot-negative", "raises", lambda m: F(m).one_hot(m.tensor([0, -1, 2]))),
    ("one-hot-too-large", "raises", lambda m: F(m).one_hot(m.tensor([0, 3, 2]), 3)),
    ("one-hot-float", "raises", lambda m: F(m).one_hot(m.tensor([0., 1.]))),
    ("one-hot-empty", "raises", lambda m: F(m).one_hot(m.tensor([], dtype=m.int64))),
    ("pad-too-many", "raises", lambda m: F(m).pad(m.zeros(2, 3), (1, 1, 1, 1, 1, 1))),
    ("pad-odd", "raises", lambda m: F(m).pad(m.zeros(2, 3), (1, 1, 1))),
    ("pad-float", "raises", lambda m: F(m).pad(m.zeros(2, 3), (1.5, 1))),
    ("pad-float-second", "raises", lambda m: F(m).pad(m.zeros(2, 3), (1, 1.5))),
    ("pad-tensor", "raises", lambda m: F(m).pad(m.zeros(2, 3), m.tensor([1, 1]))),
    ("pad-negative", "raises", lambda m: F(m).pad(m.zeros(2, 3), (-2, -2))),
    ("pad-reflect-too-big", "raises", lambda m: F(m).pad(m.zeros(1, 2, 3), (3, 3), mode="reflect")),
    ("pad-reflect-rank", "raises", lambda m: F(m).pad(m.zeros(3), (1, 1), mode="reflect")),
    ("pad-reflect-value", "raises", lambda m: F(m).pad(m.zeros(1, 2, 3), (1, 1), mode="reflect", value=1.0)),
    ("pad-replicate-empty", "raises", lambda m: F(m).pad(m.zeros(1, 0, 3), (1, 1), mode="replicate")),
    ("pad-mode", "raises", lambda m: F(m).pad(m.zeros(1, 2, 3), (1, 1), mode="foo")),
    ("interpolate-size-and-scale", "raises", lambda m: F(m).interpolate(m.zeros(1, 1, 4), size=8, scale_factor=2)),
    ("interpolate-neither", "raises", lambda m: F(m).interpolate(m.zeros(1, 1, 4))),
    ("interpolate-mode", "raises", lambda m: F(m).interpolate(m.zeros(1, 1, 4), size=8, mode="foo")),
    ("interpolate-bilinear-3d", "raises", lambda m: F(m).interpolate(m.zeros(1, 1, 4), size=8, mode="bilinear")),
    ("interpolate-size-length", "raises", lambda m: F(m).interpolate(m.zeros(1, 1, 4, 4), size=(8, 8, 8))),
    ("interpolate-scale-length", "raises", lambda m: F(m).interpolate(m.zeros(1, 1, 4, 4), scale_factor=(2, 2, 2))),
    ("interpolate-align-corners-nearest", "raises",
     lambda m: F(m).interpolate(m.zeros(1, 1, 4), size=8, align_corners=True)),
    ("interpolate-2d-input", "raises", lambda m: F(m).interpolate(m.zeros(4, 4), size=8)),
    ("interpolate-size-0", "raises", lambda m: F(m).interpolate(m.zeros(1, 1, 4, 4), size=(0, 2))),
    ("interpolate-float-size", "raises", lambda m: F(m).interpolate(m.zeros(1, 1, 4), size=(2.5,))),
    ("interpolate-area", "returns", lambda m: F(m).interpolate(T(m, 2, 3, 5), size=3, mode="area")),
    ("interpolate-nearest-exact", "returns", lambda m: F(m).interpolate(T(m, 2, 3, 5, 6), size=(7, 4),
                                                                        mode="nearest-exact")),
    ("upsample-both", "raises", lambda m: m.nn.Upsample(size=4, scale_factor=2)(m.zeros(1, 1, 2))),
    ("upsample-function", "warns", lambda m: F(m).upsample(T(m, 2, 3, 5), size=7)),
    ("softmax-no-dim", "warns", lambda m: F(m).softmax(T(m, 2, 3))),
    ("softmax-no-dim-3d", "warns", lambda m: F(m).softmax(T(m, 2, 3, 4))),
    ("log-softmax-no-dim", "warns", lambda m: F(m).log_softmax(T(m, 2, 3))),
    ("softmin-no-dim", "warns", lambda m: F(m).softmin(T(m, 2, 3))),
    ("Softmax-module-no-dim", "warns", lambda m: m.nn.Softmax()(T(m, 2, 3))),
    ("LogSoftmax-module-no-dim", "warns", lambda m: m.nn.LogSoftmax()(T(m, 2, 3))),
    ("dropout-p-above-1", "raises", lambda m: F(m).dropout(m.zeros(3), p=1.5)),
    ("dropout-p-below-0", "raises", lambda m: m.nn.Dropout(p=-0.1)),
    ("dropout2d-p-above-1", "raises", lambda m: m.nn.Dropout2d(p=1.5)),
    ("dropout3d-p-above-1", "raises", lambda m: F(m).dropout3d(m.zeros(2, 3, 4, 4), p=1.5)),
    ("dropout2d-3d-input", "warns", lambda m: (m.manual_seed(0), m.nn.Dropout2d()(T(m, 4, 3, 5) + 5))[1]),
    ("dropout2d-5d-input", "warns", lambda m: m.nn.Dropout2d(p=0.0)(m.ones(2, 3, 4, 1, 1))),
    ("dropout1d-4d-input", "raises", lambda m: m.nn.Dropout1d(p=0.5)(m.ones(2, 3, 4, 1))),
    ("dropout1d-unbatched", "returns", lambda m: (m.manual_seed(0), F(m).dropout1d(T(m, 4, 3) + 5, 0.5))[1]),
    ("dropout-numpy", "raises", lambda m: F(m).dropout(R(3), 0.5)),
    ("relu-list", "raises", lambda m: F(m).relu([1.0])),
    ("pixel-unshuffle", "raises", lambda m: F(m).pixel_unshuffle(m.zeros(1, 1, 3, 3), 2)),
]


# --- optimizers and schedulers ---------------------------------------------------------------------
OPTIM = []
for _name in ("SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam", "ASGD",
              "Rprop", "LBFGS"):
    OPTIM += [
        (f"{_name}-negative-lr", "raises", lambda m, n=_name: getattr(m.optim, n)(params(m), lr=-0.1)),
        (f"{_name}-empty", "raises", lambda m, n=_name: getattr(m.optim, n)([])),
        (f"{_name}-non-leaf", "raises",
         lambda m, n=_name: getattr(m.optim, n)([m.ones(3, requires_grad=True) * 2])),
        (f"{_name}-same-parameter-twice", "warns",
         lambda m, n=_name: repr(getattr(m.optim, n)(params(m) * 2))),
        (f"{_name}-same-parameter-two-groups", "raises",
         lambda m, n=_name: (lambda p: getattr(m.optim, n)([{"params": p}, {"params": p}]))(params(m))),
        (f"{_name}-tensor-not-iterable", "raises", lambda m, n=_name: getattr(m.optim, n)(params(m)[0])),
        (f"{_name}-set", "returns", lambda m, n=_name: repr(getattr(m.optim, n)(set(params(m))))),
        (f"{_name}-number", "raises", lambda m, n=_name: getattr(m.optim, n)([3])),
    ]
for _name in ("Adam", "AdamW", "NAdam", "RAdam", "Adamax"):
    OPTIM += [
        (f"{_name}-beta0", "raises", lambda m, n=_name: getattr(m.optim, n)(params(m), betas=(1.0, 0.999))),
        (f"{_name}-beta1", "raises", lambda m, n=_name: getattr(m.optim, n)(params(m), betas=(0.9, -0.1))),
        (f"{_name}-negative-eps", "raises", lambda m, n=_name: getattr(m.optim, n)(params(m), eps=-1e-8)),
        (f"{_name}-negative-weight-decay", "raises",
         lambda m, n=_name: getattr(m.optim, n)(params(m), weight_decay=-1e-2)),
    ]
OPTIM += [
    ("SGD-negative-momentum", "raises", lambda m: m.optim.SGD(params(m), lr=0.1, momentum=-0.1)),
    ("SGD-nesterov", "raises", lambda m: m.optim.SGD(params(m), lr=0.1, nesterov=True)),
    ("Adam-mixed-betas", "raises", lambda m: m.optim.Adam(params(m), betas=(m.tensor(0.9), 0.99))),
    ("Adam-list-betas", "returns", lambda m: repr(m.optim.Adam(params(m), betas=[0.9, 0.99]))),
    ("RMSprop-negative-alpha", "raises", lambda m: m.optim.RMSprop(params(m), alpha=-0.1)),
    ("Adagrad-negative-lr-decay", "raises", lambda m: m.optim.Adagrad(params(m), lr_decay=-0.1)),
    ("Adadelta-rho", "raises", lambda m: m.optim.Adadelta(params(m), rho=1.5)),
    ("Rprop-etas", "raises", lambda m: m.optim.Rprop(params(m), etas=(1.5, 1.2))),
    ("add-param-group-list", "raises", lambda m: m.optim.SGD(params(m), lr=0.1).add_param_group(params(m))),
    ("add-param-group-duplicate", "raises",
     lambda m: (lambda p: m.optim.SGD(p, lr=0.1).add_param_group({"params": p}))(params(m))),
    ("LBFGS-no-closure", "raises", lambda m: m.optim.LBFGS(params(m)).step()),
    ("LBFGS-step", "returns", lambda m: (lambda p: (lambda o: o.step(
        lambda: (o.zero_grad(), (p[0] ** 2).sum().backward(), (p[0] ** 2).sum().detach())[2]))(
        m.optim.LBFGS(p)))(params(m))),
]


def _onecycle_past_end(m):
    opt = sgd(m)
    sched = m.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=3)
    for _ in range(5):
        opt.step()
        sched.step()


def _step_before_optimizer(m):
    sched = m.optim.lr_scheduler.StepLR(sgd(m), 2)
    sched.step()
    return sched.get_last_lr()


SCHEDULERS = [
    ("onecycle-past-total-steps", "raises", _onecycle_past_end),
    ("onecycle-no-length", "raises", lambda m: m.optim.lr_scheduler.OneCycleLR(sgd(m), max_lr=1.0)),
    ("onecycle-zero-epochs", "raises",
     lambda m: m.optim.lr_scheduler.OneCycleLR(sgd(m), max_lr=1.0, epochs=0, steps_per_epoch=2)),
    ("onecycle-zero-steps-per-epoch", "raises",
     lambda m: m.optim.lr_scheduler.OneCycleLR(sgd(m), max_lr=1.0, epochs=2, steps_per_epoch=0)),
    ("onecycle-max-lr-list", "raises",
     lambda m: m.optim.lr_scheduler.OneCycleLR(sgd(m), max_lr=[1.0, 2.0], total_steps=10)),
    ("onecycle-pct-start", "raises",
     lambda m: m.optim.lr_scheduler.OneCycleLR(sgd(m), max_lr=1.0, total_steps=10, pct_start=1.5)),
    ("cycliclr-base-lr-list", "raises", lambda m: m.optim.lr_scheduler.CyclicLR(sgd(m), [0.01, 0.02], 0.1)),
    ("cycliclr-mode", "raises", lambda m: m.optim.lr_scheduler.CyclicLR(sgd(m), 0.01, 0.1, mode="foo")),
    ("resume-without-initial-lr", "raises", lambda m: m.optim.lr_scheduler.StepLR(sgd(m), 2, last_epoch=3)),
    ("lambdalr-count", "raises", lambda m: m.optim.lr_scheduler.LambdaLR(sgd(m), [lambda e: 1, lambda e: 1])),
    ("sequentiallr-milestones", "raises", lambda m: (lambda o: m.optim.lr_scheduler.SequentialLR(
        o, [m.optim.lr_scheduler.StepLR(o, 2), m.optim.lr_scheduler.StepLR(o, 2)], milestones=[1, 2]))(sgd(m))),
    ("sequentiallr-other-optimizer", "raises", lambda m: (lambda o: m.optim.lr_scheduler.SequentialLR(
        o, [m.optim.lr_scheduler.StepLR(o, 2), m.optim.lr_scheduler.StepLR(sgd(m), 2)], milestones=[1]))(sgd(m))),
    ("chained-other-optimizer", "raises", lambda m: (lambda o: m.optim.lr_scheduler.ChainedScheduler(
        [m.optim.lr_scheduler.StepLR(o, 2), m.optim.lr_scheduler.StepLR(sgd(m), 2)]))(sgd(m))),
    ("cosine-warm-restarts-t0", "raises", lambda m: m.optim.lr_scheduler.CosineAnnealingWarmRestarts(sgd(m), T_0=0)),
    ("plateau-mode", "raises", lambda m: m.optim.lr_scheduler.ReduceLROnPlateau(sgd(m), mode="foo")),
    ("plateau-factor", "raises", lambda m: m.optim.lr_scheduler.ReduceLROnPlateau(sgd(m), factor=1.0)),
    ("scheduler-before-optimizer", "warns", _step_before_optimizer),
    ("scheduler-get-lr", "warns", lambda m: m.optim.lr_scheduler.StepLR(sgd(m), 2).get_lr()),
    ("scheduler-not-optimizer", "raises", lambda m: m.optim.lr_scheduler.StepLR(params(m), 2)),
]


@pytest.mark.parametrize("case", LINEAR_CONV, ids=_ids(LINEAR_CONV))
def test_linear_and_convolution_misuse(case):
    check(*case[1:])


@pytest.mark.parametrize("case", POOL, ids=_ids(POOL))
def test_pooling_misuse(case):
    check(*case[1:])


@pytest.mark.parametrize("case", NORM, ids=_ids(NORM))
def test_normalization_misuse(case):
    check(*case[1:])


@pytest.mark.parametrize("case", EMBEDDING, ids=_ids(EMBEDDING))
def test_embedding_misuse(case):
    check(*case[1:])


@pytest.mark.parametrize("case", RNN, ids=_ids(RNN))
def test_recurrent_misuse(case):
    check(*case[1:])


@pytest.mark.parametrize("case", LOSS, ids=_ids(LOSS))
def test_loss_misuse(case):
    check(*case[1:])


@pytest.mark.parametrize("case", ATTENTION, ids=_ids(ATTENTION))
def test_attention_misuse(case):
    check(*case[1:])


@pytest.mark.parametrize("case", MODULE, ids=_ids(MODULE))
def test_module_misuse(case):
    check(*case[1:])


@pytest.mark.parametrize("case", FUNCTIONAL, ids=_ids(FUNCTIONAL))
def test_functional_misuse(case):
    check(*case[1:])


@pytest.mark.parametrize("case", OPTIM, ids=_ids(OPTIM))
def test_optimizer_misuse(case):
    check(*case[1:])


@pytest.mark.parametrize("case", SCHEDULERS, ids=_ids(SCHEDULERS))
def test_scheduler_misuse(case):
    check(*case[1:])


def test_conv_padding_mode_error_names_every_mode():
    # PyTorch prints the valid modes as a Python set, whose order comes from its compiled
    # constants: the set is compared as a set, the rest of the message as text
    def split(msg):
        braces = re.search(r"\{(.*?)\}", msg)
        return msg[:braces.start()] + msg[braces.end():], set(braces.group(1).split(", "))
    msgs = []
    for m in (torch, ember):
        with pytest.raises(ValueError) as info:
            m.nn.Conv2d(4, 4, 3, padding_mode="foo")
        msgs.append(str(info.value))
    assert split(msgs[1]) == split(msgs[0])


def test_module_call_errors_name_each_class_like_pytorch():
    # Python names the forward function in "missing argument" errors: PyTorch defines it per class
    import inspect
    checked = 0
    for name in dir(torch.nn):
        tc, ec = getattr(torch.nn, name), getattr(ember.nn, name, None)
        if not (isinstance(tc, type) and issubclass(tc, torch.nn.Module)) or ec is None or name.startswith("Lazy"):
            continue
        if tc.forward.__qualname__ == "_forward_unimplemented":
            continue
        assert ec.forward.__qualname__ == tc.forward.__qualname__, name
        assert list(inspect.signature(ec.forward).parameters)[:2] == \
            list(inspect.signature(tc.forward).parameters)[:2], name
        checked += 1
    assert checked > 80
