"""Operators and argument checks at the edges, against PyTorch: ``alpha`` of add/sub/rsub,
Python operators with operands that are not tensors or numbers (ndarrays, strings, lists),
NumPy functions applied to tensors, and broadcast_tensors/broadcast_shapes errors. Each
case must give PyTorch's result (value, dtype, type) or PyTorch's exception type and
message."""
import warnings

import numpy as np
import pytest
import torch

import ember


def outcome(m, fn):
    """A comparable summary of ``fn(m)``: the result's type, dtype and values, or the
    exception's type and message."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # NumPy's __array_wrap__ notice on PyTorch's side
            r = fn(m)
    except (TypeError, RuntimeError, ValueError, NotImplementedError) as e:
        return type(e).__name__, str(e)
    if isinstance(r, (ember.Tensor, torch.Tensor)):
        return "Tensor", str(r.dtype).replace("ember.", "torch."), r.tolist()
    if type(r).__name__ == "Size":
        return "Size", list(r)
    if isinstance(r, tuple):
        return tuple(tuple(t.shape) for t in r)
    return type(r).__name__, r if not hasattr(r, "tolist") else r.tolist()


def check(fn):
    e, t = outcome(ember, fn), outcome(torch, fn)
    assert e == t


def ints(m):
    return m.tensor([1, 2])


def floats(m):
    return m.tensor([[1.0, 2.0], [3.0, 4.0]])


ALPHA = {
    "int-float-alpha": lambda m: ints(m).add(ints(m), alpha=0.5),
    "int-number-float-alpha": lambda m: ints(m).add(1, alpha=2.0),
    "promoted-float-alpha": lambda m: ints(m).add(m.tensor([1.0, 2.0]), alpha=0.5),
    "float-bool-alpha": lambda m: m.tensor([1.0]).add(m.tensor([1.0]), alpha=True),
    "int-bool-alpha": lambda m: ints(m).add(ints(m), alpha=True),
    "bool-bool-alpha": lambda m: m.tensor([True, False]).add(m.tensor([True, False]), alpha=True),
    "bool-int-alpha": lambda m: m.tensor([True, False]).add(m.tensor([True, False]), alpha=2),
    "sub": lambda m: ints(m).sub(ints(m), alpha=0.5),
    "rsub": lambda m: m.rsub(ints(m), ints(m), alpha=0.5),
    "add_": lambda m: ints(m).add_(ints(m), alpha=0.5),
    "sub_-float": lambda m: m.tensor([1.0, 2.0]).sub_(m.tensor([1.0, 2.0]), alpha=0.5),
    "complex-alpha": lambda m: m.tensor([1.0]).add(m.tensor([1.0]), alpha=1j),
    "str-alpha": lambda m: m.tensor([1.0]).add(m.tensor([1.0]), alpha="a"),
    "tensor-alpha": lambda m: m.tensor([1.0, 2.0]).add(m.tensor([1.0, 2.0]), alpha=m.tensor(2.0)),
    "numpy-alpha": lambda m: ints(m).add(ints(m), alpha=np.float64(0.5)),
}


@pytest.mark.parametrize("case", ALPHA.values(), ids=ALPHA.keys())
def test_alpha_is_checked_against_the_result_type(case):
    check(case)


OPERATORS = {
    "eq-ndarray": lambda m: floats(m) == np.ones((2, 2), np.float32),
    "eq-ndarray-float64": lambda m: floats(m) == np.ones(2),
    "ndarray-eq": lambda m: np.ones((2, 2), np.float32) == floats(m),
    "eq-ndarray-bad-shape": lambda m: floats(m) == np.ones(3),
    "ne-ndarray": lambda m: floats(m) != np.ones((2, 2), np.float32),
    "lt-ndarray": lambda m: floats(m) < np.ones((2, 2), np.float32),
    "ndarray-ge": lambda m: np.ones((2, 2), np.float32) >= floats(m),
    "lt-str": lambda m: floats(m) < "x",
    "str-gt": lambda m: "x" > floats(m),
    "le-None": lambda m: floats(m) <= None,
    "lt-list": lambda m: floats(m) < [1.0, 2.0],
    "eq-object": lambda m: floats(m) == object(),
    "matmul-ndarray": lambda m: floats(m) @ np.ones((2, 2)),
    "ndarray-matmul": lambda m: np.ones((2, 2), np.float32) @ floats(m),
    "matmul-int": lambda m: floats(m) @ 2,
    "int-matmul": lambda m: 2 @ floats(m),
    "matmul-list": lambda m: floats(m) @ [[1.0, 2.0], [3.0, 4.0]],
    "matmul-function-ndarray": lambda m: m.matmul(floats(m), np.ones((2, 2), np.float32)),
    "ndarray-truediv": lambda m: np.ones((2, 2), np.float32) / floats(m),
    "ndarray64-truediv": lambda m: np.ones((2, 2)) / floats(m),
    "ndarray-mul": lambda m: np.ones((2, 2), np.float32) * floats(m),
    "ndarray-floordiv": lambda m: np.ones((2, 2), np.float32) // floats(m),
    "ndarray-mod": lambda m: np.ones((2, 2), np.float32) % floats(m),
    "number-floordiv": lambda m: 7 // floats(m),
    "number-mod": lambda m: 7.5 % floats(m),
}


@pytest.mark.parametrize("case", OPERATORS.values(), ids=OPERATORS.keys())
def test_operators_with_operands_that_are_not_tensors(case):
    check(case)


NUMPY = {
    "exp": lambda m: np.exp(floats(m)),
    "exp-0d": lambda m: np.exp(m.tensor(2.0)),
    "add-number": lambda m: np.add(floats(m), 1),
    "add-ndarray-first": lambda m: np.add(np.ones((2, 2), np.float32), floats(m)),
    "greater-gives-uint8": lambda m: np.greater(floats(m), 2),
    "sqrt-int": lambda m: np.sqrt(ints(m)),
    "maximum": lambda m: np.maximum(floats(m), 2.5),
    "concatenate-gives-ndarray": lambda m: np.concatenate([floats(m), floats(m)]),
    "requires-grad": lambda m: np.exp(m.ones(2, requires_grad=True)),
}


@pytest.mark.parametrize("case", NUMPY.values(), ids=NUMPY.keys())
def test_numpy_functions_on_tensors(case):
    check(case)


def test_numpy_ufunc_result_shares_nothing_with_the_input():
    x = ember.tensor([1.0, 2.0])
    y = np.exp(x)
    assert isinstance(y, ember.Tensor)
    y.add_(1)
    assert x.tolist() == [1.0, 2.0]


BROADCAST = {
    "tensors": lambda m: m.broadcast_tensors(m.ones(2, 1), m.ones(3), m.ones(4, 1, 1)),
    "tensors-bad-third": lambda m: m.broadcast_tensors(m.ones(2, 1), m.ones(3), m.ones(5, 1)),
    "tensors-bad": lambda m: m.broadcast_tensors(m.ones(2), m.ones(3)),
    "tensors-list": lambda m: m.broadcast_tensors([m.ones(2), m.ones(3)]),
    "tensors-number": lambda m: m.broadcast_tensors(m.ones(2), 3),
    "tensors-none": lambda m: m.broadcast_tensors(),
    "shapes": lambda m: m.broadcast_shapes((2, 1), (3,), 4),
    "shapes-bad": lambda m: m.broadcast_shapes((2,), (3,)),
    "shapes-bad-third": lambda m: m.broadcast_shapes((2, 1), (3,), (5, 1)),
    "shapes-zero": lambda m: m.broadcast_shapes((0, 1), (3,)),
    "shapes-zero-bad": lambda m: m.broadcast_shapes((0,), (3,)),
    "shapes-negative": lambda m: m.broadcast_shapes((-1,), (3,)),
}


@pytest.mark.parametrize("case", BROADCAST.values(), ids=BROADCAST.keys())
def test_broadcast_errors(case):
    check(case)
