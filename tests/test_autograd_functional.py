"""autograd.functional (jacobian, hessian, vjp, jvp, vhp, hvp) against PyTorch, float64."""
import numpy as np
import pytest
import torch

import ember


def results(m):
    AF = m.autograd.functional
    x = m.tensor([0.5, -1.0, 2.0], dtype=m.float64)
    y = m.tensor([[1.0, 2.0], [3.0, 0.5]], dtype=m.float64)
    f = lambda a: (a ** 3).sum() + a[0] * a[1]  # noqa: E731
    g = lambda a, b: (a[:2] * b.sum(0), a.exp())  # noqa: E731
    h = lambda a: a.sin() * a[2]  # noqa: E731
    out = [AF.jacobian(h, x)]
    out += [block for row in AF.jacobian(g, (x, y)) for block in row]
    out.append(AF.hessian(f, x))
    out += [block for row in AF.hessian(lambda a, b: (a[:2] * b[0]).sum() ** 2, (x, y)) for block in row]
    for fn, func, v in ((AF.vjp, h, m.ones(3, dtype=m.float64)), (AF.jvp, h, m.tensor([1.0, 0.0, 2.0], dtype=m.float64)),
                        (AF.vhp, f, m.tensor([1.0, 2.0, 3.0], dtype=m.float64)),
                        (AF.hvp, f, m.tensor([1.0, 2.0, 3.0], dtype=m.float64))):
        out += list(fn(func, x, v))
    o, (va, vb) = AF.vjp(lambda a, b: a.sum() * b, (x, y), m.ones(2, 2, dtype=m.float64))
    out += [o, va, vb]
    out += list(AF.jacobian(lambda a, b: a * 2, (x, y)))  # b unused: zeros
    xx = x.clone().requires_grad_()
    AF.jacobian(lambda a: a ** 2, xx, create_graph=True).sum().backward()  # differentiable result
    return out + [xx.grad]


def test_values_match_pytorch():
    e, t = results(ember), results(torch)
    assert len(e) == len(t)
    for a, b in zip(e, t):
        assert tuple(a.shape) == tuple(b.shape) and str(a.dtype) == str(b.dtype)
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-12, atol=1e-12)


def test_hessian_is_the_jacobian_of_the_gradient_by_hand():
    # f(a) = a0^2 a1 + a1^3: H = [[2 a1, 2 a0], [2 a0, 6 a1]]
    a = ember.tensor([1.5, -2.0], dtype=ember.float64)
    H = ember.autograd.functional.hessian(lambda t: t[0] ** 2 * t[1] + t[1] ** 3, a)
    np.testing.assert_allclose(H.numpy(), [[-4.0, 3.0], [3.0, -12.0]])


@pytest.mark.parametrize("case", range(6))
def test_errors_match_pytorch(case):
    def call(m):
        AF, x = m.autograd.functional, m.ones(3)
        return [lambda: AF.vjp(lambda a: a * 2, x, m.ones(2)), lambda: AF.vjp(lambda a: a * 2, x),
                lambda: AF.jvp(lambda a: a * 2, x), lambda: AF.jacobian(lambda a, b: a * 2, (x, x), strict=True),
                lambda: AF.hessian(lambda a: a * 2, x), lambda: AF.jacobian(lambda a: a, [1.0])][case]()
    with pytest.raises(Exception) as t:
        call(torch)
    with pytest.raises(type(t.value)) as e:
        call(ember)
    assert str(e.value) == str(t.value)
