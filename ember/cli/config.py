"""The hyperparameters of a run: argparse flags over a YAML/JSON config file over defaults.

Precedence, lowest first: ``DEFAULTS`` (PyTorch's Quickstart tutorial on the embedded
digits, so that a bare ``ember train`` is that tutorial), then the ``--config`` file, then
the flags actually typed. On ``--resume`` the run's saved configuration takes the place of
the defaults, and only ``RESUMABLE`` options may then differ from it (typically ``--epochs``):
a resumed run continues the same run, it does not quietly become another one.

Every flag is declared with ``default=SUPPRESS``: the parsed namespace then holds only what
the user typed, which is what lets flags override the file rather than the reverse.
"""
import argparse
import json
import os

from . import CLIError


def _floats(text):
    """'0.7,0.15,0.15' (or a YAML list) -> [0.7, 0.15, 0.15]."""
    return [float(v) for v in (text.split(",") if isinstance(text, str) else text)]


def _ints(text):
    """'128,64' (or a YAML list) -> [128, 64]; '' -> [] (no hidden layer)."""
    if isinstance(text, int):
        return [text]
    return [int(v) for v in (text.split(",") if isinstance(text, str) else text) if str(v).strip()]


def _names(text):
    """'a,b,c' (or a YAML list) -> ['a', 'b', 'c']."""
    return [v.strip() for v in (text.split(",") if isinstance(text, str) else text)]


# name: (default, type or None, choices or None, help). The defaults are the Quickstart
# tutorial's, except lr: 1e-3 needs many epochs on digits' 1,500 images, 0.1 gets past 90%
# in 10 epochs (docs/train.md).
OPTIONS = {
    "data": ("digits", str, None, "built-in dataset (digits, mnist, fashion-mnist, cifar10), image folder, "
                                  "or table (.csv, .parquet, .feather, .h5)"),
    "root": ("data", str, None, "folder of the built-in datasets' files"),
    "target": (None, str, None, "the column to predict (tables)"),
    "columns": (None, _names, None, "feature columns to use, comma-separated (tables; default: all others)"),
    "fill": ("mean", str, ("drop", "mean", "median", "mode", "constant"), "how to fill missing values (tables)"),
    "fill_value": (0.0, float, None, "the value of --fill constant"),
    "scale": ("standard", str, ("standard", "minmax", "none"), "feature scaling (tables)"),
    "split": ([0.7, 0.15, 0.15], _floats, None, "train,validation,test fractions (tables, image folders; a "
              "built-in dataset keeps its test split and takes validation from its training split by train:validation)"),
    "task": ("auto", str, ("classify", "regress", "auto"), "classification or regression"),
    "image_size": (None, int, None, "side images are resized to (image folders; default: the first image's)"),
    "model": ("mlp", str, ("mlp", "cnn", "lstm"), "network family"),
    "hidden": ([512, 512], _ints, None, "hidden layer sizes, comma-separated"),
    "batch_norm": (False, None, None, "batch normalization after each hidden layer"),
    "dropout": (0.0, float, None, "dropout probability after each hidden layer"),
    "loss": ("auto", str, ("auto", "cross-entropy", "mse", "l1", "huber", "smooth-l1"),
             "loss (auto: cross-entropy to classify, mse to regress)"),
    "optimizer": ("sgd", str, ("sgd", "adam", "adamw", "rmsprop"), "optimizer"),
    "lr": (0.1, float, None, "learning rate"),
    "momentum": (0.0, float, None, "momentum (sgd, rmsprop)"),
    "scheduler": ("none", str, ("none", "step", "cosine", "plateau"), "learning-rate schedule"),
    "weight_decay": (0.0, float, None, "the optimizer's weight decay"),
    "l1": (0.0, float, None, "coefficient of the L1 penalty on weights added to the loss"),
    "l2": (0.0, float, None, "coefficient of the L2 penalty on weights added to the loss"),
    "epochs": (10, int, None, "epochs to train (in total, counting resumed ones)"),
    "batch_size": (64, int, None, "mini-batch size"),
    "patience": (0, int, None, "stop after this many epochs without a better validation loss (0: never)"),
    "precision": ("float32", str, ("float32", "float64"), "floating-point precision"),
    "seed": (0, int, None, "random seed (weights, shuffling, dropout, splits)"),
    "workers": (0, int, None, "DataLoader worker processes"),
    "out": (None, str, None, "the run folder (default runs/<data name>)"),
    "log": ("tutorial", str, ("tutorial", "epochs"), "tutorial: the Quickstart's lines; epochs: one line per epoch"),
}
DEFAULTS = {name: spec[0] for name, spec in OPTIONS.items()}
# What a resumed run may change; anything else would make it a different run.
RESUMABLE = ("epochs", "patience", "workers", "log", "out")


def add_train_parser(subparsers):
    p = subparsers.add_parser("train", help="train a model on a dataset or a table (no arguments: the Quickstart)",
                              description="Train a model; every flag can also be set in --config.")
    p.add_argument("--config", default=None, help="YAML or JSON file of options (flags override it)")
    for name, (default, type_, choices, help_) in OPTIONS.items():
        flag = "--" + name.replace("_", "-")
        if type_ is None:
            p.add_argument(flag, action=argparse.BooleanOptionalAction, default=argparse.SUPPRESS, help=help_)
        else:
            p.add_argument(flag, type=type_, choices=choices, default=argparse.SUPPRESS,
                           help=f"{help_} (default: {default})")
    p.add_argument("--resume", action="store_true", help="continue the run in --out from its last.pt")
    p.add_argument("--quiet", action="store_true", help="no progress bars, no per-batch lines")


def add_predict_parser(subparsers):
    p = subparsers.add_parser("predict", help="apply a trained run to new rows or images")
    p.add_argument("run_dir", help="the run folder written by ember train (or its model.pt)")
    p.add_argument("input", help="a table (.csv, .parquet, .feather, .h5), an image, or a folder of images")
    p.add_argument("--output", default=None, help="write the predictions to this CSV instead of stdout")
    p.add_argument("--batch-size", type=int, default=256)


def read_config_file(path):
    """The options in a YAML or JSON file, with keys normalised to the flags' names."""
    if not os.path.isfile(path):
        raise CLIError(f"no such config file: {path}")
    with open(path) as f:
        text = f.read()
    try:
        if path.endswith(".json"):
            values = json.loads(text)
        else:
            import yaml
            values = yaml.safe_load(text) or {}
    except Exception as e:  # a syntax error in the user's file, whichever parser raised it
        raise CLIError(f"cannot parse config file {path}: {str(e).splitlines()[0]}") from None
    if not isinstance(values, dict):
        raise CLIError(f"config file {path} must hold a mapping of option: value")
    return {key.replace("-", "_"): value for key, value in values.items()}


def _check(name, value):
    """Validate and convert one option from a config file as argparse would a flag."""
    if name not in OPTIONS:
        raise CLIError(f"unknown option in config file: {name} (options: {', '.join(OPTIONS)})")
    _, type_, choices, _ = OPTIONS[name]
    if type_ is None and not isinstance(value, bool):
        raise CLIError(f"config option {name}: expected true or false, got {value!r}")
    if value is None or type_ is None:
        return value
    try:
        value = type_(value)
    except (TypeError, ValueError):
        raise CLIError(f"config option {name}: invalid value {value!r}") from None
    if choices and value not in choices:
        raise CLIError(f"config option {name}: {value!r} is not one of {', '.join(choices)}")
    return value


def resolve(args, saved=None):
    """The run's full configuration (a JSON-able dict): ``saved`` (a resumed run's) or the
    defaults, updated by the ``--config`` file, updated by the flags typed."""
    config = dict(saved or DEFAULTS)
    if args.config:
        config.update({k: _check(k, v) for k, v in read_config_file(args.config).items()})
    config.update({k: v for k, v in vars(args).items() if k in OPTIONS})
    changed = [k for k in OPTIONS if saved is not None and k not in RESUMABLE and config[k] != saved[k]]
    if changed:
        raise CLIError(f"--resume continues the saved run, which has other {', '.join(changed)}; only "
                       f"{', '.join(RESUMABLE)} may change (start a new run with another --out to change more)")
    split = config["split"]
    if len(split) != 3 or min(split) < 0 or split[0] <= 0 or split[1] <= 0 or abs(sum(split) - 1) > 1e-6:
        raise CLIError(f"--split needs three fractions train,validation,test summing to 1 with train and "
                       f"validation > 0; got {','.join(map(str, split))}")
    if config["epochs"] < 1 or config["batch_size"] < 1:
        raise CLIError("--epochs and --batch-size must be at least 1")
    if config["model"] != "mlp" and not config["hidden"]:
        raise CLIError(f"--model {config['model']} needs at least one --hidden size")
    if config["out"] is None:
        config["out"] = os.path.join("runs", os.path.splitext(os.path.basename(os.path.normpath(config["data"])))[0])
    return config

