"""The Tensor object, dtypes, devices and creation functions, compared with PyTorch."""
import numpy as np
import pytest
import torch

import ember
from opinfo import assert_same


def both(fn):
    """Run ``fn(module)`` on torch and ember; same result or same exception type."""
    try:
        t = fn(torch)
    except Exception as exc:
        with pytest.raises(type(exc)):
            fn(ember)
        return None, None
    e = fn(ember)
    return e, t


CREATION = {
    "tensor_floats": lambda m: m.tensor([[1.5, 2], [3, 4]]),
    "tensor_ints": lambda m: m.tensor([1, 2, 3]),
    "tensor_bools": lambda m: m.tensor([True, False]),
    "tensor_scalar": lambda m: m.tensor(3.5),
    "tensor_int_scalar": lambda m: m.tensor(7),
    "tensor_mixed": lambda m: m.tensor([1, 2.5, True]),
    "tensor_dtype": lambda m: m.tensor([1, 2], dtype=m.float64),
    "tensor_empty": lambda m: m.tensor([]),
    "tensor_nested_empty": lambda m: m.tensor([[], []]),
    "tensor_numpy_f64": lambda m: m.tensor(np.arange(4.0)),
    "tensor_numpy_i32": lambda m: m.tensor(np.arange(4, dtype=np.int32)),
    "tensor_numpy_scalar": lambda m: m.tensor(np.float32(2.5)),
    "tensor_ragged": lambda m: m.tensor([[1, 2], [3]]),
    "tensor_str": lambda m: m.tensor("abc"),
    "as_tensor_list": lambda m: m.as_tensor([1.0, 2.0]),
    "as_tensor_dtype": lambda m: m.as_tensor(np.arange(3), dtype=m.float32),
    "from_numpy_u8": lambda m: m.from_numpy(np.arange(5, dtype=np.uint8)),
    "zeros": lambda m: m.zeros(2, 3),
    "zeros_tuple": lambda m: m.zeros((2, 3), dtype=m.int32),
    "zeros_size": lambda m: m.zeros(m.Size([4])),
    "zeros_empty": lambda m: m.zeros(0, 3),
    "zeros_neg": lambda m: m.zeros(-1),
    "ones": lambda m: m.ones(3, dtype=m.bool),
    "ones_list": lambda m: m.ones([2, 2]),
    "full_float": lambda m: m.full((2, 2), 1.5),
    "full_int": lambda m: m.full((2,), 7),
    "full_bool": lambda m: m.full((2,), True),
    "full_dtype": lambda m: m.full((2,), 7, dtype=m.float64),
    "empty_shape": lambda m: m.empty(2, 5).shape,
    "zeros_like": lambda m: m.zeros_like(m.ones(2, 3, dtype=m.int16)),
    "ones_like_dtype": lambda m: m.ones_like(m.ones(2), dtype=m.float64),
    "full_like": lambda m: m.full_like(m.zeros(3), 2.5),
    "empty_like_shape": lambda m: m.empty_like(m.zeros(3, 1)).shape,
    "arange_int": lambda m: m.arange(5),
    "arange_start_end": lambda m: m.arange(2, 9, 3),
    "arange_float": lambda m: m.arange(0, 1, 0.1),
    "arange_float_end": lambda m: m.arange(1.5),
    "arange_neg_step": lambda m: m.arange(5, 0, -1.5),
    "arange_dtype": lambda m: m.arange(5, dtype=m.float64),
    "arange_bad": lambda m: m.arange(0, 5, -1),
    "arange_zero_step": lambda m: m.arange(0, 5, 0),
    "linspace": lambda m: m.linspace(0, 1, 7),
    "linspace_big": lambda m: m.linspace(-3.3, 11.7, 101),
    "linspace_one": lambda m: m.linspace(2, 5, 1),
    "linspace_zero": lambda m: m.linspace(2, 5, 0),
    "linspace_f64": lambda m: m.linspace(0, 1, 11, dtype=m.float64),
    "linspace_int": lambda m: m.linspace(0, 10, 4, dtype=m.int64),
    "logspace": lambda m: m.logspace(-2, 2, 5),
    "logspace_base2": lambda m: m.logspace(0, 8, 9, base=2),
    "eye": lambda m: m.eye(3),
    "eye_rect": lambda m: m.eye(2, 4, dtype=m.int64),
    "legacy_Tensor_sizes": lambda m: m.Tensor(2, 3).shape,
    "legacy_Tensor_data": lambda m: m.Tensor([1, 2, 3]),
    "legacy_Tensor_empty": lambda m: m.Tensor(),
    "legacy_Float": lambda m: m.FloatTensor([1, 2]),
    "legacy_Long": lambda m: m.LongTensor([1.7, 2.2]),
    "legacy_Byte": lambda m: m.ByteTensor([1, 2]),
    "legacy_Bool": lambda m: m.BoolTensor([1, 0]),
    "legacy_Double_sizes": lambda m: m.DoubleTensor(2, 2).dtype,
    "legacy_Int": lambda m: m.IntTensor([3]),
    "new_zeros": lambda m: m.ones(2, dtype=m.int32).new_zeros(3),
    "new_ones": lambda m: m.ones(2, dtype=m.float64).new_ones((2, 2)),
    "new_full": lambda m: m.ones(2).new_full((2,), 3),
    "new_tensor": lambda m: m.ones(2, dtype=m.float64).new_tensor([1, 2]),
}


@pytest.mark.parametrize("name", list(CREATION))
def test_creation(name):
    e, t = both(CREATION[name])
    if t is not None:
        assert_same(e, t, what=name)


def test_tensor_requires_grad_and_int_error():
    e = ember.tensor([1.0, 2.0], requires_grad=True)
    assert e.requires_grad and e.is_leaf and e.grad is None
    with pytest.raises(RuntimeError, match="floating point"):
        ember.tensor([1, 2], requires_grad=True)
    with pytest.raises(RuntimeError):
        torch.tensor([1, 2], requires_grad=True)


DTYPE_CASES = [
    lambda m: (m.float32, m.float, m.float64, m.double, m.float16, m.half),
    lambda m: (m.int64, m.long, m.int32, m.int, m.int16, m.short, m.int8, m.uint8, m.bool),
    lambda m: [str(d) for d in (m.float32, m.int64, m.bool, m.uint8)],
    lambda m: [m.promote_types(a, b) for a in (m.uint8, m.int8, m.bool, m.float16) for b in (m.int8, m.int64, m.float32)],
    lambda m: m.result_type(m.ones(2, dtype=m.int32), 2.5),
    lambda m: m.result_type(m.ones(2, dtype=m.int32), m.tensor(2.5, dtype=m.float64)),
    lambda m: m.result_type(m.ones(2, dtype=m.float32), m.tensor(2.5, dtype=m.float64)),
    lambda m: m.result_type(m.ones(2, dtype=m.bool), 2),
    lambda m: m.result_type(m.ones(2, dtype=m.uint8), m.ones((), dtype=m.int8)),
    lambda m: m.result_type(m.ones(2, dtype=m.uint8), m.ones(2, dtype=m.int8)),
    lambda m: (m.float32.is_floating_point, m.int8.is_signed, m.uint8.is_signed, m.float64.itemsize),
    lambda m: m.get_default_dtype(),
]


@pytest.mark.parametrize("case", range(len(DTYPE_CASES)))
def test_dtypes(case):
    e, t = both(DTYPE_CASES[case])
    assert repr(e) == repr(t)


def test_set_default_dtype():
    for m in (torch, ember):
        m.set_default_dtype(m.float64)
        try:
            assert repr(m.tensor([1.5]).dtype) == "torch.float64"
            assert repr(m.zeros(1).dtype) == "torch.float64"
            assert repr(m.arange(0.5).dtype) == "torch.float64"
            assert repr((m.ones(1, dtype=m.int64) * 0.5).dtype) == "torch.float64"
        finally:
            m.set_default_dtype(m.float32)
    with pytest.raises(TypeError):
        ember.set_default_dtype(ember.int64)


DEVICE_CASES = [
    lambda m: repr(m.device("cpu")),
    lambda m: repr(m.device("cuda:1")),
    lambda m: repr(m.device("cuda", 0)),
    lambda m: str(m.device("cuda:0")),
    lambda m: m.device("cpu") == m.device("cpu"),
    lambda m: m.device("cpu") == "cpu",
    lambda m: m.device("gpu"),
    lambda m: m.device("cuda:x"),
    lambda m: m.zeros(2).device == m.device("cpu"),
    lambda m: repr(m.zeros(2).device),
    lambda m: m.cuda.is_available(),
    lambda m: m.zeros(2).to("cuda"),
    lambda m: m.zeros(2, device="cuda"),
    lambda m: m.tensor([1.0], device="cuda:0"),
    lambda m: m.zeros(2).cuda(),
    lambda m: m.zeros(2).to("cpu").shape,
    lambda m: m.zeros(2).is_cuda,
]


@pytest.mark.parametrize("case", range(len(DEVICE_CASES)))
def test_devices(case):
    e, t = both(DEVICE_CASES[case])
    assert repr(e) == repr(t)


def test_cuda_error_message():
    with pytest.raises(AssertionError, match="Torch not compiled with CUDA enabled"):
        ember.ones(1).to("cuda")


ATTR_CASES = [
    lambda m: repr(m.zeros(2, 3).shape),
    lambda m: repr(m.zeros(2, 3).size()),
    lambda m: m.zeros(2, 3).size(1),
    lambda m: m.zeros(2, 3).size(-1),
    lambda m: m.zeros(2, 3).size(2),
    lambda m: m.zeros(2, 3).shape[1:],
    lambda m: m.Size([2, 3]).numel(),
    lambda m: (m.zeros(2, 3).dim(), m.zeros(2, 3).ndim, m.zeros(2, 3).numel(), m.zeros(()).nelement()),
    lambda m: m.zeros(2, 3, 4).stride(),
    lambda m: m.zeros(2, 3, 4).transpose(0, 2).stride(),
    lambda m: m.zeros(2, 3, 4).stride(1),
    lambda m: m.zeros(2, 3).t().is_contiguous(),
    lambda m: m.zeros(2, 3).is_contiguous(),
    lambda m: m.zeros(4, 3)[1:].storage_offset(),
    lambda m: (m.zeros(2, dtype=m.float64).element_size(), m.zeros(2, dtype=m.int16).element_size()),
    lambda m: (m.zeros(2).is_floating_point(), m.zeros(2, dtype=m.int32).is_floating_point()),
    lambda m: m.zeros(2, 3).type(),
    lambda m: m.zeros(2).type(m.int64).dtype,
    lambda m: m.zeros(2).type("torch.DoubleTensor").dtype,
    lambda m: isinstance(m.zeros(2), m.FloatTensor),
    lambda m: isinstance(m.zeros(2, dtype=m.int64), m.FloatTensor),
    lambda m: isinstance(m.zeros(2, dtype=m.int64), m.LongTensor),
    lambda m: m.is_tensor(m.zeros(1)),
    lambda m: m.is_tensor([1]),
    lambda m: m.tensor([[1.5, 2.0]]).tolist(),
    lambda m: m.tensor(3).tolist(),
    lambda m: m.tensor([2.5]).item(),
    lambda m: m.tensor([1, 2]).item(),
    lambda m: m.tensor(7).item(),
    lambda m: m.tensor([True]).item(),
    lambda m: (float(m.tensor(2.5)), int(m.tensor(3.7)), bool(m.tensor(0.0))),
    lambda m: bool(m.tensor([1, 2])),
    lambda m: bool(m.tensor([])),
    lambda m: len(m.zeros(4, 2)),
    lambda m: len(m.tensor(1.0)),
    lambda m: [1, 2, 3][m.tensor(1)],
    lambda m: [1, 2, 3][m.tensor(1.0)],
    lambda m: f"{m.tensor(2.5):.3f}",
]


@pytest.mark.parametrize("case", range(len(ATTR_CASES)))
def test_attributes(case):
    e, t = both(ATTR_CASES[case])
    assert repr(e) == repr(t)


CONVERSION = {
    "float": lambda m: m.tensor([1, 2]).float(),
    "double": lambda m: m.tensor([1, 2]).double(),
    "half": lambda m: m.tensor([1.5, 2]).half(),
    "long": lambda m: m.tensor([1.7, -2.7]).long(),
    "int": lambda m: m.tensor([1.7, -2.7]).int(),
    "short": lambda m: m.tensor([1.7, 2.2]).short(),
    "char": lambda m: m.tensor([1, 2]).char(),
    "byte": lambda m: m.tensor([1, 2]).byte(),
    "bool": lambda m: m.tensor([0.0, 2.0]).bool(),
    "to_dtype": lambda m: m.tensor([1.5]).to(m.float64),
    "to_kw": lambda m: m.tensor([1.5]).to(dtype=m.int32),
    "to_device_dtype": lambda m: m.tensor([1.5]).to("cpu", m.float64),
    "to_other": lambda m: m.tensor([1.5]).to(m.ones(1, dtype=m.int16)),
    "clone": lambda m: m.tensor([1.5, 2]).clone(),
    "detach": lambda m: m.tensor([1.5], requires_grad=True).detach(),
}


@pytest.mark.parametrize("name", list(CONVERSION))
def test_conversion(name):
    e, t = both(CONVERSION[name])
    assert_same(e, t, what=name)


def test_to_returns_self_when_nothing_changes_and_copy_otherwise():
    x = ember.ones(3)
    assert x.to(ember.float32) is x
    assert x.to("cpu") is x
    assert x.to(ember.float32, copy=True) is not x
    y = x.to(ember.float64)
    y[0] = 5
    assert x[0].item() == 1.0


def test_cast_is_differentiable():
    for m in (torch, ember):
        x = m.tensor([1.5, 2.0], requires_grad=True)
        y = x.double() * 2
        y.sum().backward()
        assert repr(x.grad.dtype) == "torch.float32"
        assert x.grad.tolist() == [2.0, 2.0]
        assert y.grad_fn.next_functions[0][0].name() == "ToCopyBackward0"


def test_numpy_shares_memory_both_ways():
    a = np.zeros(3, dtype=np.float32)
    t = ember.from_numpy(a)
    a[0] = 5
    assert t[0].item() == 5
    t[1] = 7
    assert a[1] == 7
    assert t.numpy() is a
    t.add_(1)
    assert a.tolist() == [6, 8, 1]


def test_numpy_refuses_tensor_requiring_grad():
    x = ember.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="Can't call numpy\\(\\) on Tensor that requires grad"):
        x.numpy()
    assert x.detach().numpy().tolist() == [1, 1]
    assert np.asarray(x.detach()).tolist() == [1, 1]


def test_from_numpy_rejects_unsupported_dtypes():
    for arr in (np.array(["a"]), np.array([object()])):
        with pytest.raises(TypeError):
            torch.from_numpy(arr)
        with pytest.raises(TypeError):
            ember.from_numpy(arr)


def test_numpy_arrays_do_not_mix_with_tensors_in_operators():
    a = np.ones(3, dtype=np.float32)
    for m in (torch, ember):
        with pytest.raises(TypeError):
            a * m.ones(3)


def test_size_type_and_repr():
    s = ember.zeros(2, 3).shape
    assert isinstance(s, tuple) and isinstance(s, ember.Size)
    assert repr(s) == repr(torch.zeros(2, 3).shape) == "torch.Size([2, 3])"
    assert s == (2, 3)
    assert repr(s[1:]) == "torch.Size([3])"


def test_tensor_with_numpy_array_operand_promotes_like_pytorch():
    """PyTorch hands ``tensor (op) ndarray`` to NumPy, so NumPy's promotion decides the dtype."""
    for make in (lambda m: m.ones(2) + np.ones(2), lambda m: m.ones(2, dtype=m.int64) * np.ones((3, 1), np.int32),
                 lambda m: m.arange(3.0) - np.arange(3, dtype=np.float32), lambda m: m.ones(2) / np.full(2, 4),
                 lambda m: m.ones(2) + np.ones(2, np.int64), lambda m: m.ones(2) / np.ones(2, np.float32)):
        e, t = make(ember), make(torch)
        assert isinstance(e, ember.Tensor) and str(e.dtype) == str(t.dtype)
        np.testing.assert_array_equal(e.numpy(), t.numpy())


def test_in_place_on_an_expanded_tensor_raises_pytorchs_error():
    for m in (torch, ember):
        for write in (lambda: m.ones(3).expand(2, 3).add_(1), lambda: m.ones(1, 3).expand(2, 3).mul_(m.ones(2, 3)),
                      lambda: m.ones(3).expand(2, 3).copy_(m.zeros(2, 3)), lambda: m.ones(3).expand(2, 3).clamp_(0, 1)):
            with pytest.raises(RuntimeError, match="more than one element of the written-to tensor refers to a single"):
                write()


def test_float_of_a_non_leaf_that_requires_grad_warns_like_pytorch():
    for m in (torch, ember):
        with pytest.warns(UserWarning, match="Converting a tensor with requires_grad=True to a scalar"):
            assert float(m.ones(1, requires_grad=True) * 2) == 2.0
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert float(m.ones((), requires_grad=True)) == 1.0 and (m.ones(1, requires_grad=True) * 2).item() == 2.0
            y = m.ones(1, requires_grad=True) * 2
            with m.no_grad():  # no warning while grad mode is off
                assert float(y) == 2.0


def test_memory_formats():
    """contiguous_format and preserve_format are accepted where PyTorch takes a memory_format;
    the channels-last formats are missing and say so."""
    for name in ("contiguous_format", "preserve_format"):
        assert repr(getattr(ember, name)) == repr(getattr(torch, name))
    x = ember.ones(2, 3).t()
    y = x.contiguous(memory_format=ember.contiguous_format)
    assert y.is_contiguous() and y.stride() == (2, 1)
    assert x.clone(memory_format=ember.preserve_format).tolist() == x.tolist()
    with pytest.raises(NotImplementedError, match="torch.channels_last"):
        ember.channels_last
