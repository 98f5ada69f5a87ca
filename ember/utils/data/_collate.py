"""``default_collate``: turn a list of samples into one batch, recursively.

Tensors are stacked along a new first dim, NumPy arrays and numbers become tensors, strings
stay lists, and tuples, lists, dicts and namedtuples are collated field by field — the same
rules as PyTorch's."""
import collections.abc
import re

import numpy as np

from ..._tensor import Tensor

_np_str = re.compile(r"[SaUO]")


def default_convert(data):
    """Arrays and NumPy scalars to tensors (recursively), without batching."""
    if isinstance(data, Tensor):
        return data
    if isinstance(data, np.ndarray) and not _np_str.search(data.dtype.str):
        return Tensor._make(data)
    if isinstance(data, np.generic) and not _np_str.search(data.dtype.str):
        return Tensor._make(np.asarray(data))
    if isinstance(data, collections.abc.Mapping):
        return type(data)({k: default_convert(v) for k, v in data.items()}) if not isinstance(data, dict) \
            else {k: default_convert(v) for k, v in data.items()}
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        return [default_convert(d) for d in data]
    return data


def default_collate(batch):
    """Stack a list of samples into a batch (see the module docstring)."""
    elem = batch[0]
    if isinstance(elem, Tensor):
        first = batch[0]._data.shape
        for i, b in enumerate(batch):
            if b._data.shape != first:
                raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(first)} at entry 0 and "
                                   f"{list(b._data.shape)} at entry {i}")
        return Tensor._make(np.stack([b._data for b in batch]))
    if isinstance(elem, np.ndarray):
        if _np_str.search(elem.dtype.str):
            raise TypeError(f"default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
                            f"found {elem.dtype}")
        return Tensor._make(np.stack(batch))
    if isinstance(elem, np.generic):
        return Tensor._make(np.array(batch))
    if isinstance(elem, bool):
        return Tensor._make(np.array(batch, dtype=np.bool_))
    if isinstance(elem, float):
        return Tensor._make(np.array(batch, dtype=np.float64))
    if isinstance(elem, int):
        return Tensor._make(np.array(batch, dtype=np.int64))
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, collections.abc.Mapping):
        return {k: default_collate([d[k] for d in batch]) for k in elem} if isinstance(elem, dict) else \
            type(elem)({k: default_collate([d[k] for d in batch]) for k in elem})
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):
        return type(elem)(*(default_collate(s) for s in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        it = iter(batch)
        n = len(next(it))
        if not all(len(e) == n for e in it):
            raise RuntimeError("each element in list of batch should be of equal size")
        return [default_collate(s) for s in zip(*batch)]
    raise TypeError(f"default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found "
                    f"{type(elem)}")
