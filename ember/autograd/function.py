"""``autograd.Function``: one class declares an operation's forward and its backward.

Every differentiable operation in ember is a ``Function`` subclass, exactly like the ones
users write::

    class Exp(Function):
        @staticmethod
        def forward(ctx, x):            # runs without recording a graph
            y = np.exp(x._data)
            ctx.save_for_backward(y)    # tensors the backward needs
            return y                    # an ndarray or a Tensor; several as a tuple
        @staticmethod
        def backward(ctx, grad):        # d exp(x)/dx = exp(x): reuse the output
            y, = ctx.saved_tensors
            return grad * y             # written with ember ops, so it is differentiable too

``Function.apply`` runs ``forward`` with grad mode off and, when any input requires grad
and grad mode is on, makes the ``ctx`` object the outputs' ``grad_fn``: the node of the
backward graph. The node keeps one *edge* per forward argument: where that input's gradient
must go (its own ``grad_fn`` and output number, or the leaf's gradient accumulator), plus
the input's shape and dtype so the engine can check what ``backward`` returns.
"""
import itertools
import weakref

import numpy as np

from . import grad_mode
from .. import _dtype

_grad = grad_mode._state
_sequence = itertools.count()
_NO_GRADS = [(False,) * n for n in range(16)]
Tensor = None  # ember._tensor sets this once the class exists (the two modules import each other)
_anomaly = [False]  # set by detect_anomaly; read by apply and the engine
# False while the profiler records: every backward then computes on tensors, so the ops of
# its formula show up as the node's children, as in PyTorch's profiler
_arrays_allowed = [True]

FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward.")


class Node:
    """A node of the backward graph (PyTorch's ``grad_fn`` objects)."""

    # Class-level defaults: creating a node costs no attribute writes, which matters because
    # every recorded op creates one.
    _next = ()
    _saved = None
    _seq = -1
    _n_out = 1
    _tensor_hooks = _retain = _hooks = _prehooks = _meta = None
    _non_tensor_args = ()  # positions of forward arguments that were not tensors

    _name = "Node"

    def name(self):
        # nodes PyTorch writes in C++ rather than generates are named with their namespace
        return "torch::autograd::CopySlices" if self._name == "CopySlices" else self._name

    def __repr__(self):
        return f"<{self._name} object at {hex(id(self))}>"

    @property
    def next_functions(self):
        return tuple((None, 0) if e is None else (e[0], e[1]) for e in self._next)

    @property
    def metadata(self):
        if self._meta is None:
            self._meta = {}
        return self._meta

    def register_hook(self, fn):
        """``fn(grad_inputs, grad_outputs)`` runs after this node's backward; it may return
        replacement ``grad_inputs``."""
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(fn)
        return _RemovableHandle(self._hooks, fn)

    def register_prehook(self, fn):
        """``fn(grad_outputs)`` runs before this node's backward; it may return new ones."""
        if self._prehooks is None:
            self._prehooks = []
        self._prehooks.append(fn)
        return _RemovableHandle(self._prehooks, fn)


class _RemovableHandle:
    """What ``register_hook`` returns: ``handle.remove()`` unregisters the hook."""

    def __init__(self, container, item):
        self._ref = (container, item)

    def remove(self):
        container, item = self._ref
        if isinstance(container, dict):
            container.pop(item, None)
        elif item in container:
            container.remove(item)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


class AccumulateGrad(Node):
    """The node at a leaf: adds the incoming gradient into ``variable.grad``."""

    _name = "AccumulateGrad"

    def __init__(self, variable):
        self.variable = variable
        self._seq = next(_sequence)  # made before any op that uses the leaf: see engine

    def name(self):
        return "torch::autograd::AccumulateGrad"  # PyTorch's C++ name for its leaf node


def grad_edge(t):
    """Where the gradient of tensor ``t`` (which requires grad) must be sent; None for a
    view made in no_grad mode, which requires grad only through its base and, as in
    PyTorch, accumulates nothing."""
    fn = t._grad_fn
    view = t._view
    if view is not None and (view[0] != t._vc[0] or view[1] == "no_grad"):
        fn = t.grad_fn  # a view whose memory changed in place: its history is rebuilt
        if fn is None and view[1] == "no_grad":
            return None
    if fn is None:
        meta = t._meta_dict()
        ref = meta.get("grad_accumulator")
        fn = ref() if ref is not None else None
        if fn is None:
            fn = AccumulateGrad(t)
            meta["grad_accumulator"] = weakref.ref(fn)
    return (fn, t._output_nr, t._data.shape, t._data.dtype)


class _SavedOutput:
    """A saved output of the node itself. Holding the output Tensor would make a reference
    cycle (tensor -> grad_fn -> tensor), so keep its array and rebuild it when unpacked.
    ``_data`` and ``_vc`` are named as on a Tensor: ``saved_values`` reads both alike."""

    __slots__ = ("_data", "_vc", "output_nr", "requires_grad")


class BackwardCFunction(Node):
    """The ``ctx`` of a ``Function``: passed to ``forward``, then kept as the outputs'
    ``grad_fn``. ``Function`` subclasses get a subclass of this named ``<Name>Backward``."""

    _forward_cls = None
    _to_save = _non_diff = _dirty = _out_meta = None
    _materialize = True
    _array_backward = False  # copied from the Function class; an instance may turn it off
    _backward = None  # the Function's backward, for the engine to call directly

    @property
    def next_functions(self):
        """One (node, output number) pair per input PyTorch counts: by default the tensor
        arguments of forward; a Function's ``_graph_inputs`` overrides that with a count (its
        first n arguments: later ones are options or non-differentiable weights) or with
        positions (arithmetic counts a Python number operand, as PyTorch wraps it)."""
        shown = self._forward_cls._graph_inputs
        if shown is None:
            shown = [i for i in range(len(self._next)) if i not in self._non_tensor_args]
        elif isinstance(shown, int):
            shown = range(min(shown, len(self._next)))
        return tuple((None, 0) if self._next[i] is None else self._next[i][:2] for i in shown if i < len(self._next))

    # --- the API users call inside forward ------------------------------------------------
    def save_for_backward(self, *tensors):
        """Keep tensors for ``backward``; they are checked for in-place changes when read."""
        self._to_save = tensors

    def mark_non_differentiable(self, *tensors):
        """Outputs that never get a gradient (indices, masks)."""
        self._non_diff = tensors

    def mark_dirty(self, *tensors):
        """Inputs that forward modified in place (they become outputs of this node)."""
        self._dirty = tensors

    def set_materialize_grads(self, value):
        """Whether ``backward`` sees zeros (True, the default) or None for unused outputs."""
        self._materialize = value

    @property
    def saved_tensors(self):
        saved = self._saved
        if saved is None:
            return self._to_save or ()
        if saved is False:
            raise RuntimeError(FREED_MESSAGE)
        out = []
        for entry in saved:
            if entry is None:
                out.append(None)
                continue
            t, version = entry
            if t.__class__ is _SavedOutput:
                s = t
                t = Tensor._make(s._data)
                t._vc = s._vc
                if s.requires_grad:
                    t._requires_grad = True
                    t.grad_fn = self
                    t._output_nr = s.output_nr
            if t._vc[0] != version:
                raise RuntimeError(_modified_message(t, version))
            out.append(t)
        return tuple(out)

    saved_variables = saved_tensors

    @property
    def saved_values(self):
        """``saved_tensors`` for a backward that also runs on arrays (``_array_backward``):
        their ndarrays when the engine runs this node on arrays (first order, grad mode off),
        else the tensors (``create_graph``, the profiler, or a node that turned
        ``_array_backward`` off). Versions are checked either way."""
        saved = self._saved
        if _grad[0] or not saved or not self._array_backward or not _arrays_allowed[0]:
            return self.saved_tensors
        out = []
        for entry in saved:
            if entry is None:
                out.append(None)
            elif entry[0]._vc[0] != entry[1]:
                return self.saved_tensors  # raises the modified-in-place error, naming the tensor
            else:
                out.append(entry[0]._data)
        return out

    # --- what the engine calls --------------------------------------------------------------
    def _run_backward(self, grads, arrays=False):
        """Run ``backward`` on the gradients of this node's outputs; return one gradient per
        forward argument. With ``arrays`` (the engine's first-order mode) ``grads`` are
        ndarrays and so are the results: an ``_array_backward`` op computes on them
        directly; any other backward gets them wrapped as tensors and its results unwrapped."""
        # only a node of several outputs can get None (an output nothing used)
        if self._out_meta is not None and self._materialize and any(g is None for g in grads):
            grads = [(np.zeros(s, d) if arrays else Tensor._make(np.zeros(s, d))) if g is None else g
                     for g, (s, d) in zip(grads, self._out_meta)]
        wrapped = arrays and not (self._array_backward and _arrays_allowed[0])
        if wrapped:
            grads = [None if g is None else Tensor._make(g) for g in grads]
        result = self._forward_cls.backward(self, *grads)
        if result.__class__ is not tuple:
            result = (result,) if not isinstance(result, list) else tuple(result)
        n = len(self._next)
        if len(result) != n:
            if not (len(result) > n and all(r is None for r in result[n:])):
                raise RuntimeError(f"function {self._name} returned an incorrect number of gradients "
                                   f"(expected {n}, got {len(result)})")
            result = result[:n]
        if wrapped:  # a backward written for tensors must return tensors, as in PyTorch
            result = [r if r is None else r._data if isinstance(r, Tensor) else _not_a_tensor(r) for r in result]
        return result  # the engine checks each gradient (_checked) as it passes it on


def _checked(node, g, arrays):
    """A returned gradient as the engine keeps it: an ndarray in first-order mode (NumPy
    gives the 0-d results of array arithmetic as scalars), else a Tensor; or None."""
    if g is None or (g.__class__ is np.ndarray if arrays else isinstance(g, Tensor)):
        return g
    if arrays and isinstance(g, np.generic) and node._array_backward:
        return np.asarray(g)
    return _not_a_tensor(g)


def _not_a_tensor(g):
    kind = type(g)
    name = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    raise RuntimeError(f"expected Variable or None (got {name})")  # PyTorch's words


def _modified_message(t, version):
    import re
    from .._tensor import _legacy_type_name
    where = ""
    if t.grad_fn is not None:  # PyTorch names the forward op: MulBackward0 -> Mul
        where = f", which is output {t._output_nr} of {re.sub(r'Backward[0-9]*$', '', t.grad_fn.name())},"
    return ("one of the variables needed for gradient computation has been modified by an inplace "
            f"operation: [{_legacy_type_name(t)} {list(t._data.shape)}]{where} is at version "
            f"{t._vc[0]}; expected version {version} instead. Hint: enable anomaly detection to find "
            "the operation that failed to compute its gradient, with "
            "torch.autograd.set_detect_anomaly(True, check_nan=False).")


class FunctionMeta(type):
    """Gives each ``Function`` subclass its own node class, named like PyTorch's."""

    def __init__(cls, name, bases, attrs):
        super().__init__(name, bases, attrs)
        node_name = attrs.get("_backward_name", name + "Backward")
        cls._node_cls = type(node_name, (BackwardCFunction,), {
            "_forward_cls": cls, "_name": node_name, "_array_backward": cls._array_backward,
            "_backward": staticmethod(cls.backward)})


class Function(metaclass=FunctionMeta):
    """Base class of differentiable operations: subclass it and define static ``forward``
    and ``backward``; call it with ``MyFunction.apply(*args)``."""

    _graph_inputs = None  # see BackwardCFunction.next_functions
    # True when ``backward`` is written so that it also computes on ndarrays: gradients
    # and ``ctx.saved_values`` are arrays in the engine's first-order mode, where wrapping
    # every intermediate gradient in a Tensor would cost more than the arithmetic itself.
    # Such a backward returns a tuple (trailing Nones for options may run past the inputs).
    _array_backward = False

    def __init__(self, *args, **kwargs):
        raise RuntimeError("Legacy autograd function with non-static forward method is deprecated. "
                           "Please use new-style autograd function with static forward method. "
                           "(Example: https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)")

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for your custom "
                                  "autograd.Function to use it with backward mode AD.")

    vjp = backward

    @classmethod
    def apply(cls, *args, **kwargs):
        ctx = cls._node_cls()
        if not _grad[0]:  # inside backward or no_grad: nothing to record, nothing to switch
            ctx.needs_input_grad = _NO_GRADS[len(args)] if len(args) < 16 else (False,) * len(args)
            return _wrap_plain(cls.forward(ctx, *args, **kwargs))
        for a in args:
            if (a.__class__ is Tensor or isinstance(a, Tensor)) and a._requires_grad:
                break
        else:  # no argument requires grad: nothing to record
            n = len(args)
            ctx.needs_input_grad = _NO_GRADS[n] if n < 16 else (False,) * n
            _grad[0] = False
            try:
                out = cls.forward(ctx, *args, **kwargs)
            finally:
                _grad[0] = True
            return _wrap_plain(out)
        # one pass over the arguments: which need a gradient, and where each gradient goes
        # (edges are taken before forward runs: an in-place forward changes its input's grad_fn)
        needs, edges, others, i = [], [], None, 0
        for a in args:
            if a.__class__ is Tensor or isinstance(a, Tensor):
                if a._requires_grad:
                    edges.append(grad_edge(a))
                    needs.append(True)
                    i += 1
                    continue
            elif others is None:
                others = (i,)
            else:
                others += (i,)
            edges.append(None)
            needs.append(False)
            i += 1
        _grad[0] = False
        ctx.needs_input_grad = tuple(needs)
        ctx._next = tuple(edges)
        if others is not None:
            ctx._non_tensor_args = others
        try:
            out = cls.forward(ctx, *args, **kwargs)
        finally:
            _grad[0] = True
        ctx._seq = next(_sequence)
        if _anomaly[0]:
            from .anomaly_mode import record_forward_trace
            record_forward_trace(ctx)
        if out.__class__ is np.ndarray and ctx._dirty is None and ctx._non_diff is None:
            return _wire_array(ctx, args, out)
        return _wire_outputs(ctx, args, out)


def _as_tensor_output(o):
    if o.__class__ is np.ndarray:
        return Tensor._make(o)
    if isinstance(o, np.generic):
        return Tensor._make(np.asarray(o))
    return o


def _wrap_plain(out):
    """Outputs of an op that records no graph: ndarrays become Tensors."""
    if out.__class__ is np.ndarray:
            return Tensor._make(out)
    if out.__class__ is tuple:
        return tuple(_as_tensor_output(o) for o in out)
    return _as_tensor_output(out)


def _wire_array(ctx, args, out):
    """``_wire_outputs`` for the common case: one fresh array, with at most the inputs (or
    that array itself) saved."""
    o = Tensor._make(out)
    if out.dtype.kind == "f":
        o._requires_grad = True
        o._grad_fn = ctx
    to_save = ctx._to_save
    if to_save is None:
        ctx._saved = ()
        return o
    saved = []  # a plain loop: generator expressions cost more than the work here
    for t in to_save:
        if t is None:
            saved.append(None)
        elif t is out and o._requires_grad:  # its own output: kept without a cycle
            so = _SavedOutput()
            so._data, so._vc, so.output_nr, so.requires_grad = out, o._vc, 0, True
            saved.append((so, 0))
        elif (t.__class__ is Tensor or isinstance(t, Tensor)) and t._grad_fn is not ctx:
            saved.append((t, t._vc[0]))
        else:
            return _wire_outputs(ctx, args, o)  # saves something else: the general path
    ctx._saved = saved
    ctx._to_save = None
    return o


def _wire_outputs(ctx, args, out):
    """Make ``ctx`` the ``grad_fn`` of every differentiable output and settle saved tensors."""
    single = out.__class__ is not tuple
    outs = (out,) if single else out
    non_diff = ctx._non_diff
    dirty = ctx._dirty
    wrapped = []
    for i, o in enumerate(outs):
        o = _as_tensor_output(o)
        if not isinstance(o, Tensor):
            wrapped.append(o)
            continue
        if dirty is not None and any(o is d for d in dirty):
            if o.grad_fn is None and o._requires_grad:
                raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
        elif any(o is a for a in args):
            o = o._alias()  # an input returned unchanged becomes a new tensor of this node
        if o._data.dtype.kind == "f" and (non_diff is None or not any(o is n for n in non_diff)):
            o._requires_grad = True
            o._grad_fn = ctx
            o._output_nr = i
        wrapped.append(o)
    ctx._n_out = len(outs)
    if not single:
        ctx._out_meta = [(o._data.shape, o._data.dtype) if isinstance(o, Tensor) else ((), np.float32)
                         for o in wrapped]
    to_save = ctx._to_save
    saved = []
    if to_save:
        for t in to_save:
            if t is None:
                saved.append(None)
                continue
            if t.__class__ is np.ndarray:
                # an op may save its output's array; it stands for that output
                arr = t
                t = next((o for o in wrapped if isinstance(o, Tensor) and o._data is arr), None)
                if t is None:
                    t = Tensor._make(arr)
            if t.grad_fn is ctx:
                s = _SavedOutput()
                s._data, s._vc, s.output_nr, s.requires_grad = t._data, t._vc, t._output_nr, True
                saved.append((s, t._vc[0]))
            else:
                saved.append((t, t._vc[0]))
        ctx._to_save = None
    ctx._saved = saved
    return wrapped[0] if single else tuple(wrapped)


def once_differentiable(fn):
    """Decorator for ``backward``: it runs with grad mode off (no double backward)."""
    import functools

    @functools.wraps(fn)
    def wrapper(ctx, *args):
        with grad_mode.no_grad():
            return fn(ctx, *args)
    return wrapper
