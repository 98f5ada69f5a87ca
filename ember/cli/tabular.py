"""Tables for the command line: read, report, split, fill, scale, cache.

The preprocessing is learnt from the training rows only (fill values, scaling statistics)
and recorded in a JSON-able ``info`` dict, so that ``transform`` can apply exactly the same
steps to the validation and test rows and, later, to the new rows of ``ember predict``:

    filled  = x if present else fill_values[column]
    scaled  = (filled - shift[column]) / scale[column]

with shift, scale = mean, standard deviation (``--scale standard``), minimum, range
(``minmax``), or 0, 1 (``none``). A regression target is standardised the same way (and
predictions mapped back), which keeps the loss near 1 whatever the target's units; a
classification target becomes class indices into ``info['classes']``.

The result of preprocessing is cached as Feather (Pickle where pyarrow is missing) in a
``.cache`` folder beside the run folder, named by a hash of the source file's bytes and the
options, so the next run on the same table with the same options skips it.
"""
import hashlib
import json
import os

import numpy as np

from . import CLIError
from .data import split_ids

EXTENSIONS = (".csv", ".parquet", ".feather", ".h5", ".hdf5", ".hdf")
_TARGET, _SPLIT = "__target__", "__split__"  # the processed table's extra columns
_CACHE_OPTIONS = ("target", "columns", "fill", "fill_value", "scale", "split", "seed", "task")


def is_table(path):
    return path.lower().endswith(EXTENSIONS)


def read_table(path):
    """A pandas DataFrame from a CSV, Parquet, Feather or HDF5 file."""
    import pandas as pd
    if not os.path.isfile(path):
        raise CLIError(f"no such file: {path}")
    ext = os.path.splitext(path)[1].lower()
    reader = {".csv": pd.read_csv, ".parquet": pd.read_parquet, ".feather": pd.read_feather}.get(ext, _read_hdf)
    try:
        return reader(path)
    except ImportError as e:  # pyarrow (Parquet, Feather) or PyTables (HDF5) is not installed
        raise CLIError(f"reading {path} needs an optional package: {e}") from None
    except (ValueError, KeyError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise CLIError(f"cannot read {path}: {str(e).splitlines()[0] if str(e) else type(e).__name__}") from None


def _read_hdf(path):
    """The one table an HDF5 file holds (pandas stores each under a key)."""
    import pandas as pd
    with pd.HDFStore(path, "r") as store:
        # the groups pandas wrote a table into (the file's root group carries no pandas_type)
        keys = [g._v_pathname for g in store.groups() if getattr(g._v_attrs, "pandas_type", None)]
        if len(keys) != 1:
            raise CLIError(f"{path} holds {len(keys)} tables ({', '.join(keys) or 'none'}); save the one to train "
                           "on alone")
        return store[keys[0]]


def _json_value(v):
    """A NumPy scalar as the Python value JSON can hold."""
    return v.item() if hasattr(v, "item") else v


def _choose_task(target, task):
    """auto: classify a non-float target, or a numeric one with at most 20 distinct integer
    values (labels stored as 0.0/1.0 are still labels); regress otherwise."""
    if task != "auto":
        return task
    values = target.to_numpy()
    if target.dtype.kind not in "fc":
        return "regress" if target.dtype.kind in "iu" and target.nunique() > 20 else "classify"
    integral = target.dtype.kind == "f" and np.all(values == np.round(values))
    return "classify" if integral and target.nunique() <= 20 else "regress"


def _report(df, columns, target, task):
    """Lines describing the table: missing values per column, and each numeric column's
    Pearson correlation with the target (with a class target, with its class codes)."""
    import pandas as pd
    t = df[target]
    if t.dtype.kind not in "biuf":
        t = pd.Series(pd.factorize(t, sort=True)[0], index=t.index, dtype=float).where(df[target].notna())
    lines = [f"{len(df)} rows; target {target!r} ({'classification' if task == 'classify' else 'regression'})",
             f"{'column':<24} {'missing':>14}  correlation with target"]
    for c in [*columns, target]:
        n = int(df[c].isna().sum())
        r = t.corr(df[c].astype(float)) if df[c].dtype.kind in "biuf" and c != target else np.nan
        corr = f"{r:+.3f}" if np.isfinite(r) else "-"  # '-': not numeric, the target, or constant
        lines.append(f"{str(c):<24} {f'{n} ({100 * n / max(len(df), 1):.1f}%)':>14}  {corr}")
    return lines


def _statistic(column, fill, fill_value):
    """The value that fills ``column``'s missing entries, from its training rows."""
    present = column.dropna()
    if fill == "drop":  # rows with gaps are left out, nothing is filled
        return None
    if fill == "constant":
        return float(fill_value)
    if present.empty:
        return 0.0
    value = {"mean": present.mean, "median": present.median, "mode": lambda: present.mode().iloc[0]}[fill]()
    return float(value)


def transform(df, info):
    """(features, usable) for the rows of ``df``: the float64 matrix after filling and scaling
    as recorded in ``info``, and a boolean mask of the rows that have all features (always
    all rows unless the fill policy is 'drop')."""
    import pandas as pd
    columns = info["columns"]
    absent = [c for c in columns if c not in df]
    if absent:
        raise CLIError(f"columns missing from the input: {', '.join(absent)} (the model takes {', '.join(columns)})")
    _check_numeric(df, columns)
    frame = df[columns].astype(float)
    if info["fill"] == "drop":
        usable = frame.notna().all(axis=1).to_numpy()
    else:
        frame = frame.fillna(pd.Series(info["fill_values"], index=columns))
        usable = np.ones(len(frame), dtype=bool)
    x = (frame.to_numpy(dtype=np.float64) - np.array(info["shift"])) / np.array(info["scale"])
    return x, usable


def _check_numeric(df, columns):
    for c in columns:
        if df[c].dtype.kind not in "biuf":
            raise CLIError(f"column {c!r} is not numeric ({df[c].dtype}) and the model takes numbers only; "
                           f"choose the columns to use with --columns")


def _scaling(x, scale):
    """(shift, scale) per column of the training matrix ``x``; a constant column gets scale 1."""
    if scale == "none":
        return np.zeros(x.shape[1]), np.ones(x.shape[1])
    shift = x.mean(0) if scale == "standard" else x.min(0)
    spread = x.std(0) if scale == "standard" else x.max(0) - x.min(0)
    return shift, np.where(spread > 0, spread, 1.0)


def preprocess(df, config, say):
    """(processed DataFrame of features, target and split id; info; report lines). The report
    is said as soon as it is known, before any check on the columns can stop the run."""
    import pandas as pd
    target = config["target"]
    names = ", ".join(map(str, df.columns))
    if target is None:
        raise CLIError(f"a table needs --target COLUMN; columns: {names}")
    if target not in df:
        raise CLIError(f"no column {target!r} in the table; columns: {names}")
    columns = config["columns"] or [c for c in df.columns if c != target]
    absent = [c for c in columns if c not in df]
    if absent:
        raise CLIError(f"--columns names columns that are not in the table: {', '.join(absent)}; columns: {names}")
    df = df[df[target].notna()].reset_index(drop=True)
    task = _choose_task(df[target], config["task"])
    report = _report(df, columns, target, task)
    for line in report:
        say(line)
    _check_numeric(df, columns)
    if config["fill"] == "drop":
        df = df.dropna(subset=columns).reset_index(drop=True)
    split = split_ids(len(df), config["split"], config["seed"])
    train = df[split == 0]
    info = {"target": str(target), "columns": [str(c) for c in columns], "fill": config["fill"], "task": task,
            "fill_values": [_statistic(train[c], config["fill"], config["fill_value"]) for c in columns],
            "shift": [0.0] * len(columns), "scale": [1.0] * len(columns)}
    shift, scale = _scaling(transform(train, info)[0], config["scale"])
    info["shift"], info["scale"] = shift.tolist(), scale.tolist()
    processed = pd.DataFrame(transform(df, info)[0], columns=info["columns"])
    if task == "classify":
        values = df[target].unique()
        try:
            classes = sorted(values)
        except TypeError:  # mixed types: any fixed order will do
            classes = sorted(values, key=str)
        info["classes"] = [_json_value(c) for c in classes]
        processed[_TARGET] = df[target].map({c: i for i, c in enumerate(classes)}).to_numpy(np.int64)
    else:
        y = df[target].to_numpy(dtype=np.float64)
        (t_shift,), (t_scale,) = _scaling(y[split == 0, None], config["scale"])
        info["target_shift"], info["target_scale"] = float(t_shift), float(t_scale)
        processed[_TARGET] = (y - t_shift) / t_scale
    processed[_SPLIT] = split
    return processed, info, report


def _cache_path(path, config):
    """The cache's base name: ``<runs>/.cache/<table name>-<hash of bytes and options>``."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    h.update(json.dumps({k: config[k] for k in _CACHE_OPTIONS}, sort_keys=True).encode())
    runs = os.path.dirname(os.path.abspath(config["out"]))
    stem = os.path.splitext(os.path.basename(path))[0]
    return os.path.join(runs, ".cache", f"{stem}-{h.hexdigest()[:16]}")


def _read_cache(base):
    import pandas as pd
    if not os.path.isfile(base + ".json"):
        return None
    with open(base + ".json") as f:
        meta = json.load(f)
    for ext, reader in ((".feather", pd.read_feather), (".pkl", pd.read_pickle)):
        if os.path.isfile(base + ext):
            try:
                return reader(base + ext), meta["info"], meta["report"]
            except ImportError:  # a Feather cache written where pyarrow was installed
                continue
    return None


def _write_cache(base, processed, info, report):
    """The table first, then the JSON that marks the cache complete, each written to a
    temporary name and renamed, so an interrupted write leaves no half cache behind."""
    os.makedirs(os.path.dirname(base), exist_ok=True)
    try:
        processed.to_feather(base + ".feather.tmp")
        ext = ".feather"
    except ImportError:  # pyarrow is missing
        processed.to_pickle(base + ".pkl.tmp")
        ext = ".pkl"
    os.replace(base + ext + ".tmp", base + ext)
    with open(base + ".json.tmp", "w") as f:
        json.dump({"info": info, "report": report}, f)
    os.replace(base + ".json.tmp", base + ".json")


def load(config, say):
    """The table ``config['data']`` preprocessed (from the cache when it holds this file with
    these options): ({'train'|'val'|'test': (features, target)}, info)."""
    path = config["data"]
    if not os.path.isfile(path):
        raise CLIError(f"no such file: {path}")
    base = _cache_path(path, config)
    cached = _read_cache(base)
    if cached is None:
        processed, info, report = preprocess(read_table(path), config, say)
        _write_cache(base, processed, info, report)
    else:
        processed, info, report = cached
        say(f"(preprocessed table from the cache {os.path.relpath(base)})")
        for line in report:
            say(line)
    x = processed[info["columns"]].to_numpy(np.float64)
    y = processed[_TARGET].to_numpy()
    split = processed[_SPLIT].to_numpy()
    return {name: (x[split == i], y[split == i]) for i, name in enumerate(("train", "val", "test"))}, info
