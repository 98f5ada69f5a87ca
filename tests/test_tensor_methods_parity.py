"""Tensor conversion and metadata methods (``to``, ``type``, ``new_*``, ``numpy``, ``size``,
``requires_grad_``, ``detach_``, ``data``, ``copy.deepcopy``...) and ``torch.device``,
compared with PyTorch: the same result (values, dtype, shape, strides, autograd flags) or the
same exception type and message, and the same warnings."""
import copy
import re
import warnings

import numpy as np
import pytest
import torch

import ember


def _describe(x):
    """A comparable description of a result: tensors by what PyTorch shows of them."""
    if isinstance(x, (torch.Tensor, ember.Tensor)):
        return ("tensor", str(x.dtype).replace("ember", "torch"), tuple(x.shape), x.detach().tolist(),
                x.requires_grad, x.is_leaf, None if x.grad_fn is None else type(x.grad_fn).__name__)
    if isinstance(x, (tuple, list)):
        return type(x).__name__, [_describe(v) for v in x]
    if isinstance(x, (torch.device, ember.device, torch.dtype, ember.dtype)):
        return type(x).__name__, repr(x)
    if isinstance(x, np.ndarray):
        return "ndarray", x.dtype.str, x.shape, x.tolist()
    return type(x).__name__, x


def _outcome(fn, m):
    """``fn(m)``'s result or exception, and the warnings it gave (without PyTorch's note of
    where in its C++ source a warning came from)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = ("returns", _describe(fn(m)))
        except Exception as exc:  # noqa: BLE001 - the exception is what is compared
            result = ("raises", type(exc).__name__, str(exc))
    said = [re.sub(r" \(Triggered internally at .*\)$", "", str(w.message), flags=re.S) for w in caught]
    return result, said


def same(fn, warns=True):
    """``fn(torch)`` and ``fn(ember)`` give the same outcome (and warnings, if ``warns``)."""
    expected, got = _outcome(fn, torch), _outcome(fn, ember)
    if warns:
        assert got == expected
    else:
        assert got[0] == expected[0]


def check_cases(cases, name):
    same(cases[name])


# --- torch.device ---------------------------------------------------------------------------
DEVICE = {
    "float64": lambda m: m.device("float64"),  # not a device string at all
    "trailing colon": lambda m: m.device("cpu:"),
    "leading zero": lambda m: m.device("cpu:01"),
    "space": lambda m: m.device("cpu "),
    "no colon": lambda m: m.device("cuda0"),
    "only index": lambda m: m.device(":0"),
    "empty": lambda m: m.device(""),
    "unknown": lambda m: m.device("gpu"),
    "upper case": lambda m: m.device("CPU"),
    "known types": lambda m: [m.device(t) for t in ("hpu", "ipu", "xla", "lazy", "mtia", "vulkan", "hip")],
    "index in string and argument": lambda m: m.device("cpu:1", 1),
    "index in string and None": lambda m: m.device("cpu:1", None),
    "None index": lambda m: m.device("cuda", None),
    "int": lambda m: m.device(0),
    "negative int": lambda m: m.device(-1),
    "negative index": lambda m: m.device("cpu", -1),
    "bool": lambda m: m.device(True),
    "list": lambda m: m.device([1]),
    "nothing": lambda m: m.device(),
    "device and index": lambda m: m.device(m.device("cpu"), 1),
    "str index": lambda m: m.device("cpu", "1"),
    "float index": lambda m: m.device("cpu", 1.0),
    "numpy index": lambda m: m.device("cpu", np.int64(1)),
}


@pytest.mark.parametrize("name", list(DEVICE))
def test_device_constructor(name):
    check_cases(DEVICE, name)


def test_mkldnn_device_warns():
    same(lambda m: m.device("mkldnn"))


ON_DEVICE = {
    # a CPU-only PyTorch raises a different error for each kind of device
    **{f"to {d}": (lambda d: lambda m: m.zeros(1).to(d))(d)
       for d in ("cuda", "cuda:1", "xpu", "mps", "ipu", "fpga", "xla", "hpu", "mtia", "privateuseone", "cpu:1")},
    **{f"tensor on {d}": (lambda d: lambda m: m.tensor([1.0], device=d))(d) for d in ("xpu", "mps", "hpu")},
    "to -1": lambda m: m.zeros(1).to(-1),
    "to 0": lambda m: m.zeros(1).to(0),
    "zeros on 0": lambda m: m.zeros(1, device=0),
    "to invalid string": lambda m: m.zeros(1).to("float64"),
}


@pytest.mark.parametrize("name", list(ON_DEVICE))
def test_devices_without_a_backend(name):
    check_cases(ON_DEVICE, name)


# --- Tensor.to and the dtype shorthands --------------------------------------------------------
def _t(m):
    return m.arange(6.0).reshape(2, 3).t()  # (a non-contiguous one)


TO = {
    "memory_format not a format": lambda m: m.ones(2).to(memory_format=m.float32),
    "memory_format int": lambda m: m.ones(2).to(m.float64, memory_format=1),
    "contiguous_format with a dtype": lambda m: (lambda y: (y, y.stride()))(_t(m).to(m.float64, memory_format=m.contiguous_format)),
    "contiguous_format with copy": lambda m: (lambda y: (y, y.stride()))(_t(m).to(copy=True, memory_format=m.contiguous_format)),
    "preserve_format keeps strides": lambda m: _t(m).to(m.float64, memory_format=m.preserve_format).stride(),
    "contiguous_format and no change": lambda m: (lambda x: x.to(memory_format=m.contiguous_format) is x)(_t(m)),
    # casts that do not fit convert as C casts do, and PyTorch warns of none of them
    "nan to int64": lambda m: m.tensor([float("nan"), float("inf")]).to(m.int64),
    "3e9 to int32": lambda m: m.tensor([3e9]).int(),
    "70000 to float16": lambda m: m.tensor([70000]).half(),
    "1e5 float64 to half": lambda m: m.tensor([1e-8, 1e5], dtype=m.float64).to(m.float16),
}


@pytest.mark.parametrize("name", list(TO))
def test_to(name):
    check_cases(TO, name)


@pytest.mark.parametrize("name", ["float", "double", "half", "long", "int", "short", "char", "byte", "bool"])
def test_dtype_shorthands_check_memory_format(name):
    same(lambda m: getattr(m.ones(2), name)(memory_format=1))
    same(lambda m: getattr(m.ones(2), name)(memory_format=m.contiguous_format))
    same(lambda m: getattr(_t(m), name)(memory_format=m.contiguous_format).stride())


TYPE = {
    "torch.Tensor": lambda m: m.ones(2, dtype=m.int64).type("torch.Tensor"),
    "Tensor class": lambda m: m.ones(2, dtype=m.int64).type(m.Tensor),
    "Parameter class": lambda m: m.ones(2).type(m.nn.Parameter),
    "numpy type": lambda m: m.ones(2).type(np.float64),
    "async": lambda m: m.ones(2).type(m.float64, **{"async": True}),
    "three arguments": lambda m: m.ones(2).type(m.float64, True, True),
    "non_blocking int": lambda m: m.ones(2).type(m.float64, 1),
    "non_blocking keyword None": lambda m: m.ones(2).type(m.float64, non_blocking=None),
    "memory_format": lambda m: m.ones(2).type(m.float64, memory_format=m.contiguous_format),
    "memory_format int": lambda m: m.ones(2).type(m.float64, memory_format=1),
    "no dtype, memory_format": lambda m: m.ones(2).type(memory_format=m.contiguous_format),
}


@pytest.mark.parametrize("name", list(TYPE))
def test_type(name):
    check_cases(TYPE, name)


# --- new_tensor, new_full and the factories' device and pin_memory -----------------------------
NEW = {
    "new_tensor of a tensor warns": lambda m: m.ones(2, dtype=m.float64).new_tensor(m.tensor([1, 2])),
    "new_tensor device": lambda m: m.ones(2).new_tensor([1, 2], device="cuda"),
    "new_tensor bad device string": lambda m: m.ones(2).new_tensor([1, 2], device="foo"),
    "new_tensor device float": lambda m: m.ones(2).new_tensor([1, 2], device=1.5),
    "new_tensor two positional": lambda m: m.ones(2).new_tensor([1, 2], m.float32),
    "new_tensor no data": lambda m: m.ones(2).new_tensor(),
    "new_tensor data keyword": lambda m: m.ones(2).new_tensor(data=[1, 2]),
    "new_tensor layout": lambda m: m.ones(2).new_tensor([1], layout=m.strided),
    "new_tensor pin_memory": lambda m: m.ones(2).new_tensor([1], pin_memory=False),
    "new_tensor requires_grad int": lambda m: m.ones(2).new_tensor([1], requires_grad=1),
    "new_tensor negative float into uint8": lambda m: m.ones(2, dtype=m.uint8).new_tensor([1.5, -2.25]),
    "new_tensor negative int into uint8": lambda m: m.ones(2, dtype=m.uint8).new_tensor([1, -2]),
    "new_full three positional": lambda m: m.ones(2).new_full(2, 3, 1),
    "new_full no fill": lambda m: m.ones(2).new_full((2,)),
    "new_full nothing": lambda m: m.ones(2).new_full(),
    "new_full size keyword only": lambda m: m.ones(2).new_full(size=(2,)),
    "new_full keywords": lambda m: m.ones(2).new_full(size=(2,), fill_value=3),
    "new_full bad keyword": lambda m: m.ones(2).new_full((2,), 1, foo=2),
    "new_full -0.5 into uint8": lambda m: m.ones(2, dtype=m.uint8).new_full((2,), -0.5),
    "new_full -1 into uint8": lambda m: m.ones(2, dtype=m.uint8).new_full((2,), -1),
    "full -1.0 into uint8": lambda m: m.full((2,), -1.0, dtype=m.uint8),
    "full_like -1.0 into uint8": lambda m: m.full_like(m.ones(2, dtype=m.uint8), -1.0),
    "tensor -1.0 into uint8": lambda m: m.tensor(-1.0, dtype=m.uint8),
    "tensor [1, -1.0] into uint8": lambda m: m.tensor([1, -1.0], dtype=m.uint8),
    "tensor [-1, 2.5] into uint8": lambda m: m.tensor([-1, 2.5], dtype=m.uint8),
    "tensor -0.0 into uint8": lambda m: m.tensor([-0.0], dtype=m.uint8),
    "tensor float array into uint8": lambda m: m.tensor(np.array([-1.0]), dtype=m.uint8),
    **{f"{f} device float": (lambda f: lambda m: getattr(m.ones(2), f)(2, device=1.5))(f)
       for f in ("new_zeros", "new_ones", "new_empty")},
    "new_full device float": lambda m: m.ones(2).new_full((2,), 1, device=1.5),
    **{f"{f} pin_memory": (lambda f: lambda m: getattr(m.ones(2), f)(2, pin_memory=True).shape)(f)
       for f in ("new_zeros", "new_ones", "new_empty")},
    "new_full pin_memory": lambda m: m.ones(2).new_full((2,), 1, pin_memory=True),
    "zeros pin_memory": lambda m: m.zeros(2, pin_memory=True),
    "tensor pin_memory": lambda m: m.tensor([1.0], pin_memory=True),
    "zeros_like pin_memory": lambda m: m.zeros_like(m.ones(2), pin_memory=True),
    "zeros_like pin_memory False": lambda m: m.zeros_like(m.ones(2), pin_memory=False),
    "full_like pin_memory": lambda m: m.full_like(m.ones(2), 1, pin_memory=True),
    "zeros device bool": lambda m: m.zeros(2, device=True),
    "tensor device float": lambda m: m.tensor([1.0], device=1.5),
}


@pytest.mark.parametrize("name", list(NEW))
def test_new_and_factories(name):
    check_cases(NEW, name)


# --- numpy() and NumPy's conversions -----------------------------------------------------------
NUMPY = {
    "force by position": lambda m: m.ones(2).numpy(True),
    "force int": lambda m: m.ones(2).numpy(force=1),
    "unknown keyword": lambda m: m.ones(2).numpy(foo=1),
    "np.array copies": lambda m: (lambda t: np.array(t).ctypes.data == t.data_ptr())(m.ones(2)),
    "np.asarray shares": lambda m: (lambda t: np.asarray(t).ctypes.data == t.data_ptr())(m.ones(2)),
    "force shares": lambda m: (lambda t: t.numpy(force=True).ctypes.data == t.data_ptr())(m.ones(2, requires_grad=True)),
}


@pytest.mark.parametrize("name", list(NUMPY))
def test_numpy(name):
    # (NumPy warns that PyTorch's __array__ takes no copy argument; ember's takes it)
    same(NUMPY[name], warns=False)


def test_np_array_of_a_tensor_is_a_copy():
    t = ember.ones(2)
    a = np.array(t)
    a[0] = 5
    assert t.tolist() == [1.0, 1.0]


# --- metadata: size, stride, data_ptr and the methods that take no arguments ------------------------
META = {
    **{f"{f}({d!r}) of a 0-d tensor": (lambda f, d: lambda m: getattr(m.tensor(1.0), f)(d))(f, d)
       for f in ("size", "stride") for d in (0, -1, 2)},
    **{f"{f}({d!r})": (lambda f, d: lambda m: getattr(m.zeros(2, 3), f)(d))(f, d)
       for f in ("size", "stride") for d in ("a", 1.0, True, np.int64(1), 2, -3)},
    "stride of an empty slice": lambda m: m.zeros(4, 3)[:, 1:1].stride(),
    "stride of an empty row slice": lambda m: m.zeros(4, 6)[2:2, ::2].stride(),
    "stride of a new empty tensor": lambda m: m.zeros(0, 3).stride(),
    "data_ptr of an empty tensor": lambda m: m.zeros(0, 3).data_ptr(),
    "data_ptr of its conversion": lambda m: m.zeros(0, 3).double().data_ptr(),
    # (written as method calls: CPython names the class TensorBase only in a call of that form)
    **{f"{f} with an argument": eval(f"lambda m: m.ones(2).{f}(1)")
       for f in ("item", "tolist", "element_size", "numel", "nelement", "dim", "ndimension", "is_floating_point",
                 "is_signed", "is_complex", "storage_offset", "data_ptr", "detach", "detach_")},
    **{f"{f} with a keyword": eval(f"lambda m: m.ones(2).{f}(foo=1)")
       for f in ("item", "tolist", "storage_offset", "data_ptr", "detach", "detach_", "is_signed")},
    "is_contiguous memory_format int": lambda m: m.ones(2).is_contiguous(memory_format=1),
    "is_contiguous positional": lambda m: m.ones(2).is_contiguous(m.contiguous_format),
    "is_contiguous memory_format": lambda m: m.ones(2).is_contiguous(memory_format=m.contiguous_format),
    "cpu positional": lambda m: m.ones(2).cpu(1),
    "cpu memory_format int": lambda m: m.ones(2).cpu(memory_format=1),
    "cpu unknown keyword": lambda m: m.ones(2).cpu(foo=1),
    "pin_memory": lambda m: m.ones(2).pin_memory(),
}


@pytest.mark.parametrize("name", list(META))
def test_metadata(name):
    check_cases(META, name)


# --- requires_grad, detach_ and .data ---------------------------------------------------------
def _nonleaf(m):
    return m.ones(2, requires_grad=True) * 2


def _set(t, name, value):
    setattr(t, name, value)
    return t


GRAD = {
    **{f"requires_grad = {v!r}": (lambda v: lambda m: _set(m.ones(2), "requires_grad", v))(v)
       for v in (1, None, "yes", np.bool_(True), True)},
    "requires_grad = True on an int tensor": lambda m: _set(m.ones(2, dtype=m.int64), "requires_grad", True),
    "requires_grad = True on a non-leaf": lambda m: _set(_nonleaf(m), "requires_grad", True),
    "requires_grad = False on a non-leaf": lambda m: _set(_nonleaf(m), "requires_grad", False),
    **{f"requires_grad_({v!r})": (lambda v: lambda m: m.ones(2).requires_grad_(v))(v)
       for v in (1, None, np.bool_(True), False)},
    "requires_grad_(tensor)": lambda m: m.ones(2).requires_grad_(m.tensor(True)),
    "requires_grad_ on an int tensor": lambda m: m.ones(2, dtype=m.int64).requires_grad_(),
    "requires_grad_(1) on an int tensor": lambda m: m.ones(2, dtype=m.int64).requires_grad_(1),
    "requires_grad_(True) on a non-leaf": lambda m: _nonleaf(m).requires_grad_(True),
    "requires_grad_(1) on a non-leaf": lambda m: _nonleaf(m).requires_grad_(1),
    "requires_grad_ keyword int": lambda m: m.ones(2).requires_grad_(requires_grad=1),
    "requires_grad_ keyword": lambda m: m.ones(2).requires_grad_(requires_grad=True),
    "requires_grad_ twice": lambda m: m.ones(2).requires_grad_(True, requires_grad=True),
    "requires_grad_ two arguments": lambda m: m.ones(2).requires_grad_(True, True),
    "requires_grad_ unknown keyword": lambda m: m.ones(2).requires_grad_(foo=True),
    "detach_ a view of a tensor without grad": lambda m: m.ones(3)[1:].detach_(),
    "detach_ a reshape view": lambda m: m.ones(3).reshape(3).detach_(),
    "detach_ a view of a view": lambda m: (m.ones(3, requires_grad=True) * 1)[1:][1:].detach_(),
    "detach_ what detach() gave": lambda m: m.ones(3, requires_grad=True).detach().detach_(),
    "detach_ a detached view": lambda m: m.ones(3, requires_grad=True)[1:].detach().detach_(),
    "detach_ a non-leaf": lambda m: _nonleaf(m).detach_(),
    "data = list": lambda m: _set(m.ones(2), "data", [1, 2]),
    "data = ndarray": lambda m: _set(m.ones(2), "data", np.zeros(2)),
    "data = None": lambda m: _set(m.ones(2), "data", None),
    "data = int tensor, requires grad": lambda m: _set(m.ones(2, requires_grad=True), "data", m.zeros(2, dtype=m.int64)),
    "data = int tensor": lambda m: _set(m.ones(2), "data", m.zeros(3, dtype=m.int64)),
    "data = other shape, requires grad": lambda m: _set(m.ones(2, requires_grad=True), "data", m.zeros(5)),
    "data = float64, requires grad": lambda m: _set(m.ones(2, requires_grad=True), "data", m.zeros(2, dtype=m.float64)),
}


@pytest.mark.parametrize("name", list(GRAD))
def test_autograd_flags(name):
    check_cases(GRAD, name)


# --- copy.deepcopy ------------------------------------------------------------------------
def _deepcopy_view(m):
    y = copy.deepcopy(m.arange(6.0).reshape(2, 3).t()[1:])
    return y, y.stride(), y.storage_offset()


def _deepcopy_views_together(m):
    x = m.ones(4)
    a, b = copy.deepcopy([x[:2], x[2:]])
    a.add_(1)
    return a, b, a.storage_offset(), b.storage_offset(), b.data_ptr() - a.data_ptr() == 2 * a.element_size()


def _deepcopy_flipped(m):
    y = copy.deepcopy(m.arange(6.0).reshape(2, 3).flip(0))
    return y, y.stride(), y.storage_offset()


def _deepcopy_with_grad(m):
    x = m.ones(2, requires_grad=True)
    (x * 3).sum().backward()
    y = copy.deepcopy(x)
    return y, y.grad, y.grad is x.grad, y.data_ptr() == x.data_ptr()


DEEPCOPY = {
    "view keeps offset and strides": _deepcopy_view,
    "views copied together share memory": _deepcopy_views_together,
    "negative strides": _deepcopy_flipped,
    "with a grad": _deepcopy_with_grad,
    "version": lambda m: (lambda t: (t.add_(1), copy.deepcopy(t)._version)[1])(m.ones(2)),
    "version of a new tensor": lambda m: copy.deepcopy(m.ones(2))._version,
    "non-leaf": lambda m: copy.deepcopy(_nonleaf(m)),
}


@pytest.mark.parametrize("name", list(DEEPCOPY))
def test_deepcopy(name):
    check_cases(DEEPCOPY, name)


def test_deepcopy_of_a_column_major_array_keeps_its_layout():
    # a tensor on memory NumPy laid out column-major (as some NumPy results are)
    t = ember.from_numpy(np.asfortranarray(np.arange(6.0).reshape(2, 3)))
    y = copy.deepcopy(t)
    assert y.stride() == t.stride() == (1, 2) and y.tolist() == t.tolist() and y.data_ptr() != t.data_ptr()
