"""``gradcheck`` and ``gradgradcheck``: compare autograd with finite differences.

For a function f of tensors x_1..x_k with outputs y_1..y_m, the analytical Jacobian comes
from backward passes (one per output element, with a one-hot ``grad_outputs``), and the
numerical one from central differences,

    dY/dx_j  ~=  (f(x + eps e_j) - f(x - eps e_j)) / (2 eps),

with the error of order eps^2 times the third derivative; in float64 with eps = 1e-6 the two
agree to about 1e-7, which is what ``atol``/``rtol`` allow. ``gradgradcheck`` applies the same
test to the function (x, v) -> J(x)^T v built with ``create_graph=True``, so it checks the
derivatives *of the backward formulas*.
"""
import numpy as np

from .. import _dtype


class GradcheckError(RuntimeError):
    """Raised by ``gradcheck`` when analytical and numerical gradients disagree."""


def _as_tuple(x):
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def _differentiable_outputs(out):
    from .._tensor import Tensor
    return [o for o in _as_tuple(out) if isinstance(o, Tensor) and o._requires_grad]


def _numerical_jacobian(fn, inputs, wrt, eps):
    """One (n_in x n_out) block per (input, output), by central differences."""
    from .._tensor import Tensor
    # fn runs with grad mode on: for gradgradcheck it is itself a backward pass
    outs = [o for o in _as_tuple(fn(*inputs)) if isinstance(o, Tensor) and o._data.dtype.kind == "f"]
    blocks = []
    for i in wrt:
        x = inputs[i]._data
        flat = x.reshape(-1)  # a view: inputs are made contiguous float64 first
        jac = [np.zeros((x.size, o._data.size)) for o in outs]
        for k in range(x.size):
            orig = flat[k]
            flat[k] = orig + eps
            plus = [o._data.astype(np.float64).ravel().copy() for o in _as_tuple(fn(*inputs))
                    if isinstance(o, Tensor) and o._data.dtype.kind == "f"]
            flat[k] = orig - eps
            minus = [o._data.astype(np.float64).ravel().copy() for o in _as_tuple(fn(*inputs))
                     if isinstance(o, Tensor) and o._data.dtype.kind == "f"]
            flat[k] = orig
            for j in range(len(outs)):
                jac[j][k] = (plus[j] - minus[j]) / (2 * eps)
        blocks.append(jac)
    return blocks


def _analytical_jacobian(fn, inputs, wrt):
    from .._tensor import Tensor
    from . import grad as autograd_grad
    outs = [o for o in _as_tuple(fn(*inputs)) if isinstance(o, Tensor) and o._data.dtype.kind == "f"]
    blocks = [[np.zeros((inputs[i]._data.size, o._data.size)) for o in outs] for i in wrt]
    for j, o in enumerate(outs):
        if not o._requires_grad:
            continue
        for k in range(o._data.size):
            onehot = np.zeros(o._data.size, o._data.dtype)
            onehot[k] = 1
            grads = autograd_grad([o], [inputs[i] for i in wrt],
                                  grad_outputs=[Tensor._make(onehot.reshape(o._data.shape))],
                                  retain_graph=True, allow_unused=True)
            for b, g in enumerate(grads):
                if g is not None:
                    blocks[b][j][:, k] = g._data.astype(np.float64).ravel()
    return blocks


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True,
              nondet_tol=0.0, check_undefined_grad=True, check_grad_dtypes=False,
              check_batched_grad=False, check_batched_forward_grad=False, check_forward_ad=False,
              check_backward_ad=True, fast_mode=False, masked=None):
    """True when the gradients autograd computes for ``func`` at ``inputs`` match central
    finite differences; otherwise raise ``GradcheckError`` (or return False)."""
    from .._tensor import Tensor
    inputs = _as_tuple(inputs)
    wrt = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x._requires_grad]
    if not wrt:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, but none of "
                         "the them have requires_grad=True.")
    for i in wrt:
        if inputs[i]._data.dtype != np.float64:
            import warnings
            warnings.warn(f"Input #{i} requires gradient and is not a double precision floating point. "
                          "This check will likely fail if all the inputs are not of double precision "
                          "floating point. ", UserWarning, stacklevel=2)
    numerical = _numerical_jacobian(func, inputs, wrt, eps)
    analytical = _analytical_jacobian(func, inputs, wrt)
    for b, i in enumerate(wrt):
        for j, (a, n) in enumerate(zip(analytical[b], numerical[b])):
            if not np.allclose(a, n, rtol=rtol, atol=atol):
                if not raise_exception:
                    return False
                raise GradcheckError(f"Jacobian mismatch for output {j} with respect to input {i},\n"
                                     f"numerical:{n}\nanalytical:{a}\n")
    return True


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  gen_non_contig_grad_outputs=False, raise_exception=True, nondet_tol=0.0,
                  check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
                  check_fwd_over_rev=False, check_rev_over_rev=True, fast_mode=False, masked=False):
    """``gradcheck`` of the backward pass itself: checks second derivatives."""
    from .._tensor import Tensor
    from . import grad as autograd_grad
    inputs = _as_tuple(inputs)
    outs = _differentiable_outputs(func(*inputs))
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        grad_outputs = [Tensor._make(rng.standard_normal(o._data.shape).astype(o._data.dtype))
                        .requires_grad_() for o in outs]
    grad_outputs = list(_as_tuple(grad_outputs))
    n_in = len(inputs)
    wrt = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x._requires_grad]

    def first_derivative(*args):
        xs, vs = args[:n_in], args[n_in:]
        outs = _differentiable_outputs(func(*xs))
        grads = autograd_grad(outs, [xs[i] for i in wrt], grad_outputs=list(vs), create_graph=True,
                              allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_derivative, tuple(inputs) + tuple(grad_outputs), eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)
