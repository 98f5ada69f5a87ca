"""``torch.autograd.functional``: Jacobians, Hessians and their products with vectors, for a
function given as Python code, built on reverse mode (``autograd.grad``).

For f: R^n -> R^m with Jacobian J (m x n):

* ``vjp(f, x, v)`` = v^T J: one backward pass with ``grad_outputs=v``.
* ``jvp(f, x, v)`` = J v, without forward mode, by the *double-backward trick*: g(u) = u^T J
  is linear in u, so its own vector-Jacobian product with v is (d/du u^T J v) = J v. So take
  g(u) with ``create_graph=True`` for a dummy u, then differentiate g(u) . v with respect to u.
* ``jacobian(f, x)``: row i of J is e_i^T J, one vjp per output element.
* ``hessian(f, x)`` = the Jacobian of x -> grad f(x), for scalar f.
* ``vhp(f, x, v)`` = v^T H (a vjp of grad f); ``hvp(f, x, v)`` = H v (the double-backward
  trick applied to grad f). H is symmetric, so the two agree; both are offered, as in PyTorch.

Inputs are detached copies that require grad, so the user's tensors and their graphs are
untouched; with ``create_graph=True`` the results stay differentiable with respect to them.
An input the function does not use gets a zero gradient (``strict=True`` raises instead).
"""
from .._ops.creation import ones_like, zeros, zeros_like
from .._ops.shape import stack
from .._tensor import Tensor
from . import grad as _grad
from .grad_mode import enable_grad

__all__ = ["vjp", "jvp", "jacobian", "hessian", "vhp", "hvp"]


def _as_tuple(x, arg, fn):
    """(tuple of tensors, whether ``x`` was a tuple)."""
    is_tuple = isinstance(x, tuple)
    xs = tuple(x) if is_tuple else (x,)
    for i, t in enumerate(xs):
        if not isinstance(t, Tensor):
            where = f"The {arg} given to {fn} must be either a Tensor or a tuple of Tensors but the"
            raise TypeError(f"{where} value at index {i} has type {type(t)}." if is_tuple
                            else f"{where} given {arg} has type {type(t)}.")
    return xs, is_tuple


def _prepare(inputs, create_graph):
    """Fresh leaves (or, with create_graph, differentiable aliases) standing for ``inputs``."""
    if create_graph:
        return tuple(t if t.requires_grad else t.detach().requires_grad_() for t in inputs)
    return tuple(t.detach().requires_grad_() for t in inputs)


def _call(func, inputs, is_tuple, fn):
    out = func(*inputs) if is_tuple or len(inputs) > 1 else func(inputs[0])
    outs, out_tuple = _as_tuple(out, "outputs of the user-provided function", fn)
    return outs, out_tuple


def _fill(grads, like, strict, output=0):
    """Zeros for the inputs the function did not use (PyTorch's non-strict behaviour)."""
    res = []
    for i, (g, x) in enumerate(zip(grads, like)):
        if g is None:
            if strict:
                raise RuntimeError(f"Output {output} of the user-provided function is independent of input {i}. This "
                                   "is not allowed in strict mode.")
            g = zeros_like(x)
        res.append(g)
    return tuple(res)


def _vectors(v, outs, outs_tuple, name, fn):
    """``v`` as a tuple matching ``outs`` in shapes; ``name`` says what v multiplies, as in
    PyTorch's message ("user-provided function returns", "input to the user-provided function is")."""
    if v is None:
        if len(outs) != 1 or outs[0].numel() != 1:
            raise RuntimeError(f"The vector v can only be None if the {name} a single Tensor with a single element.")
        return (ones_like(outs[0]),)
    vs, _ = _as_tuple(v, "v", fn)
    if len(vs) != len(outs):
        raise RuntimeError(f"v is a tuple of invalid length: should be {len(outs)} but got {len(vs)}.")
    for i, (a, b) in enumerate(zip(vs, outs)):
        if a.shape != b.shape:
            where = f"Entry {i} in v" if outs_tuple else "v"
            raise RuntimeError(f"{where} has invalid size: should be {b.shape} but got {a.shape}.")
    return vs


def _out(xs, was_tuple):
    return xs if was_tuple else xs[0]


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T J): the outputs and the vector-Jacobian product."""
    with enable_grad():
        xs, is_tuple = _as_tuple(inputs, "inputs", "vjp")
        xs = _prepare(xs, create_graph)
        outs, out_tuple = _call(func, xs, is_tuple, "vjp")
        vs = _vectors(v, outs, out_tuple, "user-provided function returns", "vjp")
        grads = _grad(outs, xs, vs, create_graph=create_graph, allow_unused=True)
        grads = _fill(grads, xs, strict)
    outs = tuple(o if create_graph else o.detach() for o in outs)
    return _out(outs, out_tuple), _out(grads, is_tuple)


def _jacobian_times(outputs, inputs, vs, create_graph):
    """J v for J = d outputs / d inputs, by the double-backward trick: u -> u^T J is linear in
    a dummy u, so the vjp of that map with v is J v. One entry per output (None: independent)."""
    dummies = tuple(zeros_like(o).requires_grad_() for o in outputs)
    g = _grad(outputs, inputs, dummies, create_graph=True, allow_unused=True)
    pairs = [(gi, vi) for gi, vi in zip(g, vs) if gi is not None]
    if not pairs:
        return (None,) * len(outputs)
    return _grad([p[0] for p in pairs], dummies, [p[1] for p in pairs], create_graph=create_graph,
                 allow_unused=True)


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), J v), by the double-backward trick (see the module docstring)."""
    with enable_grad():
        xs, is_tuple = _as_tuple(inputs, "inputs", "jvp")
        xs = _prepare(xs, create_graph)
        vs = _vectors(v, xs, is_tuple, "input to the user-provided function is", "jvp")
        outs, out_tuple = _call(func, xs, is_tuple, "jvp")
        jv = _fill(_jacobian_times(outs, xs, vs, create_graph), outs, strict)
    outs = tuple(o if create_graph else o.detach() for o in outs)
    jv = tuple(j if create_graph else j.detach() for j in jv)
    return _out(outs, out_tuple), _out(jv, out_tuple)


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False, strategy="reverse-mode"):
    """The Jacobian of ``func`` at ``inputs``: for one input and one output, a tensor of shape
    ``output.shape + input.shape`` (one vjp per output element fills it row by row); tuples of
    inputs or outputs give (nested) tuples of such blocks."""
    if strategy not in ("reverse-mode", "forward-mode"):
        raise ValueError('Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your '
                         'function has more outputs than inputs, "forward-mode" tends to be more performant. '
                         'Otherwise, prefer to use "reverse-mode".')
    with enable_grad():
        xs, is_tuple = _as_tuple(inputs, "inputs", "jacobian")
        xs = _prepare(xs, create_graph)
        outs, out_tuple = _call(func, xs, is_tuple, "jacobian")
        blocks = []
        for j, out in enumerate(outs):
            flat = out.reshape(-1)
            rows = [[] for _ in xs]
            for k in range(flat.numel()):
                gs = _grad(flat[k], xs, retain_graph=True, create_graph=create_graph, allow_unused=True)
                gs = _fill(gs, xs, strict, j)
                for r, g in zip(rows, gs):
                    r.append(g if create_graph else g.detach())
            blocks.append(tuple(stack(r).reshape(tuple(out.shape) + tuple(x.shape)) if r
                                else zeros(tuple(out.shape) + tuple(x.shape), dtype=x.dtype)
                                for r, x in zip(rows, xs)))
    if out_tuple:
        return tuple(_out(b, is_tuple) for b in blocks)
    return _out(blocks[0], is_tuple)


def _scalar_func(func, fn):
    def wrapped(*xs):
        out = func(*xs)
        outs, out_tuple = _as_tuple(out, "outputs of the user-provided function", fn)
        if out_tuple or outs[0].numel() != 1:
            raise RuntimeError(f"The Tensor returned by the function given to {fn} should contain a single element")
        return outs[0].reshape(())
    return wrapped


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False, outer_jacobian_strategy="reverse-mode"):
    """The Hessian of scalar ``func``: the Jacobian of its gradient."""
    xs, is_tuple = _as_tuple(inputs, "inputs", "hessian")
    f = _scalar_func(func, "hessian")

    def gradient(*ys):
        g = _grad(f(*ys), ys, create_graph=True, allow_unused=True)
        return _fill(g, ys, strict)
    h = jacobian(gradient, xs, create_graph=create_graph, strict=strict, strategy=outer_jacobian_strategy)
    return h if is_tuple else h[0][0]


def _hessian_product(func, inputs, v, create_graph, strict, fn, product):
    """(func(inputs), product(grad f, inputs, v)) for scalar ``func``: vhp and hvp."""
    with enable_grad():
        xs, is_tuple = _as_tuple(inputs, "inputs", fn)
        xs = _prepare(xs, create_graph)
        vs = _vectors(v, xs, is_tuple, "input to the user-provided function is", fn)
        out = _scalar_func(func, fn)(*xs)
        g = _fill(_grad(out, xs, create_graph=True, allow_unused=True), xs, strict)
        res = _fill(product(g, xs, vs), xs, strict)
    return (out if create_graph else out.detach()), _out(tuple(r if create_graph else r.detach() for r in res),
                                                         is_tuple)


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T H) for scalar ``func``: a vjp of its gradient."""
    return _hessian_product(func, inputs, v, create_graph, strict, "vhp", lambda g, xs, vs: _grad(
        g, xs, vs, create_graph=create_graph, allow_unused=True))


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), H v) for scalar ``func``: the double-backward trick on its gradient."""
    return _hessian_product(func, inputs, v, create_graph, strict, "hvp", lambda g, xs, vs: _jacobian_times(
        g, xs, vs, create_graph))
