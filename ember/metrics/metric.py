"""The metric objects: ``update`` accumulates, ``compute`` reports, ``reset`` clears, and
calling the metric does both an update and a report for that batch alone (torchmetrics'
``forward``)."""
import numpy as np

from . import functional as F


class Metric:
    """Base class: subclasses keep lists of the batches seen and compute over all of them."""

    def __init__(self, **kwargs):
        self._preds, self._target = [], []

    def update(self, preds, target):
        self._preds.append(np.array(F._arr(preds)))
        self._target.append(np.array(F._arr(target)))

    def compute(self):
        if not self._preds:
            raise RuntimeError(f"The ``compute`` method of metric {type(self).__name__} was called before the "
                               "``update`` method which may lead to errors, as metric states have not yet been "
                               "updated.")
        return self._fn(np.concatenate(self._preds), np.concatenate(self._target))

    def reset(self):
        self._preds, self._target = [], []

    def forward(self, preds, target):
        self.update(preds, target)
        return self._fn(np.array(F._arr(preds)), np.array(F._arr(target)))

    __call__ = forward

    def to(self, *args, **kwargs):
        return self

    def __repr__(self):
        return f"{type(self).__name__}()"


def _task_metric(name, fn, default_average="micro"):
    def __init__(self, task, threshold=0.5, num_classes=None, num_labels=None, average=default_average,
                 multidim_average="global", top_k=1, ignore_index=None, validate_args=True, **kwargs):
        F._check_task(task)
        if task == "multiclass" and not isinstance(num_classes, int):
            raise ValueError(f"Optional arg `num_classes` must be type `int` when task is {task}. Got "
                             f"{type(num_classes)}")
        if task == "multilabel" and not isinstance(num_labels, int):
            raise ValueError(f"Optional arg `num_labels` must be type `int` when task is {task}. Got "
                             f"{type(num_labels)}")
        Metric.__init__(self)
        self.task, self.threshold, self.num_classes, self.num_labels = task, threshold, num_classes, num_labels
        self.average, self.top_k, self.ignore_index, self.extra = average, top_k, ignore_index, kwargs

    def _fn(self, preds, target):
        return fn(preds, target, self.task, threshold=self.threshold, num_classes=self.num_classes,
                  num_labels=self.num_labels, average=self.average, top_k=self.top_k, ignore_index=self.ignore_index,
                  **self.extra)

    return type(name, (Metric,), {"__init__": __init__, "_fn": _fn, "__doc__": fn.__doc__,
                                  "__module__": __name__})


Accuracy = _task_metric("Accuracy", F.accuracy)
Precision = _task_metric("Precision", F.precision)
Recall = _task_metric("Recall", F.recall)
F1Score = _task_metric("F1Score", F.f1_score)


class ConfusionMatrix(Metric):
    """Counts of (true class, predicted class) pairs, optionally normalised."""

    def __init__(self, task, threshold=0.5, num_classes=None, num_labels=None, normalize=None, ignore_index=None,
                 validate_args=True, **kwargs):
        F._check_task(task)
        super().__init__()
        self.task, self.threshold, self.num_classes, self.num_labels = task, threshold, num_classes, num_labels
        self.normalize, self.ignore_index = normalize, ignore_index

    def _fn(self, preds, target):
        return F.confusion_matrix(preds, target, self.task, self.threshold, self.num_classes, self.num_labels,
                                  self.normalize, self.ignore_index)


class AUROC(Metric):
    """Area under the ROC curve (one-vs-rest for multiclass)."""

    def __init__(self, task, thresholds=None, num_classes=None, num_labels=None, average="macro", max_fpr=None,
                 ignore_index=None, validate_args=True, **kwargs):
        F._check_task(task)
        super().__init__()
        self.task, self.thresholds, self.num_classes, self.num_labels = task, thresholds, num_classes, num_labels
        self.average, self.max_fpr, self.ignore_index = average, max_fpr, ignore_index

    def _fn(self, preds, target):
        return F.auroc(preds, target, self.task, self.thresholds, self.num_classes, self.num_labels, self.average,
                       self.max_fpr, self.ignore_index)


class MeanSquaredError(Metric):
    def __init__(self, squared=True, num_outputs=1, **kwargs):
        super().__init__()
        self.squared, self.num_outputs = squared, num_outputs

    def _fn(self, preds, target):
        return F.mean_squared_error(preds, target, self.squared, self.num_outputs)


class MeanAbsoluteError(Metric):
    def __init__(self, num_outputs=1, **kwargs):
        super().__init__()
        self.num_outputs = num_outputs

    def _fn(self, preds, target):
        return F.mean_absolute_error(preds, target, self.num_outputs)


class R2Score(Metric):
    def __init__(self, num_outputs=1, adjusted=0, multioutput="uniform_average", **kwargs):
        super().__init__()
        self.adjusted, self.multioutput = adjusted, multioutput

    def _fn(self, preds, target):
        return F.r2_score(preds, target, self.adjusted, self.multioutput)
