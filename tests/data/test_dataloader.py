"""utils.data against PyTorch: collation, samplers and batch order under the same seed,
argument checks; worker processes: results, errors, timeouts, deaths, seeds, shutdown."""
import collections
import os
import time

import numpy as np
import pytest
import torch

import ember

X = np.random.default_rng(0).standard_normal((50, 3)).astype(np.float32)
Y = np.arange(50)


def dataset(m):
    return m.utils.data.TensorDataset(m.from_numpy(X.copy()), m.from_numpy(Y.copy()))


def same(a, b):
    if isinstance(b, torch.Tensor):
        assert isinstance(a, ember.Tensor) and str(a.dtype) == str(b.dtype) and tuple(a.shape) == tuple(b.shape)
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    elif isinstance(b, dict):
        assert list(a) == list(b)
        for k in b:
            same(a[k], b[k])
    elif isinstance(b, (list, tuple)):
        assert type(a).__name__ == type(b).__name__ and len(a) == len(b)
        for x, y in zip(a, b):
            same(x, y)
    else:
        assert a == b


Point = collections.namedtuple("Point", "x y")
SAMPLES = [
    lambda m: [m.tensor([1.0, 2.0]), m.tensor([3.0, 4.0])],
    lambda m: [np.array([1, 2]), np.array([3, 4])],
    lambda m: [1, 2, 3],
    lambda m: [1.5, 2.5],
    lambda m: [True, False],
    lambda m: ["a", "b"],
    lambda m: [(m.tensor(1), "x", 2.0), (m.tensor(2), "y", 3.0)],
    lambda m: [{"a": m.ones(2), "b": 1}, {"a": m.zeros(2), "b": 2}],
    lambda m: [Point(1, m.ones(1)), Point(2, m.zeros(1))],
    lambda m: [[1, 2], [3, 4]],
    lambda m: [np.float64(1.5), np.float64(2.0)],
]


@pytest.mark.parametrize("case", range(len(SAMPLES)))
def test_default_collate_matches_pytorch(case):
    same(ember.utils.data.default_collate(SAMPLES[case](ember)), torch.utils.data.default_collate(SAMPLES[case](torch)))


@pytest.mark.parametrize("kwargs", [dict(batch_size=8), dict(batch_size=8, shuffle=True),
                                    dict(batch_size=7, shuffle=True, drop_last=True), dict(batch_size=None),
                                    dict(batch_size=5, sampler="subset"), dict(batch_size=4, sampler="weighted"),
                                    dict(batch_size=6, sampler="replacement"), dict(batch_sampler="custom")])
def test_batches_match_pytorch_under_the_same_seed(kwargs):
    out = {}
    for m in (torch, ember):
        m.manual_seed(3)
        kw = dict(kwargs)
        if kw.get("sampler") == "subset":
            kw["sampler"] = m.utils.data.SubsetRandomSampler(list(range(0, 50, 3)))
        elif kw.get("sampler") == "weighted":
            kw["sampler"] = m.utils.data.WeightedRandomSampler([0.1] * 25 + [1.0] * 25, 20)
        elif kw.get("sampler") == "replacement":
            kw["sampler"] = m.utils.data.RandomSampler(range(50), replacement=True, num_samples=40)
        if kw.get("batch_sampler") == "custom":
            kw["batch_sampler"] = m.utils.data.BatchSampler(m.utils.data.RandomSampler(range(50)), 9, False)
        dl = m.utils.data.DataLoader(dataset(m), **kw)
        out[m] = (len(dl), [b for b in dl])
    assert out[ember][0] == out[torch][0]
    for a, b in zip(out[ember][1], out[torch][1]):
        same(a, b)
    assert len(out[ember][1]) == len(out[torch][1])


def test_random_split_and_distributed_sampler_match_pytorch():
    for lengths in ([30, 20], [0.5, 0.3, 0.2], [0.33, 0.33, 0.34]):
        parts = {}
        for m in (torch, ember):
            g = m.Generator().manual_seed(42)
            parts[m] = [list(s.indices) for s in m.utils.data.random_split(range(50), lengths, generator=g)]
        assert parts[ember] == parts[torch]
    for shuffle in (True, False):
        for drop_last in (True, False):
            for rank in range(3):
                res = []
                for m in (torch, ember):
                    s = m.utils.data.DistributedSampler(range(50), num_replicas=3, rank=rank, shuffle=shuffle,
                                                        seed=5, drop_last=drop_last)
                    s.set_epoch(2)
                    res.append((list(s), len(s)))
                assert res[0] == res[1]


BAD_ARGS = [dict(num_workers=-1), dict(timeout=-1), dict(prefetch_factor=2), dict(persistent_workers=True),
            dict(shuffle=True, sampler=[0, 1]), dict(batch_size=None, drop_last=True),
            dict(batch_sampler=[[0, 1]], batch_size=2)]


@pytest.mark.parametrize("kwargs", BAD_ARGS)
def test_argument_conflicts_raise_like_pytorch(kwargs):
    with pytest.raises(ValueError) as te:
        torch.utils.data.DataLoader(dataset(torch), **kwargs)
    with pytest.raises(ValueError) as ee:
        ember.utils.data.DataLoader(dataset(ember), **kwargs)
    assert str(ee.value) == str(te.value)


def test_workers_give_the_same_batches_as_the_main_process():
    ember.manual_seed(1)
    single = [b for b in ember.utils.data.DataLoader(dataset(ember), batch_size=8, shuffle=True)]
    ember.manual_seed(1)
    multi = [b for b in ember.utils.data.DataLoader(dataset(ember), batch_size=8, shuffle=True, num_workers=2)]
    assert len(single) == len(multi)
    for a, b in zip(single, multi):
        np.testing.assert_array_equal(a[0].numpy(), b[0].numpy())
        np.testing.assert_array_equal(a[1].numpy(), b[1].numpy())


class Failing(ember.utils.data.Dataset):
    def __len__(self):
        return 10

    def __getitem__(self, i):
        if i == 7:
            raise KeyError(f"bad sample {i}")
        return np.float32(i)


class Slow(ember.utils.data.Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        time.sleep(3)
        return i


class Dying(ember.utils.data.Dataset):
    def __len__(self):
        return 8

    def __getitem__(self, i):
        if i == 5:
            os._exit(1)
        return i


def _children():
    import multiprocessing
    return multiprocessing.active_children()


def test_worker_exception_is_raised_in_main_with_traceback():
    dl = ember.utils.data.DataLoader(Failing(), batch_size=2, num_workers=2)
    with pytest.raises(KeyError) as e:
        list(dl)
    assert "DataLoader worker process" in str(e.value) and "bad sample 7" in str(e.value)
    time.sleep(0.2)
    assert _children() == []


def test_timeout_raises_instead_of_hanging():
    dl = ember.utils.data.DataLoader(Slow(), batch_size=1, num_workers=1, timeout=0.5)
    start = time.time()
    with pytest.raises(RuntimeError, match="DataLoader timed out after 0.5 seconds"):
        next(iter(dl))
    assert time.time() - start < 10
    time.sleep(0.2)
    assert _children() == []


def test_killed_worker_is_reported():
    dl = ember.utils.data.DataLoader(Dying(), batch_size=1, num_workers=2)
    with pytest.raises(RuntimeError, match="exited unexpectedly"):
        list(dl)
    time.sleep(0.2)
    assert _children() == []


def test_early_exit_leaves_no_workers():
    it = iter(ember.utils.data.DataLoader(dataset(ember), batch_size=2, num_workers=2))
    next(it)
    del it
    import gc
    gc.collect()
    time.sleep(0.2)
    assert _children() == []


class Stream(ember.utils.data.IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        info = ember.utils.data.get_worker_info()
        start, step = (0, 1) if info is None else (info.id, info.num_workers)
        return iter(range(start, self.n, step))


def test_iterable_dataset_sharded_across_workers():
    single = sorted(x for b in ember.utils.data.DataLoader(Stream(23), batch_size=4) for x in b.tolist())
    multi = sorted(x for b in ember.utils.data.DataLoader(Stream(23), batch_size=4, num_workers=2) for x in b.tolist())
    assert single == multi == list(range(23))


class SeedProbe(ember.utils.data.Dataset):
    def __init__(self, m):
        self.m = m

    def __len__(self):
        return 4

    def __getitem__(self, i):
        info = self.m.utils.data.get_worker_info()
        return np.array([info.id, info.seed, int(np.random.randint(0, 2**31))], dtype=np.int64)


def test_worker_seeds_follow_pytorchs_scheme():
    ember.manual_seed(0)
    torch.manual_seed(0)
    e = ember.utils.data.DataLoader(SeedProbe(ember), batch_size=1, num_workers=2)
    t = torch.utils.data.DataLoader(SeedProbe(torch), batch_size=1, num_workers=2)
    got_e = sorted(tuple(b[0].tolist()) for b in e)
    got_t = sorted(tuple(b[0].tolist()) for b in t)
    assert got_e == got_t
