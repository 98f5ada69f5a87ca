"""``DataLoader``: batches from a dataset, in the main process or in worker processes.

With ``num_workers=0`` each batch is fetched and collated when asked for. With workers, up
to ``prefetch_factor`` batches per worker are requested ahead; batches come back out of
order and are handed out in order. The main process watches the workers: an exception in a
worker is raised again here with the worker's traceback, a worker that dies is reported,
``timeout`` bounds every wait, and the workers are always shut down (on exhaustion, on
``del``, on errors, at interpreter exit) so none is left behind.
"""
import atexit
import itertools
import multiprocessing
import os
import queue
import warnings
import weakref
from typing import Generic, TypeVar

from ..._dtype import int64
from ._collate import default_collate, default_convert
from ._worker import ExceptionWrapper, IterableStop, ResumeIteration, from_shared, worker_loop, _fetch_batch
from .dataset import IterableDataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

_POLL = 1.0  # seconds between liveness checks of workers while waiting
_T_co = TypeVar("_T_co", covariant=True)


class _DatasetKind:
    Map = 0
    Iterable = 1


class _InfiniteConstantSampler(Sampler):
    """For iterable datasets: a stream of 'give me the next item' tokens (no ``len``)."""

    def __iter__(self):
        while True:
            yield None


class DataLoader(Generic[_T_co]):
    """Iterate over ``dataset`` in batches (PyTorch's arguments and their checks)."""

    __initialized = False

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None, num_workers=0,
                 collate_fn=None, pin_memory=False, drop_last=False, timeout=0, worker_init_fn=None,
                 multiprocessing_context=None, generator=None, *, prefetch_factor=None, persistent_workers=False,
                 pin_memory_device="", in_order=True):
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to disable "
                             "multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 "
                             "to enable multiprocessing, otherwise set prefetch_factor to None.")
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        elif prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
        self.dataset, self.num_workers, self.prefetch_factor = dataset, num_workers, prefetch_factor
        self.pin_memory, self.pin_memory_device, self.timeout = pin_memory, pin_memory_device, timeout
        self.worker_init_fn, self.multiprocessing_context = worker_init_fn, multiprocessing_context
        self.in_order = in_order
        self._is_iterable = isinstance(dataset, IterableDataset)
        self._dataset_kind = _DatasetKind.Iterable if self._is_iterable else _DatasetKind.Map
        if self._is_iterable:
            if shuffle not in (None, False):
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified shuffle option, but got "
                                 f"shuffle={shuffle}")
            if sampler is not None:
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified sampler option, but got "
                                 f"sampler={sampler}")
            if batch_sampler is not None:
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified batch_sampler option, but "
                                 f"got batch_sampler={batch_sampler}")
        else:
            shuffle = bool(shuffle)
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and "
                                 "drop_last")
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually exclusive with drop_last")
        if sampler is None:
            if self._is_iterable:
                sampler = _InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.batch_size, self.drop_last = batch_size, drop_last
        self.sampler, self.batch_sampler, self.generator = sampler, batch_sampler, generator
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers
        self.__initialized = True  # from here on, __setattr__ guards the sampling attributes
        self._IterableDataset_len_called = None  # what len() reported, for the over-run warning
        self._iterator = None
        self.check_worker_number_rationality()

    @property
    def multiprocessing_context(self):
        return self.__multiprocessing_context

    @multiprocessing_context.setter
    def multiprocessing_context(self, multiprocessing_context):
        # PyTorch validates (and resolves a start-method name) whenever this is set
        if multiprocessing_context is not None:
            if self.num_workers > 0:
                if isinstance(multiprocessing_context, str):
                    valid_start_methods = multiprocessing.get_all_start_methods()
                    if multiprocessing_context not in valid_start_methods:
                        raise ValueError(f"multiprocessing_context option should specify a valid start method in "
                                         f"{valid_start_methods!r}, but got "
                                         f"multiprocessing_context={multiprocessing_context!r}")
                    multiprocessing_context = multiprocessing.get_context(multiprocessing_context)
                if not isinstance(multiprocessing_context, multiprocessing.context.BaseContext):
                    raise TypeError(f"multiprocessing_context option should be a valid context object or a string "
                                    f"specifying the start method, but got "
                                    f"multiprocessing_context={multiprocessing_context}")
            else:
                raise ValueError(f"multiprocessing_context can only be used with multi-process loading "
                                 f"(num_workers > 0), but got num_workers={self.num_workers}")
        self.__multiprocessing_context = multiprocessing_context

    def __setattr__(self, attr, val):
        # the samplers were built from these, so changing them later would be silently ignored
        if self.__initialized and attr in ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset",
                                           "persistent_workers"):
            raise ValueError(f"{attr} attribute should not be set after {self.__class__.__name__} is initialized")
        super().__setattr__(attr, val)

    def check_worker_number_rationality(self):
        """Warn (as PyTorch does) when more workers are asked for than this process may use CPUs."""
        if not self.num_workers:
            return
        cpuset_checked = hasattr(os, "sched_getaffinity")
        suggest = len(os.sched_getaffinity(0)) if cpuset_checked else os.cpu_count()
        if suggest is None or self.num_workers > suggest:
            if suggest is not None:
                detail = (f"Our suggested max number of worker in current system is {suggest}"
                          f"{'' if cpuset_checked else ' (`cpuset` is not taken into account)'}, which is smaller "
                          f"than what this DataLoader is going to create.")
            else:
                detail = "DataLoader is not able to compute a suggested max number of worker in current system."
            warnings.warn(f"This DataLoader will create {self.num_workers} worker processes in total. {detail} "
                          "Please be aware that excessive worker creation might get DataLoader running slow or even "
                          "freeze, lower the worker number to avoid potential slowness/freeze if necessary.",
                          stacklevel=2)

    @property
    def _auto_collation(self):
        return self.batch_sampler is not None

    @property
    def _index_sampler(self):
        return self.batch_sampler if self._auto_collation else self.sampler

    def __len__(self):
        if self._is_iterable:
            n = self._IterableDataset_len_called = len(self.dataset)
            if self.batch_size is not None:
                return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
            return n
        return len(self._index_sampler)

    def __iter__(self):
        if self.num_workers == 0:
            return _SingleProcessDataLoaderIter(self)
        self.check_worker_number_rationality()
        if self.persistent_workers:
            if self._iterator is None:
                self._iterator = _MultiProcessingDataLoaderIter(self)
            else:
                self._iterator._reset(self)
            return self._iterator
        return _MultiProcessingDataLoaderIter(self)


class _BaseDataLoaderIter:
    def __init__(self, loader):
        from ..._ops.creation import empty
        self._loader = loader
        self._dataset = loader.dataset
        self._auto_collation = loader._auto_collation
        self._drop_last = loader.drop_last
        self._collate_fn = loader.collate_fn
        self._index_sampler = loader._index_sampler
        self._num_workers = loader.num_workers
        self._IterableDataset_len_called = loader._IterableDataset_len_called
        if loader.pin_memory and loader.pin_memory_device:
            warnings.warn("pin_memory_device is deprecated, the current accelerator will be used as the device,"
                          f"ignore pin_memory_device='{loader.pin_memory_device}'.", stacklevel=2)
        if loader.pin_memory:
            # ember has no accelerator, so pinning is always a no-op, as on a CPU-only PyTorch
            warnings.warn("'pin_memory' argument is set as true but no accelerator is found, then device pinned "
                          "memory won't be used.", stacklevel=2)
        self._sampler_iter = iter(self._index_sampler)
        # PyTorch draws the workers' base seed here, after creating the sampler iterator
        self._base_seed = int(empty((), dtype=int64).random_(generator=loader.generator).item())
        self._num_yielded = 0

    def __iter__(self):
        return self

    def __len__(self):
        # the index sampler's length, as PyTorch: for an IterableDataset this raises TypeError
        return len(self._index_sampler)

    def __next__(self):
        data = self._next_data()
        self._num_yielded += 1
        if self._IterableDataset_len_called is not None and self._num_yielded > self._IterableDataset_len_called:
            msg = (f"Length of IterableDataset {self._dataset} was reported to be {self._IterableDataset_len_called}"
                   f"(when accessing len(dataloader)), but {self._num_yielded} samples have been fetched. ")
            if self._num_workers > 0:
                msg += ("For multiprocessing data-loading, this could be caused by not properly configuring the "
                        "IterableDataset replica at each worker. Please see "
                        "https://pytorch.org/docs/stable/data.html#torch.utils.data.IterableDataset for examples.")
            warnings.warn(msg, stacklevel=2)
        return data

    def __getstate__(self):
        raise NotImplementedError("{} cannot be pickled", self.__class__.__name__)


class _SingleProcessDataLoaderIter(_BaseDataLoaderIter):
    def __init__(self, loader):
        super().__init__(loader)
        if loader.timeout != 0:
            raise AssertionError("_SingleProcessDataLoaderIter requires timeout == 0")
        self._iterable = iter(self._dataset) if loader._is_iterable else None
        self._ended = False

    def _next_data(self):
        index = next(self._sampler_iter)
        if self._iterable is not None:
            # PyTorch's iterable fetcher: once the stream ran dry it is never asked again
            if self._ended:
                raise StopIteration
            if self._auto_collation:
                items = []
                for _ in index:
                    try:
                        items.append(next(self._iterable))
                    except StopIteration:
                        self._ended = True
                        break
                if not items or (self._drop_last and len(items) < len(index)):
                    raise StopIteration
                return self._collate_fn(items)
            return self._collate_fn(next(self._iterable))
        if self._auto_collation:
            return _fetch_batch(self._dataset, index, self._collate_fn)
        return self._collate_fn(self._dataset[index])


class _MultiProcessingDataLoaderIter(_BaseDataLoaderIter):
    def __init__(self, loader):
        super().__init__(loader)
        if loader.prefetch_factor <= 0:
            # with nothing prefetched no task would ever be sent: PyTorch refuses up front
            raise AssertionError("prefetch_factor must be greater than 0 for MultiProcessingDataLoaderIter")
        ctx = loader.multiprocessing_context
        if ctx is None:
            ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
        elif isinstance(ctx, str):
            ctx = multiprocessing.get_context(ctx)
        self._num_workers = loader.num_workers
        self._prefetch = loader.prefetch_factor * loader.num_workers
        self._timeout = loader.timeout
        self._result_queue = ctx.Queue()
        self._done_event = ctx.Event()
        self._index_queues, self._workers = [], []
        self._iterable_batch = loader.batch_size if loader._is_iterable and self._auto_collation else None
        for wid in range(self._num_workers):
            iq = ctx.Queue()
            iq.cancel_join_thread()
            w = ctx.Process(target=worker_loop, daemon=True,
                            args=(self._dataset, iq, self._result_queue, self._done_event, self._auto_collation,
                                  self._collate_fn, self._drop_last, self._base_seed, loader.worker_init_fn, wid,
                                  self._num_workers, loader._is_iterable))
            w.start()
            self._index_queues.append(iq)
            self._workers.append(w)
        self._shutdown = False
        _live_iterators.add(self)
        self._reset(loader, first=True)

    def _reset(self, loader, first=False):
        if not first:
            self._sampler_iter = iter(loader._index_sampler)
            self._IterableDataset_len_called = loader._IterableDataset_len_called
            # a new epoch on persistent workers: each worker answers a resume marker after all
            # its earlier tasks, so results of an interrupted epoch are dropped here, not mixed
            # into this one (their send indices restart at 0), and iterable streams restart
            for iq in self._index_queues:
                iq.put(ResumeIteration())
            pending = self._num_workers
            while pending:
                idx, data = self._get_result()
                if isinstance(idx, ResumeIteration):
                    pending -= 1
                elif not isinstance(data, (ExceptionWrapper, IterableStop)):
                    from_shared(data)  # frees its shared memory
            self._task_info_free()
        self._send_idx = self._rcvd_idx = 0
        self._task_info = {}   # send_idx -> (worker_id,) while pending, (worker_id, data) once back
        self._worker_active = [True] * self._num_workers
        self._worker_cycle = itertools.cycle(range(self._num_workers))
        self._num_yielded = 0
        for _ in range(self._prefetch):
            self._try_put_index()

    def _task_info_free(self):
        """Free the shared memory of batches that arrived but were never handed out."""
        for info in getattr(self, "_task_info", {}).values():
            if len(info) == 2 and not isinstance(info[1], (ExceptionWrapper, IterableStop)):
                from_shared(info[1])
        self._task_info = {}

    def _try_put_index(self):
        try:
            index = next(self._sampler_iter)
        except StopIteration:
            return
        for _ in range(self._num_workers):
            wid = next(self._worker_cycle)
            if self._worker_active[wid]:
                break
        else:
            return
        task = self._iterable_batch if self._iterable_batch is not None else index
        self._index_queues[wid].put((self._send_idx, task))
        self._task_info[self._send_idx] = (wid,)
        self._send_idx += 1

    def _get_result(self):
        """The next (send_idx, data) from the workers, watching for deaths and the timeout."""
        waited = 0.0
        while True:
            wait = _POLL if not self._timeout else min(_POLL, self._timeout - waited)
            try:
                return self._result_queue.get(timeout=max(wait, 0.01))
            except queue.Empty:
                waited += wait
                dead = [w.pid for w in self._workers if not w.is_alive()]
                if dead:
                    self._shutdown_workers()
                    raise RuntimeError(f"DataLoader worker (pid(s) {', '.join(map(str, dead))}) exited unexpectedly")
                if self._timeout and waited >= self._timeout:
                    self._shutdown_workers()
                    raise RuntimeError(f"DataLoader timed out after {self._timeout} seconds")

    def _next_data(self):
        while True:
            while self._rcvd_idx < self._send_idx:
                info = self._task_info[self._rcvd_idx]
                if len(info) == 2 or self._worker_active[info[0]]:
                    break
                del self._task_info[self._rcvd_idx]  # its worker finished its stream
                self._rcvd_idx += 1
            else:
                if not self._loader.persistent_workers:
                    self._shutdown_workers()
                raise StopIteration
            info = self._task_info[self._rcvd_idx]
            if len(info) == 2:
                del self._task_info[self._rcvd_idx]
                self._rcvd_idx += 1
                return self._process(info[1])
            idx, data = self._get_result()
            if isinstance(data, IterableStop):
                # this worker's stream has ended: its pending tasks are skipped above
                self._worker_active[data.worker_id] = False
                continue
            if idx != self._rcvd_idx:
                self._task_info[idx] += (data,)
                continue
            del self._task_info[idx]
            self._rcvd_idx += 1
            return self._process(data)

    def _process(self, data):
        self._try_put_index()
        if isinstance(data, ExceptionWrapper):
            self._shutdown_workers()
            data.reraise()
        return from_shared(data)

    def _shutdown_workers(self):
        if self._shutdown:
            return
        self._shutdown = True
        self._done_event.set()
        for q in self._index_queues:
            try:
                q.put(None)
            except (OSError, ValueError):
                pass
        for w in self._workers:
            w.join(timeout=5.0)
            if w.is_alive():
                w.terminate()
                w.join(timeout=1.0)
        # free shared memory of batches that were produced but never consumed
        while True:
            try:
                _, data = self._result_queue.get_nowait()
            except (queue.Empty, OSError, ValueError, EOFError):
                break
            if not isinstance(data, (ExceptionWrapper, IterableStop)):
                try:
                    from_shared(data)
                except FileNotFoundError:
                    pass
        self._task_info_free()
        self._result_queue.cancel_join_thread()
        self._result_queue.close()
        _live_iterators.discard(self)

    def __del__(self):
        try:
            self._shutdown_workers()
        except Exception:
            pass


_live_iterators = weakref.WeakSet()


@atexit.register
def _shutdown_all():
    """Interpreter exit: stop every worker still running."""
    for it in list(_live_iterators):
        it._shutdown_workers()

