"""Integer and bool tensors as PyTorch treats them: wrap-around, shifts, integer powers,
numbers taken into a tensor's type, division in floats, and the exception PyTorch raises
(type and message) where an op does not take a dtype or a number."""
import warnings

import pytest
import torch

import ember

VALUES = {"int8": [-128, -1, 0, 1, 127], "uint8": [0, 1, 2, 200, 255], "int16": [-32768, -3, 0, 3, 32767],
          "int32": [-2 ** 31, -7, 0, 7, 2 ** 31 - 1], "int64": [-2 ** 63, -7, 0, 7, 2 ** 63 - 1]}


def _outcome(call, m):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            r = call(m)
        except Exception as e:  # the type and message are what is compared
            return type(e).__name__, str(e)
    return str(r.dtype), tuple(r.shape), r.tolist()


def _same(call):
    assert repr(_outcome(call, ember)) == repr(_outcome(call, torch))  # repr: NaN equals NaN


def _t(m, dt, rev=False):
    v = VALUES[dt]
    return m.tensor(v[::-1] if rev else v, dtype=getattr(m, dt))


@pytest.mark.parametrize("dt", list(VALUES))
@pytest.mark.parametrize("op", ["bitwise_left_shift", "bitwise_right_shift"])
@pytest.mark.parametrize("count", ["tensor", 0, 1, 3, 7, 8, 9, 64, -1, True, 2.5])
def test_shifts(op, dt, count):
    """Counts past the width or negative shift everything out (0, or the sign to the right)."""
    def call(m):
        s = m.tensor([8, 9, -1, 7, 1], dtype=getattr(m, dt)) if count == "tensor" else count
        return getattr(m, op)(_t(m, dt), s)
    _same(call)


def test_shift_operators_and_in_place():
    def call(m):
        x = _t(m, "int8")
        y = x.clone()
        y <<= 1
        z = x.clone()
        z >>= m.tensor(2, dtype=m.int8)
        return m.stack([x << 2, x >> 1, 2 << x.clamp(0, 3), 100 >> x.clamp(0, 3), y, z, x << True])
    _same(call)
    _same(lambda m: m.ones(2) << 1)
    _same(lambda m: m.ones(2, dtype=m.float64).bitwise_right_shift(m.ones(2, dtype=m.float64)))


@pytest.mark.parametrize("dt", list(VALUES))
def test_integer_powers_with_negative_exponents(dt):
    """1/x^n cut toward zero: 1 for 1, +-1 for -1 by parity, 0 otherwise (0 too)."""
    _same(lambda m: m.pow(_t(m, dt), m.tensor([-1, -3, -2, -1, 2], dtype=getattr(m, dt) if dt != "uint8" else m.int8)))
    _same(lambda m: m.pow(m.tensor([5, -1, 1, 0, -1, 2]), m.tensor([-1, -3, -7, -2, -4, 3])))
    _same(lambda m: _t(m, dt) ** -1)  # a number exponent refuses, as in PyTorch


@pytest.mark.parametrize("dt", list(VALUES))
@pytest.mark.parametrize("number", [-2, 3, 300, True])
def test_numbers_with_integer_tensors(dt, number):
    """Arithmetic and comparisons take the number into the tensor's type (wrapping);
    true division works in floats with the number's own value."""
    for call in (lambda m: _t(m, dt) + number, lambda m: _t(m, dt) * number, lambda m: _t(m, dt) < number,
                 lambda m: _t(m, dt) == number, lambda m: _t(m, dt) / number, lambda m: number / _t(m, dt),
                 lambda m: _t(m, dt).div(number, rounding_mode="floor"), lambda m: _t(m, dt) // number,
                 lambda m: _t(m, dt) % number, lambda m: _t(m, dt).clamp(min=-number)):
        _same(call)


@pytest.mark.parametrize("a,b", [("uint8", "int8"), ("int8", "int64"), ("uint8", "int16"), ("int32", "int32")])
def test_integer_tensors_divide_in_floats(a, b):
    _same(lambda m: _t(m, a) / _t(m, b, rev=True))
    _same(lambda m: m.true_divide(_t(m, b), _t(m, a, rev=True)))


@pytest.mark.parametrize("name", ["maximum", "minimum", "fmax", "fmin", "atan2", "gcd", "lcm", "hypot", "logaddexp",
                                  "logaddexp2", "nextafter", "heaviside", "ldexp", "dist", "isclose"])
@pytest.mark.parametrize("number", [2, 2.5, True])
def test_ops_that_take_only_tensors_refuse_numbers(name, number):
    dt = "long" if name in ("gcd", "lcm") else "float"
    _same(lambda m: getattr(m, name)(m.ones(2, dtype=getattr(m, dt)), number))
    _same(lambda m: getattr(m.ones(2, dtype=getattr(m, dt)), name)(number))


def test_dtypes_an_op_does_not_take():
    for call in (lambda m: m.ones(2).bitwise_and(m.ones(2)), lambda m: m.ones(2, dtype=m.float64) | 1,
                 lambda m: m.ones(2, dtype=m.long).bitwise_xor(2.5), lambda m: ~m.ones(2),
                 lambda m: m.relu(m.tensor([True, False])), lambda m: m.zeros(2, dtype=m.long).uniform_(),
                 lambda m: m.zeros(2, dtype=m.int32).normal_(), lambda m: m.zeros(2, dtype=m.long).exponential_(),
                 lambda m: m.bitwise_not(m.ones(2, dtype=m.float64)),
                 lambda m: m.gcd(m.ones(2), m.ones(2))):
        _same(call)


def test_number_over_tensor_is_the_reciprocal_times_the_number():
    """PyTorch computes 3 / x as x.reciprocal() * 3: its graph and its float32 rounding."""
    for m in (torch, ember):
        x = m.tensor([255.0, 7.0, 3.0], requires_grad=True)
        y = 3 / x
        assert type(y.grad_fn).__name__ == "MulBackward0"
    _same(lambda m: 3 / m.tensor([255.0, 7.0, -0.0]))
    _same(lambda m: 3 / m.tensor([255, 7, 0], dtype=m.uint8))
