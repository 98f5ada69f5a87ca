"""``ember.metrics``: the torchmetrics counterpart (imported as ``torchmetrics`` by user code)."""
from .metric import (Metric, Accuracy, Precision, Recall, F1Score, ConfusionMatrix, AUROC,  # noqa: F401
                     MeanSquaredError, MeanAbsoluteError, R2Score)
from . import functional  # noqa: F401
