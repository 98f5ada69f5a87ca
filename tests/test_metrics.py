"""ember.metrics against torchmetrics on the same predictions."""
import numpy as np
import pytest
import torch

import ember
import oracles

tm = oracles.torchmetrics()
rng = np.random.default_rng(0)
N, C, L = 40, 4, 3
BIN_P = rng.uniform(0, 1, N).astype(np.float32)
BIN_LOGIT = rng.standard_normal(N).astype(np.float32)
BIN_T = rng.integers(0, 2, N)
MC_P = rng.standard_normal((N, C)).astype(np.float32)
MC_LABELS = rng.integers(0, C, N)
MC_T = rng.integers(0, C, N)
ML_P = rng.uniform(0, 1, (N, L)).astype(np.float32)
ML_T = rng.integers(0, 2, (N, L))

CASES = [
    ("binary", dict(), BIN_P, BIN_T), ("binary", dict(threshold=0.3), BIN_P, BIN_T),
    ("binary", dict(), BIN_LOGIT, BIN_T),
    ("multiclass", dict(num_classes=C), MC_P, MC_T), ("multiclass", dict(num_classes=C), MC_LABELS, MC_T),
    ("multiclass", dict(num_classes=C, average="macro"), MC_P, MC_T),
    ("multiclass", dict(num_classes=C, average="weighted"), MC_P, MC_T),
    ("multiclass", dict(num_classes=C, average="none"), MC_P, MC_T),
    ("multiclass", dict(num_classes=C, top_k=2), MC_P, MC_T),
    ("multiclass", dict(num_classes=C, average="macro", ignore_index=0), MC_P, MC_T),
    ("multilabel", dict(num_labels=L), ML_P, ML_T), ("multilabel", dict(num_labels=L, average="macro"), ML_P, ML_T),
    ("multilabel", dict(num_labels=L, average="none"), ML_P, ML_T),
]


def compare(e, t):
    np.testing.assert_allclose(e.numpy(), t.numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["Accuracy", "Precision", "Recall", "F1Score"])
@pytest.mark.parametrize("case", range(len(CASES)))
def test_classification_metrics_match_torchmetrics(name, case):
    task, kw, p, t = CASES[case]
    me, mt = getattr(ember.metrics, name)(task=task, **kw), getattr(tm, name)(task=task, **kw)
    half = N // 2
    be = me(ember.tensor(p[:half]), ember.tensor(t[:half]))
    bt = mt(torch.tensor(p[:half]), torch.tensor(t[:half]))
    compare(be, bt)
    me.update(ember.tensor(p[half:]), ember.tensor(t[half:]))
    mt.update(torch.tensor(p[half:]), torch.tensor(t[half:]))
    compare(me.compute(), mt.compute())
    fe = getattr(ember.metrics.functional, {"F1Score": "f1_score"}.get(name, name.lower()))
    compare(fe(ember.tensor(p), ember.tensor(t), task=task, **kw), mt.compute())
    me.reset()
    with pytest.raises(RuntimeError):
        me.compute()


@pytest.mark.parametrize("normalize", [None, "true", "pred", "all"])
@pytest.mark.parametrize("case", [0, 3, 4, 10])
def test_confusion_matrix_matches_torchmetrics(case, normalize):
    task, kw, p, t = CASES[case]
    kw = {k: v for k, v in kw.items() if k in ("num_classes", "num_labels", "threshold")}
    e = ember.metrics.ConfusionMatrix(task=task, normalize=normalize, **kw)(ember.tensor(p), ember.tensor(t))
    r = tm.ConfusionMatrix(task=task, normalize=normalize, **kw)(torch.tensor(p), torch.tensor(t))
    assert str(e.dtype) == str(r.dtype)
    compare(e, r)


@pytest.mark.parametrize("case,average", [(0, "macro"), (2, "macro"), (3, "macro"), (3, "weighted"), (3, "none"),
                                          (10, "macro"), (10, "none")])
def test_auroc_matches_torchmetrics(case, average):
    task, kw, p, t = CASES[case]
    kw = {k: v for k, v in kw.items() if k in ("num_classes", "num_labels")}
    e = ember.metrics.AUROC(task=task, average=average, **kw)(ember.tensor(p), ember.tensor(t))
    r = tm.AUROC(task=task, average=average, **kw)(torch.tensor(p), torch.tensor(t))
    compare(e, r)


def test_regression_metrics_match_torchmetrics():
    p = rng.standard_normal(30).astype(np.float32)
    t = (p + rng.standard_normal(30) * 0.5).astype(np.float32)
    for name, kw in [("MeanSquaredError", {}), ("MeanSquaredError", dict(squared=False)), ("MeanAbsoluteError", {}),
                     ("R2Score", {}), ("R2Score", dict(adjusted=2))]:
        me, mt = getattr(ember.metrics, name)(**kw), getattr(tm, name)(**kw)
        me.update(ember.tensor(p[:15]), ember.tensor(t[:15]))
        mt.update(torch.tensor(p[:15]), torch.tensor(t[:15]))
        me.update(ember.tensor(p[15:]), ember.tensor(t[15:]))
        mt.update(torch.tensor(p[15:]), torch.tensor(t[15:]))
        compare(me.compute(), mt.compute())


def test_task_argument_errors_match_torchmetrics():
    with pytest.raises(ValueError):
        tm.Accuracy(task="multiclass")
    with pytest.raises(ValueError):
        ember.metrics.Accuracy(task="multiclass")
    with pytest.raises(ValueError):
        ember.metrics.Accuracy(task="nope")
