"""``SummaryWriter``: log scalars, images, histograms... for TensorBoard to show.

TensorBoard reads *event files*: TFRecord files (each record is a length, a CRC-32C of
the length, the data, a CRC-32C of the data) of serialized ``Event`` protocol-buffer
messages, each holding a wall time, a step and a ``Summary`` of tagged values. As in
PyTorch, the message classes and the file writer (a queue flushed every ``flush_secs`` by a
background thread) come from the ``tensorboard`` package; ``summary.py`` builds each
plugin's messages and this class is PyTorch's API over them: the same arguments, the same
files.

``tensorboard`` is optional: importing this module never needs it; creating a writer
without it raises an ``ImportError`` that says what to install.
"""
import os
import socket
import time
from datetime import datetime

import numpy as np

from ..._tensor import Tensor
from . import summary as _summary
from ._proto import proto

__all__ = ["SummaryWriter"]


def _numpy(x):
    """An ember tensor as a NumPy array (detached); anything else unchanged."""
    return x.detach().numpy() if isinstance(x, Tensor) else x


def _scalar(x):
    """A Python number from a number, a NumPy scalar or a one-element tensor/array."""
    x = _numpy(x)
    if isinstance(x, np.ndarray):
        if x.size != 1:
            raise ValueError(f"scalar should be 0D, got an array of shape {x.shape}")
        return x.item()
    return x.item() if isinstance(x, np.generic) else x


def _default_log_dir(comment):
    """``runs/<Mon><day>_<hh-mm-ss>_<host><comment>``, as PyTorch names runs."""
    current_time = datetime.now().strftime("%b%d_%H-%M-%S")
    return os.path.join("runs", current_time + "_" + socket.gethostname() + comment)


class SummaryWriter:
    """Write TensorBoard event files into ``log_dir`` (``torch.utils.tensorboard.SummaryWriter``).

    Events are queued and written every ``flush_secs`` seconds or when ``max_queue`` are
    pending; ``flush()`` and ``close()`` write them now. After a crash, ``purge_step`` tells
    TensorBoard to hide the earlier run's events at or after that step.
    """

    def __init__(self, log_dir=None, comment="", purge_step=None, max_queue=10, flush_secs=120,
                 filename_suffix=""):
        proto()  # fails here, saying what to install, when tensorboard is missing
        if not log_dir:
            log_dir = _default_log_dir(comment)
        self.log_dir = str(log_dir)
        self.purge_step = purge_step
        self.max_queue = max_queue
        self.flush_secs = flush_secs
        self.filename_suffix = filename_suffix
        self.file_writer = self.all_writers = None
        self._get_file_writer()

    def get_logdir(self):
        """The directory the event files are written to."""
        return self.log_dir

    def _new_file_writer(self, log_dir):
        from tensorboard.summary.writer.event_file_writer import EventFileWriter
        return EventFileWriter(log_dir, self.max_queue, self.flush_secs, self.filename_suffix)

    def _get_file_writer(self):
        """The writer of ``log_dir``'s event file, (re)opened on first use after ``close()``."""
        if self.all_writers is None or self.file_writer is None:
            pb = proto()
            self.file_writer = self._new_file_writer(self.log_dir)
            self.all_writers = {self.log_dir: self.file_writer}
            if self.purge_step is not None:
                # A restart marker: TensorBoard drops earlier events at or after this step.
                self.file_writer.add_event(pb.Event(step=self.purge_step, file_version="brain.Event:2"))
                self.file_writer.add_event(pb.Event(step=self.purge_step,
                                                    session_log=pb.SessionLog(status=pb.SessionLog.START)))
                self.purge_step = None
        return self.file_writer

    def _add_summary(self, summary, global_step=None, walltime=None, writer=None):
        event = proto().Event(summary=summary, wall_time=walltime if walltime is not None else time.time())
        if global_step is not None:
            event.step = int(global_step)
        (writer or self._get_file_writer()).add_event(event)

    # --- scalars ---------------------------------------------------------------------------------
    def add_scalar(self, tag, scalar_value, global_step=None, walltime=None, new_style=False,
                   double_precision=False):
        """One point of the curve ``tag`` at ``global_step``.

        ``new_style=True`` stores it as a one-element tensor (TensorBoard's newer format,
        faster to load), in float64 with ``double_precision``.
        """
        value = _scalar(scalar_value)
        if isinstance(value, str):
            raise TypeError(f"add_scalar expects a number, got the string {value!r}")
        self._add_summary(_summary.scalar(tag, value, new_style, double_precision), global_step, walltime)

    def add_scalars(self, main_tag, tag_scalar_dict, global_step=None, walltime=None):
        """Several curves on one chart: each ``tag`` is written to its own run,
        ``<log_dir>/<main_tag>_<tag>``, under the tag ``main_tag``."""
        self._get_file_writer()
        for tag, value in tag_scalar_dict.items():
            run_dir = self.log_dir + "/" + main_tag.replace("/", "_") + "_" + tag
            writer = self.all_writers.get(run_dir)
            if writer is None:
                writer = self.all_writers[run_dir] = self._new_file_writer(run_dir)
            self._add_summary(_summary.scalar(main_tag, _scalar(value)), global_step, walltime, writer)

    # --- images ----------------------------------------------------------------------------------
    def add_image(self, tag, img_tensor, global_step=None, walltime=None, dataformats="CHW"):
        """One image: float values in [0, 1] or uint8 in [0, 255]; ``dataformats`` is
        ``"CHW"``, ``"HWC"``, ``"HW"`` (grey)..."""
        self._add_summary(_summary.image(tag, _numpy(img_tensor), dataformats), global_step, walltime)

    def add_images(self, tag, img_tensor, global_step=None, walltime=None, dataformats="NCHW"):
        """A batch of images, tiled into one grid image, eight to a row."""
        self._add_summary(_summary.image(tag, _numpy(img_tensor), dataformats), global_step, walltime)

    def add_figure(self, tag, figure, global_step=None, close=True, walltime=None):
        """A matplotlib figure (or a list of them, tiled like ``add_images``), rendered to an image."""
        pixels = _summary.figure_to_image(figure, close)
        self._add_summary(_summary.image(tag, pixels, "NCHW" if pixels.ndim == 4 else "CHW"), global_step,
                          walltime)

    # --- distributions and text ------------------------------------------------------------------
    def add_histogram(self, tag, values, global_step=None, bins="tensorflow", walltime=None, max_bins=None):
        """A histogram of ``values`` (weights, activations, gradients): TensorBoard's
        Distributions and Histograms tabs show how it changes over the steps."""
        self._add_summary(_summary.histogram(tag, _numpy(values), bins, max_bins), global_step, walltime)

    def add_text(self, tag, text_string, global_step=None, walltime=None):
        """A string, shown as Markdown in the Text tab."""
        self._add_summary(_summary.text(tag, text_string), global_step, walltime)

    # --- hyperparameters and the model graph -----------------------------------------------------
    def add_hparams(self, hparam_dict, metric_dict, hparam_domain_discrete=None, run_name=None,
                    global_step=None):
        """One run of a hyperparameter search, for the HParams tab: its settings and its
        metrics, written to a sub-run ``<log_dir>/<run_name>`` (a timestamp by default).
        ``hparam_domain_discrete`` lists the possible values of some settings."""
        if type(hparam_dict) is not dict or type(metric_dict) is not dict:
            raise TypeError("hparam_dict and metric_dict should be dictionary.")
        hparam_dict = {k: _scalar(v) for k, v in hparam_dict.items()}
        summaries = _summary.hparams(hparam_dict, metric_dict, hparam_domain_discrete)
        with SummaryWriter(os.path.join(self.log_dir, run_name or str(time.time()))) as w:
            for s in summaries:
                w._add_summary(s)
            for k, v in metric_dict.items():
                w.add_scalar(k, v, global_step)

    def add_graph(self, model, input_to_model=None, verbose=False, use_strict_trace=True):
        """The model's graph for the Graphs tab, traced by running ``model(input_to_model)``
        once: one node per ember op, grouped by the module that ran it."""
        from ._graph import trace_graph
        graph_def = trace_graph(model, input_to_model, verbose)
        self._get_file_writer().add_event(proto().Event(graph_def=graph_def.SerializeToString()))

    # --- lifetime --------------------------------------------------------------------------------
    def flush(self):
        """Write every pending event to disk now."""
        for writer in (self.all_writers or {}).values():
            writer.flush()

    def close(self):
        """Flush and close the event files (a later ``add_*`` opens a new one)."""
        for writer in (self.all_writers or {}).values():
            writer.flush()
            writer.close()
        self.file_writer = self.all_writers = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
