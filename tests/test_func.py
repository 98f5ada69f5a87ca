"""torch.func against PyTorch: grad (nested, argnums, has_aux), grad_and_value, vjp, jvp,
jacrev, jacfwd, hessian, vmap (in_dims, out_dims, composed with grad) and functional_call:
values, shapes, requires_grad, and errors."""
import importlib

import pytest
import torch

import ember


def _f(x, y):
    return (x.sin() * y).sum()


CASES = [
    lambda m, F, x, y: F.grad(_f)(x, y),
    lambda m, F, x, y: F.grad(_f, argnums=(0, 1))(x, y),
    lambda m, F, x, y: F.grad(lambda a: ((a ** 3).sum(), a * 2), has_aux=True)(x),
    lambda m, F, x, y: F.grad(lambda a: F.grad(lambda z: (z ** 3).sum())(a).sum())(x),  # nested
    lambda m, F, x, y: F.grad(lambda a: a ** 2)(x),  # not a scalar: PyTorch's error
    lambda m, F, x, y: F.grad_and_value(_f)(x, y),
    lambda m, F, x, y: (lambda out, fn: (out, fn(m.ones(2))))(*F.vjp(lambda a: a.sin(), x)),
    lambda m, F, x, y: (lambda out, fn: (out, fn((m.ones(2), m.ones(2)))))(*F.vjp(lambda a, b: (a * b, a + b), x, y)),
    lambda m, F, x, y: F.jvp(lambda a: a.sin(), (x,), (m.ones(2),)),
    lambda m, F, x, y: F.jvp(lambda a, b: (a * b).sum(), (x, y), (m.ones(2), m.ones(2))),
    lambda m, F, x, y: F.jvp(lambda a: a * 0 + 1, (x,), (m.ones(2),)),  # an output that ignores its input
    lambda m, F, x, y: F.jacrev(lambda a: a.sin())(x),
    lambda m, F, x, y: F.jacfwd(lambda a: a.sin())(x),
    lambda m, F, x, y: F.jacrev(lambda a, b: a * b, argnums=(0, 1))(x, y),
    lambda m, F, x, y: F.hessian(lambda a: (a ** 3).sum())(x),
    lambda m, F, x, y: F.hessian(lambda a: (a.outer(a) ** 2).sum())(x),
    lambda m, F, x, y: F.vmap(lambda a: a @ a)(m.arange(6.).reshape(3, 2)),
    lambda m, F, x, y: F.vmap(lambda a, b: a * b, in_dims=(0, None))(m.ones(3, 2), y),
    lambda m, F, x, y: F.vmap(lambda a: (a.sum(), a * 2), out_dims=(0, 1))(m.arange(6.).reshape(3, 2)),
    lambda m, F, x, y: F.vmap(lambda a: a.sum(), in_dims=1)(m.arange(6.).reshape(3, 2)),
    lambda m, F, x, y: F.vmap(F.grad(lambda a: (a ** 2).sum()))(m.arange(6.).reshape(3, 2)),
    lambda m, F, x, y: F.vmap(lambda a, b: a + b)(m.ones(3), m.ones(4)),  # sizes differ: PyTorch's error
    lambda m, F, x, y: F.grad(lambda z: (z ** 2).sum())(x.clone().requires_grad_()),  # keeps the outer graph
]


def _fmt(v):
    if isinstance(v, (tuple, list)):
        return "(" + ", ".join(_fmt(i) for i in v) + ")"
    if hasattr(v, "detach"):
        values = [round(float(a), 4) for a in v.detach().reshape(-1).tolist()]
        return f"T{tuple(v.shape)}{values} requires_grad={v.requires_grad}"
    return repr(v)


def _outcome(m, case):
    F = importlib.import_module(m.__name__ + ".func")
    x, y = m.tensor([0.5, 1.0]), m.tensor([2.0, 3.0])
    try:
        return _fmt(CASES[case](m, F, x, y))
    except (RuntimeError, ValueError) as e:
        return f"{type(e).__name__}: {e}"


@pytest.mark.parametrize("case", range(len(CASES)))
def test_func_transforms_match_pytorch(case):
    assert _outcome(ember, case) == _outcome(torch, case)


def test_functional_call_swaps_and_restores():
    out = []
    for m in (ember, torch):
        m.manual_seed(0)
        lin = m.nn.Linear(2, 1)
        x = m.tensor([0.5, 1.0])
        ones = {k: m.ones_like(v) for k, v in lin.named_parameters()}
        out.append(_fmt((m.func.functional_call(lin, ones, (x,)), lin.weight,
                         m.func.functional_call(lin, {"weight": m.zeros(1, 2)}, x),
                         m.func.functional_call(lin, ({"weight": m.zeros(1, 2)}, {"bias": m.ones(1)}), x))))
        with pytest.raises(RuntimeError) as info:
            m.func.functional_call(lin, {"weight": m.zeros(1, 2)}, x, strict=True)
        out.append(str(info.value))
    assert out[0] == out[2] and out[1] == out[3]


def test_top_level_vmap_is_func_vmap():
    assert ember.vmap is ember.func.vmap
    assert ember.vmap(lambda a: a * 2)(ember.ones(2, 3)).shape == (2, 3)
