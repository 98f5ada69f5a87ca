"""Where does the time go? A CPU profiler for ember's ops (``torch.autograd.profiler``).

::

    with profile() as prof:
        with record_function("train_step"):
            loss = loss_fn(model(x), y)
            loss.backward()
    print(prof.key_averages().table(sort_by="cpu_time_total", row_limit=10))
    prof.export_chrome_trace("trace.json")      # open in chrome://tracing or ui.perfetto.dev

What is timed, and how it costs nothing when off
------------------------------------------------
Every ember op runs through ``Function.apply`` and every backward node through
``BackwardCFunction._run_backward`` (leaves through the engine's ``_accumulate``). While a
profiler is active those three attributes are *replaced* by wrappers that time the call;
when it stops the originals are put back. So with no profiler running, ember executes
exactly the code it would if this module did not exist: not even a flag is checked.

Each timed call is an event with a start and an end. Events nest (an op called inside a
backward formula, ops inside a ``record_function`` region), so an event's *CPU total* is
its whole duration and its *self CPU* is that minus the time of its direct children.
``key_averages()`` groups the events by name: PyTorch's table of ops.

Names: ember's own ops are listed as ``aten::<op>`` (the ``Function`` class name in
snake case: ``Addmm`` -> ``aten::addmm``), users' ``Function`` subclasses by their class
name, backward nodes by their ``grad_fn`` name (``AddmmBackward0``) and leaves as
``AccumulateGrad``. Work that does not go through a ``Function`` (creating tensors,
optimizer updates on arrays) is only visible inside a ``record_function`` region.
"""
import json
import os
import re
import threading
import time

from . import engine, function
from .function import Function, BackwardCFunction

__all__ = ["profile", "record_function", "EventList", "FunctionEvent", "FunctionEventAvg"]

_active = [None]  # the running profile; only one at a time, as in PyTorch
_local = threading.local()  # per thread: the stack of events that are still open


def _now_us():
    return time.perf_counter_ns() / 1000.0


# --- events -------------------------------------------------------------------------------------
class FunctionEvent:
    """One timed call: ``name``, start and end in microseconds, and the events it called."""

    __slots__ = ("id", "name", "start_us", "end_us", "thread", "input_shapes", "cpu_children",
                 "cpu_parent", "is_user_annotation")

    def __init__(self, id, name, thread, input_shapes=None, is_user_annotation=False):
        self.id = id
        self.name = name
        self.thread = thread
        self.input_shapes = input_shapes
        self.is_user_annotation = is_user_annotation
        self.cpu_children = []
        self.cpu_parent = None
        self.start_us = self.end_us = 0.0

    @property
    def key(self):
        return self.name

    @property
    def count(self):
        return 1

    @property
    def cpu_time_total(self):
        return self.end_us - self.start_us

    @property
    def self_cpu_time_total(self):
        return self.cpu_time_total - sum(c.cpu_time_total for c in self.cpu_children)

    cpu_time = cpu_time_total

    def __repr__(self):
        return (f"<FunctionEvent name={self.name} cpu_time_total={_format_time(self.cpu_time_total)} "
                f"self_cpu_time_total={_format_time(self.self_cpu_time_total)}>")


class FunctionEventAvg:
    """The events of one name (and input shapes, if grouped by them) added up."""

    def __init__(self, key, input_shapes=None, is_user_annotation=False):
        self.key = key
        self.input_shapes = input_shapes
        self.is_user_annotation = is_user_annotation
        self.count = 0
        self.cpu_time_total = 0.0
        self.self_cpu_time_total = 0.0

    def add(self, event):
        self.count += event.count
        self.cpu_time_total += event.cpu_time_total
        self.self_cpu_time_total += event.self_cpu_time_total
        return self

    @property
    def cpu_time(self):
        """Average CPU total per call."""
        return self.cpu_time_total / self.count if self.count else 0.0

    def __repr__(self):
        return (f"<FunctionEventAvg key={self.key} count={self.count} "
                f"cpu_time_total={_format_time(self.cpu_time_total)} "
                f"self_cpu_time_total={_format_time(self.self_cpu_time_total)}>")


class EventList(list):
    """A list of events (or of averages) that can print PyTorch's table."""

    def key_averages(self, group_by_input_shape=False):
        """One ``FunctionEventAvg`` per op name (and per input shapes when asked)."""
        groups = {}
        for e in self:
            shapes = str(e.input_shapes) if group_by_input_shape and e.input_shapes is not None else None
            key = (e.key, shapes)
            if key not in groups:
                groups[key] = FunctionEventAvg(e.key, shapes, e.is_user_annotation)
            groups[key].add(e)
        return EventList(groups.values())

    def total_average(self):
        total = FunctionEventAvg("Total")
        for e in self:
            total.add(e)
        return total

    @property
    def self_cpu_time_total(self):
        return sum(e.self_cpu_time_total for e in self)

    def table(self, sort_by=None, row_limit=100, max_name_column_width=55, header=None,
              top_level_events_only=False):
        """The events as text, in PyTorch's column layout; ``sort_by`` is an attribute such as
        ``"cpu_time_total"``, ``"self_cpu_time_total"``, ``"cpu_time"`` or ``"count"``."""
        return _build_table(self, sort_by, row_limit, max_name_column_width, header, top_level_events_only)

    def __str__(self):
        return self.table()

    def export_chrome_trace(self, path):
        """Write the events as a Chrome trace (JSON "complete" events, microseconds)."""
        pid = os.getpid()
        trace = []
        for e in self:
            if not isinstance(e, FunctionEvent):
                raise TypeError("export_chrome_trace needs individual events, not key averages")
            event = {"ph": "X", "cat": "user_annotation" if e.is_user_annotation else "cpu_op",
                     "name": e.name, "pid": pid, "tid": e.thread, "ts": e.start_us,
                     "dur": e.cpu_time_total, "args": {"External id": e.id}}
            if e.input_shapes is not None:
                event["args"]["Input Dims"] = e.input_shapes
            trace.append(event)
        with open(path, "w") as f:
            json.dump({"traceEvents": trace, "displayTimeUnit": "ms"}, f)


# --- recording ----------------------------------------------------------------------------------
def _open(name, input_shapes=None, is_user_annotation=False):
    """Start an event on this thread: it becomes the parent of events opened before it ends."""
    prof = _active[0]
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    event = FunctionEvent(len(prof._events), name, threading.get_ident(), input_shapes, is_user_annotation)
    if stack:
        event.cpu_parent = stack[-1]
        stack[-1].cpu_children.append(event)
    prof._events.append(event)
    stack.append(event)
    event.start_us = _now_us()
    return event


def _close(event):
    event.end_us = _now_us()
    stack = _local.stack
    if stack and stack[-1] is event:
        stack.pop()
    elif event in stack:  # an exception skipped some inner closes: drop them too
        del stack[stack.index(event):]


_op_names = {}


def _op_name(cls):
    """``aten::addmm`` for ember's ``Addmm``; a user's ``Function`` keeps its class name."""
    name = _op_names.get(cls)
    if name is None:
        name = cls.__name__
        if cls.__module__.startswith("ember."):
            name = "aten::" + re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
        _op_names[cls] = name
    return name


def _shapes(args):
    return [list(a.shape) if hasattr(a, "_data") else [] for a in args]


_original = {}


def _install(record_shapes):
    """Swap in the timing wrappers (see the module docstring)."""
    apply = Function.__dict__["apply"].__func__
    run_backward = BackwardCFunction._run_backward
    accumulate = engine._accumulate
    _original.update(apply=Function.__dict__["apply"], run_backward=run_backward, accumulate=accumulate)

    def timed_apply(cls, *args, **kwargs):
        event = _open(_op_name(cls), _shapes(args) if record_shapes else None)
        try:
            return apply(cls, *args, **kwargs)
        finally:
            _close(event)

    def timed_run_backward(node, grads, arrays=False):
        event = _open(node._name)
        try:
            return run_backward(node, grads, arrays)
        finally:
            _close(event)

    def timed_accumulate(var, g, create_graph):
        event = _open("AccumulateGrad")
        try:
            return accumulate(var, g, create_graph)
        finally:
            _close(event)

    Function.apply = classmethod(timed_apply)
    BackwardCFunction._run_backward = timed_run_backward
    engine._accumulate = timed_accumulate
    function._arrays_allowed[0] = False


def _uninstall():
    Function.apply = _original["apply"]
    BackwardCFunction._run_backward = _original["run_backward"]
    engine._accumulate = _original["accumulate"]
    function._arrays_allowed[0] = True
    _original.clear()


# --- the user API -------------------------------------------------------------------------------
class profile:
    """Context manager that records the ops run inside it (``torch.autograd.profiler.profile``).

    Only CPU time exists in ember. ``record_shapes=True`` keeps each op's input shapes
    (``key_averages(group_by_input_shape=True)``). The other PyTorch options are accepted
    when they ask for nothing ember cannot do.
    """

    def __init__(self, enabled=True, *, use_cuda=False, use_device=None, record_shapes=False,
                 with_flops=False, profile_memory=False, with_stack=False, with_modules=False,
                 use_kineto=False, use_cpu=True, experimental_config=None, acc_events=False):
        if use_cuda or use_device not in (None, "cpu"):
            raise RuntimeError("ember's profiler records CPU time only: ember runs on the CPU")
        if not use_cpu:
            raise RuntimeError("ember's profiler records CPU time only; use_cpu=False would record nothing")
        wanted = dict(with_flops=with_flops, profile_memory=profile_memory, with_stack=with_stack,
                      with_modules=with_modules)
        for option, value in wanted.items():
            if value:
                raise NotImplementedError(f"profile({option}=True) is not implemented in ember: it records "
                                          "op names, call counts, times and (record_shapes=True) input shapes")
        self.enabled = enabled
        self.record_shapes = record_shapes
        self._events = []
        self._running = False

    def __enter__(self):
        if not self.enabled:
            return self
        if _active[0] is not None:
            raise RuntimeError("Profiler is already enabled: profiles cannot be nested")
        self._events = []
        _active[0] = self
        _install(self.record_shapes)
        self._running = True
        return self

    def __exit__(self, *exc):
        if self._running:
            _uninstall()
            _active[0] = None
            _local.stack = []
            self._running = False
        return False

    def _check_finished(self):
        if self._running:
            raise RuntimeError("Profiler didn't finish running")

    def events(self):
        """Every recorded call, in the order they started."""
        self._check_finished()
        return EventList(self._events)

    function_events = property(events)

    def key_averages(self, group_by_input_shape=False):
        return self.events().key_averages(group_by_input_shape)

    def total_average(self):
        return self.events().total_average()

    @property
    def self_cpu_time_total(self):
        return self.events().self_cpu_time_total

    def table(self, sort_by=None, row_limit=100, max_name_column_width=55, header=None,
              top_level_events_only=False):
        return self.events().table(sort_by, row_limit, max_name_column_width, header, top_level_events_only)

    def export_chrome_trace(self, path):
        self.events().export_chrome_trace(path)

    def __str__(self):
        return self.table()


class record_function:
    """Label a region of code: it appears in the profile as one event named ``name``, whose
    CPU total includes the ops inside. Use it as ``with record_function("name"):`` or as a
    decorator. Outside a profile it does nothing."""

    def __init__(self, name, args=None):
        self.name = name
        self.args = args
        self._event = None

    def __enter__(self):
        if _active[0] is not None:
            self._event = _open(self.name, is_user_annotation=True)
        return self

    def __exit__(self, *exc):
        if self._event is not None:
            _close(self._event)
            self._event = None
        return False

    def __call__(self, fn):
        import functools

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with record_function(self.name, self.args):
                return fn(*args, **kwargs)
        return wrapper


# --- the table ----------------------------------------------------------------------------------
def _format_time(us):
    if us >= 1e6:
        return f"{us / 1e6:.3f}s"
    if us >= 1e3:
        return f"{us / 1e3:.3f}ms"
    return f"{us:.3f}us"


def _format_share(us, total):
    return f"{us * 100.0 / total:.2f}%" if total else "NaN"


def _build_table(events, sort_by, row_limit, max_name_width, header, top_level_only):
    """PyTorch's layout: a right-aligned name column, then 12-wide columns, two spaces apart."""
    if top_level_only:
        events = [e for e in events if getattr(e, "cpu_parent", None) is None]
    if not events:
        return ""
    total = sum(e.self_cpu_time_total for e in events)
    rows = list(events)
    if sort_by is not None:
        rows.sort(key=lambda e: getattr(e, sort_by), reverse=True)
    if row_limit is not None and row_limit > 0:
        rows = rows[:row_limit]

    name_width = max(len(e.key) for e in events) + 4
    if max_name_width is not None:
        name_width = min(name_width, max_name_width)
    with_shapes = any(getattr(e, "input_shapes", None) is not None for e in rows)
    columns = [("Name", name_width), ("Self CPU %", 12), ("Self CPU", 12), ("CPU total %", 12),
               ("CPU total", 12), ("CPU time avg", 12), ("# of Calls", 12)]
    if with_shapes:
        columns.append(("Input Shapes", max(12, max(len(str(e.input_shapes)) for e in rows) + 2)))

    def line(cells):
        return "".join(f"{c:>{w}}  " for c, (_, w) in zip(cells, columns))
    separator = "".join("-" * w + "  " for _, w in columns)

    out = []
    if header is not None:
        out += ["=" * len(separator), header]
    out += [separator, line([name for name, _ in columns]), separator]
    for e in rows:
        name = e.key if len(e.key) <= name_width - 3 else e.key[:name_width - 6] + "..."
        cells = [name, _format_share(e.self_cpu_time_total, total), _format_time(e.self_cpu_time_total),
                 _format_share(e.cpu_time_total, total), _format_time(e.cpu_time_total),
                 _format_time(e.cpu_time), str(e.count)]
        if with_shapes:
            cells.append(str(e.input_shapes) if e.input_shapes is not None else "")
        out.append(line(cells))
    out += [separator, f"Self CPU time total: {_format_time(total)}", ""]
    return "\n".join(out)
