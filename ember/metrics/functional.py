"""Metric computations as plain functions (torchmetrics' ``functional`` API).

Classification metrics all start from the same four counts per class: true positives,
false positives, true negatives, false negatives. Accuracy, precision (tp / (tp + fp)),
recall (tp / (tp + fn)) and F1 (2 tp / (2 tp + fp + fn)) are ratios of them; 'micro'
averaging sums the counts over classes first, 'macro' averages the per-class ratios (over
classes that appear in predictions or targets), 'weighted' weights them by support.
"""
import numpy as np

from .._tensor import Tensor


def _arr(x):
    return x._data if isinstance(x, Tensor) else np.asarray(x)


def _out(value, dtype=np.float32):
    return Tensor._make(np.asarray(value, dtype=dtype))


def _sigmoid_if_logits(p):
    if p.dtype.kind == "f" and ((p < 0) | (p > 1)).any():
        return 1 / (1 + np.exp(-p))
    return p


def _binary_labels(preds, target, threshold, ignore_index):
    p, t = _arr(preds), _arr(target)
    if p.dtype.kind == "f":
        p = (_sigmoid_if_logits(p) > threshold).astype(np.int64)
    keep = np.ones(t.shape, bool) if ignore_index is None else t != ignore_index
    return p.astype(np.int64), t.astype(np.int64), keep


def _multiclass_labels(preds, target, num_classes, top_k, ignore_index):
    """Predicted class labels (or a top-k hit mask) and targets, flattened over extra dims."""
    p, t = _arr(preds), _arr(target).astype(np.int64)
    if p.dtype.kind == "f" and p.ndim == t.ndim + 1:
        p = np.moveaxis(p, 1, -1).reshape(-1, p.shape[1])
        t = t.reshape(-1)
        if top_k > 1:
            order = np.argsort(-p, axis=1, kind="stable")[:, :top_k]
            keep = np.ones(t.shape, bool) if ignore_index is None else t != ignore_index
            return order, t, keep
        p = p.argmax(1)
    else:
        p, t = p.reshape(-1).astype(np.int64), t.reshape(-1)
    keep = np.ones(t.shape, bool) if ignore_index is None else t != ignore_index
    return p, t, keep


def stat_scores(preds, target, task, num_classes=None, num_labels=None, threshold=0.5, top_k=1,
                ignore_index=None):
    """(tp, fp, tn, fn) arrays: one entry per class (multiclass/multilabel), or scalars."""
    if task == "binary":
        p, t, keep = _binary_labels(preds, target, threshold, ignore_index)
        p, t = p[keep], t[keep]
        return [np.sum((p == 1) & (t == 1)), np.sum((p == 1) & (t == 0)), np.sum((p == 0) & (t == 0)),
                np.sum((p == 0) & (t == 1))]
    if task == "multilabel":
        p, t = _arr(preds), _arr(target)
        if p.dtype.kind == "f":
            p = (_sigmoid_if_logits(p) > threshold)
        p = np.moveaxis(p, 1, -1).reshape(-1, num_labels).astype(np.int64)
        t = np.moveaxis(t, 1, -1).reshape(-1, num_labels).astype(np.int64)
        keep = np.ones(t.shape, bool) if ignore_index is None else t != ignore_index
        f = lambda c: np.sum(c & keep, axis=0)  # noqa: E731
        return [f((p == 1) & (t == 1)), f((p == 1) & (t == 0)), f((p == 0) & (t == 0)), f((p == 0) & (t == 1))]
    p, t, keep = _multiclass_labels(preds, target, num_classes, top_k, ignore_index)
    p, t = p[keep], t[keep]
    classes = np.arange(num_classes)
    if p.ndim == 2:  # top-k: the prediction counts as the target when the target is among the top k
        p = np.where((p == t[:, None]).any(1), t, p[:, 0])
    onehot_p, onehot_t = p[:, None] == classes, t[:, None] == classes
    tp = np.sum(onehot_p & onehot_t, axis=0)
    fp = np.sum(onehot_p & ~onehot_t, axis=0)
    fn = np.sum(~onehot_p & onehot_t, axis=0)
    tn = len(t) - tp - fp - fn
    return [tp, fp, tn, fn]


def _safe_div(a, b, zero=0.0):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return np.where(b == 0, zero, a / np.where(b == 0, 1, b))


def _reduce(score_fn, tp, fp, tn, fn, average, task, zero=0.0):
    if task == "binary":
        return _out(score_fn(tp, fp, tn, fn))
    if average == "micro":
        return _out(score_fn(tp.sum(), fp.sum(), tn.sum(), fn.sum()))
    scores = score_fn(tp, fp, tn, fn)
    if average in (None, "none"):
        return _out(scores)
    if average == "weighted":
        w = (tp + fn).astype(np.float64)
    else:
        w = ((tp + fp + fn) > 0).astype(np.float64) if task == "multiclass" else np.ones_like(scores)
    return _out(_safe_div((scores * w).sum(), w.sum()))


def _accuracy_fn(task):
    if task == "multiclass":
        return lambda tp, fp, tn, fn: _safe_div(tp, tp + fn)
    return lambda tp, fp, tn, fn: _safe_div(tp + tn, tp + tn + fp + fn)


def _check_task(task):
    if task not in ("binary", "multiclass", "multilabel"):
        raise ValueError(f"Expected argument `task` to either be `'binary'`, `'multiclass'` or `'multilabel'` but got "
                         f"{task}")


def accuracy(preds, target, task, threshold=0.5, num_classes=None, num_labels=None, average="micro", top_k=1,
             ignore_index=None, **kwargs):
    """Fraction of correct predictions (per class and averaged, for multiclass)."""
    _check_task(task)
    s = stat_scores(preds, target, task, num_classes, num_labels, threshold, top_k, ignore_index)
    return _reduce(_accuracy_fn(task), *s, average, task)


def precision(preds, target, task, threshold=0.5, num_classes=None, num_labels=None, average="micro", top_k=1,
              ignore_index=None, **kwargs):
    """tp / (tp + fp)."""
    _check_task(task)
    s = stat_scores(preds, target, task, num_classes, num_labels, threshold, top_k, ignore_index)
    return _reduce(lambda tp, fp, tn, fn: _safe_div(tp, tp + fp), *s, average, task)


def recall(preds, target, task, threshold=0.5, num_classes=None, num_labels=None, average="micro", top_k=1,
           ignore_index=None, **kwargs):
    """tp / (tp + fn)."""
    _check_task(task)
    s = stat_scores(preds, target, task, num_classes, num_labels, threshold, top_k, ignore_index)
    return _reduce(lambda tp, fp, tn, fn: _safe_div(tp, tp + fn), *s, average, task)


def f1_score(preds, target, task, threshold=0.5, num_classes=None, num_labels=None, average="micro", top_k=1,
             ignore_index=None, zero_division=0, **kwargs):
    """2 tp / (2 tp + fp + fn): the harmonic mean of precision and recall."""
    _check_task(task)
    s = stat_scores(preds, target, task, num_classes, num_labels, threshold, top_k, ignore_index)
    return _reduce(lambda tp, fp, tn, fn: _safe_div(2 * tp, 2 * tp + fp + fn, zero_division), *s, average, task)


def confusion_matrix(preds, target, task, threshold=0.5, num_classes=None, num_labels=None, normalize=None,
                     ignore_index=None, **kwargs):
    """counts[i, j] = samples of true class i predicted as j ((2, 2) per label for multilabel);
    ``normalize`` = 'true' | 'pred' | 'all' divides by row, column or total sums."""
    _check_task(task)
    if task == "multilabel":
        tp, fp, tn, fn = stat_scores(preds, target, task, num_classes, num_labels, threshold, 1, ignore_index)
        cm = np.stack([np.stack([tn, fp], -1), np.stack([fn, tp], -1)], -2)
    else:
        if task == "binary":
            p, t, keep = _binary_labels(preds, target, threshold, ignore_index)
            n = 2
            p, t = p.reshape(-1)[keep.reshape(-1)], t.reshape(-1)[keep.reshape(-1)]
        else:
            p, t, keep = _multiclass_labels(preds, target, num_classes, 1, ignore_index)
            p, t, n = p[keep], t[keep], num_classes
        cm = np.bincount(t * n + p, minlength=n * n).reshape(n, n)
    cm = cm.astype(np.int64)
    if normalize in (None, "none"):
        return _out(cm, np.int64)
    cm = cm.astype(np.float64)
    if normalize == "true":
        cm = _safe_div(cm, cm.sum(-1, keepdims=True))
    elif normalize == "pred":
        cm = _safe_div(cm, cm.sum(-2, keepdims=True))
    elif normalize == "all":
        cm = _safe_div(cm, cm.sum((-2, -1), keepdims=True))
    return _out(cm)


def _binary_auroc(scores, labels):
    """Area under the ROC curve, exactly: sort by score, accumulate TPR/FPR at every distinct
    threshold, integrate with the trapezoid rule."""
    order = np.argsort(-scores, kind="mergesort")
    s, y = scores[order], labels[order]
    distinct = np.r_[np.nonzero(np.diff(s))[0], len(s) - 1]
    tps = np.cumsum(y)[distinct]
    fps = (distinct + 1) - tps
    tps, fps = np.r_[0, tps], np.r_[0, fps]
    if tps[-1] == 0 or fps[-1] == 0:
        return 0.0
    tpr, fpr = tps / tps[-1], fps / fps[-1]
    return float(np.trapezoid(tpr, fpr) if hasattr(np, "trapezoid") else np.trapz(tpr, fpr))


def auroc(preds, target, task, thresholds=None, num_classes=None, num_labels=None, average="macro", max_fpr=None,
          ignore_index=None, **kwargs):
    """Area under the ROC curve; multiclass is one-vs-rest, averaged."""
    _check_task(task)
    if thresholds is not None or max_fpr is not None:
        raise NotImplementedError("torchmetrics AUROC with thresholds= or max_fpr= is not supported by ember")
    p, t = _arr(preds).astype(np.float64), _arr(target).astype(np.int64)
    if task == "binary":
        p, t = _sigmoid_if_logits(p).reshape(-1), t.reshape(-1)
        keep = np.ones(t.shape, bool) if ignore_index is None else t != ignore_index
        return _out(_binary_auroc(p[keep], t[keep]))
    if task == "multiclass":
        p = np.moveaxis(p, 1, -1).reshape(-1, num_classes)
        if ((p < 0) | (p > 1)).any():
            e = np.exp(p - p.max(1, keepdims=True))
            p = e / e.sum(1, keepdims=True)
        t = t.reshape(-1)
        keep = np.ones(t.shape, bool) if ignore_index is None else t != ignore_index
        p, t = p[keep], t[keep]
        per = np.array([_binary_auroc(p[:, c], (t == c).astype(np.int64)) for c in range(num_classes)])
        support = np.bincount(t, minlength=num_classes).astype(np.float64)
    else:
        p = _sigmoid_if_logits(np.moveaxis(p, 1, -1).reshape(-1, num_labels))
        t = np.moveaxis(t, 1, -1).reshape(-1, num_labels)
        per = np.array([_binary_auroc(p[:, c], t[:, c]) for c in range(num_labels)])
        support = t.sum(0).astype(np.float64)
    if average in (None, "none"):
        return _out(per)
    if average == "weighted":
        return _out(_safe_div((per * support).sum(), support.sum()))
    return _out(per.mean())


def mean_squared_error(preds, target, squared=True, num_outputs=1):
    d = _arr(preds).astype(np.float64) - _arr(target).astype(np.float64)
    mse = (d * d).mean(0) if num_outputs > 1 else (d * d).mean()
    return _out(mse if squared else np.sqrt(mse))


def mean_absolute_error(preds, target, num_outputs=1):
    d = np.abs(_arr(preds).astype(np.float64) - _arr(target).astype(np.float64))
    return _out(d.mean(0) if num_outputs > 1 else d.mean())


def r2_score(preds, target, adjusted=0, multioutput="uniform_average"):
    """1 - SS_res / SS_tot (per output, then averaged as ``multioutput`` says)."""
    p, t = _arr(preds).astype(np.float64), _arr(target).astype(np.float64)
    if p.shape[0] < 2:
        raise ValueError("Needs at least two samples to calculate r2 score.")
    ss_res = ((t - p) ** 2).sum(0)
    ss_tot = ((t - t.mean(0)) ** 2).sum(0)
    r2 = 1 - _safe_div(ss_res, ss_tot)
    if multioutput == "raw_values":
        out = r2
    elif multioutput == "variance_weighted":
        out = (ss_tot * r2).sum() / ss_tot.sum()
    else:
        out = np.mean(r2)
    if adjusted:
        n = p.shape[0]
        out = 1 - (1 - out) * (n - 1) / (n - adjusted - 1)
    return _out(out)
