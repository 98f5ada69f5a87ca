"""Step 1 of a run: the data, whatever its source, as arrays split three ways.

``--data`` names a built-in dataset (``images.BUILTIN``), an image folder, or a table. The
result is the same for all: float features and targets for the training, validation and
test splits, and a JSON-able ``spec`` of what the model sees (input shape, task, classes,
and how to prepare new inputs the same way), which is saved with the model. A built-in
dataset keeps its own test split untouched until the end; its validation part (for choosing
the best epoch and for early stopping) is a seeded share of its training split, sized by
``--split``'s train:validation ratio. Image folders and tables are split three ways by
``--split`` with a seeded permutation.
"""
import os

import numpy as np

from . import CLIError

SPLITS = ("train", "val", "test")


def split_ids(n, fractions, seed):
    """0 (train), 1 (validation) or 2 (test) for each of ``n`` samples: a permutation drawn
    with ``seed`` (NumPy's, independent of ember's generator), cut at the fractions."""
    order = np.random.RandomState(seed).permutation(n)
    n_val, n_test = int(round(n * fractions[1])), int(round(n * fractions[2]))
    if n - n_val - n_test < 1 or n_val < 1:
        raise CLIError(f"{n} usable samples are too few for the split {','.join(map(str, fractions))}")
    ids = np.zeros(n, dtype=np.int64)
    ids[order[n - n_val - n_test:n - n_test]] = 1
    ids[order[n - n_test:]] = 2
    return ids


def _image_spec(images, classes, image=None):
    c, h, w = images.shape[1:]
    image = image or {"mode": "L" if c == 1 else "RGB", "size": [h, w]}
    return {"task": "classify", "classes": classes, "input_shape": [c, h, w], "image": image}


def load_data(config, say):
    """({'train'|'val'|'test': (features, targets)}, spec) for ``config['data']``."""
    from . import images, tabular
    data, dtype = config["data"], np.dtype(config["precision"]).type
    if data in images.BUILTIN:
        x_train, y_train, x_test, y_test, classes = images.load_builtin(data, config["root"])
        spec = _image_spec(x_train, classes)
        train, val = config["split"][:2]
        ids = split_ids(len(x_train), (train / (train + val), val / (train + val), 0.0), config["seed"])
        splits = {"train": (x_train[ids == 0], y_train[ids == 0]), "val": (x_train[ids == 1], y_train[ids == 1]),
                  "test": (x_test, y_test)}
    elif os.path.isdir(data):
        x, y, classes, image = images.load_folder(data, config["image_size"])
        spec = _image_spec(x, classes, image)
        ids = split_ids(len(x), config["split"], config["seed"])
        splits = {name: (x[ids == i], y[ids == i]) for i, name in enumerate(SPLITS)}
    elif not os.path.exists(data):
        raise CLIError(f"no such file or built-in dataset: {data} (built-in: {', '.join(images.BUILTIN)})")
    elif tabular.is_table(data):
        splits, info = tabular.load(config, say)
        spec = {"task": info["task"], "classes": info.get("classes"), "input_shape": [len(info["columns"])],
                "table": info}
    else:
        raise CLIError(f"cannot read {data}: not a table ({', '.join(tabular.EXTENSIONS)}) or an image folder")
    if "table" not in spec:
        if config["task"] == "regress":
            raise CLIError("images are classified; --task regress applies to tables")
        splits = {k: (images.to_float(x, dtype), y) for k, (x, y) in splits.items()}
    else:
        splits = {k: (x.astype(dtype), y if spec["task"] == "classify" else y.astype(dtype)[:, None])
                  for k, (x, y) in splits.items()}
    spec["num_outputs"] = len(spec["classes"]) if spec["task"] == "classify" else 1
    return splits, spec
