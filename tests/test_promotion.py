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


def test_float16_times_or_over_a_scalar_is_computed_in_float32_bit_for_bit():
    """PyTorch multiplies and divides a float16 tensor by a number (or a 0-d tensor on the
    right) in float32 with the number's own value and rounds once; NumPy alone would round
    the number to float16 first. Addition keeps the float16 number, as PyTorch's does."""
    rng = np.random.default_rng(0)
    a = (rng.standard_normal(4000) * 10).astype(np.float16)
    ops = [lambda m, t: t * 0.1, lambda m, t: 0.3 * t, lambda m, t: t / 3.0, lambda m, t: 1e-3 / t,
           lambda m, t: t * m.tensor(0.1, dtype=m.float64), lambda m, t: m.tensor(0.1) * t,
           lambda m, t: t / m.tensor(-0.3), lambda m, t: t.clone().mul_(1 / 3), lambda m, t: t.clone().div_(0.7),
           lambda m, t: t + 0.1, lambda m, t: 0.3 - t, lambda m, t: t * 70000.0]
    for op in ops:
        for grad_mode in (True, False):
            with np.errstate(all="ignore"), torch.set_grad_enabled(grad_mode), ember.set_grad_enabled(grad_mode):
                want = op(torch, torch.from_numpy(a)).numpy()
                got = op(ember, ember.from_numpy(a)).numpy()
            np.testing.assert_array_equal(got, want)

    def grad(m):
        x = m.from_numpy(a.copy()).requires_grad_()
        ((x * 0.1) / 3.0).backward(m.from_numpy(np.full(a.shape, 0.3, np.float16)))
        return x.grad.numpy()
    np.testing.assert_array_equal(grad(ember), grad(torch))
