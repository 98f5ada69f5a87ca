"""``torch.func``: function transforms (grad, vjp, jvp, jacrev, jacfwd, hessian, vmap) and
``functional_call``, built on ember's reverse-mode autograd.

PyTorch implements these with "levels" of wrapped tensors; ember gets the same values by
running the function on tracked copies of the inputs and calling ``autograd.grad`` with
``create_graph=True``, so the transforms nest (``grad(grad(f))``). Each input is tracked
as an alias of itself when it already takes part in a graph (an outer transform, or a
tensor that requires grad), else as a fresh leaf; the results keep a graph only in the
first case, so at the top level they come back as plain tensors, as PyTorch's do.

* grad(f)(x) = df/dx for scalar f; grad_and_value also returns f(x).
* vjp(f, x) = (f(x), v -> v^T J); jvp(f, (x,), (v,)) = (f(x), J v) by the double-backward
  trick (see ``autograd/functional.py``); jacrev and jacfwd give J (the same numbers: ember
  computes both in reverse mode); hessian = the Jacobian of grad f.
* vmap(f)(xs) applies f to each slice along the mapped dims and stacks the results: the
  values of PyTorch's batched rules, one call per slice.
"""
from . import autograd
from ._ops.creation import zeros_like
from ._ops.shape import stack
from ._tensor import Tensor
from .autograd.grad_mode import enable_grad

__all__ = ["grad", "grad_and_value", "vjp", "jvp", "jacrev", "jacfwd", "hessian", "vmap", "functional_call"]


# --- inputs as trees: a tensor, or tuples / lists / dicts of them -----------------------------------
def _leaves(tree):
    if isinstance(tree, Tensor):
        return [tree]
    if isinstance(tree, (tuple, list)):
        return [leaf for t in tree for leaf in _leaves(t)]
    if isinstance(tree, dict):
        return [leaf for t in tree.values() for leaf in _leaves(t)]
    return []


def _map(fn, tree):
    if isinstance(tree, Tensor):
        return fn(tree)
    if isinstance(tree, (tuple, list)):
        return type(tree)(_map(fn, t) for t in tree)
    if isinstance(tree, dict):
        return {k: _map(fn, v) for k, v in tree.items()}
    return tree


def _rebuild(tree, leaves):
    """``tree`` with its tensors replaced, in order, by ``leaves``."""
    it = iter(leaves)
    return _map(lambda _: next(it), tree)


def _track(t):
    return t.view_as(t) if t.requires_grad else t.detach().requires_grad_()


def _finish(tree, keep):
    return tree if keep else _map(lambda t: t.detach(), tree)


def _argnums(argnums, nargs, name):
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    for n in nums:
        if not isinstance(n, int) or not -nargs <= n < nargs:
            raise RuntimeError(f"{name}: Got argnums={argnums} but only {nargs} positional inputs")
    return nums


# --- grad -------------------------------------------------------------------------------------------
def grad_and_value(func, argnums=0, has_aux=False):
    """f -> (x -> (df/dx, f(x))) for a function returning a scalar tensor (with has_aux, a
    pair (scalar, aux), and aux comes back with the value)."""
    def wrapper(*args, **kwargs):
        nums = _argnums(argnums, len(args), "grad_and_value(f)(*args)")
        args = list(args)
        keep = any(t.requires_grad for n in nums for t in _leaves(args[n]))
        with enable_grad():
            tracked = {}
            for n in nums:
                args[n] = tracked[n] = _map(_track, args[n])
            out = func(*args, **kwargs)
            aux = None
            if has_aux:
                if not (isinstance(out, tuple) and len(out) == 2):
                    raise RuntimeError("grad_and_value(f)(*args): output of function f should be a tuple: "
                                       "(output, aux) if has_aux is True")
                out, aux = out
            if not isinstance(out, Tensor):
                raise RuntimeError(f"grad_and_value(f)(*args): Expected f(*args) to return a Tensor, got {type(out)}")
            if out.dim() != 0:
                raise RuntimeError(f"grad_and_value(f)(*args): Expected f(*args) to return a scalar Tensor, got tensor "
                                   f"with {out.dim()} dims. Maybe you wanted to use the vjp or jacrev APIs instead?")
            inputs = [leaf for n in nums for leaf in _leaves(tracked[n])]
            gs = autograd.grad(out, inputs, create_graph=True, allow_unused=True) if out.requires_grad \
                else [None] * len(inputs)
        gs = [zeros_like(x) if g is None else g for g, x in zip(gs, inputs)]
        grads, at = [], 0
        for n in nums:
            k = len(_leaves(tracked[n]))
            grads.append(_rebuild(tracked[n], gs[at:at + k]))
            at += k
        grads = grads[0] if isinstance(argnums, int) else tuple(grads)
        result = (_finish(grads, keep), _finish(out, keep))
        return (result[0], (result[1], _finish(aux, keep))) if has_aux else result
    return wrapper


def grad(func, argnums=0, has_aux=False):
    """f -> (x -> df/dx) for a function returning a scalar tensor; with has_aux, f returns
    (scalar, aux) and the result is (df/dx, aux)."""
    gv = grad_and_value(func, argnums, has_aux)

    def wrapper(*args, **kwargs):
        g, value = gv(*args, **kwargs)
        return (g, value[1]) if has_aux else g
    return wrapper


# --- vector products and Jacobians --------------------------------------------------------------------
def vjp(func, *primals, has_aux=False):
    """(f(primals), vjp_fn) with vjp_fn(v) = v^T J, one gradient per primal (a tuple)."""
    keep = any(t.requires_grad for t in _leaves(primals))
    with enable_grad():
        tracked = _map(_track, primals)
        out = func(*tracked)
        aux = None
        if has_aux:
            out, aux = out
    inputs, outs = _leaves(tracked), _leaves(out)

    def vjp_fn(*cotangents):
        cts = _leaves(cotangents[0] if len(cotangents) == 1 and not isinstance(out, Tensor) else cotangents)
        with enable_grad():
            pairs = [(o, c) for o, c in zip(outs, cts) if o.requires_grad]
            gs = autograd.grad([o for o, _ in pairs], inputs, [c for _, c in pairs], retain_graph=True,
                               create_graph=True, allow_unused=True) if pairs else [None] * len(inputs)
        gs = [zeros_like(x) if g is None else g for g, x in zip(gs, inputs)]
        return _finish(_rebuild(tracked, gs), keep)
    result = (_finish(out, keep), vjp_fn)
    return result + (_finish(aux, keep),) if has_aux else result


def jvp(func, primals, tangents, *, strict=False, has_aux=False):
    """(f(primals), J tangents): ``primals`` and ``tangents`` are tuples of tensors."""
    if not isinstance(primals, tuple):
        raise RuntimeError("jvp(f, primals, tangents): Expected primals to be a tuple. E.g. it should be valid to "
                           "call f(*primals).")
    if not isinstance(tangents, tuple) or len(tangents) != len(primals):
        raise RuntimeError("jvp(f, primals, tangents): Expected primals and tangents to have the same python "
                           "structure. For example, if primals is a tuple of 3 tensors, tangents also must be. Got "
                           f"primals with structure {primals} and tangents with structure {tangents}")
    keep = any(t.requires_grad for t in _leaves(primals))
    with enable_grad():
        tracked = tuple(_track(p) for p in primals)
        out = func(*tracked)
        aux = None
        if has_aux:
            out, aux = out
        outs = _leaves(out)
        # J v by the double-backward trick: u -> u^T J is linear in u; its gradient along v is J v
        us = [zeros_like(o).requires_grad_() for o in outs]
        live = [(o, u) for o, u in zip(outs, us) if o.requires_grad]
        gs = autograd.grad([o for o, _ in live], tracked, [u for _, u in live], create_graph=True,
                           allow_unused=True) if live else [None] * len(tracked)
        used = [(g, t) for g, t in zip(gs, tangents) if g is not None and g.requires_grad]
        jv = autograd.grad([g for g, _ in used], us, [t for _, t in used], create_graph=True,
                           allow_unused=True) if used else [None] * len(us)
    jv = [zeros_like(o) if j is None else j for j, o in zip(jv, outs)]
    result = (_finish(out, keep), _finish(_rebuild(out, jv), keep))
    return result + (_finish(aux, keep),) if has_aux else result


def jacrev(func, argnums=0, *, has_aux=False, chunk_size=None):
    """x -> J, the Jacobian of f at x, shaped f(x).shape + x.shape (a tuple over argnums
    when it is a tuple), one vector-Jacobian product per output element."""
    def wrapper(*args, **kwargs):
        nums = _argnums(argnums, len(args), "jacrev(f, argnums)(*args)")
        keep = any(t.requires_grad for n in nums for t in _leaves(args[n]))
        args = list(args)
        with enable_grad():
            tracked = [_track(args[n]) for n in nums]
            for n, t in zip(nums, tracked):
                args[n] = t
            out = func(*args, **kwargs)
            aux = None
            if has_aux:
                out, aux = out
            flat = out.reshape(-1)
            rows = []
            for i in range(flat.shape[0]):
                gs = autograd.grad(flat[i], tracked, retain_graph=True, create_graph=True, allow_unused=True) \
                    if flat.requires_grad else [None] * len(tracked)
                rows.append([zeros_like(t) if g is None else g for g, t in zip(gs, tracked)])
        jacs = []
        for j, t in enumerate(tracked):
            jac = stack([r[j] for r in rows]) if rows else zeros_like(t).reshape((0,) + tuple(t.shape))
            jacs.append(jac.reshape(tuple(out.shape) + tuple(t.shape)))
        jacs = _finish(jacs[0] if isinstance(argnums, int) else tuple(jacs), keep)
        return (jacs, _finish(aux, keep)) if has_aux else jacs
    return wrapper


def jacfwd(func, argnums=0, has_aux=False, *, randomness="error"):
    """The Jacobian, as ``jacrev`` (PyTorch builds it column by column in forward mode; the
    numbers are the same)."""
    return jacrev(func, argnums, has_aux=has_aux)


def hessian(func, argnums=0):
    """x -> the Hessian of scalar f: the Jacobian of grad f."""
    return jacrev(jacrev(func, argnums), argnums)


# --- vmap -------------------------------------------------------------------------------------------
def vmap(func, in_dims=0, out_dims=0, randomness="error", *, chunk_size=None):
    """f -> (xs -> stack of f over slices): each tensor argument with an in_dim is sliced
    along it (None: passed whole to every call), and each output is stacked along out_dims."""
    def wrapped(*args, **kwargs):
        dims = in_dims if isinstance(in_dims, (tuple, list)) else (in_dims,) * len(args)
        if len(dims) != len(args):
            raise ValueError(f"vmap(f, in_dims={in_dims}, ...)(<inputs>): in_dims is not compatible with the "
                             f"structure of `inputs`. in_dims has structure {len(dims)} but inputs has structure "
                             f"{len(args)}.")
        sizes = [a.shape[d] for a, d in zip(args, dims) if d is not None and isinstance(a, Tensor)]
        if not sizes:
            raise ValueError(f"vmap(f, in_dims={in_dims}, ...)(<inputs>): at least one input must be a Tensor "
                             "mapped over a dimension (in_dim not None)")
        if len(set(sizes)) != 1:
            raise ValueError("vmap: Expected all tensors to have the same size in the mapped dimension, got sizes "
                             f"{sizes} for the mapped dimension")
        outs = [func(*[a.select(d, i) if d is not None and isinstance(a, Tensor) else a
                       for a, d in zip(args, dims)], **kwargs) for i in range(sizes[0])]
        first = outs[0]
        if isinstance(first, tuple):
            ods = out_dims if isinstance(out_dims, (tuple, list)) else (out_dims,) * len(first)
            return tuple(stack([o[k] for o in outs], dim=od) for k, od in enumerate(ods))
        return stack(outs, dim=out_dims)
    return wrapped


# --- functional_call ----------------------------------------------------------------------------------
def functional_call(module, parameter_and_buffer_dicts, args=None, kwargs=None, *, tie_weights=True, strict=False):
    """Call ``module`` with some of its parameters and buffers replaced by the given tensors
    (names as in ``named_parameters``/``named_buffers``), then put the originals back."""
    dicts = parameter_and_buffer_dicts if isinstance(parameter_and_buffer_dicts, (tuple, list)) \
        else (parameter_and_buffer_dicts,)
    values = {}
    for d in dicts:
        for k, v in d.items():
            if k in values:
                raise ValueError(f"{k} appeared in multiple dictionaries; behavior of functional call is ambiguous")
            values[k] = v
    if strict:
        expected = {n for n, _ in module.named_parameters()} | {n for n, _ in module.named_buffers()}
        missing, unexpected = sorted(expected - set(values)), sorted(set(values) - expected)
        if missing or unexpected:
            parts = ([f"Unexpected key(s): {', '.join(map(repr, unexpected))}."] if unexpected else []) + \
                    ([f"Missing key(s): {', '.join(map(repr, missing))}."] if missing else [])
            raise RuntimeError(f"Error(s) in reparametrizing for {type(module).__name__}:\n\t" + "\n\t".join(parts))
    saved = []
    try:
        for name, value in values.items():
            owner_name, _, attr = name.rpartition(".")
            owner = module.get_submodule(owner_name)
            store = owner._parameters if attr in owner._parameters else owner._buffers if attr in owner._buffers \
                else None
            if store is None:
                raise AttributeError(f"{type(owner).__name__} has no parameter or buffer named '{attr}'")
            saved.append((store, attr, store[attr]))
            store[attr] = value
        if args is None:
            args = ()
        elif not isinstance(args, tuple):
            args = (args,)
        return module(*args, **(kwargs or {}))
    finally:
        for store, attr, original in reversed(saved):
            store[attr] = original
