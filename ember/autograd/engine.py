"""The backward engine: walk the graph once, from the outputs to the leaves.

``run_backward`` does what ``Tensor.backward`` and ``autograd.grad`` need:

1. Order the nodes reachable from the outputs so that every node runs after all nodes that
   send it gradient (a reverse post-order of a depth-first search: a topological order).
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
import sys

import numpy as np

from . import grad_mode
from .function import AccumulateGrad, grad_edge, _anomaly

_grad = grad_mode._state


def _topological_order(roots):
    """Nodes reachable from ``roots``, each before every node it sends gradient to."""
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
    """Check the ``i``-th gradient a node returned against its input's shape and dtype."""
    from .._tensor import Tensor
    if not isinstance(g, Tensor):
        raise TypeError(f"function {node.name()} returned a gradient of type {type(g).__name__} "
                        f"at index {i}, expected a Tensor or None")
    shape, dtype = edge[2], edge[3]
    if g._data.shape != shape:
        from .._size import Size
        try:
            np.broadcast_shapes(shape, g._data.shape)
            ok = np.broadcast_shapes(shape, g._data.shape) == g._data.shape
        except ValueError:
            ok = False
        if not ok:
            raise RuntimeError(f"Function {node.name()} returned an invalid gradient at index {i} - got "
                               f"{list(g._data.shape)} but expected shape compatible with {list(shape)}")
        g = g.sum_to_size(Size(shape))
    if g._data.dtype != dtype:
        g = g.to(dtype=_np_to_dtype(dtype))
    return g


def _np_to_dtype(np_dtype):
    from .._dtype import from_numpy_dtype
    return from_numpy_dtype(np_dtype)


def _accumulate(var, g, create_graph):
    """AccumulateGrad: run the leaf's hooks, then add ``g`` into ``var.grad``."""
    meta = var._meta
    if meta is not None:
        for hook in meta.get("hooks", {}).values():
            r = hook(g)
            if r is not None:
                g = r
    old = var._grad
    if old is None:
        if create_graph:
            var._grad = g
        elif _owned(g):
            var._grad = g  # a fresh buffer nobody else holds: keep it, as PyTorch does
        else:
            var._grad = g.detach().clone()
    elif create_graph or old._requires_grad:
        var._grad = old + g
    else:
        np.add(old._data, g._data, out=old._data, casting="unsafe")
        old._vc[0] += 1
    if meta is not None:
        for hook in meta.get("post_accumulate_hooks", {}).values():
            hook(var)


def _owned(g):
    """True when only the engine holds ``g`` and its array, so ``.grad`` may keep it.

    The engine's local name, this call's argument, ``_accumulate``'s argument and
    getrefcount's own argument are the expected references to ``g``; the Tensor, the local
    ``a`` and getrefcount's argument to the array (and, for a view, only the view to each
    base below it). Any other holder (another edge that got the same tensor, the user's
    ``gradient=``, a retained grad, a tensor sharing a base) means the memory may be reused
    elsewhere, so ``.grad`` gets a copy: in-place accumulation must not touch it.
    """
    a = g._data
    if g._requires_grad or not a.flags.writeable or sys.getrefcount(g) > _OWN_REFS or sys.getrefcount(a) > 3:
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
    """
    buffers = {}
    roots = []
    for t, g in zip(tensors, grad_tensors):
        edge = grad_edge(t)
        node = edge[0]
        buf = buffers.get(node)
        if buf is None:
            buffers[node] = buf = [None] * node._n_out
            roots.append(node)
        nr = edge[1]
        buf[nr] = g if buf[nr] is None else buf[nr] + g

    order = _topological_order(roots)

    capture = None  # (node, output_nr) -> position in inputs
    if inputs is not None:
        capture = {}
        for i, t in enumerate(inputs):
            e = grad_edge(t)
            capture.setdefault((e[0], e[1]), []).append(i)
        needed = _needed(order, {key[0] for key in capture})
        results = [None] * len(inputs)
    else:
        needed = None

    prev = _grad[0]
    _grad[0] = create_graph
    try:
        for node in order:
            buf = buffers.pop(node, None)
            if buf is None or (needed is not None and node not in needed):
                continue
            if node._tensor_hooks is not None:
                for nr, hooks in node._tensor_hooks.items():
                    if buf[nr] is not None:
                        for hook in list(hooks.values()):
                            r = hook(buf[nr])
                            if r is not None:
                                buf[nr] = r
            if node._retain is not None:
                for nr, ref in node._retain.items():
                    t = ref()
                    if t is not None and buf[nr] is not None:
                        g = buf[nr]
                        if t._grad is None:
                            t._grad = g if create_graph else g.detach().clone()
                        else:
                            t._grad = t._grad + g
            if node._prehooks is not None:
                for hook in node._prehooks:
                    r = hook(tuple(buf))
                    if r is not None:
                        buf = list(r)
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
            grads = node._run_backward(buf)
            if node._hooks is not None:
                for hook in node._hooks:
                    r = hook(grads, tuple(buf))
                    if r is not None:
                        grads = tuple(r)
            if _anomaly[0]:
                from .anomaly_mode import check_gradients
                check_gradients(node, grads)
            if not retain_graph and node._saved:
                node._saved = False
            for i, (edge, g) in enumerate(zip(node._next, grads)):
                if edge is None or g is None:
                    continue
                if g._data.shape != edge[2] or g._data.dtype != edge[3]:
                    g = _fit_gradient(node, i, g, edge)
                nxt = edge[0]
                nbuf = buffers.get(nxt)
                if nbuf is None:
                    buffers[nxt] = nbuf = [None] * nxt._n_out
                nr = edge[1]
                nbuf[nr] = g if nbuf[nr] is None else nbuf[nr] + g
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
    return results


def _freed_message():
    from .function import FREED_MESSAGE
    return FREED_MESSAGE
