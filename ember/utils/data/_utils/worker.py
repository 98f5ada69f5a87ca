"""PyTorch's ``torch.utils.data._utils.worker``: the implementation lives in ``.._worker``."""
from .._worker import WorkerInfo, get_worker_info  # noqa: F401
