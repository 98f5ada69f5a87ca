"""``ember train``: steps 2-6 of a run, the loop and what it leaves in the run folder.

Each epoch trains on shuffled mini-batches, evaluates on the validation split, steps the
scheduler, and writes ``last.pt`` (model, optimizer, scheduler, progress, and the random
generator's state) — and ``best.pt`` when the validation loss is the lowest so far. A run
restarted with ``--resume`` reloads all of that, so training 4 epochs and training 2 then
resuming for 2 more give bit-identical parameters: the shuffling and dropout of epochs 3-4
draw from the very generator state that epoch 2 left behind.

Early stopping (``--patience p``) ends the run after p epochs without a lower validation
loss. A loss that is not finite ends it at once with exit status 2, before anything of that
epoch is written, so the checkpoints of the earlier epochs survive. At the end the best
epoch's weights are evaluated on the test split and saved as ``model.pt``.
"""
import json
import math
import os
import sys

import numpy as np

from . import CLIError
from .config import resolve
from .data import load_data
from .models import build_model

_LOSSES = {"cross-entropy": "CrossEntropyLoss", "mse": "MSELoss", "l1": "L1Loss", "huber": "HuberLoss",
           "smooth-l1": "SmoothL1Loss"}


def _loss(config, task):
    import ember
    name = config["loss"]
    if name == "auto":
        name = "cross-entropy" if task == "classify" else "mse"
    if (name == "cross-entropy") != (task == "classify"):
        raise CLIError(f"--loss {name} does not fit a {'classification' if task == 'classify' else 'regression'} "
                       f"task (use cross-entropy to classify, mse, l1, huber or smooth-l1 to regress)")
    return getattr(ember.nn, _LOSSES[name])()


def _optimizer(config, model):
    from ember import optim
    lr, wd, momentum = config["lr"], config["weight_decay"], config["momentum"]
    params = model.parameters()
    if config["optimizer"] == "sgd":
        return optim.SGD(params, lr=lr, momentum=momentum, weight_decay=wd)
    if config["optimizer"] == "rmsprop":
        return optim.RMSprop(params, lr=lr, momentum=momentum, weight_decay=wd)
    return {"adam": optim.Adam, "adamw": optim.AdamW}[config["optimizer"]](params, lr=lr, weight_decay=wd)


def _scheduler(config, optimizer):
    """step: lr x0.1 every third of the epochs; cosine: to 0 over the epochs; plateau: x0.1
    after 2 epochs without a lower validation loss."""
    from ember.optim import lr_scheduler
    epochs = config["epochs"]
    return {"none": lambda: None,
            "step": lambda: lr_scheduler.StepLR(optimizer, step_size=max(1, epochs // 3), gamma=0.1),
            "cosine": lambda: lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs),
            "plateau": lambda: lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.1, patience=2)}[config["scheduler"]]()


def _penalty(model, l1, l2):
    """l1 * sum|w| + l2 * sum w^2 over the weights (parameters of 2 or more dimensions: not
    biases or normalisation scales, which regularising would only distort)."""
    weights = [p for p in model.parameters() if p.dim() > 1]
    total = 0.0
    if l1:
        total = total + l1 * sum(w.abs().sum() for w in weights)
    if l2:
        total = total + l2 * sum((w * w).sum() for w in weights)
    return total


def forward_all(model, loader, loss_fn=None):
    """(outputs as one array, mean of the per-batch losses or None) of ``model`` in eval mode."""
    import ember
    model.eval()
    outputs, losses = [], []
    with ember.no_grad():
        for x, *y in loader:
            out = model(x)
            outputs.append(out.numpy())
            if loss_fn is not None:
                losses.append(loss_fn(out, y[0]).item())
    return np.concatenate(outputs), (sum(losses) / len(losses) if losses else None)


def _evaluate(model, loader, loss_fn, spec):
    """{'loss', 'accuracy'} or {'loss', 'rmse'} (in the target's units), and the predictions."""
    outputs, loss = forward_all(model, loader, loss_fn)
    targets = loader.dataset.tensors[1].numpy()
    if spec["task"] == "classify":
        preds = outputs.argmax(1)
        return {"loss": loss, "accuracy": float((preds == targets).mean())}, preds
    scale = spec["table"]["target_scale"]
    return {"loss": loss, "rmse": float(np.sqrt(np.mean((outputs - targets) ** 2)) * scale)}, outputs


def _loader(split, shuffle, config):
    import ember
    from ember.utils.data import DataLoader, TensorDataset
    x, y = split
    return DataLoader(TensorDataset(ember.from_numpy(x), ember.from_numpy(y)), batch_size=config["batch_size"],
                      shuffle=shuffle, num_workers=config["workers"])


def _train_epoch(model, loader, loss_fn, optimizer, config, epoch, log):
    """One pass over the training split; the mean loss per sample (without penalties)."""
    from tqdm import tqdm
    model.train()
    size, total = len(loader.dataset), 0.0
    with tqdm(loader, desc=f"epoch {epoch}", file=sys.stderr, leave=False,
              disable=log.quiet or not sys.stderr.isatty()) as bar:
        for batch, (x, y) in enumerate(bar):
            with np.errstate(over="ignore", invalid="ignore"):  # a diverging loss is reported below, once
                loss = loss_fn(model(x), y)
            value = loss.item()
            if not math.isfinite(value):
                raise CLIError(f"the loss is {value} at epoch {epoch}, batch {batch + 1}: training diverged "
                               f"(try a lower --lr); the checkpoints of earlier epochs are kept")
            if config["l1"] or config["l2"]:
                loss = loss + _penalty(model, config["l1"], config["l2"])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += value * len(x)
            if batch % 100 == 0:
                log.batch(f"loss: {value:>7f}  [{batch * config['batch_size'] + len(x):>5d}/{size:>5d}]")
    return total / size


class _Log:
    """What the run prints: the Quickstart tutorial's lines, or one line per epoch."""

    def __init__(self, style, quiet, epochs):
        self.style, self.quiet, self.epochs = style, quiet, epochs

    def info(self, line):
        if not self.quiet:
            print(line)

    def batch(self, line):
        if self.style == "tutorial" and not self.quiet:
            from tqdm import tqdm
            tqdm.write(line, file=sys.stdout)  # above the progress bar, if one is showing

    def epoch_start(self, epoch):
        if self.style == "tutorial":
            print(f"Epoch {epoch}\n-------------------------------")

    def epoch_end(self, epoch, train_loss, val):
        if self.style == "tutorial":
            score = (f"Accuracy: {100 * val['accuracy']:>0.1f}%" if "accuracy" in val
                     else f"RMSE: {val['rmse']:>8f}")
            print(f"Test Error: \n {score}, Avg loss: {val['loss']:>8f} \n")
        else:
            score = f"accuracy {100 * val['accuracy']:.1f}%" if "accuracy" in val else f"rmse {val['rmse']:.6f}"
            print(f"epoch {epoch}/{self.epochs}  train loss {train_loss:.6f}  validation loss {val['loss']:.6f}  "
                  f"validation {score}")


def _fresh_progress():
    return {"epoch": 0, "best_loss": math.inf, "best_epoch": 0, "bad_epochs": 0,
            "history": {"epoch": [], "train_loss": [], "val_loss": [], "val_metric": []}}


def train(args):
    import ember
    config = resolve(args)
    last = os.path.join(config["out"], "last.pt")
    checkpoint = None
    if args.resume:
        if not os.path.isfile(last):
            raise CLIError(f"nothing to resume: {last} does not exist")
        checkpoint = ember.load(last)
        config = resolve(args, checkpoint["config"])
    log = _Log(config["log"], args.quiet, config["epochs"])
    splits, spec = load_data(config, log.info)
    spec.update({k: config[k] for k in ("model", "hidden", "batch_norm", "dropout", "precision")})

    ember.manual_seed(config["seed"])
    model = build_model(spec, ember.nn).to(getattr(ember, config["precision"]))
    loss_fn = _loss(config, spec["task"])
    optimizer = _optimizer(config, model)
    scheduler = _scheduler(config, optimizer)
    progress = _fresh_progress()
    if checkpoint is not None:
        model.load_state_dict(checkpoint["model"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        if scheduler is not None:
            scheduler.load_state_dict(checkpoint["scheduler"])
        progress = checkpoint["progress"]
        ember.set_rng_state(checkpoint["rng_state"])  # last: building the model drew from it

    train_loader, val_loader = _loader(splits["train"], True, config), _loader(splits["val"], False, config)
    # the tutorial's per-epoch "Test Error" lines report the test split, as its test loop
    # does; choosing the best epoch and early stopping look at the validation split only
    shown_loader = _loader(splits["test"], False, config) if config["log"] == "tutorial" else val_loader
    metric = "accuracy" if spec["task"] == "classify" else "rmse"
    history, patience = progress["history"], config["patience"]
    for epoch in range(progress["epoch"] + 1, config["epochs"] + 1):
        if patience and progress["bad_epochs"] >= patience:
            log.info(f"early stopping: no lower validation loss in {patience} epochs "
                     f"(best: epoch {progress['best_epoch']})")
            break
        log.epoch_start(epoch)
        train_loss = _train_epoch(model, train_loader, loss_fn, optimizer, config, epoch, log)
        val, _ = _evaluate(model, val_loader, loss_fn, spec)
        log.epoch_end(epoch, train_loss, val if shown_loader is val_loader else
                      _evaluate(model, shown_loader, loss_fn, spec)[0])
        if isinstance(scheduler, ember.optim.lr_scheduler.ReduceLROnPlateau):
            scheduler.step(val["loss"])
        elif scheduler is not None:
            scheduler.step()
        for key, value in zip(history, (epoch, train_loss, val["loss"], val[metric])):
            history[key].append(value)
        improved = val["loss"] < progress["best_loss"]
        progress.update(epoch=epoch, bad_epochs=0 if improved else progress["bad_epochs"] + 1)
        if improved:
            progress.update(best_loss=val["loss"], best_epoch=epoch)
        _save_checkpoints(config, spec, model, optimizer, scheduler, progress, improved)
    log.info("Done!")
    _finish(model, spec, splits, loss_fn, config, progress, log)


def _save_checkpoints(config, spec, model, optimizer, scheduler, progress, improved):
    """last.pt (and best.pt if ``improved``): everything --resume needs to go on as if
    uninterrupted, the generator's state included. config.json is written with them, never
    before the first one, so that a run that fails early leaves an older run folder as it was."""
    import ember
    out = config["out"]
    state = {"config": config, "spec": spec, "model": model.state_dict(), "optimizer": optimizer.state_dict(),
             "scheduler": None if scheduler is None else scheduler.state_dict(), "progress": progress,
             "rng_state": ember.get_rng_state()}
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    ember.save(state, os.path.join(out, "last.pt"))
    if improved:
        ember.save(state, os.path.join(out, "best.pt"))


def _finish(model, spec, splits, loss_fn, config, progress, log):
    """Evaluate the best epoch's weights on the test split; write model.pt, metrics.json, PNGs."""
    import ember
    from . import plots
    out = config["out"]
    model.load_state_dict(ember.load(os.path.join(out, "best.pt"))["model"])
    ember.save({"state_dict": model.state_dict(), "spec": spec}, os.path.join(out, "model.pt"))
    history = progress["history"]
    metric = "accuracy" if spec["task"] == "classify" else "rmse"
    metrics = {"task": spec["task"], "epochs": progress["epoch"], "best_epoch": progress["best_epoch"],
               "history": {"epoch": history["epoch"], "train_loss": history["train_loss"],
                           "val_loss": history["val_loss"], f"val_{metric}": history["val_metric"]}}
    plots.save_curve(os.path.join(out, "loss.png"), history["epoch"],
                     {"train": history["train_loss"], "validation": history["val_loss"]}, "loss")
    plots.save_curve(os.path.join(out, f"{metric}.png"), history["epoch"], {"validation": history["val_metric"]},
                     metric)
    if len(splits["test"][0]):
        test, preds = _evaluate(model, _loader(splits["test"], False, config), loss_fn, spec)
        metrics["test"] = test
        if spec["task"] == "classify":
            from ember.metrics.functional import confusion_matrix
            counts = confusion_matrix(ember.from_numpy(preds), ember.from_numpy(splits["test"][1]), "multiclass",
                                      num_classes=spec["num_outputs"]).tolist()
            metrics["confusion_matrix"] = counts
            plots.save_confusion_matrix(os.path.join(out, "confusion_matrix.png"), counts, spec["classes"])
        score = f"accuracy {100 * test['accuracy']:.1f}%" if metric == "accuracy" else f"rmse {test['rmse']:.6f}"
        log.info(f"test ({len(splits['test'][0])} samples, best epoch {progress['best_epoch']}): "
                 f"loss {test['loss']:.6f}, {score}")
    with open(os.path.join(out, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=2)
    print(f"Saved PyTorch Model State to {os.path.join(out, 'model.pt')}")
