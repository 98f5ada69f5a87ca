"""``ember.utils.data``: datasets, samplers, collation and the DataLoader."""
from .dataset import (Dataset, IterableDataset, TensorDataset, StackDataset, ConcatDataset, ChainDataset,  # noqa
                      Subset, random_split)
from .sampler import (Sampler, SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler,  # noqa
                      BatchSampler, DistributedSampler)
from ._collate import default_collate, default_convert  # noqa: F401
from ._worker import get_worker_info  # noqa: F401
from .dataloader import DataLoader, _DatasetKind  # noqa: F401
from . import _utils  # noqa: F401  (PyTorch's _utils.collate / _utils.worker, which user code imports)

from ..._missing import module_getattr as _module_getattr  # noqa: E402
__getattr__ = _module_getattr("torch.utils.data")
