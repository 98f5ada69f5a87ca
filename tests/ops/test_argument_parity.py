"""Argument parsing and result types of the reductions against PyTorch: a ``dim`` of the wrong
type raises PyTorch's TypeError (same type, same first line) in the function and the method
form, and ops that return named tuples (``frexp``, ``max(dim)``, their ``out=`` forms) return
tuples of the same name, fields and values."""
import numpy as np
import pytest
import torch

import ember

X = [[1., 2.], [3., 4.]]

# wrong dims, and a few right ones in unusual types (PyTorch accepts NumPy and tensor ints)
BAD_DIMS = [1.0, "a", [1.0], (0, 1.5), [0, None], None, True, np.float64(1)]
ODD_GOOD_DIMS = [np.int64(1), (1,), [0, 1], "tensor"]

# every call form: keyword and positional, function and method, with and without keepdim
FORMS = {
    "fn(dim=)": lambda m, t, name, d: getattr(m, name)(t, dim=d),
    "fn(pos)": lambda m, t, name, d: getattr(m, name)(t, d),
    "fn(dim=, keepdim=)": lambda m, t, name, d: getattr(m, name)(t, dim=d, keepdim=True),
    "fn(pos, keepdim)": lambda m, t, name, d: getattr(m, name)(t, d, True),
    "method(dim=)": lambda m, t, name, d: getattr(t, name)(dim=d),
    "method(pos)": lambda m, t, name, d: getattr(t, name)(d),
    "method(pos, keepdim=)": lambda m, t, name, d: getattr(t, name)(d, keepdim=True),
}
REDUCTIONS = ["sum", "mean", "nansum", "nanmean", "prod", "amax", "amin", "max", "min", "argmax", "argmin", "std",
              "var", "logsumexp", "all", "any", "norm", "median", "nanmedian", "mode", "count_nonzero"]
# ops without keepdim
SCANS = ["cumsum", "cumprod", "cummax", "cummin", "softmax", "log_softmax"]


def outcome(fn):
    """What a call did: its exception's type and first line, or the type of its result."""
    try:
        r = fn()
    except Exception as exc:  # compared with PyTorch's by the caller
        return type(exc).__name__, str(exc).split("\n")[0]
    return "returned", type(r).__name__


def mismatches(calls):
    """The calls (label, fn(m)) whose outcome in ember differs from PyTorch's."""
    found = []
    for label, fn in calls:
        t, e = outcome(lambda: fn(torch)), outcome(lambda: fn(ember))
        if t != e:
            found.append(f"{label}:\n  torch: {t}\n  ember: {e}")
    return found


def dim_calls(name, dims, forms):
    return [(f"{name} {form} dim={d!r}", lambda m, call=call, d=d: call(m, m.tensor(X), name, d))
            for d in dims for form, call in forms.items()]


@pytest.mark.parametrize("name", REDUCTIONS)
def test_wrong_dim_types_raise_pytorchs_error(name):
    # count_nonzero has no keepdim (PyTorch's error for that is not about dim)
    forms = {k: v for k, v in FORMS.items() if name != "count_nonzero" or "keepdim" not in k}
    calls = dim_calls(name, BAD_DIMS, forms)
    # the test means something only if PyTorch refuses these
    assert outcome(lambda: calls[0][1](torch))[0] == "TypeError"
    assert not mismatches(calls), "\n".join(mismatches(calls))


@pytest.mark.parametrize("name", SCANS)
def test_wrong_dim_types_of_scans_raise_pytorchs_error(name):
    forms = {k: v for k, v in FORMS.items() if "keepdim" not in k}
    calls = dim_calls(name, BAD_DIMS, forms)
    assert outcome(lambda: calls[0][1](torch))[0] == "TypeError"
    assert not mismatches(calls), "\n".join(mismatches(calls))


@pytest.mark.parametrize("name", ["var_mean", "std_mean"])
def test_wrong_dim_types_of_moment_pairs(name):
    forms = {k: v for k, v in FORMS.items() if k.startswith("fn")}  # functions only, as in PyTorch
    calls = dim_calls(name, BAD_DIMS, forms)
    assert outcome(lambda: calls[0][1](torch))[0] == "TypeError"
    assert not mismatches(calls), "\n".join(mismatches(calls))


def test_wrong_dim_message_names_the_call():
    """The examples of the report, in full: the first line says how the op was called."""
    for m in (torch, ember):
        t = m.tensor(X)
        with pytest.raises(TypeError) as kw:
            t.sum(dim=1.0)
        with pytest.raises(TypeError) as s:
            m.sum(t, dim="a")
        with pytest.raises(TypeError) as pos:
            t.mean(1.0, True)
        assert str(kw.value).startswith("sum() received an invalid combination of arguments - got (dim=float, ), "
                                        "but expected one of:")
        assert str(s.value).startswith("sum() received an invalid combination of arguments - got (Tensor, dim=str), "
                                       "but expected one of:")
        # only one overload takes two arguments, so PyTorch names the argument
        assert str(pos.value) == "mean(): argument 'dim' (position 1) must be tuple of ints, not float"


@pytest.mark.parametrize("name", REDUCTIONS + SCANS + ["cumsum_", "cumprod_"])
def test_dims_of_other_integer_types_work_as_in_pytorch(name):
    """NumPy integers, one-element integer tensors and tuples are dims too; where PyTorch
    accepts one, ember gives the same values."""
    for d in ODD_GOOD_DIMS:
        results = []
        for m in (torch, ember):
            t = m.tensor(X)
            dim = m.tensor(1) if d == "tensor" else d
            try:
                r = getattr(t, name)(dim)
            except Exception as exc:
                results.append((type(exc).__name__, str(exc).split("\n")[0]))
                continue
            r = r[0] if isinstance(r, tuple) else r
            results.append(("returned", np.asarray(r.tolist())))
        (t_kind, t_value), (e_kind, e_value) = results
        assert e_kind == t_kind, (name, d, results)
        if t_kind == "returned":
            np.testing.assert_allclose(e_value, t_value, rtol=1e-6, err_msg=f"{name} dim={d!r}")
        else:
            assert e_value == t_value


def test_positional_unbiased_and_other_tensor_still_work():
    """``std(True)`` is std's ``unbiased``, ``max(t)`` is the elementwise maximum; with more
    arguments than those overloads take they are wrong dims."""
    for fn in (lambda m, t: t.std(False), lambda m, t: m.var(t, True), lambda m, t: m.var_mean(t, False)[0],
               lambda m, t: t.max(t * 0 + 2), lambda m, t: m.min(t, t * 0 + 2)):
        a, b = fn(torch, torch.tensor(X)), fn(ember, ember.tensor(X))
        np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=1e-6)
    calls = [("t.std(True, keepdim=True)", lambda m: m.tensor(X).std(True, keepdim=True)),
             ("t.var(True, True)", lambda m: m.tensor(X).var(True, True)),
             ("max(t, dim=t)", lambda m: m.max(m.tensor(X), dim=m.tensor(X)))]
    assert outcome(lambda: calls[0][1](torch))[0] == "TypeError"
    assert not mismatches(calls), "\n".join(mismatches(calls))


def test_norm_argument_errors():
    """``torch.norm`` is Python code that hands p and dim to ``linalg_vector_norm``."""
    calls = [(f"norm({args})", lambda m, args=args: eval(f"m.tensor(X).norm({args})", {"m": m, "X": X}))
             for args in ("dim=1.0", "2, 1.0", "None, 1.0", "'fro', 'a'", "'fro', (0, 1.5)", "2, [1.0]", "dim=True",
                          "[1.0]", "(0, 1)", "p=2, dim=[0, None]", "dim=[0, 1]", "2, 1", "'nuc', 1.0", "'a', True",
                          "'nuc', [0, 1.5]", "'fro', (0, 1, 1.5)", "'fro', 'abc'", "'nope', (0, 1)")]
    assert outcome(lambda: calls[0][1](torch))[0] == "TypeError"
    assert not mismatches(calls), "\n".join(mismatches(calls))


def test_keyword_only_dim_of_aminmax():
    calls = [("t.aminmax(1)", lambda m: m.tensor(X).aminmax(1)),
             ("t.aminmax(1, keepdim=True)", lambda m: m.tensor(X).aminmax(1, keepdim=True)),
             ("aminmax(t, 1)", lambda m: m.aminmax(m.tensor(X), 1))]
    assert outcome(lambda: calls[0][1](torch))[0] == "TypeError"
    assert not mismatches(calls), "\n".join(mismatches(calls))


# --- named result tuples --------------------------------------------------------------------
def same_named_tuple(a, b):
    """ember's result ``b`` is PyTorch's named tuple ``a``: name, fields, printing, values."""
    assert type(b).__name__ == type(a).__name__
    assert isinstance(b, tuple) and len(b) == len(a) == b.n_fields
    assert type(b).__match_args__ == type(a).__match_args__
    assert repr(b) == repr(a)
    for field in type(a).__match_args__:
        x, y = getattr(a, field), getattr(b, field)
        assert str(y.dtype) == str(x.dtype)
        np.testing.assert_array_equal(y.numpy(), x.numpy())
    assert isinstance(b, getattr(ember.return_types, type(a).__name__))


def test_frexp_returns_a_named_tuple():
    x = [1., 3., -0.5, 0., 1e-3, 1024.]
    a, b = torch.frexp(torch.tensor(x)), ember.frexp(ember.tensor(x))
    same_named_tuple(a, b)
    assert type(b).__name__ == "frexp" and type(b).__match_args__ == ("mantissa", "exponent")
    mantissa, exponent = b
    assert mantissa is b.mantissa and exponent is b.exponent
    same_named_tuple(torch.tensor(x).frexp(), ember.tensor(x).frexp())


def test_frexp_out_writes_into_the_given_tensors():
    x = [1., 3., -0.5]
    results = []
    for m in (torch, ember):
        out = (m.empty(0), m.empty(0, dtype=m.int32))
        r = m.frexp(m.tensor(x), out=out)
        assert r[0] is out[0] and r.exponent is out[1]
        results.append(r)
    same_named_tuple(*results)
    assert type(results[1]).__name__ == "frexp_out"


@pytest.mark.parametrize("out", ["float32, float32", "float64, int32", "float32, int64", "float16, int16"])
def test_frexp_out_dtype_errors(out):
    def call(m):
        m_dt, e_dt = (getattr(m, n.strip()) for n in out.split(","))
        return m.frexp(m.tensor([1., 3.]), out=(m.empty(2, dtype=m_dt), m.empty(2, dtype=e_dt)))
    t, e = outcome(lambda: call(torch)), outcome(lambda: call(ember))
    assert t[0] == "RuntimeError" and e == t


@pytest.mark.parametrize("call", [
    lambda m, t, o: m.max(t, 0, out=o), lambda m, t, o: m.min(t, 1, out=o), lambda m, t, o: m.median(t, 0, out=o),
    lambda m, t, o: m.nanmedian(t, 0, out=o), lambda m, t, o: m.mode(t, 0, out=o),
    lambda m, t, o: m.cummax(t, 0, out=o), lambda m, t, o: m.cummin(t, 1, out=o),
    lambda m, t, o: m.sort(t, 1, out=o), lambda m, t, o: m.topk(t, 1, out=o), lambda m, t, o: m.kthvalue(t, 1, out=o),
    lambda m, t, o: m.aminmax(t, dim=0, out=(o[0], m.empty(0))),
])
def test_out_forms_return_the_out_named_tuple(call):
    """With ``out=`` PyTorch returns ``torch.return_types.<op>_out``, holding the out tensors."""
    results = []
    for m in (torch, ember):
        o = (m.empty(0), m.empty(0, dtype=m.int64))
        r = call(m, m.tensor([[1., 5., 3.], [4., 0., 2.]]), o)
        assert r[0] is o[0]
        results.append(r)
    same_named_tuple(*results)
    assert type(results[1]).__name__.endswith("_out")


@pytest.mark.parametrize("call", [
    lambda m, t: m.max(t, 0), lambda m, t: t.min(1), lambda m, t: m.aminmax(t), lambda m, t: t.aminmax(dim=1),
    lambda m, t: t.median(0), lambda m, t: m.nanmedian(t, 1), lambda m, t: t.mode(0), lambda m, t: t.cummax(1),
    lambda m, t: m.cummin(t, 0),
])
def test_named_tuples_of_reductions(call):
    same_named_tuple(call(torch, torch.tensor([[1., 5., 3.], [4., 0., 2.]])),
                     call(ember, ember.tensor([[1., 5., 3.], [4., 0., 2.]])))


@pytest.mark.parametrize("name", ["var_mean", "std_mean"])
def test_moment_pairs_are_plain_tuples(name):
    a = getattr(torch, name)(torch.tensor(X), 1)
    b = getattr(ember, name)(ember.tensor(X), 1)
    assert type(a) is tuple and type(b) is tuple
    for x, y in zip(a, b):
        np.testing.assert_allclose(y.numpy(), x.numpy(), rtol=1e-6)


def test_named_tuples_match_by_field():
    """``case frexp(mantissa, exponent)`` works as with PyTorch's structseq types."""
    r = ember.frexp(ember.tensor([8.]))
    match r:
        case ember.return_types.frexp(m, e):
            assert m.tolist() == [0.5] and e.tolist() == [4]
        case _:
            pytest.fail("frexp's result did not match its own type")
