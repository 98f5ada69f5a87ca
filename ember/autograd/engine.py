"""The backward engine: walk the graph once, from the outputs to the leaves.

``run_backward`` does what ``Tensor.backward`` and ``autograd.grad`` need:

1. Run the nodes so that each runs after every node that sends it gradient. Each node
   carries a sequence number from when its forward ran, and an op's inputs were all made
   before it, so taking the pending node with the highest number first (a heap, as
   PyTorch's engine does) is such an order; no search of the graph is needed beforehand.
2. Run each node once: sum the gradients that reached each of its outputs (the chain rule's
   sum over paths), run tensor hooks, call ``backward``, check each returned gradient against
   the input it belongs to (a broadcast input gets its gradient summed back to its shape,
   ``sum_to_size``, exactly as PyTorch's engine does), and pass it along the edge.
3. At a leaf, ``AccumulateGrad`` adds the gradient into ``.grad``; or, for
   ``autograd.grad(outputs, inputs)``, the gradient is captured instead and only the part of
   the graph that leads to ``inputs`` runs.
4. Unless ``retain_graph``, saved tensors are freed as each node finishes, so a second
   backward through them raises PyTorch's error.

With ``create_graph=True`` the backward formulas run with grad mode on; since they are
written with ember's own ops they record a graph of their own: higher derivatives.
"""
import heapq
import sys

import numpy as np

from . import grad_mode
from . import function as _function
from .._size import expands_to
from .function import AccumulateGrad, grad_edge, _anomaly, _arrays_allowed, _checked

_grad = grad_mode._state


def _topological_order(roots):
    """Nodes reachable from ``roots``, each before every node it sends gradient to (for
    ``autograd.grad``, which runs only the part of the graph that leads to its inputs)."""
    order, seen = [], set()
    stack = [(n, False) for n in roots]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if node in seen:
            continue
        seen.add(node)
        stack.append((node, True))
        for edge in node._next:
            if edge is not None and edge[0] not in seen:
                stack.append((edge[0], False))
    order.reverse()
    return order


def _needed(order, targets):
    """Nodes that lie on a path to one of ``targets`` (nodes whose gradients are wanted)."""
    needed = set(targets)
    for node in reversed(order):  # children before parents
        if node not in needed:
            for edge in node._next:
                if edge is not None and edge[0] in needed:
                    needed.add(node)
                    break
    return needed


def _fit_gradient(node, i, g, edge):
    """Check the ``i``-th gradient a node returned (an ndarray in first-order mode, else a
    Tensor) against its input's shape and dtype: a gradient of a broadcast input is summed
    back to the input's shape, one of another dtype is cast to the input's."""
    shape, dtype = edge[2], edge[3]
    if g.shape != shape:
        if not expands_to(shape, g.shape):
            raise RuntimeError(f"Function {node.name()} returned an invalid gradient at index {i} - got "
                               f"{list(g.shape)} but expected shape compatible with {list(shape)}")
        if g.__class__ is np.ndarray:
            from .._ops.reduction import sum_to_shape
            g = sum_to_shape(g, shape)
        else:
            from .._size import Size
            g = g.sum_to_size(Size(shape))
    if g.dtype != dtype:
        g = g.astype(dtype) if g.__class__ is np.ndarray else g.to(dtype=_np_to_dtype(dtype))
    return g


def _np_to_dtype(np_dtype):
    from .._dtype import from_numpy_dtype
    return from_numpy_dtype(np_dtype)


def _accumulate(var, g, create_graph):
    """AccumulateGrad: run the leaf's hooks, then add ``g`` into ``var.grad``. ``g`` is an
    ndarray in first-order mode and a Tensor (part of a graph) with ``create_graph``."""
    Tensor = _function.Tensor
    meta = var._meta
    if meta is not None and meta.get("hooks"):
        t = g if create_graph else Tensor._make(g)
        for hook in meta["hooks"].values():
            r = hook(t)
            if r is not None:
                t = r
        g = t if create_graph else t._data
        del t, r
    old = var._grad
    if create_graph:
        var._grad = g if old is None else old + g
    elif old is None:
        # a fresh buffer nobody else holds is kept as .grad, as PyTorch does; anything
        # shared (see _owned) is copied, since later accumulation writes into .grad
        var._grad = Tensor._make(g if _owned(g) else g.copy())
    elif old._requires_grad:
        var._grad = old + Tensor._make(g)
    else:
        np.add(old._data, g, out=old._data, casting="unsafe")
        old._vc[0] += 1
    if meta is not None and meta.get("post_accumulate_hooks"):
        for hook in meta["post_accumulate_hooks"].values():
            hook(var)


def _owned(a):
    """True when only the engine holds the gradient array ``a``, so ``.grad`` may keep it.

    The engine's local name, ``_accumulate``'s argument, this call's argument and
    getrefcount's own argument are the expected references (and, for a view, only the view
    to each base below it). Any other holder (another edge that got the same array, the
    user's ``gradient=``, a retained grad, a saved tensor) means the memory may be reused
    elsewhere, so ``.grad`` gets a copy: in-place accumulation must not touch it.
    """
    if not a.flags.writeable or sys.getrefcount(a) > _OWN_REFS:
        return False
    base = a.base  # a view (a bias gradient reshaped from a reduction) is fine if nothing
    while base is not None:  # else holds the memory under it: its base, the local name, the call
        if not isinstance(base, np.ndarray) or sys.getrefcount(base) > 3:
            return False
        base = base.base
    return True


_OWN_REFS = 4


def run_backward(tensors, grad_tensors, retain_graph, create_graph, inputs=None,
                 allow_unused=False, accumulate=True):
    """Propagate ``grad_tensors`` from ``tensors`` back through the graph.

    With ``inputs`` and ``accumulate=False`` (``autograd.grad``) returns the gradients of
    those inputs; with ``accumulate=True`` (``backward``) adds them into ``.grad``.

    Without ``create_graph`` (first-order mode) the gradients travel as bare ndarrays: no
    Tensor is made for an intermediate gradient unless a hook or a backward written for
    tensors needs one. With ``create_graph`` they are Tensors, so the backward is recorded.
    """
    Tensor = _function.Tensor
    arrays = not create_graph
    wrap = Tensor._make if arrays else _same
    unwrap = _data if arrays else _same
    kept = np.ndarray if arrays else Tensor  # what a returned gradient should be
    buffers = {}  # node -> the gradients of its outputs received so far; also "pending"
    pending = []  # heap of (-sequence number, node): the latest-made pending node first
    for t, g in zip(tensors, grad_tensors):
        edge = grad_edge(t)
        if edge is None:
            continue
        node = edge[0]
        buf = buffers.get(node)
        if buf is None:
            buffers[node] = buf = [None] * node._n_out
            heapq.heappush(pending, (-node._seq, node))
        nr = edge[1]
        g = unwrap(g)
        buf[nr] = g if buf[nr] is None else _sum(buf[nr], g)

    capture = needed = None  # capture: (node, output_nr) -> positions in inputs
    if inputs is not None:
        capture = {}
        for i, t in enumerate(inputs):
            e = grad_edge(t)
            if e is not None:
                capture.setdefault((e[0], e[1]), []).append(i)
        needed = _needed(_topological_order([n for _, n in pending]), {key[0] for key in capture})
        results = [None] * len(inputs)

    prev = _grad[0]
    _grad[0] = create_graph
    try:
        while pending:
            node = heapq.heappop(pending)[1]
            buf = buffers.pop(node)
            if needed is not None and node not in needed:
                continue
            if node._tensor_hooks is not None or node._retain is not None or node._prehooks is not None:
                buf = _before_node(node, buf, create_graph, wrap, unwrap)
            if capture is not None:
                for nr in range(node._n_out):
                    for i in capture.get((node, nr), ()):
                        results[i] = buf[nr]
                if not accumulate and node.__class__ is AccumulateGrad:
                    continue
            if node.__class__ is AccumulateGrad:
                if buf[0] is not None and (capture is None or (node, 0) in capture):
                    g, buf[0] = buf[0], None
                    _accumulate(node.variable, g, create_graph)
                    del g
                continue
            if capture is not None and not any(e is not None and e[0] in needed for e in node._next):
                continue  # a captured non-leaf whose inputs nobody asked for
            if node._saved is False:
                raise RuntimeError(_freed_message())
            if arrays and node._array_backward and node._n_out == 1 and _arrays_allowed[0]:
                grads = node._backward(node, buf[0])  # the common case, without _run_backward's checks
            else:
                grads = node._run_backward(buf, arrays)
            if node._hooks is not None or _anomaly[0]:
                grads = _after_node(node, grads, buf, arrays, wrap, unwrap)
            if not retain_graph and node._saved:
                node._saved = False
            i = -1
            for edge, g in zip(node._next, grads):
                i += 1
                if edge is None or g is None:
                    continue
                if g.__class__ is not kept:
                    g = _checked(node, g, arrays)
                if g.shape != edge[2] or g.dtype != edge[3]:
                    g = _fit_gradient(node, i, g, edge)
                nxt = edge[0]
                nbuf = buffers.get(nxt)
                if nbuf is None:
                    buffers[nxt] = nbuf = [None] * nxt._n_out
                    heapq.heappush(pending, (-nxt._seq, nxt))
                nr = edge[1]
                nbuf[nr] = g if nbuf[nr] is None else _sum(nbuf[nr], g)
            # drop this node's references, so a gradient a leaf receives next is held by the
            # buffers alone and AccumulateGrad may keep it instead of copying it (_owned)
            grads = g = None
    finally:
        _grad[0] = prev

    if inputs is None:
        return None
    for i, r in enumerate(results):
        if r is None and not allow_unused and not accumulate:
            raise RuntimeError(f"The differentiated Tensor at index {i} appears to not have been used in the graph. "
                               "Set allow_unused=True if this is the desired behavior.")
    return [None if r is None else wrap(r) for r in results]


def _before_node(node, buf, create_graph, wrap, unwrap):
    """Hooks on the node's outputs: tensor hooks (``register_hook`` on a non-leaf), then
    ``retain_grad``, then the node's prehooks. Returns the (maybe replaced) gradients."""
    if node._tensor_hooks is not None:
        for nr, hooks in node._tensor_hooks.items():
            if buf[nr] is not None:
                for hook in list(hooks.values()):
                    r = hook(wrap(buf[nr]))
                    if r is not None:
                        buf[nr] = unwrap(r)
    if node._retain is not None:
        for nr, ref in node._retain.items():
            t = ref()
            if t is not None and buf[nr] is not None:
                g = buf[nr]
                if t._grad is None:
                    t._grad = g if create_graph else wrap(g.copy())
                else:
                    t._grad = t._grad + wrap(g)
    if node._prehooks is not None:
        for hook in node._prehooks:
            r = hook(tuple(None if g is None else wrap(g) for g in buf))
            if r is not None:
                buf = [None if g is None else unwrap(g) for g in r]
    return buf


def _sum(a, b):
    """Two gradients for one output, added (the chain rule's sum over paths). NumPy gives
    the sum of two 0-d arrays as a scalar; the engine keeps arrays."""
    r = a + b
    return np.asarray(r) if isinstance(r, np.generic) else r


def _same(x):
    return x


def _data(t):
    return t._data


def _after_node(node, grads, buf, arrays, wrap, unwrap):
    """The node's own hooks (``grad_fn.register_hook``), then anomaly mode's NaN check."""
    grads = [_checked(node, g, arrays) for g in grads]
    if node._hooks is not None:
        grads_in = tuple(None if g is None else wrap(g) for g in grads)
        grads_out = tuple(None if g is None else wrap(g) for g in buf)
        for hook in node._hooks:
            r = hook(grads_in, grads_out)
            if r is not None:
                grads_in = tuple(r)
        grads = [None if g is None else unwrap(g) for g in grads_in]
    if _anomaly[0]:
        from .anomaly_mode import check_gradients
        check_gradients(node, grads)
    return grads


def _freed_message():
    from .function import FREED_MESSAGE
    return FREED_MESSAGE
