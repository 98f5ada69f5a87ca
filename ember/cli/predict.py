"""``ember predict RUN_DIR INPUT``: a trained run applied to new rows or images.

``model.pt`` holds the weights and the ``spec`` they were trained under; the spec says how to
rebuild the network and how to prepare an input exactly as the training data was: a table's
column order, fill values and scaling statistics, or an image's colour mode and size. The
predictions — class names, or values in the target's units — print as CSV on stdout, or go
to ``--output``: for a table, the input's rows with a ``prediction`` column added; for
images, one row per file.
"""
import os
import sys

from . import CLIError


def _load_run(run_dir):
    """(model in eval mode, spec) from a run folder or a model.pt path."""
    import ember
    from .models import build_model
    path = run_dir if os.path.isfile(run_dir) else os.path.join(run_dir, "model.pt")
    if not os.path.isfile(path):
        raise CLIError(f"no trained model at {path} (train one with ember train --out {run_dir})")
    saved = ember.load(path)
    spec = saved["spec"]
    model = build_model(spec, ember.nn).to(getattr(ember, spec["precision"]))
    model.load_state_dict(saved["state_dict"])
    return model.eval(), spec


def _predict(model, spec, x, batch_size):
    """Class names or target values for the float features ``x``."""
    import ember
    from ember.utils.data import DataLoader, TensorDataset
    from .train import forward_all
    loader = DataLoader(TensorDataset(ember.from_numpy(x)), batch_size=batch_size)
    outputs, _ = forward_all(model, loader)
    if spec["task"] == "classify":
        return [spec["classes"][i] for i in outputs.argmax(1)]
    table = spec["table"]
    return (outputs[:, 0] * table["target_scale"] + table["target_shift"]).tolist()


def predict(args):
    import numpy as np
    import pandas as pd
    from . import images, tabular
    model, spec = _load_run(args.run_dir)
    dtype = np.dtype(spec["precision"]).type
    if not os.path.exists(args.input):
        raise CLIError(f"no such file or folder: {args.input}")
    if "table" in spec:
        if not tabular.is_table(args.input):
            raise CLIError(f"{args.input} is not a table ({', '.join(tabular.EXTENSIONS)}); this run was "
                           f"trained on one")
        frame = tabular.read_table(args.input)
        x, usable = tabular.transform(frame, spec["table"])
        values = np.full(len(frame), None, dtype=object)  # rows with missing values under --fill drop: none
        if usable.any():
            values[usable] = _predict(model, spec, x[usable].astype(dtype), args.batch_size)
        if not usable.all():
            print(f"ember predict: {int((~usable).sum())} rows have missing values and no prediction "
                  f"(the run was trained with --fill drop)", file=sys.stderr)
        result = frame.assign(prediction=values)
    else:
        paths, pixels = images.images_to_predict(args.input, spec["image"])
        result = pd.DataFrame({"path": paths,
                               "prediction": _predict(model, spec, images.to_float(pixels, dtype), args.batch_size)})
    if args.output:
        result.to_csv(args.output, index=False)
        print(f"wrote {len(result)} predictions to {args.output}")
    else:
        result.to_csv(sys.stdout, index=False)
