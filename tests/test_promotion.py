"""Property tests (hypothesis): broadcasting and PyTorch's type promotion, on random dtype
pairs, 0-d tensors and Python scalars, against torch."""
import numpy as np
import torch
from hypothesis import given, settings, strategies as st

import ember

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
shapes = st.lists(st.integers(0, 3), min_size=0, max_size=3).map(tuple)


def operand(kind, dtype, shape):
    if kind == "int":
        return 3
    if kind == "float":
        return 2.5
    if kind == "bool":
        return True
    arr = (np.arange(int(np.prod(shape)) if shape else 1) % 3 + 1).reshape(shape).astype(dtype)
    return arr


def as_module(m, x):
    return m.from_numpy(x.copy()) if isinstance(x, np.ndarray) else x


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(DTYPES), st.sampled_from(DTYPES), st.sampled_from(["tensor", "zero_dim", "int", "float", "bool"]),
       st.sampled_from(["add", "mul", "sub", "div", "eq", "maximum"]))
def test_result_dtype_matches_pytorch(d1, d2, kind, op):
    a = operand("tensor", d1, (2,))
    b = operand("tensor", d2, (2,) if kind == "tensor" else ()) if kind in ("tensor", "zero_dim") else operand(kind, d2, ())
    res = {}
    for m in (torch, ember):
        x, y = as_module(m, a), as_module(m, b)
        try:
            r = {"add": lambda: x + y, "mul": lambda: x * y, "sub": lambda: x - y, "div": lambda: x / y,
                 "eq": lambda: x == y, "maximum": lambda: m.maximum(x, y if isinstance(y, m.Tensor) else m.tensor(y))}[op]()
            res[m] = (str(r.dtype), r.tolist())
        except Exception as e:  # the same refusal on both sides
            res[m] = type(e).__name__
    assert res[ember] == res[torch] or (isinstance(res[ember], tuple) and res[ember][0] == res[torch][0]
                                        and np.allclose(res[ember][1], res[torch][1], equal_nan=True))


@settings(max_examples=100, deadline=None)
@given(shapes, shapes)
def test_broadcasting_matches_pytorch(s1, s2):
    a = np.arange(int(np.prod(s1))).reshape(s1).astype(np.float32)
    b = np.asarray(np.arange(int(np.prod(s2))).reshape(s2).astype(np.float32) + 1)
    try:
        t = torch.from_numpy(a) + torch.from_numpy(b)
    except RuntimeError:
        try:
            ember.from_numpy(a) + ember.from_numpy(b)
        except (RuntimeError, ValueError) as e:
            assert isinstance(e, RuntimeError), f"ember raised {type(e).__name__}"
            return
        raise AssertionError("ember broadcast shapes PyTorch refuses")
    e = ember.from_numpy(a) + ember.from_numpy(b)
    assert tuple(e.shape) == tuple(t.shape)
    np.testing.assert_array_equal(e.numpy(), t.numpy())


@given(st.sampled_from(DTYPES), st.sampled_from(DTYPES))
def test_promote_types_matches_pytorch(a, b):
    assert repr(ember.promote_types(getattr(ember, a), getattr(ember, b))) == \
        repr(torch.promote_types(getattr(torch, a), getattr(torch, b)))
