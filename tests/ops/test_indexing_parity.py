"""Indexing details checked against PyTorch: each case runs the same code with ``m = torch``
and ``m = ember`` and compares what comes out (values, dtype, shape, grad_fn name, whether
the result shares the source's memory, gradients) or the exception (its type and first line).

The cases are the differences found (and fixed) by comparing the two, grouped by op."""
import warnings

import numpy as np
import pytest
import torch

import ember

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def _describe(m, r, src):
    if isinstance(r, (tuple, list)):
        return tuple(_describe(m, x, src) for x in r)
    if isinstance(r, (torch.Tensor, ember.Tensor)):
        if isinstance(r, torch.Tensor):
            shares = src is not None and r.numel() > 0 and \
                r.untyped_storage().data_ptr() == src.untyped_storage().data_ptr()
        else:
            shares = src is not None and r.numel() > 0 and np.shares_memory(r._data, src._data)
        a = r.detach().numpy()
        return ("tensor", str(r.dtype).split(".")[-1], tuple(r.shape), a.tolist() if a.dtype.kind != "f" else
                np.where(np.isnan(a), -12345.0, a).tolist(),
                None if r.grad_fn is None else type(r.grad_fn).__name__, shares)
    return repr(r)


def outcome(fn, m):
    """``fn(m)`` described; ``fn`` may return ``(result, source)`` as ``("src", r, s)`` to
    also say whether ``r`` shares memory with ``s``. An exception: its type and first line."""
    try:
        r = fn(m)
    except Exception as e:  # noqa: BLE001 - the exception is what is compared
        return ("error", type(e).__name__, str(e).split("\n")[0])
    if isinstance(r, tuple) and len(r) == 3 and isinstance(r[0], str) and r[0] == "src":
        return _describe(m, r[1], r[2])
    return _describe(m, r, None)


def same(fn):
    expected, got = outcome(fn, torch), outcome(fn, ember)
    assert got == expected


def cases(**fns):
    return pytest.mark.parametrize("fn", list(fns.values()), ids=list(fns))


def X(m, *shape, grad=False):
    """arange as a leaf of that shape (not a view of another tensor, in either)."""
    return m.tensor(np.arange(float(np.prod(shape)), dtype=np.float32).reshape(shape), requires_grad=grad)


def grads_of(m, x, y):
    """Backward of a weighted sum of y (weights 1, 2, ...) and x's gradient."""
    w = m.tensor(np.arange(1.0, y.numel() + 1, dtype=np.float32).reshape(tuple(y.shape)))
    (y * w).sum().backward()
    return x.grad


# --- reading: what an index item means ----------------------------------------------------------------
@cases(
    numpy_uint8_mask=lambda m: X(m, 3, 2)[np.array([1, 0, 1], dtype=np.uint8)],
    uint8_0d_tensor_is_a_mask=lambda m: X(m, 3, 2)[m.tensor(1, dtype=m.uint8)],
    uint8_0d_tensor_false=lambda m: X(m, 3, 2)[m.tensor(0, dtype=m.uint8)],
    numpy_0d_int_selects=lambda m: (lambda x: ("src", x[np.array(2)], x))(X(m, 3, 2)),
    numpy_0d_float_truncates=lambda m: (lambda x: ("src", x[np.array(1.7)], x))(X(m, 3, 2)),
    numpy_0d_uint8_is_a_mask=lambda m: X(m, 3, 2)[np.array(1, dtype=np.uint8)],
    numpy_complex_array=lambda m: X(m, 3, 2)[np.array([2 + 1j, 1.7 - 3j])],
    numpy_bool_scalar=lambda m: X(m, 3)[np.bool_(True)],
    numpy_float_scalar=lambda m: X(m, 3)[np.float32(1)],
    numpy_str_array=lambda m: X(m, 3)[np.array(["a"])],
    numpy_object_array=lambda m: X(m, 3)[np.array([0, 1], dtype=object)],
    bytes_index=lambda m: X(m, 3)[b"a"],
)
def test_index_items(fn):
    same(fn)


@cases(
    elem_of_vector=lambda m: (lambda x: (x[1].add_(100), x))(X(m, 3)),
    elem_of_matrix=lambda m: (lambda x: (x[1, 1].add_(100), x))(X(m, 2, 2)),
    scalar_empty_tuple=lambda m: (lambda x: (x[()].add_(100), x))(X(m)),
)
def test_one_element_is_a_view(fn):
    """NumPy gives a copy for one element; PyTorch a 0-d view that writes reach."""
    same(fn)


# --- reading: errors and PyTorch's order of checks -------------------------------------------------
@cases(
    first_bad_in_order=lambda m: X(m, 3, 4)[[0, 5, 1, 39]],
    long_list=lambda m: X(m, 3, 4)[list(range(40))],
    indexer_number_not_dim=lambda m: X(m, 3, 4, 5)[:, m.tensor([4])],
    second_indexer=lambda m: X(m, 3, 4, 5)[[0, 1], :, [0, 9]],
    first_position_first=lambda m: X(m, 3, 4, 5)[[0, 5], [9, 0]],
    after_ellipsis=lambda m: X(m, 3, 4, 5)[..., [9], :],
    empty_result_no_error=lambda m: X(m, 3, 4, 5)[0:0, [9]],
    size_zero_dim=lambda m: X(m, 0, 4)[[0]],
    size_zero_dim_empty_result=lambda m: X(m, 3, 0)[[5]],
    broadcast=lambda m: X(m, 3, 4, 5)[[0, 1], [0, 1, 2]],
    broadcast_mask=lambda m: X(m, 3, 4, 5)[m.tensor([True, False, True]), [0, 1, 2]],
    broadcast_false=lambda m: X(m, 2, 2)[[0, 1], False],
    int_position_in_index=lambda m: X(m, 2, 3)[None, 0, 5],
    int_after_ellipsis=lambda m: X(m, 1)[..., -2],
    mask_against_sliced=lambda m: X(m, 1, 3)[None, m.tensor([True, False])],
    mask_after_slice=lambda m: X(m, 2, 2, 2)[0:-1:2, m.tensor([False, False, False])],
    ellipsis_twice_then_slice=lambda m: X(m, 2, 2, 4)[..., ..., 0:-1],
    ellipsis_twice_then_none=lambda m: X(m, 3, 1, 2)[..., ..., None],
    ellipsis_twice_then_tensor=lambda m: X(m, 2, 3)[..., ..., m.tensor([1])],
    ellipsis_twice_full_slice=lambda m: X(m, 2, 2, 4)[-1, ..., ..., :],
    ellipsis_twice_at_end=lambda m: X(m, 2, 3, 4)[0, ..., ...],
)
def test_index_errors(fn):
    same(fn)


# --- reading: where the dims go, and grad_fn names ---------------------------------------------------
@cases(
    true_with_int=lambda m: X(m, 3, 2, 3)[-1, None, False],
    false_with_int_and_slice=lambda m: X(m, 4, 1, 3, 1)[None, False, :, 0],
    true_between=lambda m: X(m, 2, 3, 4)[0, True, [1, 2]],
    tuple_of_full_slices_is_alias=lambda m: X(m, 3, 4, grad=True)[:, :],
    full_slice_after_select=lambda m: X(m, 2, 1, 3, grad=True)[..., -1, :],
    lone_slice_is_a_slice=lambda m: X(m, 3, grad=True)[:],
    partial_slice=lambda m: X(m, 3, grad=True)[(slice(-3, None),)],
)
def test_getitem_results(fn):
    same(fn)


def test_getitem_gradients_with_bool_scalars():
    def run(m):
        x = X(m, 2, 3, 4, grad=True)
        y = x[0, True, [1, 2]] * 1 + x[1, True, [0, 0]]
        return y, grads_of(m, x, y)
    same(run)


# --- writing: numbers ----------------------------------------------------------------------------------
NUMBERS = [2 ** 63, -2 ** 63 - 1, 2 ** 40, 1e6, 1e300, -0.5, 1j, 1 + 0j, np.float64(1e300), np.int64(300),
           np.float32(2.5), np.bool_(True)]


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int64", "int32", "uint8", "bool"])
@pytest.mark.parametrize("value", NUMBERS, ids=[repr(v) for v in NUMBERS])
@pytest.mark.parametrize("index", ["int", "list", "mask"])
def test_setitem_numbers(dtype, value, index):
    def run(m):
        x = m.zeros(2, dtype=getattr(m, dtype))
        x[{"int": 0, "list": [0], "mask": m.tensor([True, False])}[index]] = value
        return x
    same(run)


# --- writing: tensors, grad_fn names, errors -------------------------------------------------------------
SET_INDEXES = {"int": 0, "full_slice": slice(None), "ellipsis": Ellipsis, "empty_tuple": (), "list": [0, 2],
               "slice_then_list": (slice(None), [0, 1]), "list_then_slice": ([0, 1], slice(1, 3)),
               "int_then_list": (0, [1, 2]), "none": (None,), "mask": "mask", "true": True, "negative_start": (slice(-3, None),)}


@pytest.mark.parametrize("value", ["number", "0d", "row"])
@pytest.mark.parametrize("index", list(SET_INDEXES), ids=list(SET_INDEXES))
def test_setitem_grad_fn_and_gradients(index, value):
    def run(m):
        leaf = X(m, 3, 4, grad=True)
        x = leaf * 1
        i = m.tensor([True, False, True]) if SET_INDEXES[index] == "mask" else SET_INDEXES[index]
        v = {"number": 7.0, "0d": m.tensor(7.0, requires_grad=True), "row": m.ones(1, requires_grad=True)}[value]
        x[i] = v
        return x, grads_of(m, leaf, x), v.grad if isinstance(v, (torch.Tensor, ember.Tensor)) else None
    same(run)


@pytest.mark.parametrize("index", list(SET_INDEXES), ids=list(SET_INDEXES))
def test_setitem_on_a_leaf(index):
    """PyTorch speaks of a view of a leaf where it writes through a view."""
    def run(m):
        x = X(m, 3, 4, grad=True)
        x[m.tensor([True, False, True]) if SET_INDEXES[index] == "mask" else SET_INDEXES[index]] = 1.0
    same(run)


@pytest.mark.parametrize("index", list(SET_INDEXES), ids=list(SET_INDEXES))
def test_setitem_on_a_leaf_that_is_a_view(index):
    def run(m):
        x = m.arange(12.0).reshape(3, 4).requires_grad_()
        x[m.tensor([True, False, True]) if SET_INDEXES[index] == "mask" else SET_INDEXES[index]] = 1.0
    same(run)


def test_setitem_on_a_0d_tensor_copies():
    def run(m):
        x = m.tensor(1.0, requires_grad=True) * 1
        x[...] = 7.0
        return x
    same(run)


@cases(
    dtype_before_out_of_range=lambda m: X(m, 3).__setitem__([5], m.tensor([1], dtype=m.long)),
    shape_before_out_of_range=lambda m: X(m, 3).__setitem__([5], m.ones(4)),
    mask_takes_other_dtype_with_slices=lambda m: (lambda x: (x.__setitem__((slice(None), m.tensor([True, False])),
                                                                           m.tensor([[5]])), x)[1])(X(m, 3, 2)),
    mask_value_checked=lambda m: X(m, 3).__setitem__(m.tensor([True, False, True]), m.tensor(1e300, dtype=m.float64)),
    mask_value_nan_into_int=lambda m: m.zeros(3, dtype=m.long).__setitem__(m.tensor([True, False, True]),
                                                                            m.tensor(float("nan"))),
    mask_and_list_need_same_dtype=lambda m: X(m, 3, 2).__setitem__((m.tensor([True, False, True]), [0, 1]),
                                                                  m.tensor(1, dtype=m.long)),
    number_checked_before_index=lambda m: X(m, 3).__setitem__(9, 2 ** 64),
    numpy_float32_value=lambda m: X(m, 3).__setitem__(0, np.float32(1)),
)
def test_setitem_errors(fn):
    same(fn)


def test_setitem_mask_with_one_element_value_gradient():
    def run(m):
        leaf = X(m, 3, 4, grad=True)
        x = leaf * 1
        v = m.tensor([[5.0]], dtype=m.float64, requires_grad=True)
        x[:, m.tensor([True, False, True, False])] = v
        return x, grads_of(m, leaf, x), v.grad
    same(run)


# --- index_put ------------------------------------------------------------------------------------------------
T = lambda m, *a, **k: m.tensor(*a, **k)  # noqa: E731


@cases(
    dtype=lambda m: X(m, 3, 4).index_put((T(m, [0]),), T(m, [1, 2, 3, 4])),
    number_value=lambda m: X(m, 3, 4).index_put((T(m, [0]),), 1.0),
    number_value_function=lambda m: m.index_put(X(m, 3, 4), (T(m, [0]),), 1.0),
    list_in_indices=lambda m: X(m, 3, 4).index_put(([0],), T(m, 1.0)),
    none_in_indices=lambda m: X(m, 3, 4).index_put((None, T(m, [0])), T(m, 1.0)),
    not_a_tuple=lambda m: X(m, 3, 4).index_put(T(m, [0]), T(m, 1.0)),
    out_of_range=lambda m: X(m, 3, 4).index_put((T(m, [5]),), T(m, 1.0)),
    shape=lambda m: X(m, 3, 4).index_put((T(m, [0]),), T(m, [1.0, 2.0])),
    no_leading_ones_dropped=lambda m: X(m, 3, 4).index_put((T(m, [0]),), T(m, [[[1.0, 2, 3, 4]]])),
    too_many=lambda m: X(m, 3, 4).index_put((T(m, [0]),) * 3, T(m, 1.0)),
    mask_other_dtype=lambda m: X(m, 3, 4).index_put((T(m, [True, False, True]),), T(m, 1, dtype=m.long)),
    mask_other_dtype_accumulate=lambda m: X(m, 3, 4).index_put((T(m, [True, False, True]),), T(m, 1, dtype=m.long),
                                                               accumulate=True),
    zero_d_index_tensor=lambda m: X(m, 3, 4).index_put((T(m, 1), T(m, [0, 2])), T(m, 9.0)),
)
def test_index_put(fn):
    same(fn)


# --- masked_fill ------------------------------------------------------------------------------------------------
MASK = lambda m: m.tensor([[True, False, True, False]] * 3)  # noqa: E731


@cases(
    broadcast_result=lambda m: X(m, 4).masked_fill(m.ones(2, 4, dtype=m.bool), 1.0),
    scalar_input=lambda m: m.zeros(()).masked_fill(m.ones(2, dtype=m.bool), 1.0),
    inplace_cannot_grow=lambda m: X(m, 4).masked_fill_(m.ones(2, 4, dtype=m.bool), 1.0),
    inplace_names_tensors_the_other_way=lambda m: X(m, 3, 4).masked_fill_(m.ones(3, dtype=m.bool), 1.0),
    size_mismatch=lambda m: X(m, 3, 4).masked_fill(m.ones(3, dtype=m.bool), 1.0),
    size_mismatch_first=lambda m: X(m, 3, 4).masked_fill(m.ones(3, dtype=m.bool), m.tensor([1.0])),
    inplace_mask_dtype_first=lambda m: X(m, 3, 4).masked_fill_(m.ones(3, dtype=m.uint8), 1.0),
    uint8_mask=lambda m: X(m, 3, 4).masked_fill(m.ones(3, 4, dtype=m.uint8), 1.0),
    long_mask=lambda m: X(m, 3, 4).masked_fill(m.ones(3, 4, dtype=m.long), 1.0),
    float_mask=lambda m: X(m, 3, 4).masked_fill(m.ones(3, 4), 1.0),
    str_value=lambda m: X(m, 3, 4).masked_fill(MASK(m), "a"),
    none_value_function=lambda m: m.masked_fill(X(m, 3, 4), MASK(m), None),
    list_mask=lambda m: X(m, 3, 4).masked_fill([True] * 4, 1.0),
    int_past_uint64=lambda m: X(m, 3, 4).masked_fill(MASK(m), 2 ** 64),
    int_below_int64=lambda m: X(m, 3, 4).masked_fill(MASK(m), -2 ** 63 - 1),
    uint64_int_into_long=lambda m: X(m, 3, 4).long().masked_fill(MASK(m), 2 ** 63),
    uint8_wraps=lambda m: X(m, 3, 4).to(m.uint8).masked_fill(MASK(m), -1),
    negative_float_into_uint8=lambda m: X(m, 3, 4).to(m.uint8).masked_fill(MASK(m), -0.5),
    numpy_scalar_checked=lambda m: X(m, 3, 4).masked_fill(MASK(m), np.float64(1e300)),
    numpy_int_checked=lambda m: X(m, 3, 4).to(m.int8).masked_fill(MASK(m), np.int64(300)),
    half_checked=lambda m: X(m, 3, 4).half().masked_fill(MASK(m), 70000),
    complex_real=lambda m: X(m, 3, 4).masked_fill(MASK(m), 1 + 0j),
    complex_imaginary=lambda m: X(m, 3, 4).long().masked_fill(MASK(m), 1j),
    tensor_value_checked=lambda m: X(m, 3, 4).to(m.uint8).masked_fill(MASK(m), m.tensor(300)),
    tensor_value_nan_into_int=lambda m: X(m, 3, 4).long().masked_fill(MASK(m), m.tensor(float("nan"))),
)
def test_masked_fill(fn):
    same(fn)


def test_masked_fill_tensor_value_node_and_gradients():
    def run(m):
        x = X(m, 3, 4, grad=True)
        v = m.tensor(5.0, dtype=m.float64, requires_grad=True)
        y = x.masked_fill(m.ones(2, 3, 4, dtype=m.bool).tril(), v)
        return y, grads_of(m, x, y), v.grad
    same(run)


# --- index_select, masked_select, take, take_along_dim -----------------------------------------------------
@cases(
    index_select_negative=lambda m: X(m, 3, 4).index_select(0, T(m, [-1])),
    index_select_scalar_input=lambda m: (lambda x: (x.index_select(0, T(m, [0])), grads_of(m, x, x.index_select(
        0, T(m, 0)))))(m.tensor(5.0, requires_grad=True)),
    index_select_scalar_two=lambda m: m.tensor(5.0).index_select(0, T(m, [0, 0])),
    index_select_scalar_none=lambda m: m.tensor(5.0).index_select(0, T(m, [], dtype=m.long)),
    index_select_list_function=lambda m: m.index_select(X(m, 3), 0, [0]),
    index_select_list_method=lambda m: X(m, 3).index_select(0, [0]),
    masked_select_size_mismatch=lambda m: m.masked_select(X(m, 3, 4), m.ones(3, dtype=m.bool)),
    masked_select_list=lambda m: m.masked_select(X(m, 3), [True]),
    masked_select_list_method=lambda m: X(m, 3).masked_select([True]),
    take_int32=lambda m: m.take(X(m, 3), T(m, [1], dtype=m.int32)),
    take_float=lambda m: m.take(X(m, 3), T(m, [1.0])),
    take_bool=lambda m: m.take(X(m, 3), T(m, [True])),
    take_list=lambda m: m.take(X(m, 3), [1]),
    take_along_dim_wraps=lambda m: m.take_along_dim(X(m, 3, 4), T(m, [[4, -5, 7, 100, -100]]), 1),
    take_along_dim_ndim=lambda m: m.take_along_dim(X(m, 3, 4), T(m, [0]), 1),
    take_along_dim_dtype=lambda m: m.take_along_dim(X(m, 3, 4), T(m, [[0]], dtype=m.int32), 1),
    take_along_dim_broadcast=lambda m: m.take_along_dim(X(m, 3, 4), m.zeros(2, 1, dtype=m.long), 1),
    take_along_dim_empty_dim=lambda m: m.take_along_dim(m.zeros(3, 0), T(m, [[1]]), 1),
    take_along_dim_flat=lambda m: m.take_along_dim(X(m, 3, 4, grad=True), T(m, [[0, 11]])),
    take_along_dim_flat_int32=lambda m: m.take_along_dim(X(m, 3, 4), T(m, [[0]], dtype=m.int32)),
    take_along_dim_flat_out_of_range=lambda m: m.take_along_dim(X(m, 3, 4), T(m, [12])),
    take_along_dim_flat_negative=lambda m: m.take_along_dim(X(m, 3, 4), T(m, [-1])),
)
def test_select_ops(fn):
    same(fn)


def test_take_along_dim_gradient():
    def run(m):
        x = X(m, 3, 4, grad=True)
        y = m.take_along_dim(x, T(m, [[0, -1, 5]]), 1)
        return y, grads_of(m, x, y)
    same(run)


# --- gather, scatter ---------------------------------------------------------------------------------------
@cases(
    gather_list_function=lambda m: m.gather(X(m, 3, 4), 1, [[0]]),
    gather_list_method=lambda m: X(m, 3, 4).gather(1, [[0]]),
    gather_first_bad_along_dim=lambda m: X(m, 3, 4).gather(0, T(m, [[5, 0], [0, 9]])),
    scatter_number_node=lambda m: X(m, 3, 4, grad=True).scatter(1, T(m, [[0, 1]]), 5.0),
    scatter_number_keyword=lambda m: X(m, 3, 4, grad=True).scatter(1, T(m, [[0, 1]]), value=5.0),
    scatter_no_src=lambda m: X(m, 3, 4).scatter(1, T(m, [[0]])),
    scatter_no_src_function=lambda m: m.scatter(X(m, 3, 4), 1, T(m, [[0]])),
    scatter_str_value=lambda m: X(m, 3, 4).scatter(1, T(m, [[0]]), "a"),
    scatter_inplace_list=lambda m: X(m, 3, 4).scatter_(0, [[0]], X(m, 3, 4)),
    scatter_src_1d=lambda m: X(m, 3, 4).scatter(0, T(m, [[0]]), m.ones(2)),
    scatter_src_3d=lambda m: X(m, 3, 4).scatter(0, T(m, [[0]]), m.ones(2, 2, 2)),
    scatter_src_0d=lambda m: X(m, 3, 4).scatter(1, T(m, [[0, 0]]), T(m, 1.0)),
    scatter_src_0d_sizes=lambda m: X(m, 3).scatter(0, T(m, [0, 1]), T(m, 5.0)),
    scatter_src_ndim_before_sizes=lambda m: X(m, 3, 4).scatter(0, T(m, [[0] * 5]), m.ones(3)),
    scatter_reduce_no_derivative=lambda m: (lambda x: grads_of(m, x, x.scatter(1, T(m, [[0, 0]]), m.ones(1, 2),
                                                                               reduce="add")))(X(m, 3, 4, grad=True)),
    scatter_reduce_node=lambda m: X(m, 3, 4, grad=True).scatter(1, T(m, [[0, 0]]), 2.0, reduce="multiply"),
    scatter_add_float_index=lambda m: X(m, 3, 4).scatter_add(0, T(m, [[0.0]]), X(m, 3, 4)),
    scatter_add_inplace_list=lambda m: X(m, 3, 4).scatter_add_(0, [[0]], X(m, 3, 4)),
    scatter_reduce_float_index=lambda m: X(m, 3, 4).scatter_reduce(0, T(m, [[0.0]]), X(m, 3, 4), "sum"),
)
def test_gather_scatter(fn):
    same(fn)


# --- index_add, index_copy, index_fill ------------------------------------------------------------------------
@cases(
    add_float_index=lambda m: X(m, 3, 4).index_add(0, T(m, [0.0]), m.ones(1, 4)),
    add_dtype=lambda m: X(m, 3, 4).index_add(0, T(m, [0]), m.ones(1, 4, dtype=m.float64)),
    add_out_of_range=lambda m: X(m, 3, 4).index_add(0, T(m, [3]), m.ones(1, 4)),
    add_negative=lambda m: X(m, 3, 4).index_add(0, T(m, [-1]), m.ones(1, 4)),
    add_shape=lambda m: X(m, 3, 4).index_add(0, T(m, [0]), m.ones(1, 3)),
    add_count=lambda m: X(m, 3, 4).index_add(0, T(m, [0, 1]), m.ones(1, 4)),
    add_2d_index=lambda m: X(m, 3, 4).index_add(0, T(m, [[0]]), m.ones(1, 4)),
    add_0d_index=lambda m: X(m, 3, 4).index_add(0, T(m, 1), m.ones(1, 4)),
    add_list_function=lambda m: m.index_add(X(m, 3), 0, [0], X(m, 1)),
    copy_node=lambda m: X(m, 3, 4, grad=True).index_copy(1, T(m, [0, 3]), m.ones(3, 2)),
    copy_int32=lambda m: X(m, 3, 4).index_copy(0, T(m, [2], dtype=m.int32), m.ones(1, 4)),
    copy_dtype=lambda m: X(m, 3, 4).index_copy(0, T(m, [2]), m.ones(1, 4, dtype=m.float64)),
    copy_out_of_range=lambda m: X(m, 3, 4).index_copy(0, T(m, [3]), m.ones(1, 4)),
    copy_negative=lambda m: X(m, 3, 4).index_copy(0, T(m, [-1]), m.ones(1, 4)),
    copy_slice_shape=lambda m: X(m, 2, 3, 4).index_copy(1, T(m, [0]), m.ones(2, 1, 5)),
    copy_dims=lambda m: X(m, 2, 3, 4).index_copy(1, T(m, [0]), m.ones(2, 1)),
    copy_scalar_source=lambda m: X(m, 2, 3, 4).index_copy(1, T(m, [0, 1]), T(m, 1.0)),
    copy_count=lambda m: X(m, 3, 4).index_copy(0, T(m, [0, 1]), m.ones(1, 4)),
    copy_2d_index=lambda m: X(m, 3, 4).index_copy(0, T(m, [[1]]), m.ones(1, 4)),
    copy_0d_index=lambda m: X(m, 3, 4).index_copy(0, T(m, 1), m.ones(1, 4)),
    fill_node=lambda m: X(m, 3, 4, grad=True).index_fill(1, T(m, [0, 2]), -1.0),
    fill_tensor_node=lambda m: X(m, 3, 4, grad=True).index_fill(1, T(m, [0, 2]), T(m, -1.0)),
    fill_1d_value=lambda m: X(m, 3, 4).index_fill(1, T(m, [0, 2]), T(m, [-1.0])),
    fill_int32=lambda m: X(m, 3, 4).index_fill(1, T(m, [0], dtype=m.int32), -1.0),
    fill_out_of_range=lambda m: X(m, 3, 4).index_fill(1, T(m, [4]), -1.0),
    fill_2d_index=lambda m: X(m, 3, 4).index_fill(1, T(m, [[0]]), -1.0),
    fill_value_checked=lambda m: m.zeros(2, 3, dtype=m.uint8).index_fill(1, T(m, [0]), 300),
    fill_list=lambda m: X(m, 3).index_fill(0, [0], 1.0),
    fill_str_value=lambda m: m.index_fill(X(m, 3), 0, T(m, [0]), "a"),
)
def test_index_ops(fn):
    same(fn)


def test_index_ops_gradients():
    def run(m):
        x = X(m, 3, 4, grad=True)
        v = m.tensor(5.0, requires_grad=True)
        s = m.ones(3, 3, requires_grad=True)
        y = x.index_fill(1, T(m, [0, 0, 3]), v) + x.index_copy(1, T(m, [0, 0, 3]), s) * 2 + \
            x.index_add(1, T(m, [0, 0, 3]), s, alpha=3)
        return y, grads_of(m, x, y), v.grad, s.grad
    same(run)


# --- where, nonzero, argwhere ---------------------------------------------------------------------------------
@cases(
    uint8_condition=lambda m: m.where(T(m, [1, 0, 2, 1], dtype=m.uint8), X(m, 4), 0.0),
    long_condition=lambda m: m.where(T(m, [1, 0, 2, 1]), X(m, 4), 0.0),
    nonzero_list=lambda m: m.nonzero([1]),
    argwhere_list=lambda m: m.argwhere([1]),
)
def test_where_nonzero(fn):
    same(fn)


def test_uint8_where_warns_like_pytorch():
    """(PyTorch warns once per process, so its text is written out here.)"""
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        ember.where(ember.tensor([1, 0], dtype=ember.uint8), 1.0, 0.0)
    assert [str(x.message) for x in w] == [
        "where received a uint8 condition tensor. This behavior is deprecated and will be removed in a future "
        "version of PyTorch. Use a boolean condition instead."]


def _sr(m, reduce="sum", src=None, index=None, x=None, **kw):
    x = m.zeros(5) if x is None else x
    index = m.tensor([0, 1, 0, 3]) if index is None else index
    src = m.tensor([1., 2., 3., 4.]) if src is None else src
    return x.scatter_reduce(0, index, src, reduce, **kw)


@cases(sum=lambda m: _sr(m), amax_without_self=lambda m: _sr(m, "amax", include_self=False),
       max_is_amax=lambda m: _sr(m, "max"), min_is_amin=lambda m: _sr(m, "min", include_self=False),
       bad_reduce=lambda m: _sr(m, "foo"), src_smaller_than_index=lambda m: _sr(m, src=m.tensor([1., 2.])),
       src_of_another_dtype=lambda m: _sr(m, src=m.tensor([1., 2., 3., 4.], dtype=m.float64)),
       index_out_of_range=lambda m: _sr(m, index=m.tensor([0, 7]), src=m.tensor([1., 2.])),
       two_dims_index_wider_than_src=lambda m: m.zeros(2, 3).scatter_reduce(
           1, m.tensor([[0, 0, 1]]), m.tensor([[1., 2.]]), "sum"),
       index_reduce_bad=lambda m: m.zeros(3).index_reduce(0, m.tensor([0]), m.ones(1), "sum"))
def test_scatter_reduce_and_index_reduce_arguments(fn):
    same(fn)
