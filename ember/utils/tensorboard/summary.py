"""Build the ``Summary`` protocol-buffer messages TensorBoard's plugins read.

A ``Summary`` is a list of tagged values; each plugin (scalars, images, histograms, text,
hparams) expects its values in a particular shape, described here next to the code that
builds it. The message classes come from the ``tensorboard`` package (``_proto.py``);
the arrays come in as NumPy.
"""
import io

import numpy as np

from ._proto import proto


# --- scalars ----------------------------------------------------------------------------------------
def scalar(tag, value, new_style=False, double_precision=False):
    """A point of a curve: the classic ``simple_value`` (a float32), or with ``new_style`` a
    0-d tensor marked for the scalars plugin (float64 with ``double_precision``)."""
    pb = proto()
    if not new_style:
        return pb.Summary(value=[pb.Summary.Value(tag=tag, simple_value=float(value))])
    if double_precision:
        tensor = pb.TensorProto(dtype="DT_DOUBLE", double_val=[float(value)])
    else:
        tensor = pb.TensorProto(dtype="DT_FLOAT", float_val=[float(value)])
    metadata = pb.SummaryMetadata(plugin_data=pb.SummaryMetadata.PluginData(plugin_name="scalars"))
    return pb.Summary(value=[pb.Summary.Value(tag=tag, tensor=tensor, metadata=metadata)])


# --- images -----------------------------------------------------------------------------------------
def _grid(nchw, ncols=8):
    """Tile a batch of images (N, C, H, W) row by row, ``ncols`` to a row, on black."""
    if nchw.shape[1] == 1:
        nchw = np.repeat(nchw, 3, axis=1)
    if nchw.shape[1] != 3:
        raise ValueError(f"a batch of images needs 1 or 3 channels, got {nchw.shape[1]}")
    n, c, h, w = nchw.shape
    ncols = min(n, ncols)
    nrows = -(-n // ncols)
    canvas = np.zeros((c, h * nrows, w * ncols), dtype=nchw.dtype)
    for i in range(n):
        y, x = divmod(i, ncols)
        canvas[:, y * h:(y + 1) * h, x * w:(x + 1) * w] = nchw[i]
    return canvas


def to_hwc(array, dataformats):
    """Any of ``NCHW``, ``NHWC``, ``CHW``, ``HWC``, ``HW``... as one RGB(A) image (H, W, C);
    a batch becomes a grid, a grey image three equal channels."""
    fmt = dataformats.upper()
    if len(set(fmt)) != len(fmt):
        raise ValueError(f"You can not use the same dimension shorthand twice. input_format: {dataformats}")
    if array.ndim != len(fmt):
        raise ValueError(f"size of input tensor and input format are different. tensor shape: {array.shape}, "
                         f"input_format: {dataformats}")
    if len(fmt) == 4:
        return _grid(array.transpose([fmt.index(c) for c in "NCHW"])).transpose(1, 2, 0)
    if len(fmt) == 3:
        hwc = array.transpose([fmt.index(c) for c in "HWC"])
        return np.repeat(hwc, 3, axis=2) if hwc.shape[2] == 1 else hwc
    if len(fmt) == 2:
        hw = array.transpose([fmt.index(c) for c in "HW"])
        return np.stack([hw, hw, hw], axis=2)
    raise ValueError(f"unsupported image dataformats {dataformats!r}")


def image(tag, array, dataformats="CHW"):
    """A PNG image. uint8 values are taken as 0..255, anything else as 0..1 (scaled by 255);
    values outside are clipped."""
    try:
        from PIL import Image
    except ImportError as e:
        raise ImportError("add_image encodes PNG images with Pillow: pip install pillow") from e
    pb = proto()
    hwc = to_hwc(np.asarray(array), dataformats)
    scale = 1 if hwc.dtype == np.uint8 else 255
    pixels = (hwc.astype(np.float32) * scale).clip(0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    h, w, c = pixels.shape
    img = pb.Summary.Image(height=h, width=w, colorspace=c, encoded_image_string=buffer.getvalue())
    return pb.Summary(value=[pb.Summary.Value(tag=tag, image=img)])


def figure_to_image(figures, close=True):
    """Render matplotlib figure(s) to uint8 RGB arrays: (C, H, W), or (N, C, H, W) for a list."""
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    def render(figure):
        canvas = FigureCanvasAgg(figure)
        canvas.draw()
        w, h = canvas.get_width_height()
        rgb = np.frombuffer(canvas.buffer_rgba(), dtype=np.uint8).reshape(h, w, 4)[:, :, :3]
        if close:
            plt.close(figure)
        return rgb.transpose(2, 0, 1)
    if isinstance(figures, list):
        return np.stack([render(f) for f in figures])
    return render(figures)


# --- histograms -------------------------------------------------------------------------------------
def tensorflow_bins():
    """TensorFlow's histogram bucket edges: 0, and +-1e-12 growing by 10% per bucket up to
    +-1e20 (fine resolution near zero for values of any scale)."""
    edges = []
    v = 1e-12
    while v < 1e20:
        edges.append(v)
        v *= 1.1
    return [-e for e in reversed(edges)] + [0] + edges


def histogram(tag, values, bins, max_bins=None):
    """The counts of ``values`` in ``bins`` (edges, a count, or a NumPy rule such as "auto").

    TensorBoard stores each bucket by its right edge, so the buckets kept run from one
    empty bucket left of the first non-empty one (it carries the left edge) to the last
    non-empty one. ``max_bins`` merges neighbouring buckets until at most that many remain.
    """
    pb = proto()
    values = np.asarray(values, dtype=np.float64).reshape(-1)
    if values.size == 0:
        raise ValueError("The input has no element.")
    if isinstance(bins, str) and bins == "tensorflow":
        bins = tensorflow_bins()
    counts, edges = np.histogram(values, bins=bins)
    if max_bins is not None and len(counts) > max_bins:
        group = len(counts) // max_bins
        pad = (-len(counts)) % group
        counts = np.pad(counts, (0, pad)).reshape(-1, group).sum(axis=1)
        edges = np.concatenate([edges[:-1:group], edges[-1:]])
    nonzero = np.flatnonzero(counts)
    if nonzero.size == 0:
        raise ValueError("The histogram is empty: no value falls inside the bins.")
    first, last = int(nonzero[0]), int(nonzero[-1])
    if first > 0:
        counts = counts[first - 1:last + 1]
    else:  # no bucket to the left: add an empty one
        counts = np.concatenate([[0], counts[:last + 1]])
    limits = edges[first:last + 2]
    hist = pb.HistogramProto(min=values.min(), max=values.max(), num=len(values), sum=values.sum(),
                             sum_squares=values.dot(values), bucket_limit=limits.tolist(),
                             bucket=counts.tolist())
    return pb.Summary(value=[pb.Summary.Value(tag=tag, histo=hist)])


# --- text -------------------------------------------------------------------------------------------
def text(tag, string):
    """A one-element string tensor for the text plugin, under ``<tag>/text_summary``."""
    pb = proto()
    content = pb.TextPluginData(version=0).SerializeToString()
    metadata = pb.SummaryMetadata(plugin_data=pb.SummaryMetadata.PluginData(plugin_name="text", content=content))
    tensor = pb.TensorProto(dtype="DT_STRING", string_val=[string.encode("utf_8")],
                            tensor_shape=pb.TensorShapeProto(dim=[pb.TensorShapeProto.Dim(size=1)]))
    return pb.Summary(value=[pb.Summary.Value(tag=tag + "/text_summary", metadata=metadata, tensor=tensor)])


# --- hyperparameters --------------------------------------------------------------------------------
def hparams(hparam_dict, metric_dict, hparam_domain_discrete=None):
    """The three summaries of the hparams plugin: the *experiment* (which settings and
    metrics exist, and the settings' possible values), the *session start* (this run's
    settings) and the *session end*. The metrics' values are ordinary scalars."""
    pb = proto()
    domains = hparam_domain_discrete or {}
    if not isinstance(domains, dict):
        raise TypeError("hparam_domain_discrete should be a dictionary.")
    for k, values in domains.items():
        if k not in hparam_dict or not isinstance(values, list) or \
                not all(isinstance(v, type(hparam_dict[k])) for v in values):
            raise TypeError(f"parameter: hparam_domain_discrete[{k}] should be a list of same type as "
                            f"hparam_dict[{k}].")

    start = pb.SessionStartInfo()
    infos = []
    for k, v in hparam_dict.items():
        if v is None:
            continue
        if isinstance(v, bool):  # before int: a bool is an int in Python
            start.hparams[k].bool_value = v
            kind, field = "DATA_TYPE_BOOL", "bool_value"
        elif isinstance(v, (int, float)):
            start.hparams[k].number_value = v
            kind, field = "DATA_TYPE_FLOAT64", "number_value"
        elif isinstance(v, str):
            start.hparams[k].string_value = v
            kind, field = "DATA_TYPE_STRING", "string_value"
        else:
            raise ValueError("value should be one of int, float, str, bool, or Tensor")
        domain = None
        if k in domains:
            domain = pb.ListValue(values=[pb.Value(**{field: d}) for d in domains[k]])
        infos.append(pb.HParamInfo(name=k, type=pb.DataType.Value(kind), domain_discrete=domain))

    def plugin_summary(tag, **content):
        data = pb.HParamsPluginData(version=0, **content).SerializeToString()
        metadata = pb.SummaryMetadata(plugin_data=pb.SummaryMetadata.PluginData(plugin_name="hparams",
                                                                                 content=data))
        return pb.Summary(value=[pb.Summary.Value(tag=tag, metadata=metadata)])

    experiment = pb.Experiment(hparam_infos=infos,
                               metric_infos=[pb.MetricInfo(name=pb.MetricName(tag=k)) for k in metric_dict])
    end = pb.SessionEndInfo(status=pb.Status.Value("STATUS_SUCCESS"))
    return (plugin_summary("_hparams_/experiment", experiment=experiment),
            plugin_summary("_hparams_/session_start_info", session_start_info=start),
            plugin_summary("_hparams_/session_end_info", session_end_info=end))
