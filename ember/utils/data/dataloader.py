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
import queue
import weakref

from ..._dtype import int64
from ._collate import default_collate, default_convert
from ._worker import ExceptionWrapper, IterableStop, from_shared, worker_loop, _fetch_batch
from .dataset import IterableDataset
from .sampler import BatchSampler, RandomSampler, SequentialSampler

_POLL = 1.0  # seconds between liveness checks of workers while waiting


class _InfiniteConstantSampler:
    """For iterable datasets: a stream of 'give me the next item' tokens."""

    def __iter__(self):
        while True:
            yield None


class DataLoader:
    """Iterate over ``dataset`` in batches (PyTorch's arguments and their checks)."""

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
        self.persistent_workers, self.in_order = persistent_workers, in_order
        self._is_iterable = isinstance(dataset, IterableDataset)
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
        self._iterator = None

    @property
    def _auto_collation(self):
        return self.batch_sampler is not None

    @property
    def _index_sampler(self):
        return self.batch_sampler if self._auto_collation else self.sampler

    def __len__(self):
        if self._is_iterable:
            n = len(self.dataset)
            if self.batch_size is not None:
                return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
            return n
        return len(self._index_sampler)

    def __iter__(self):
        if self.num_workers == 0:
            return _SingleProcessIter(self)
        if self.persistent_workers:
            if self._iterator is None:
                self._iterator = _MultiProcessIter(self)
            else:
                self._iterator._reset(self)
            return self._iterator
        return _MultiProcessIter(self)


class _BaseIter:
    def __init__(self, loader):
        from ..._ops.creation import empty
        self._loader = loader
        self._dataset = loader.dataset
        self._auto_collation = loader._auto_collation
        self._drop_last = loader.drop_last
        self._collate_fn = loader.collate_fn
        self._sampler_iter = iter(loader._index_sampler)
        # PyTorch draws the workers' base seed here, after creating the sampler iterator
        self._base_seed = int(empty((), dtype=int64).random_(generator=loader.generator).item())
        self._num_yielded = 0

    def __iter__(self):
        return self

    def __len__(self):
        return len(self._loader)


class _SingleProcessIter(_BaseIter):
    def __init__(self, loader):
        super().__init__(loader)
        self._iterable = iter(self._dataset) if loader._is_iterable else None

    def __next__(self):
        index = next(self._sampler_iter)
        if self._iterable is not None:
            if self._auto_collation:
                items = list(itertools.islice(self._iterable, self._loader.batch_size))
                if not items or (self._drop_last and len(items) < self._loader.batch_size):
                    raise StopIteration
                data = self._collate_fn(items)
            else:
                data = self._collate_fn(next(self._iterable))
        elif self._auto_collation:
            data = _fetch_batch(self._dataset, index, self._collate_fn)
        else:
            data = self._collate_fn(self._dataset[index])
        self._num_yielded += 1
        return data


class _MultiProcessIter(_BaseIter):
    def __init__(self, loader):
        super().__init__(loader)
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
        self._send_idx = self._rcvd_idx = 0
        self._task_info = {}   # send_idx -> (worker_id,) while pending, (worker_id, data) once back
        self._worker_active = [True] * self._num_workers
        self._worker_cycle = itertools.cycle(range(self._num_workers))
        self._num_yielded = 0
        for _ in range(self._prefetch):
            self._try_put_index()

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

    def __next__(self):
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
        self._num_yielded += 1
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
        for info in self._task_info.values():
            if len(info) == 2 and not isinstance(info[1], (ExceptionWrapper, IterableStop)):
                from_shared(info[1])
        self._task_info = {}
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

