"""The op table machinery: every op is tested against PyTorch by the same few functions.

An ``OpInfo`` names an op, one function that calls it (written once and run with either
module: ``lambda m, x, y: m.add(x, y)`` is called with ``torch`` and with ``ember``), and
sample inputs. In a sample, ``A(shape, ...)`` stands for an input array: it is made afresh,
with the same values and the same memory layout, for each framework and each dtype the op
accepts, so every sample also runs for every dtype.

``make_tests(OPS)`` returns the tests a test module binds:
  * values: ember's output equals PyTorch's (values, dtype, shape; nested tuples too);
  * grads: with random output gradients (the same for both), input gradients match;
  * gradcheck: ember's gradients match finite differences in float64 (no PyTorch involved);
  * gradgradcheck: the same for the backward formulas themselves, for ops that ask.
"""
import math

import numpy as np
import pytest
import torch

import ember

FLOATS = ("float32", "float64")
INTS = ("int64", "int32", "int16", "int8", "uint8")
ALL = FLOATS + INTS + ("bool",)
TOL = {"float16": (1e-3, 1e-3), "float32": (1e-5, 1e-5), "float64": (1e-7, 1e-7)}


class A:
    """A placeholder for an input array of ``shape``.

    ``noncontig`` makes it a strided view; ``low``/``high`` bound its values; ``dtype`` pins
    its dtype (else the sample's dtype); ``grad=False`` keeps it from requiring grad.
    """

    def __init__(self, *shape, noncontig=False, low=None, high=None, dtype=None, grad=True, distinct=False):
        self.shape, self.noncontig, self.low, self.high = shape, noncontig, low, high
        self.dtype, self.grad, self.distinct = dtype, grad, distinct

    def make(self, dtype, rng):
        dtype = np.dtype(self.dtype or dtype)
        shape = self.shape
        big = shape[:-1] + (shape[-1] * 2,) if self.noncontig and shape else shape
        n = math.prod(big)
        if dtype.kind == "f":
            low = -3.0 if self.low is None else self.low
            high = 3.0 if self.high is None else self.high
            vals = rng.uniform(low, high, n)
            if self.distinct:
                vals = low + (high - low) * (rng.permutation(n) + rng.uniform(0.1, 0.9, n)) / max(n, 1)
        elif dtype.kind == "b":
            vals = rng.integers(0, 2, n)
        else:
            low = (0 if dtype.kind == "u" else -9) if self.low is None else self.low
            high = 10 if self.high is None else self.high
            vals = rng.permutation(np.arange(low, low + n)) if self.distinct else rng.integers(low, high, n)
        base = np.asarray(vals).astype(dtype).reshape(big)
        return (base[..., ::2] if self.noncontig and shape else base), base

    def __repr__(self):
        return f"A{self.shape}{'nc' if self.noncontig else ''}"


class S:
    """One sample: positional and keyword arguments, with ``A`` placeholders."""

    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs

    def __repr__(self):
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return "(" + ", ".join(parts) + ")"


class OpInfo:
    """One row of the op table."""

    def __init__(self, name, fn=None, samples=(), dtypes=FLOATS, grad=True, gradcheck=True,
                 gradgradcheck=False, tol=None, skip_values=False, nondiff_dtypes=()):
        self.name = name
        self.fn = fn or (lambda m, *a, **k: getattr(m, name)(*a, **k))
        self.samples = list(samples)
        self.dtypes = dtypes
        self.grad = grad
        self.gradcheck = gradcheck
        self.gradgradcheck = gradgradcheck
        self.tol = tol or {}

    def __repr__(self):
        return self.name


def _build(sample, dtype, seed, module, requires_grad):
    """Materialise a sample's arguments as ``module`` tensors; returns (args, kwargs, leaves)."""
    rng = np.random.default_rng(seed)
    leaves = []

    def conv(x):
        if isinstance(x, A):
            view, base = x.make(dtype, rng)
            base = base.copy()
            arr = base[..., ::2] if x.noncontig and x.shape else base
            t = torch.from_numpy(arr) if module is torch else ember.from_numpy(arr)
            if requires_grad and x.grad and arr.dtype.kind == "f":
                t.requires_grad_(True)
                leaves.append(t)
            return t
        if isinstance(x, (list, tuple)) and any(isinstance(i, A) for i in x):
            return type(x)(conv(i) for i in x)
        if isinstance(x, str) and x.startswith("dtype:"):
            return getattr(module, x[6:])
        return x

    args = tuple(conv(a) for a in sample.args)
    kwargs = {k: conv(v) for k, v in sample.kwargs.items()}
    return args, kwargs, leaves


def flatten(out):
    """Outputs as a flat list of tensors and Python values."""
    if isinstance(out, (tuple, list)):
        r = []
        for o in out:
            r.extend(flatten(o))
        return r
    return [out]


def assert_same(e, t, tol=None, what="output"):
    """ember value ``e`` equals PyTorch value ``t``: values, dtype and shape."""
    if isinstance(t, torch.Tensor):
        assert isinstance(e, ember.Tensor), f"{what}: expected a Tensor, got {type(e).__name__}"
        assert str(e.dtype) == str(t.dtype), f"{what}: dtype {e.dtype} != torch's {t.dtype}"
        assert tuple(e.shape) == tuple(t.shape), f"{what}: shape {tuple(e.shape)} != torch's {tuple(t.shape)}"
        a, b = e.detach().numpy(), t.detach().numpy()
        if b.dtype.kind == "f":
            rtol, atol = tol or TOL[str(b.dtype)]
            np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, equal_nan=True, err_msg=what)
        else:
            np.testing.assert_array_equal(a, b, err_msg=what)
    elif isinstance(t, (torch.dtype, torch.device)):
        assert repr(e) == repr(t), f"{what}: {e!r} != {t!r}"
    elif isinstance(t, float):
        assert isinstance(e, float), f"{what}: expected float, got {type(e).__name__}"
        assert math.isclose(e, t, rel_tol=1e-6, abs_tol=1e-7) or (math.isnan(e) and math.isnan(t)), (e, t)
    else:
        assert type(e) is type(t) or (isinstance(t, torch.Size) and isinstance(e, ember.Size)), \
            f"{what}: type {type(e).__name__} != torch's {type(t).__name__}"
        assert e == t, f"{what}: {e!r} != {t!r}"


def run_values(op, sample, dtype):
    """Same outputs as PyTorch, or the same exception type."""
    outs = {}
    errors = {}
    for module in (torch, ember):
        args, kwargs, _ = _build(sample, dtype, 0, module, requires_grad=False)
        try:
            outs[module] = op.fn(module, *args, **kwargs)
        except Exception as exc:  # compared below
            errors[module] = exc
    if torch in errors or ember in errors:
        assert torch in errors, f"ember raised {errors.get(ember)!r} where PyTorch returned"
        assert ember in errors, f"PyTorch raised {errors[torch]!r} but ember returned"
        assert isinstance(errors[ember], type(errors[torch])), \
            f"ember raised {type(errors[ember]).__name__}, PyTorch {type(errors[torch]).__name__}: {errors[torch]}"
        return
    et, tt = flatten(outs[ember]), flatten(outs[torch])
    assert len(et) == len(tt), f"{len(et)} outputs, PyTorch gives {len(tt)}"
    for i, (e, t) in enumerate(zip(et, tt)):
        assert_same(e, t, op.tol.get(dtype), what=f"{op.name}{sample} output {i} ({dtype})")


def _torch_refuses(op, sample, dtype):
    """Samples on which PyTorch raises are error cases: ``run_values`` checks that ember raises
    the same exception type, so there are no gradients to compare."""
    args, kwargs, _ = _build(sample, dtype, 0, torch, requires_grad=False)
    try:
        op.fn(torch, *args, **kwargs)
    except Exception:
        return True
    return False


def run_grads(op, sample, dtype):
    """Same input gradients as PyTorch for the same random output gradients."""
    if _torch_refuses(op, sample, dtype):
        return
    results = {}
    for module in (torch, ember):
        args, kwargs, leaves = _build(sample, dtype, 0, module, requires_grad=True)
        if not leaves:
            return
        out = op.fn(module, *args, **kwargs)
        outs = [o for o in flatten(out) if isinstance(o, module.Tensor) and o.requires_grad]
        if not outs:
            results[module] = None
            continue
        rng = np.random.default_rng(1)
        grads = [module.from_numpy(rng.standard_normal(tuple(o.shape)).astype(dtype)) for o in outs]
        module.autograd.backward(outs, grads)
        results[module] = [leaf.grad for leaf in leaves]
    if results[torch] is None or results[ember] is None:
        assert results[torch] is None and results[ember] is None, "only one framework gave a differentiable output"
        return
    for i, (e, t) in enumerate(zip(results[ember], results[torch])):
        if t is None:
            assert e is None or not e.detach().numpy().any(), f"input {i}: ember has a grad, PyTorch none"
            continue
        assert e is not None, f"input {i}: no gradient from ember"
        assert_same(e, t, op.tol.get(dtype), what=f"grad of input {i} of {op.name}{sample} ({dtype})")


def run_gradcheck(op, sample, second_order):
    if _torch_refuses(op, sample, "float64"):
        return False
    args, kwargs, leaves = _build(sample, "float64", 2, ember, requires_grad=True)
    if not leaves or sum(leaf.numel() for leaf in leaves) > 60:
        return False
    positions = [i for i, a in enumerate(args) if any(a is leaf for leaf in leaves)]

    def f(*xs):
        full = list(args)
        for p, x in zip(positions, xs):
            full[p] = x
        return op.fn(ember, *full, **kwargs)

    check = ember.autograd.gradgradcheck if second_order else ember.autograd.gradcheck
    inputs = tuple(args[p] for p in positions)
    if not inputs:
        return False
    assert check(f, inputs, eps=1e-6, atol=1e-5, rtol=1e-3)
    return True


def make_tests(ops):
    """The four parametrised tests for an op table (bind them to names starting ``test_``)."""
    values = [pytest.param(op, s, d, id=f"{op.name}-{i}-{d}")
              for op in ops for i, s in enumerate(op.samples) for d in op.dtypes]
    grads = [pytest.param(op, s, d, id=f"{op.name}-{i}-{d}")
             for op in ops if op.grad for i, s in enumerate(op.samples) for d in op.dtypes if d in FLOATS]
    checks = [pytest.param(op, s, id=f"{op.name}-{i}")
              for op in ops if op.grad and op.gradcheck for i, s in enumerate(op.samples)]
    checks2 = [pytest.param(op, s, id=f"{op.name}-{i}")
               for op in ops if op.grad and op.gradgradcheck for i, s in enumerate(op.samples)]

    @pytest.mark.parametrize("op,sample,dtype", values)
    def test_values(op, sample, dtype):
        run_values(op, sample, dtype)

    @pytest.mark.parametrize("op,sample,dtype", grads)
    def test_grads(op, sample, dtype):
        run_grads(op, sample, dtype)

    @pytest.mark.parametrize("op,sample", checks)
    def test_gradcheck(op, sample):
        run_gradcheck(op, sample, second_order=False)

    @pytest.mark.parametrize("op,sample", checks2)
    def test_gradgradcheck(op, sample):
        run_gradcheck(op, sample, second_order=True)

    # an empty table column gives no test at all (rather than a skipped one)
    return tuple(t if cases else None for t, cases in
                 ((test_values, values), (test_grads, grads), (test_gradcheck, checks),
                  (test_gradgradcheck, checks2)))
