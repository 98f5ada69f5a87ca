"""PyTorch's dtype inference in ``tensor``/``as_tensor``, and PyTorch's argument errors in
the random factories (rand, randn, randint, randperm, normal, the ``*_like`` ones) and in
zeros/ones/empty/full. Every case runs the same expression on ``torch`` and on ``ember``
(``t`` below) and compares the dtype and values, or the exception type and the first line
of its message."""
import warnings

import numpy as np
import pytest
import torch

import ember


def outcome(mod, src):
    """What ``src`` gives with ``t`` = ``mod``: ("ok", dtype, values) or (exception type,
    first line of its message)."""
    env = {"t": mod, "np": np, "x": mod.ones(2, 3), "g": mod.Generator().manual_seed(3)}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (PyTorch warns about lists of arrays)
            r = eval(src, env)
    except Exception as e:  # noqa: BLE001 - the exception is what is compared
        return type(e).__name__, str(e).split("\n", 1)[0]
    return "ok", str(r.dtype).replace("ember.", "torch."), r.tolist()


def check(src):
    expected, got = outcome(torch, src), outcome(ember, src)
    assert got == expected, f"{src}\n  torch: {expected}\n  ember: {got}"
    return expected


# --- tensor() / as_tensor(): NumPy numbers count with their own dtype ---------------------------
INFERENCE = [
    "[1.5, np.float64(2.0)]",  # float64 although the first element is a Python float
    "[np.float64(2.0), 1.5]",
    "[1.5, np.float32(2.0)]",
    "[1, np.float32(2.0)]",
    "[1, np.float16(2.0)]",  # int64 and float16 promote to float16
    "[1, np.int32(2)]",  # int64 wins over int32
    "[1.5, np.int32(2)]",
    "[True, np.uint8(1)]",
    "[True, np.int32(3)]",
    "[True, np.bool_(False)]",
    "[np.float16(1), True]",
    "[np.int8(1), np.uint8(2)]",  # int16
    "[np.uint8(3), np.int8(-1)]",
    "[np.float16(1), np.int64(5)]",
    "[np.float16(1), 70000]",  # float16 overflows to inf
    "[np.float32(1), np.float64(2)]",
    "[[1, 2], [3, np.int16(4)]]",
    "[[1.5, 2], [3, np.float64(4.0)]]",
    "[[np.int8(1), 2], [3, 4]]",
    "(1, np.float32(2))",
    "[1, np.array(2, dtype=np.int32)]",  # a 0-d array after the first element
    "[1.5, np.array(2.0)]",
    "[[1.5], [np.array(2.0)]]",
    "[1.5, np.array(True)]",
    "[np.array([1, 2], dtype=np.int16), np.array([3, 4], dtype=np.int16)]",
    "[np.array([1.0, 2.0], dtype=np.float32), [3, 4]]",
    "[t.tensor(2.5, dtype=t.float64), 1.5]",
    "[np.int32(1), t.tensor(2.5)]",
    "[1, 2.0]",
    "[True, 2.5]",
    "[1.5, 2**70]",  # an int beyond int64 is fine in a float tensor
    "[np.float32(1.0), 2**70]",
    "[1, 2**63]",
    "[np.int32(1), 2**63]",
    "[2**70, np.True_]",
    "[np.True_, 2**70]",
    "[2**70]",
]


@pytest.mark.parametrize("data", INFERENCE)
@pytest.mark.parametrize("fn", ["tensor", "as_tensor", "asarray"])
def test_inferred_dtype(fn, data):
    check(f"t.{fn}({data})")


def test_inferred_dtype_follows_default_dtype():
    # a Python float counts as the default dtype, a NumPy float32 as float32
    for src in ["t.tensor([1.5, np.float32(2)])", "t.tensor([1, np.float32(2)])", "t.tensor((1, np.float32(2)))",
                "t.tensor([np.int32(1), 2.5])"]:
        torch.set_default_dtype(torch.float64)
        ember.set_default_dtype(ember.float64)
        try:
            check(src)
        finally:
            torch.set_default_dtype(torch.float32)
            ember.set_default_dtype(ember.float32)


STORE = [
    # the elements PyTorch cannot store into an integer or bool tensor
    ("[np.bool_(False), 3]", None),
    ("[True, np.bool_(False), np.int32(0)]", None),
    ("[[1, 2], np.array([True, False])]", None),
    ("[np.bool_(True), 3]", "uint8"),
    ("[np.bool_(True)]", "int32"),
    ("np.bool_(True)", "int64"),
    ("np.float32(2.5)", "int64"),
    ("np.float16(2.5)", "int32"),
    ("np.float32(0.5)", "bool"),
    ("[np.float32(2.7)]", "int64"),
    ("[np.float16(2.5), np.int8(1)]", "int32"),
    ("[1, np.float32(2.5)]", "bool"),
    ("[np.array([1.5, 2.5], np.float32)]", "int64"),
    ("[[1, 2], np.array([1.5, 2.5], np.float32)]", "bool"),
    ("[1, np.array(2.5)]", "int64"),
    ("[1, np.array(True)]", "bool"),
    ("[1, t.tensor(2.5)]", "int64"),
    ("[1, t.tensor(2.5)]", "bool"),
    ("[1, 2**70]", "int32"),
    # and those it can
    ("np.float64(2.5)", "int32"),  # a NumPy float64 is a Python float
    ("np.array(2.5)", "int32"),  # an array is converted as a whole
    ("np.bool_(True)", "bool"),
    ("[1, np.bool_(True)]", "bool"),
    ("[1, np.float64(2.5)]", "bool"),
    ("[1, np.array(3)]", "bool"),
    ("[1, t.tensor(True)]", "int64"),
    ("[np.array([1.5, 2.5])]", "int64"),
    ("[np.bool_(True), 3]", "float32"),
    ("[1, np.int32(3)]", "float16"),
    ("[2**70, 1]", "bool"),
    ("[1, 2**70]", "float64"),
]


@pytest.mark.parametrize("data, dtype", STORE)
def test_storing_into_dtype(data, dtype):
    check(f"t.tensor({data})" if dtype is None else f"t.tensor({data}, dtype=t.{dtype})")


@pytest.mark.parametrize("data", [
    "[np.array(2, dtype=np.int32), 1]",  # PyTorch asks the first elements for their length
    "[np.array(True), True]",
    "[[np.array(2.0)], [1.5]]",
    "(np.int8(1), (2, 3))",  # a ragged tuple is named as one
    "[[1], [np.float32(2), 3]]",
    "[np.int32(1), None]",
    "[np.int32(1), 'a']",
])
def test_malformed_data_with_numpy_numbers(data):
    check(f"t.tensor({data})")


def test_new_tensor_uses_the_inference_only_without_its_dtype():
    check("x.new_tensor([np.float64(1), 2])")
    check("x.new_tensor([np.float32(1), 2], dtype=t.int64)")


# --- the random factories' argument errors --------------------------------------------------------
ARGUMENT_ERRORS = [
    # rand / randn: a size, one by one or as a list
    't.rand(2, "a")', 't.rand("a")', 't.rand((2, 3), 4)', "t.rand(2.5)", "t.rand(2, 2.5)", "t.rand((2, 2.5))",
    't.rand([2, "a"])', "t.rand(None)", "t.rand()", "t.rand(size=2)", "t.rand(2, size=(2,))", "t.rand(2, 3, foo=1)",
    "t.rand(foo=1)", 't.rand((2, 3), dtype="float")', "t.rand(2, dtype=np.float32)", "t.rand(2, generator=1)",
    "t.rand(True)", "t.rand(x)", "t.rand((2, 3), (4,))", 't.rand((2, "a"), 4)', "t.rand(t.tensor(3.0))",
    "t.rand(2, requires_grad=1)", "t.rand(2, layout=3)", "t.rand(2, out=3)", "t.rand(2, pin_memory=2)",
    "t.rand((2, 2.5), generator=g)", "t.rand(-1)", "t.rand(2, dtype=t.int64)",
    't.randn(2, "a")', "t.randn((2, 3), 4)", "t.randn(2.5)", 't.randn("a")', "t.randn()", "t.randn(2, foo=1)",
    "t.randn(2, dtype=t.int32)",
    # randint: (high, size) or (low, high, size)
    "t.randint(5)", "t.randint(2, 5)", "t.randint(2, 5, 3)", "t.randint(2.5, (2,))", "t.randint(2, 5.5, (2,))",
    't.randint(5, "a")', 't.randint(5, (2, "a"))', "t.randint(5, (2.5,))", 't.randint("a", (2,))',
    "t.randint(low=1, size=(2,))", "t.randint(low=1, high=5)", "t.randint()", "t.randint(5, (2,), foo=1)",
    "t.randint(1, 5, (2,), 7)", 't.randint(5, (2,), dtype="int")', "t.randint(5, 2)", "t.randint(x, (2,))",
    "t.randint(5, (2,), generator=3)", "t.randint(5, 2, (2,))", "t.randint(5, (-1,))",
    # randperm
    "t.randperm(2.5)", 't.randperm("a")', "t.randperm()", "t.randperm(5, 3)", "t.randperm((5,))", "t.randperm(-1)",
    't.randperm(5, dtype="int")', "t.randperm(5, foo=1)", "t.randperm(True)", "t.randperm(x)",
    # normal: tensors, or numbers and a size
    "t.normal(0.0, 1.0)", "t.normal(0.0, 1.0, 2)", 't.normal(0.0, 1.0, "a")', 't.normal(0.0, 1.0, (2, "a"))',
    't.normal("a", 1.0, (2,))', 't.normal(0.0, "a", (2,))', "t.normal()", "t.normal(0.0)", "t.normal(x, 1.0, (2,))",
    "t.normal(0.0, 1.0, (2,), foo=1)", "t.normal(std=x)", "t.normal(0.0, 1.0, (2,), 4)", "t.normal(0.0, 1.0, (2.5,))",
    "t.normal(x, 1.0, out=3)", "t.normal(x, generator=3)", "t.normal(x, x, (2,))",
    # std < 0, printed as C++ prints a double
    "t.normal(0.0, -1.0, (2,))", "t.normal(0.0, -0.5, (2,))", "t.normal(0.0, -1e-7, (2,))",
    "t.normal(0.0, -123456789.0, (2,))", "t.normal(x, -1.0)", "t.normal(x, t.tensor(-1.0))",
    "t.normal(x.long(), 1.0)", "t.normal(0.0, 1.0, (2,), dtype=t.int64)",
    # the *_like factories
    "t.rand_like(5)", "t.rand_like()", "t.rand_like(x, 3)", "t.rand_like(x, foo=1)", "t.rand_like([1.0])",
    "t.rand_like(x, generator=3)", "t.rand_like(x, dtype=t.int64)",
    "t.randn_like(5)", "t.randn_like(x, 3)", "t.randn_like(x, dtype=t.int64)",
    "t.randint_like(x)", "t.randint_like(5, 5)", "t.randint_like(x, 5.5)", 't.randint_like(x, "a")',
    "t.randint_like(x, 1, 5, 7)", "t.randint_like(x, 5, foo=1)", "t.randint_like(x, low=1)", "t.randint_like(x, True)",
    "t.randint_like(x, t.tensor([5, 6]))", "t.randint_like(x, 0)", "t.randint_like(x, 5, 1)",
    # zeros/ones/empty/full
    't.zeros(2, "a")', "t.zeros((2, 3), 4)", "t.zeros(2.5)", "t.zeros()", "t.zeros(size=2)",
    "t.zeros(2, requires_grad=1)", "t.zeros(2, out=3)", "t.zeros(2, layout=3)", "t.ones(2, requires_grad=1)",
    "t.ones(2, out=3)", 't.ones((2, 3), 4)', "t.empty(2, layout=3)", "t.empty(2, pin_memory=3)", 't.empty(2, "a")',
    "t.full((2,))", "t.full()", "t.full(fill_value=1.0)", "t.full(2)", 't.full("a", "b")', "t.full(size=2, fill_value=1.0)",
    't.full((2,), fill_value="a")', 't.full((2,), "a")', "t.full((2, 3), 1.0, 5)", "t.full((2,), 1.0, foo=1)",
    "t.full((2,), size=(3,))", "t.full((2,), 1.0, requires_grad=1)", "t.full((2,), 1.0, out=3)",
    "t.full((2,), 1.0, layout=3)", 't.full((2, "a"), 1.0)', "t.full((2.5,), 1.0)",
]


@pytest.mark.parametrize("src", ARGUMENT_ERRORS)
def test_argument_errors(src):
    kind, *_ = check(src)
    assert kind != "ok", f"{src} was expected to fail in PyTorch"


def test_invalid_combination_lists_the_overloads():
    # the first line is PyTorch's; then one line per overload, as PyTorch prints them
    with pytest.raises(TypeError) as e:
        ember.randint(5)
    lines = str(e.value).splitlines()
    assert lines[0] == "randint() received an invalid combination of arguments - got (int), but expected one of:"
    assert " * (int low, int high, tuple of ints size, *, Tensor out = None, torch.dtype dtype = None, " \
           "torch.layout layout = None, torch.device device = None, bool pin_memory = False, " \
           "bool requires_grad = False)" in lines
    assert len([s for s in lines if s.startswith(" * ")]) == 4


# --- the calls that work: same values and dtypes as PyTorch's, whatever form the arguments take ----
VALID = [
    "t.rand(2, 3)", "t.rand((2, 3), dtype=t.float64)", "t.rand(size=(4,), generator=g)", "t.rand(2, generator=None)",
    "t.rand(2, dtype=None)", "t.rand(np.int64(2), t.tensor(3))", "t.rand(t.tensor([3]))", "t.rand(np.array(3))",
    "t.rand(2, True)", "t.rand([])", "t.rand(2, dtype=float)", "t.rand(2, layout=t.strided)",
    "t.rand(3, out=t.empty(1, dtype=t.float64))", "t.rand(2, requires_grad=True)",
    "t.randn(3, generator=g, dtype=t.float64)", "t.randn(size=(2,))",
    "t.randint(10, (5,))", "t.randint(3, 10, (5,), generator=g)", "t.randint(low=3, high=10, size=(5,))",
    "t.randint(10, size=(5,), dtype=t.int8)", "t.randint(5, (2,), dtype=t.float32)", "t.randint(1, 5, size=(2,))",
    "t.randint(t.tensor(5), (2,))", "t.randint(np.int32(5), t.Size([2]))", "t.randint(5, [2, 3])",
    "t.randint(high=5, size=(3,), generator=g)",
    "t.randperm(10)", "t.randperm(10, generator=g, dtype=t.int32)", "t.randperm(n=6)", "t.randperm(np.int8(3))",
    "t.randperm(t.tensor([3]))", "t.randperm(4, out=t.empty(0, dtype=t.int64))",
    "t.normal(2, 3, (5,), generator=g)", "t.normal(mean=1.0, std=2.0, size=(3,))", "t.normal(x)", "t.normal(x, 2.0)",
    "t.normal(1.0, x)", "t.normal(x, x, generator=g)", "t.normal(t.tensor(1.0), 2.0, (4,))", "t.normal(x, std=0.5)",
    "t.normal(True, 1.0, (2,))", "t.normal(np.float32(0), np.bool_(True), (2,))", "t.normal(0.0, t.tensor(1.0), (2,))",
    "t.normal(x, 1.0, generator=g)", "t.normal(t.tensor(0.), 1.0)", "t.normal(0.0, 1.0, ())", "t.normal(x, -0.0)",
    "t.normal(0.0, 1.0, (2,), dtype=t.float64)",
    "t.rand_like(x)", "t.rand_like(x, generator=g)", "t.rand_like(input=x)", "t.randn_like(x, dtype=t.float64)",
    "t.randint_like(x, 5)", "t.randint_like(x, 2, 9)", "t.randint_like(x, high=t.tensor(7))",
    "t.randint_like(x, t.tensor(5.5))", "t.randint_like(x.long(), low=1, high=4, generator=g)",
    "t.randint_like(x, generator=g, high=5)",
    "t.zeros(3, out=t.ones(1, dtype=t.int32))", "t.full((2,), 1.0, out=t.empty(1, dtype=t.float64))",
    "t.full(size=(2,), fill_value=1)", "t.full([2, 3], True)",
]


@pytest.mark.parametrize("src", VALID)
def test_valid_calls_give_pytorchs_numbers(src):
    results = []
    for mod in (torch, ember):
        mod.manual_seed(11)
        results.append(outcome(mod, src))
    expected, got = results
    assert expected[0] == "ok" and got[:2] == expected[:2], f"{src}\n  torch: {expected}\n  ember: {got}"
    # float32 normals may differ in the last bits (see test_random); everything else is exact
    np.testing.assert_allclose(np.asarray(got[2], float), np.asarray(expected[2], float), rtol=2e-6, atol=2e-6,
                               err_msg=src)
