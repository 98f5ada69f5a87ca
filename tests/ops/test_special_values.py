"""Infinities, NaN, signed zeros and values past a dtype's range through every elementwise
op and the common reductions: the values PyTorch gives, and no NumPy RuntimeWarning (PyTorch
computes inf and NaN silently; ember filters NumPy's floating-point warnings from its code)."""
import warnings

import numpy as np
import pytest
import torch

import ember

# past float16's range (7e4), float32's (3.4e38); tiny, signed zeros; poles of log, 1/x, atanh
VALUES = [0.0, -0.0, 1.0, -1.0, 0.5, 2.0, -3.0, 1e-45, 7e4, -7e4, 3e38, -3e38, 1e300,
          float("inf"), float("-inf"), float("nan")]

UNARY = ["abs", "neg", "sign", "sgn", "sqrt", "rsqrt", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p",
         "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
         "sigmoid", "relu", "floor", "ceil", "round", "trunc", "frac", "reciprocal", "square", "erf", "erfc",
         "erfinv", "deg2rad", "rad2deg", "logit", "nan_to_num", "sinc", "lgamma", "digamma", "i0", "signbit",
         "isnan", "isinf", "isfinite", "fix", "positive", "logical_not"]
BINARY = ["add", "sub", "mul", "div", "true_divide", "floor_divide", "remainder", "fmod", "pow", "atan2",
          "maximum", "minimum", "fmax", "fmin", "hypot", "copysign", "xlogy", "logaddexp", "logaddexp2",
          "eq", "ne", "lt", "le", "gt", "ge", "nextafter", "float_power", "ldexp"]
REDUCTIONS = [lambda m, x: x.sum(), lambda m, x: x.mean(), lambda m, x: x.prod(), lambda m, x: x.amax(),
              lambda m, x: x.amin(), lambda m, x: x.std(), lambda m, x: x.var(), lambda m, x: x.norm(),
              lambda m, x: x.logsumexp(0), lambda m, x: x.softmax(0), lambda m, x: x.log_softmax(0),
              lambda m, x: x.cumsum(0), lambda m, x: x.cumprod(0), lambda m, x: x.nansum(),
              lambda m, x: x.sort()[0]]


def _run(call, m, dtype, *arrays):
    args = [m.tensor(a, dtype=getattr(m, dtype)) for a in arrays]
    with warnings.catch_warnings(record=True) as caught:
        warnings.filterwarnings("always")
        ember._silence_float_warnings()  # in front of "always", as after `import ember` in a program
        out = call(m, *args)
    return out, [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]


def _same(e, t, dtype):
    e, t = e.detach().float().numpy(), t.detach().float().numpy()
    tol = 1e-3 if dtype == "float16" else 1e-5
    np.testing.assert_allclose(e, t, rtol=tol, atol=tol, equal_nan=True)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("name", UNARY)
def test_unary_special_values(name, dtype):
    call = lambda m, x: getattr(m, name)(x)  # noqa: E731
    t, _ = _run(call, torch, dtype, VALUES)
    e, warned = _run(call, ember, dtype, VALUES)
    assert warned == []
    _same(e, t, dtype)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("name", BINARY)
def test_binary_special_values(name, dtype):
    a = np.repeat(VALUES, len(VALUES))
    b = np.tile(VALUES, len(VALUES))
    if name == "ldexp":
        b = np.clip(np.nan_to_num(b), -200, 200).round()
    if name in ("fmod", "remainder"):
        # where x / y overflows the dtype (3e38 % 0.5 in float32), PyTorch's vectorised kernel
        # returns NaN and its scalar one the exact remainder; ember gives the exact remainder
        finfo = np.finfo(dtype)
        with np.errstate(all="ignore"):
            keep = ~(np.abs(a / b) > float(finfo.max) / 4) | ~np.isfinite(a) | (b == 0) | ~np.isfinite(b)
        a, b = a[keep], b[keep]
    call = lambda m, x, y: getattr(m, name)(x, y)  # noqa: E731
    t, _ = _run(call, torch, dtype, a, b)
    e, warned = _run(call, ember, dtype, a, b)
    assert warned == []
    _same(e, t, dtype)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("case", range(len(REDUCTIONS)))
def test_reductions_of_special_values(case, dtype):
    call = REDUCTIONS[case]
    for values in (VALUES, [v for v in VALUES if v == v], [3e38, 3e38, 1.0], [7e4, 7e4, -1.0]):
        t, _ = _run(call, torch, dtype, values)
        e, warned = _run(call, ember, dtype, values)
        assert warned == []
        _same(e, t, dtype)


SCALAR_CALLS = [
    lambda m: m.ones(3) * 1e300, lambda m: m.ones(3, dtype=m.float16) + 1e5, lambda m: m.tensor([1e300]).float(),
    lambda m: m.tensor([1e6]).half(), lambda m: m.tensor([0.0]) * float("inf"), lambda m: m.ones(2) * 1e39,
    lambda m: m.tensor([1e300], dtype=m.float64).to(m.float32), lambda m: m.tensor([1e300], dtype=m.float32),
    lambda m: m.ones(2).add_(1e300), lambda m: m.ones(2, dtype=m.int32) * 1e300,
    # writing a number into a tensor checks that it fits (PyTorch's "without overflow" error)
    lambda m: m.full((2,), 1e300, dtype=m.float32), lambda m: m.ones(2).clamp(max=1e300),
    lambda m: m.ones(2).fill_(1e300), lambda m: m.where(m.ones(2) > 0, m.ones(2), 1e300),
    lambda m: m.ones(2).masked_fill(m.ones(2) > 0, 1e300), lambda m: m.ones(2).__setitem__(0, 1e300),
    lambda m: m.tensor([2 ** 40], dtype=m.int32), lambda m: m.tensor([float("nan")], dtype=m.int64),
    lambda m: m.full((2,), -1, dtype=m.uint8), lambda m: m.full((2,), -300, dtype=m.uint8),
    lambda m: m.zeros(2, dtype=m.int8).fill_(200.0), lambda m: m.zeros(2, dtype=m.float16).fill_(-1e5),
    lambda m: m.zeros(2, dtype=m.int32).fill_(float("inf")), lambda m: m.full((2,), float("nan")),
]


@pytest.mark.parametrize("case", range(len(SCALAR_CALLS)))
def test_numbers_past_a_dtypes_range(case):
    """Arithmetic with such numbers overflows to inf silently; writing them raises PyTorch's error."""
    outcome = {}
    for m in (torch, ember):
        with warnings.catch_warnings(record=True) as caught:
            warnings.filterwarnings("always")
            ember._silence_float_warnings()
            try:
                r = SCALAR_CALLS[case](m)
                outcome[m] = None if r is None else r.tolist()
            except RuntimeError as e:
                outcome[m] = str(e)
        if m is ember:
            assert [str(w.message) for w in caught] == []
    assert repr(outcome[ember]) == repr(outcome[torch])


def test_numpy_warnings_outside_ember_are_kept():
    with warnings.catch_warnings(record=True) as caught:
        warnings.filterwarnings("always")
        ember._silence_float_warnings()
        np.float32(1e300)
    assert any("overflow" in str(w.message) for w in caught)


def test_a_program_sees_no_float_warnings(tmp_path):
    """`import ember` installs the filter: a program run with every warning shown prints none
    for overflowing and NaN-producing ops, while its own NumPy overflow still warns."""
    import subprocess
    import sys
    program = tmp_path / "p.py"
    program.write_text("import numpy as np\nimport ember as torch\n"
                       "x = torch.ones(3) * 1e300\ny = torch.tensor([0.0, 1.0]) * float('inf')\n"
                       "z = torch.tensor([100.0]).half().exp()\nw = (torch.ones(3) * 3e38).sum()\n"
                       "print(x.tolist(), y.tolist(), z.tolist(), w.item())\nnp.float32(1e300)\n")
    run = subprocess.run([sys.executable, "-W", "always", str(program)], capture_output=True, text=True, timeout=60)
    assert run.stdout.strip() == "[inf, inf, inf] [nan, inf] [inf] inf"
    assert run.stderr.count("RuntimeWarning") == 1 and "p.py:8" in run.stderr


def test_relu_gradient_keeps_nan_out_where_the_input_is_not_positive():
    grads = []
    for m in (ember, torch):
        x = m.tensor([-1.0, 2.0, 0.0], requires_grad=True)
        x.relu().backward(m.tensor([float("nan"), 1.0, float("nan")]))
        z = m.tensor([-1.0, 2.0, 0.5], requires_grad=True)
        g, = m.autograd.grad(z.relu().pow(2).sum(), z, create_graph=True)
        g.sum().backward()
        grads.append((x.grad.tolist(), g.tolist(), z.grad.tolist()))
    assert repr(grads[0]) == repr(grads[1])
