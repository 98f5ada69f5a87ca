"""utils.data at the edges, against PyTorch: the same code runs with ``m = torch`` and
``m = ember`` and must give the same batches (values, dtypes, container types), the same
exception types and messages and the same warnings. Worker tests use tiny datasets."""
import collections
import pickle
import warnings

import numpy as np
import pytest
import torch

import ember


def norm(x, m):
    """A comparable picture of a result: container types by name, tensors by dtype/shape/values."""
    if isinstance(x, m.Tensor):
        return ("T", str(x.dtype), tuple(x.shape), x.detach().numpy().tolist(), x.requires_grad)
    if isinstance(x, np.ndarray):
        return ("np", str(x.dtype), x.tolist())
    if isinstance(x, dict):
        return (type(x).__name__, [(k, norm(v, m)) for k, v in x.items()])
    if isinstance(x, (list, tuple)):
        return (type(x).__name__, [norm(v, m) for v in x])
    return (type(x).__name__, x)


def outcome(fn, m):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            r = ("ok", norm(fn(m), m))
        except Exception as e:  # noqa: BLE001 - the exception is what is compared
            r = ("err", type(e).__name__, str(e))
    return r, [(w.category.__name__, str(w.message)) for w in caught]


def assert_same(fn):
    assert outcome(fn, ember) == outcome(fn, torch)


Point = collections.namedtuple("Point", "x y")


class MyList(list):
    pass


class MyDict(dict):
    pass


def C(m, batch):
    return m.utils.data.default_collate(batch)


def V(m, data):
    return m.utils.data.default_convert(data)


COLLATE = {
    "int_then_float": lambda m: C(m, [1, 2.5]),                      # float32, not truncated int64
    "bool_then_int": lambda m: C(m, [True, 2]),                      # int64, not bool
    "float_then_int": lambda m: C(m, [1.5, 2]),
    "np_arrays_unequal": lambda m: C(m, [np.array([1, 2]), np.array([3, 4, 5])]),  # "stack expects ..."
    "np_arrays_mixed_dtype": lambda m: C(m, [np.array([1, 2]), np.array([3., 4.], np.float32)]),
    "tensors_unequal": lambda m: C(m, [m.ones(2, 3), m.ones(2, 3), m.ones(3, 2)]),
    "tensors_mixed_dtype": lambda m: C(m, [m.tensor([1, 2]), m.tensor([3., 4.])]),
    "tensor_then_int": lambda m: C(m, [m.tensor(1), 2]),
    "tensors_requires_grad": lambda m: C(m, [m.ones(2, requires_grad=True), m.zeros(2)]),
    "np_str_scalars": lambda m: C(m, [np.str_("a"), np.str_("b")]),
    "np_bytes_scalars": lambda m: C(m, [np.bytes_(b"a"), np.bytes_(b"b")]),
    "np_datetime": lambda m: C(m, [np.datetime64("2020-01-01"), np.datetime64("2020-01-02")]),
    "np_str_array": lambda m: C(m, [np.array(["a"]), np.array(["b"])]),
    "none": lambda m: C(m, [None, None]),
    "set": lambda m: C(m, [{1}, {2}]),
    "uneven_lists": lambda m: C(m, [[1, 2], [3]]),
    "ordered_dict": lambda m: C(m, [collections.OrderedDict(a=1, b=2.0), collections.OrderedDict(a=3, b=4.0)]),
    "dict_subclass": lambda m: C(m, [MyDict(a=1), MyDict(a=2)]),
    "defaultdict": lambda m: (lambda r: (r, r.default_factory))(
        C(m, [collections.defaultdict(int, a=1), collections.defaultdict(int, a=2)])),
    "list_subclass": lambda m: C(m, [MyList([1, 2]), MyList([3, 4])]),
    "range_elements": lambda m: C(m, [range(2), range(2)]),
    "nested": lambda m: C(m, [Point([1, 2], {"k": (1.0, "s")}), Point([3, 4], {"k": (2.0, "t")})]),
    "convert_ordered_dict": lambda m: V(m, collections.OrderedDict(a=np.ones(1), b=2)),
    "convert_dict_subclass": lambda m: V(m, MyDict(a=np.ones(1))),
    "convert_list_subclass": lambda m: V(m, MyList([np.ones(1), "s"])),
    "convert_tuple": lambda m: V(m, (np.float32(1), np.zeros(2), None)),
    "convert_np_str_array": lambda m: V(m, np.array(["a", "b"])),
    "custom_collate_fn_map": lambda m: m.utils.data._utils.collate.collate(
        [(1, "x"), (2, "y")], collate_fn_map={int: lambda b, *, collate_fn_map: sum(b),
                                              str: lambda b, *, collate_fn_map: "".join(b)}),
    "default_collate_fn_map": lambda m: m.utils.data._utils.collate.collate(
        [{"a": 1}, {"a": 2}], collate_fn_map=m.utils.data._utils.collate.default_collate_fn_map),
    "collate_without_map": lambda m: m.utils.data._utils.collate.collate([1, 2]),
}


@pytest.mark.parametrize("case", list(COLLATE))
def test_collate_and_convert_match_pytorch(case):
    assert_same(COLLATE[case])


def tds(m, n=6):
    return m.utils.data.TensorDataset(m.arange(n).float(), m.arange(n))


def stream(m, n, length=None):
    class S(m.utils.data.IterableDataset):
        def __iter__(self):
            return iter(range(n))

        def __repr__(self):
            return "S"
    if length is not None:
        S.__len__ = lambda self: length
    return S()


class Resumable:
    """An iterator that yields again after raising StopIteration once."""

    def __init__(self):
        self.i = 0

    def __iter__(self):
        return self

    def __next__(self):
        self.i += 1
        if self.i == 6:
            raise StopIteration
        return self.i


def DL(m, *args, **kwargs):
    return m.utils.data.DataLoader(*args, **kwargs)


LOADER = {
    "mp_context_without_workers": lambda m: DL(m, tds(m), multiprocessing_context="spawn"),
    "mp_context_bad_name": lambda m: DL(m, tds(m), num_workers=1, multiprocessing_context="nope"),
    "mp_context_bad_type": lambda m: DL(m, tds(m), num_workers=1, multiprocessing_context=3),
    "set_batch_size_after_init": lambda m: setattr(DL(m, tds(m)), "batch_size", 3),
    "set_sampler_after_init": lambda m: setattr(DL(m, tds(m)), "sampler", [0]),
    "set_persistent_after_init": lambda m: setattr(DL(m, tds(m)), "persistent_workers", True),
    "set_collate_after_init": lambda m: (lambda d: (setattr(d, "collate_fn", len), list(d)))(
        DL(m, tds(m), batch_size=4)),
    "pin_memory_warns": lambda m: list(DL(m, tds(m, 2), pin_memory=True)),
    "pin_memory_device_warns": lambda m: list(DL(m, tds(m, 2), pin_memory=True, pin_memory_device="cuda")),
    "too_many_workers_warns": lambda m: DL(m, tds(m), num_workers=10_000).num_workers,
    "timeout_without_workers": lambda m: iter(DL(m, tds(m), timeout=2)),
    "prefetch_zero_with_workers": lambda m: iter(DL(m, tds(m), num_workers=1, prefetch_factor=0)),
    "iterator_len_iterable": lambda m: len(iter(DL(m, stream(m, 7, 7), batch_size=3))),
    "iterator_pickle": lambda m: pickle.dumps(iter(DL(m, tds(m), batch_size=2))),
    "iterable_overrun_warns": lambda m: (lambda d: (len(d), list(d)))(DL(m, stream(m, 7, 2), batch_size=3)),
    "iterable_overrun_no_batching": lambda m: (lambda d: (len(d), list(d)))(DL(m, stream(m, 4, 2), batch_size=None)),
    "iterable_sampler_is_a_sampler": lambda m: (
        type(DL(m, stream(m, 3)).sampler).__name__, isinstance(DL(m, stream(m, 3)).sampler, m.utils.data.Sampler)),
    "iterable_stream_not_asked_after_end": lambda m: list(DL(m, type("R", (m.utils.data.IterableDataset,), {
        "__iter__": lambda self: Resumable()})(), batch_size=3)),
    "tensor_dataset_requires_grad": lambda m: list(DL(m, m.utils.data.TensorDataset(
        m.ones(4, 2, requires_grad=True)), batch_size=2))[0][0].grad_fn is not None,
    "tensor_dataset_subclass_getitem": lambda m: list(DL(m, type("T2", (m.utils.data.TensorDataset,), {
        "__getitem__": lambda self, i: (self.tensors[0][i] * 2,)})(m.arange(4)), batch_size=3)),
    "tensor_dataset_index_out_of_range": lambda m: list(DL(m, tds(m), sampler=[1, 6], batch_size=2)),
    "getitems_is_none": lambda m: list(DL(m, type("G", (m.utils.data.Dataset,), {
        "__len__": lambda self: 3, "__getitems__": None, "__getitem__": lambda self, i: i})(), batch_size=2)),
}


@pytest.mark.parametrize("case", list(LOADER))
def test_dataloader_edges_match_pytorch(case):
    assert_same(LOADER[case])


D = {
    "dataset_generic": lambda m: type("D", (m.utils.data.Dataset[int],), {"__getitem__": lambda s, i: i})()[3],
    "sampler_generic": lambda m: list(type("S", (m.utils.data.Sampler[int],), {"__iter__": lambda s: iter([2])})()),
    "loader_generic": lambda m: m.utils.data.DataLoader[int].__origin__.__name__,
    "iterable_generic": lambda m: m.utils.data.IterableDataset[int].__origin__.__name__,
    "iterable_dataset_is_abstract": lambda m: m.utils.data.IterableDataset(),
    "sampler_takes_no_data_source": lambda m: m.utils.data.Sampler(range(3)),
    "tensor_dataset_0d": lambda m: m.utils.data.TensorDataset(m.tensor(1.0)),
    "stack_dataset_no_args": lambda m: m.utils.data.StackDataset(),
    "stack_dataset_datasets": lambda m: m.utils.data.StackDataset([1], [2]).datasets,
    "stack_dataset_getitems": lambda m: m.utils.data.StackDataset([1, 2], [3, 4]).__getitems__([1, 0]),
    "stack_dataset_getitems_dict": lambda m: m.utils.data.StackDataset(
        a=[1, 2], b=m.utils.data.Subset([5, 6], [1, 0])).__getitems__([1, 0]),
    "stack_dataset_loader": lambda m: list(DL(m, m.utils.data.StackDataset(a=tds(m, 3), b=[1, 2, 3]), batch_size=2)),
    "concat_cumsum": lambda m: m.utils.data.ConcatDataset.cumsum([[1], [], [2, 3]]),
    "concat_cummulative_sizes": lambda m: m.utils.data.ConcatDataset([[1], [2, 3]]).cummulative_sizes,
    "chain_len_of_map_dataset": lambda m: len(m.utils.data.ChainDataset([[1, 2]])),
    "subset_subclass_without_getitems": lambda m: type("S", (m.utils.data.Subset,), {
        "__getitem__": lambda self, i: 0})([1], [0]),
    "random_split_bad_fraction": lambda m: m.utils.data.random_split(range(10), [0.5, 0.7, -0.2]),
    "distributed_sampler_without_process_group": lambda m: m.utils.data.DistributedSampler(range(5), num_replicas=2),
}


@pytest.mark.parametrize("case", list(D))
def test_datasets_and_samplers_match_pytorch(case):
    assert_same(D[case])


# --- worker processes (tiny) -----------------------------------------------------------------------
def _info_probe(m):
    class R(m.utils.data.Dataset):
        def __len__(self):
            return 1

        def __getitem__(self, i):
            w = m.utils.data.get_worker_info()
            try:
                w.id = 3
            except Exception as e:  # noqa: BLE001
                err = (type(e).__name__, str(e))
            return repr(w).replace(repr(w.dataset), "DS"), err, w.rng, w.worker_method

        def __repr__(self):
            return "DS"
    return R()


def test_worker_info_fields_match_pytorch():
    def fn(m):
        return list(DL(m, _info_probe(m), batch_size=None, num_workers=1, generator=m.Generator().manual_seed(3)))
    assert_same(fn)


def test_persistent_workers_restart_iterable_streams():
    def fn(m):
        d = DL(m, stream(m, 5), batch_size=2, num_workers=2, persistent_workers=True, timeout=20)
        return [[b.tolist() for b in d] for _ in range(2)]
    assert_same(fn)


def test_persistent_workers_after_an_interrupted_epoch():
    def fn(m):
        d = DL(m, list(range(10)), batch_size=2, num_workers=2, persistent_workers=True, timeout=20)
        for first in d:
            break
        return first.tolist(), [b.tolist() for b in d]
    assert_same(fn)
