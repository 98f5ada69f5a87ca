"""``ember.metrics``: the torchmetrics counterpart (imported as ``torchmetrics`` by user code)."""
from .metric import (Metric, Accuracy, Precision, Recall, F1Score, ConfusionMatrix, AUROC,  # noqa: F401
                     MeanSquaredError, MeanAbsoluteError, R2Score)
from . import functional  # noqa: F401

from .._missing import module_getattr as _module_getattr  # noqa: E402
__getattr__ = _module_getattr("torchmetrics")
