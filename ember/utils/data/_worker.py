"""The DataLoader's worker processes.

Each worker gets its own index queue; it fetches the samples of each batch it is sent,
collates them, and puts the batch on the shared result queue. Arrays travel through shared
memory blocks (only their names and shapes go through the queue's pipe). An exception is
caught and sent back with its traceback, to be raised again in the main process.
"""
import queue
import random
import traceback
from dataclasses import dataclass
from multiprocessing import shared_memory, resource_tracker

import numpy as np

from ..._tensor import Tensor

_worker_info = None


@dataclass(frozen=True, slots=True)
class WorkerInfo:
    """What ``get_worker_info()`` returns inside a worker (PyTorch's fields, so its repr matches)."""

    id: int
    num_workers: int
    seed: int
    dataset: object
    rng: object = None
    worker_method: str = "multiprocessing"


def get_worker_info():
    """Information about the current worker process, or None in the main process."""
    return _worker_info


class ExceptionWrapper:
    """An exception raised in a worker, carried to the main process with its traceback."""

    def __init__(self, exc_info, where):
        self.exc_type = exc_info[0]
        self.exc_msg = "".join(traceback.format_exception(*exc_info))
        self.where = where

    def reraise(self):
        msg = f"Caught {self.exc_type.__name__} {self.where}.\nOriginal {self.exc_msg}"
        if self.exc_type is KeyError:
            msg = KeyErrorMessage(msg)
        try:
            exc = self.exc_type(msg)
        except Exception:
            raise RuntimeError(msg) from None
        raise exc


class KeyErrorMessage(str):
    """KeyError quotes its argument; this keeps the message readable."""

    def __repr__(self):
        return self


class IterableStop:
    """Sent by a worker whose iterable dataset is exhausted."""

    def __init__(self, worker_id):
        self.worker_id = worker_id


# --- moving arrays through shared memory ------------------------------------------------------------
class _Shared:
    __slots__ = ("name", "shape", "dtype", "requires_grad")


def to_shared(obj):
    """Replace every tensor in a (nested) batch by a handle to a shared-memory copy."""
    if isinstance(obj, Tensor):
        a = np.ascontiguousarray(obj._data)
        shm = shared_memory.SharedMemory(create=True, size=max(a.nbytes, 1))
        np.ndarray(a.shape, a.dtype, buffer=shm.buf)[...] = a
        # the main process owns the block from here on: it unlinks it after reading
        resource_tracker.unregister(shm._name, "shared_memory")
        h = _Shared()
        h.name, h.shape, h.dtype, h.requires_grad = shm.name, a.shape, a.dtype.str, obj._requires_grad
        shm.close()
        return h
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return type(obj)(*(to_shared(o) for o in obj))
    if isinstance(obj, (list, tuple)):
        return type(obj)(to_shared(o) for o in obj)
    if isinstance(obj, dict):
        return {k: to_shared(v) for k, v in obj.items()}
    return obj


def from_shared(obj):
    """Rebuild tensors from shared-memory handles (copying out, then freeing the blocks)."""
    if isinstance(obj, _Shared):
        shm = shared_memory.SharedMemory(name=obj.name)
        try:
            arr = np.ndarray(obj.shape, np.dtype(obj.dtype), buffer=shm.buf).copy()
        finally:
            shm.close()
            shm.unlink()
        t = Tensor._make(arr)
        if obj.requires_grad:
            t.requires_grad_(True)
        return t
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return type(obj)(*(from_shared(o) for o in obj))
    if isinstance(obj, (list, tuple)):
        return type(obj)(from_shared(o) for o in obj)
    if isinstance(obj, dict):
        return {k: from_shared(v) for k, v in obj.items()}
    return obj


def generate_numpy_seed(base_seed, worker_id):
    """PyTorch's seed for NumPy's global generator in a worker: a 4-word hash of
    (worker_id, base_seed) in the style of NumPy's SeedSequence."""
    mask = 0xFFFFFFFF
    mult_a, mult_b = 0x931E8875, 0x58F38DED
    mix_l, mix_r = 0xCA01F9DD, 0x4973F715
    const_a = [0x43B0D7E5]

    def hash_(value):
        value = (value ^ const_a[0]) & mask
        const_a[0] = (const_a[0] * mult_a) & mask
        value = (value * const_a[0]) & mask
        return (value ^ (value >> 16)) & mask

    def mix(x, y):
        r = ((mix_l * x) & mask) - ((mix_r * y) & mask)
        r &= mask
        return (r ^ (r >> 16)) & mask

    pool = [hash_(v) for v in (worker_id, base_seed & mask, base_seed >> 32, 0)]
    for src in range(4):
        for dst in range(4):
            if src != dst:
                pool[dst] = mix(pool[dst], hash_(pool[src]))
    const_b = 0x8B51F9DD
    state = []
    for v in pool:
        v = (v ^ const_b) & mask
        const_b = (const_b * mult_b) & mask
        v = (v * const_b) & mask
        state.append((v ^ (v >> 16)) & mask)
    return state


class ResumeIteration:
    """Sent to each persistent worker when a new epoch starts; the worker echoes it back
    once every task of the earlier epoch is answered, and restarts its iterable stream."""


def worker_loop(dataset, index_queue, result_queue, done_event, auto_collation, collate_fn, drop_last, base_seed,
                init_fn, worker_id, num_workers, is_iterable):
    """The body of a worker process (see the module docstring)."""
    global _worker_info
    import os
    import sys
    from ... import _random
    parent = os.getppid()
    from ..._threads import set_num_threads
    set_num_threads(1)  # as PyTorch's workers: one BLAS thread each, so workers don't oversubscribe
    seed = base_seed + worker_id
    random.seed(seed)
    _random.manual_seed(seed)
    np.random.seed(generate_numpy_seed(base_seed, worker_id))
    _worker_info = WorkerInfo(worker_id, num_workers, seed, dataset)
    init_error = None
    iterator = None
    try:
        if init_fn is not None:
            init_fn(worker_id)
        iterator = iter(dataset) if is_iterable else None
    except Exception:
        init_error = ExceptionWrapper(sys.exc_info(), f"in DataLoader worker process {worker_id}")
    exhausted = False  # this epoch's stream has ended: skip tasks until resumed
    ended = False      # the stream ran dry mid-batch: never ask the iterator again (PyTorch's fetcher)
    while True:
        try:
            task = index_queue.get(timeout=5.0)
        except queue.Empty:
            # stop when told to, or when the main process died without telling (PyTorch's watchdog)
            if done_event.is_set() or os.getppid() != parent:
                break
            continue
        if task is None:
            break
        if isinstance(task, ResumeIteration):
            result_queue.put((task, None))
            exhausted = ended = False
            try:
                iterator = iter(dataset) if is_iterable else None
            except Exception:
                init_error = ExceptionWrapper(sys.exc_info(), f"in DataLoader worker process {worker_id}")
            continue
        if done_event.is_set() or exhausted:
            continue
        send_idx, indices = task
        try:
            if init_error is not None:
                data, init_error = init_error, None
            elif is_iterable:
                items = []
                try:
                    if ended:
                        raise StopIteration
                    if auto_collation:
                        for _ in range(indices):
                            items.append(next(iterator))
                    else:
                        items = next(iterator)
                except StopIteration:
                    ended = True
                    if not auto_collation or not items or drop_last and len(items) < indices:
                        exhausted = True
                        result_queue.put((send_idx, IterableStop(worker_id)))
                        continue
                data = to_shared(collate_fn(items))
            else:
                if auto_collation:
                    data = to_shared(_fetch_batch(dataset, indices, collate_fn))
                else:
                    data = to_shared(collate_fn(dataset[indices]))
        except Exception:
            data = ExceptionWrapper(sys.exc_info(), f"in DataLoader worker process {worker_id}")
        result_queue.put((send_idx, data))
    result_queue.cancel_join_thread()


def _fetch_batch(dataset, indices, collate_fn):
    """One collated batch of a map-style dataset: one gather for a TensorDataset under the
    default collate, ``__getitems__`` when the dataset has it, else one sample at a time."""
    from ._collate import default_collate
    from .dataset import TensorDataset
    # the gather gives what stacking the samples gives only for TensorDataset's own
    # __getitem__, tensors without autograd and in-range int indices; otherwise (or on any
    # error, so the message is PyTorch's) fetch sample by sample as PyTorch does
    if (collate_fn is default_collate and isinstance(dataset, TensorDataset)
            and type(dataset).__getitem__ is TensorDataset.__getitem__
            and getattr(dataset, "__getitems__", None) is None):
        batch = dataset._gather_batch(indices)
        if batch is not None:
            return batch
    getitems = getattr(dataset, "__getitems__", None)
    if getitems:  # PyTorch's test: present and truthy
        return collate_fn(getitems(indices))
    return collate_fn([dataset[i] for i in indices])
