"""The calling conventions of the Tensor API against PyTorch: the many ways users call the
same op (sizes as ints, tuples, lists, ``torch.Size`` or 0-d tensors; dims by position or
keyword; dtypes and devices in ``to``/``type``; index forms; the Python protocols).

Each case is a line of PyTorch code, run with ``T`` bound to ``torch`` and then to ``ember``
(``x``, ``xi``, ``s``... are the same tensors made by each). The two outcomes must agree: the
same exception type and message, or results of the same type, dtype, shape and values (named
tuples: the same type name, fields and repr). A case ``"stmt; expr"`` runs the statements and
compares ``expr``."""
import copy
import math
import operator
import pickle
import warnings

import numpy as np
import pytest
import torch

import ember

SETUP = """
x = T.arange(6.).reshape(2, 3)
xi = T.arange(6).reshape(2, 3)
x3 = T.arange(24.).reshape(2, 3, 4)
v = T.arange(4.)
s = T.tensor(3.)
si = T.tensor(2)
b = T.tensor([True, False])
rg = T.ones(2, 3, requires_grad=True)
"""


def _round(v):
    if isinstance(v, list):
        return [_round(e) for e in v]
    if isinstance(v, float):
        return "nan" if math.isnan(v) else float(f"{v:.6g}")
    return v


def describe(r):
    """What must agree between the libraries about a result (type names are compared by name,
    as ember's classes are its own)."""
    if isinstance(r, (torch.Tensor, ember.Tensor)):
        return ("tensor", str(r.dtype), tuple(r.shape), _round(r.detach().numpy().tolist()), r.requires_grad)
    if isinstance(r, (torch.Size, ember.Size)):
        return ("Size", tuple(r))
    if isinstance(r, tuple) and hasattr(r, "n_fields"):  # torch.return_types.*
        return ("return_type", type(r).__name__, repr(r), tuple(describe(e) for e in r))
    if isinstance(r, (tuple, list)):
        return (type(r).__name__, tuple(describe(e) for e in r))
    if isinstance(r, (torch.dtype, ember.dtype, torch.device, ember.device)):
        return (type(r).__name__, repr(r))
    if isinstance(r, np.ndarray):
        return ("ndarray", str(r.dtype), r.shape, _round(r.tolist()))
    if isinstance(r, float):
        return ("float", _round(r))
    return (type(r).__name__, repr(r))


def outcome(module, code):
    env = {"T": module, "np": np, "copy": copy, "math": math, "operator": operator, "pickle": pickle}
    exec(SETUP, env)
    *stmts, expr = code.split(";")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if stmts:
                exec(";".join(stmts), env)
            r = eval(expr, env)
    except Exception as exc:  # compared with PyTorch's below
        return ("raised", type(exc).__name__, str(exc))
    return describe(r)


def check(code):
    expected = outcome(torch, code)
    got = outcome(ember, code)
    assert got == expected, f"{code}\n  torch: {expected}\n  ember: {got}"


def cases(*groups):
    out = []
    for g in groups:
        out.extend(g)
    assert len(out) == len(set(out)), "duplicate cases"
    return out


# --- sizes: ints, tuples, lists, torch.Size, 0-d tensors, NumPy ints; wrong types ------------------
SIZES = ["2, 3", "(2, 3)", "[2, 3]", "T.Size([2, 3])", "si, 3", "(si, 3)", "np.int64(2), 3", "2, True",
         "T.tensor([2]), 3"]
BAD_SIZES = ["2.0, 3", "(2.0, 3)", "2, 3.0", "[2, [3]]", "None", "'a'", "True, 3", "(2, 3), 1", "x", "[[2]]",
             "T.tensor(2.), 3", "T.float32, 2"]
_VIEW_ARGS = ["-1", "6", "3, -1", "-1, -1", "2, 4", "-2, -3", "0, 6", "()", "", "size=(3, 2)",
              "size=[6], dtype=T.float32", "2, foo=1"]
VIEW = [f"x.view({a})" for a in SIZES + BAD_SIZES + _VIEW_ARGS]
VIEW += [f"x.view({d})" for d in ("T.float32", "T.int32", "T.int16", "T.uint8", "T.bool", "T.float64",
                                  "dtype=T.float16")]
VIEW += ["s.view(T.int16)", "T.arange(8.).reshape(2, 4).view(T.float64)", "x[:, :2].view(T.float64)",
         "x[:, 1:].view(T.float64)", "x.t().view(T.int16)", "T.arange(6.)[2:].view(T.float64)",
         "T.zeros(0).view(T.float64)", "T.ones(2, 2, dtype=T.uint8).view(T.bool)", "rg.view(T.int32).requires_grad",
         "(lambda y: y._base is x)(x.view(T.int32))"]
_RESHAPE_ARGS = ["-1", "shape=(3, 2)", "size=(3, 2)", "", "T.float32", "-2, -3"]
RESHAPE = [f"x.reshape({a})" for a in SIZES + BAD_SIZES + _RESHAPE_ARGS]
RESHAPE += ["T.reshape(x, (3, 2))", "T.reshape(x, [-1])", "x.t().reshape(6)", "x.reshape_as(T.zeros(3, 2))"]
_EXPAND_ARGS = ["2, 3", "(2, 3)", "[2, 3]", "-1, 3", "T.Size([2, 3])", "3, 2, 3", "(3, 2, 3)", "si, 2, 3", "2.0, 3",
                "-1, -1", "4, 3", "1, 3", "-2, 3", "", "()", "size=(2, 3)", "2, 3, foo=1", "(2, 3), implicit=True",
                "2, 3, 4"]
EXPAND = [f"x.expand({a})" for a in _EXPAND_ARGS]
EXPAND += ["v.expand(2, -1)", "v.expand(-1, 4)", "v.expand(2, 0, 4)", "T.ones(3).expand(2, 4)",
           "T.ones(3, 2).expand(2, 3)", "T.ones(3, dtype=T.bool).expand(())", "T.ones(3, dtype=T.half).expand(())",
           "T.ones(3, dtype=T.uint8).expand(())", "x.expand_as(T.zeros(3, 2, 3))", "T.broadcast_to(v, (2, 4))",
           "T.broadcast_tensors(s, v)", "T.broadcast_tensors(s, s)"]
_REPEAT_ARGS = ["2, 3", "(2, 3)", "[2, 3]", "T.Size([2, 1])", "3, 2, 3", "si, 1", "2.0, 3", "-1, 3", "-1, -1", "1", "",
                "repeats=(1, 2)", "size=(2, 3)", "2, 3.0"]
REPEAT = [f"x.repeat({a})" for a in _REPEAT_ARGS]
_PERMUTE_ARGS = ["1, 0", "(1, 0)", "[1, 0]", "-1, 0", "1, 1", "0", "0, 1, 2", "dims=(1, 0)", "si, 0", "T.Size([1, 0])",
                 "(1.0, 0)", "1.0, 0", "1, 0.0"]
PERMUTE = [f"x.permute({a})" for a in _PERMUTE_ARGS]
_PERMUTE_ARGS2 = ["(1, 0)", "[1, 0]", "0", "(1.0, 0)", "dims=(1, 0)"]
PERMUTE += [f"T.permute(x, {a})" for a in _PERMUTE_ARGS2]
_TILE_ARGS = ["(2,)", "[2, 2]", "2", "2, 2", "(2, 1, 1)", "T.Size([2, 2])", "()", "dims=(2, 2)", "2.0", "2, 2.0"]
TILE = [f"x.tile({a})" for a in _TILE_ARGS]
_TILE_ARGS2 = ["(2,)", "[2, 2]", "2", "(si, 2)", "dims=[2]"]
TILE += [f"T.tile(x, {a})" for a in _TILE_ARGS2]
_FLIP_ARGS = ["0", "(0,)", "[0, 1]", "0, 1", "-1", "(0, 0)", "dims=[1]", "5", "si", "()", "[]", "0.0"]
FLIP = [f"x.flip({a})" for a in _FLIP_ARGS]
_FLIP_ARGS2 = ["(0,)", "[0, 1]", "0", "-1", "(0, 0)", "si", "dims=[1]"]
FLIP += [f"T.flip(x, {a})" for a in _FLIP_ARGS2]
_NEW_ARGS = ["()", "-1", "(2, -3)", "2.5", "2.0, 3", "size=(2, 1)", "0", "", "2, 3, dtype=T.int64",
             "(2,), dtype=T.float64", "(2,), requires_grad=True", "[]", "2, foo=1", "(2,), dtype=np.float64"]
NEW = [f"x.{fn}({a})" for fn in ("new_zeros", "new_ones") for a in SIZES + _NEW_ARGS]
NEW += [f"xi.new_zeros({a})" for a in ["2, 3", "(2,), requires_grad=True", "()"]]
_NEW_ARGS2 = ["2, 3", "(2, 3)", "[]", "size=(2, 1)", "si, 2", "2, dtype=T.int64"]
NEW += [f"(lambda r: (r.shape, r.dtype))(x.new_empty({a}))" for a in _NEW_ARGS2]
_NEW_ARGS3 = ["", "2.5", "-1", "(2,), requires_grad=True, dtype=T.int64"]
NEW += [f"x.new_empty({a})" for a in _NEW_ARGS3]
_NEW_ARGS4 = ["(2, 3), 1.5", "[2], 7", "2, 7", "(), True", "T.Size([2]), 1", "(2,), 1.5, dtype=T.int64",
              "size=(2,), fill_value=3", "(si,), 2", "(2,), s", "(2,), 'a'", "(-1,), 2", "(2,), 1e30"]
NEW += [f"{t}.new_full({a})" for t in ("x", "xi") for a in _NEW_ARGS4]
_NEW_ARGS5 = ["[1, 2]", "[1.5]", "3", "(1, 2)", "x", "np.array([1, 2])", "[True]", "[1, 2], dtype=T.float64",
              "[[1], [2]]", "[1, 2], requires_grad=True", "[]", "'a'", "[1], dtype='float32'"]
NEW += [f"{t}.new_tensor({a})" for t in ("x", "xi", "b") for a in _NEW_ARGS5]
_FACTORY_ARGS = ["size=(2, 3)", "()", "0", "[]", "-1", "2, -3", "(2, -1)", "size=(-2,)", "(2.0,)", "",
                 "2, 3, dtype=T.int64", "2, dtype=T.float64", "2, requires_grad=True", "[2, 3], dtype='float32'",
                 "2, 3, dtype=int", "2, dtype=float", "2, dtype=bool", "2, dtype=np.float64",
                 "2, dtype=np.dtype('int32')", "size=2", "size=None", "(2, 3), 4", "x.shape",
                 "2, dtype=T.int64, requires_grad=True", "2, 3, size=(2,)", "2, foo=1", "size=[2, 3.0]"]
FACTORY = [f"T.{fn}({a})" for fn in ("zeros", "ones") for a in SIZES + BAD_SIZES + _FACTORY_ARGS]
_FACTORY_ARGS2 = ["size=(2, 3)", "0", "()", "2, requires_grad=True"]
FACTORY += [f"(lambda r: (r.shape, r.dtype, r.requires_grad))(T.empty({a}))" for a in SIZES + _FACTORY_ARGS2]
_FACTORY_ARGS3 = ["2.0, 3", "(2.0,)", "", "True", "-2, 3", "2, dtype=np.float64", "size=2"]
FACTORY += [f"T.empty({a})" for a in _FACTORY_ARGS3]
FACTORY += ["T.empty(0).shape", "T.zeros(size=[])", "T.full((2,), True)", "T.full((2,), 3)", "T.full((2,), 3.)",
            "T.full([2], 3)", "T.full(2, 3)", "T.full((2, 3), 1.5, dtype=T.int64)", "T.full((), 1)", "T.full((2,), s)",
            "T.full((2,), si)", "T.full(size=(2,), fill_value=1)", "T.full((2,), np.float64(1))",
            "T.full((2,), np.int32(1))", "T.full((2,), np.bool_(True))", "T.full((si,), 1)", "T.full((-1,), 1)",
            "T.full((2,), 'a')", "T.full((2,), None)", "T.full((2,), [1, 2])", "T.full((2.0,), 1)",
            "T.full(T.Size([2]), 1)", "T.full((2,), x)", "T.full((2,), T.tensor([1.]))",
            "T.full((2,), 1, dtype='float32')", "T.full((2,), 1e30, dtype=T.int64)",
            "T.full((2,), 1, requires_grad=True)", "T.zeros_like(x, dtype=T.int64)", "T.ones_like(xi, dtype=float)",
            "T.full_like(x, 7)", "T.full_like(xi, 2.7)", "T.full_like(b, 2)", "T.full_like(x, s)",
            "T.full_like(x, True)", "T.full_like(xi, 1e30)", "T.full_like(x, 'a')", "T.zeros_like([1, 2])",
            "T.ones_like(None)", "T.zeros_like(x, dtype=np.float64)", "T.ones_like(xi, requires_grad=True)", "T.eye(3)",
            "T.eye(2, 3)", "T.eye(2, dtype=T.int64)", "T.eye(-1)", "T.eye(2.0)", "T.eye(n=2, m=3)", "T.eye(si)",
            "T.eye(2, 2.0)", "T.eye(2, None)", "T.eye(2, dtype='int64')", "T.zeros(0).stride()",
            "T.zeros(2, 0).stride()", "T.zeros(0, 3).stride()", "T.zeros(2, 0).view(T.float64)"]
SIZE_CLASS = ["T.Size([2, 3.0])", "T.Size([2, T.tensor(3)])", "T.Size(3)", "T.Size((2, '3'))", "T.Size([np.int64(2)])",
              "type(T.Size([np.int64(2)])[0]).__name__", "T.Size([-1])", "T.Size([2]) + (3,)", "(3,) + T.Size([2])",
              "T.Size([2]) * 2", "2 * T.Size([2])", "T.Size([2]) * 0", "T.Size([2, 3]).numel()", "T.Size([2, 3])[1:]",
              "T.Size([2, 3]) == (2, 3)", "T.Size([2, 3]) == [2, 3]", "repr(T.Size([]))", "str(T.Size([2]))",
              "T.Size([2, 3])[T.tensor(0)]", "T.Size()", "T.Size([True])", "T.Size([2, 3]) + [4]", "T.Size([2]) + 1",
              "T.Size([2]) + T.Size([3])", "T.Size([2.5])", "T.Size([[2]])", "T.Size(range(3))",
              "pickle.loads(pickle.dumps(T.Size([2, 3])))", "copy.deepcopy(T.Size([2]))", "x.shape + (1,)",
              "x.shape[1:]", "x.size() == (2, 3)", "type(x.shape[0]).__name__", "isinstance(x.shape, tuple)",
              "x.size(1)", "x.size(-1)", "x.size(2)", "x.size(dim=0)", "s.size()", "s.size(0)", "s.size(-1)",
              "s.size(1)", "x.stride(0)", "x.stride(-1)", "x.stride(5)"]

# --- dims: positions, keywords, tuples, lists, keepdim; the named tuples ---------------------------
DIMS = ["", "0", "-1", "1", "(0, 1)", "[0, 1]", "(0, -1)", "dim=1", "dim=(0,)", "dim=[-1]", "1, True",
        "1, keepdim=True", "dim=1, keepdim=True", "(0, 1), True", "2", "(0, 0)", "(1,)"]
REDUCE = [f"x.{fn}({d})" for fn in ("sum", "mean", "std", "var", "amax", "amin", "nansum", "nanmean")
          for d in DIMS + ["None"]]
_REDUCE_ARGS = ["1", "(0, 1)", "dim=[0]", "1, True"]
REDUCE += [f"T.{fn}(x, {d})" for fn in ("sum", "amax") for d in _REDUCE_ARGS]
_REDUCE_ARGS2 = ["", "0", "-1", "(0, 1)", "dim=1", "1, True", "dim=(0,)"]
REDUCE += [f"x.{fn}({d})" for fn in ("all", "any") for d in _REDUCE_ARGS2]
_REDUCE_ARGS3 = ["0", "-1", "(0, 1)", "[0, 1]", "dim=1", "1, True", "2"]
REDUCE += [f"x.{fn}({d})" for fn in ("logsumexp",) for d in _REDUCE_ARGS3]
_REDUCE_ARGS4 = ["", "1", "2, 1", "p=1", "2, dim=1, keepdim=True", "dim=1", "float('inf')", "p=0", "p='fro'", "p='nuc'"]
REDUCE += [f"x.{fn}({d})" for fn in ("norm",) for d in _REDUCE_ARGS4]
_REDUCE_ARGS5 = ["", "0", "1, True", "dim=1", "dim=-1, keepdim=True"]
REDUCE += [f"x.{fn}({d})" for fn in ("prod",) for d in _REDUCE_ARGS5]
_REDUCE_ARGS6 = ["", "0", "(0, 1)", "[0, 1]", "dim=1", "dim=(0,)"]
REDUCE += [f"x.count_nonzero({d})" for d in _REDUCE_ARGS6]
REDUCE += ["x.std(1, unbiased=False)", "x.std(1, correction=0)", "x.std(1, False)", "x.std(False)",
           "x.var(unbiased=False)", "x.std(1, False, True)", "x.var((0, 1), correction=2)",
           "x.std(dim=None, correction=0)", "T.std_mean(x, 1)", "T.var_mean(x, dim=0, keepdim=True)",
           "x.sum(dtype=T.float64)", "xi.sum(dtype=T.float32)", "x.sum(1, dtype=T.float64)", "xi.prod(dtype=T.int32)",
           "x.mean(dtype=T.float64)", "xi.mean()", "xi.mean(dtype=T.float32)", "x3.sum(dim=(0, 2))",
           "x3.mean((0, 2), True)", "xi.sum(1, True)", "xi.count_nonzero(0)", "b.sum()", "b.all()", "b.any(0)"]
NAMED = []
for fn in ("max", "min", "median", "nanmedian", "mode"):
    NAMED += [f"x.{fn}({d})" for d in ["", "1", "-1", "1, True", "dim=0", "dim=0, keepdim=True", "2"]]
    NAMED += [f"T.{fn}(x, {d})" for d in ["1", "1, True", "dim=0"]]
    NAMED += [f"x.{fn}(1){a}" for a in ["[0]", "[1]", ".values", ".indices", "[-1]", "[0:2]", "[2]", ".n_fields",
                                        ".n_sequence_fields"]]
    NAMED += [f"repr(x.{fn}(1))", f"str(x.{fn}(1))", f"type(x.{fn}(1)).__name__", f"len(x.{fn}(1))",
              f"tuple(x.{fn}(1))", f"isinstance(x.{fn}(1), tuple)", f"(lambda a, b: (a, b))(*x.{fn}(1))"]
NAMED += ["x.sort()", "x.sort(0)", "x.sort(dim=0, descending=True)", "x.sort(1, True)", "x.sort(stable=True)",
          "x.sort(descending=True, stable=True, dim=0)", "T.sort(x, 0, True)", "x.topk(2)", "x.topk(2, 0)",
          "x.topk(k=2, dim=1, largest=False)", "x.topk(2, 1, False, True)", "x.topk(4)", "x.topk(-1)", "x.topk(2.0)",
          "x.topk(si)", "x.kthvalue(2)", "x.kthvalue(1, 0)", "x.kthvalue(2, 1, True)",
          "x.kthvalue(k=1, dim=0, keepdim=True)", "x.kthvalue(5)", "x.kthvalue(1.5)", "x.cummax(1)", "x.cummin(0)",
          "x.cummax(dim=-1)", "T.cummax(x, 1)", "x.aminmax()", "x.aminmax(dim=1)", "x.aminmax(dim=0, keepdim=True)",
          "x.sort().values", "x.topk(1).indices", "x.max(x)", "x.max(v[:3])", "xi.max(1)", "b.max()", "b.max(0)",
          "x.argmax()", "x.argmax(1)", "x.argmax(dim=1, keepdim=True)", "x.argmin(1, True)", "x.argmax(None)",
          "x.argmax(None, True)", "x.cumsum(1)", "x.cumsum(dim=0)", "x.cumsum(1, dtype=T.float64)", "xi.cumsum(0)",
          "b.cumsum(0)", "x.cumprod(1)", "repr(x.sort(1))", "repr(x.topk(1))", "repr(x.kthvalue(1))",
          "repr(x.cummax(1))", "repr(x.aminmax())", "repr(T.median(x, 1))", "T.std_mean(x)",
          "rg.max(1).values.grad_fn.name()", "rg.sort(1)[0].grad_fn.name()", "rg.topk(1)[0].grad_fn.name()",
          "T.unique(T.tensor([3, 1, 3]), return_counts=True)"]

# --- dtypes and devices: to, type, the conversion methods, dtype= arguments ---------------------------
TO = ["T.float64", "'cpu'", "'cpu', T.float16", "T.device('cpu')", "T.device('cpu'), T.int32", "xi", "b",
      "dtype=T.float64, copy=True", "dtype=T.float32, copy=True", "T.float32", "T.float32, copy=True",
      "T.float32, True", "T.float64, False, True", "'cpu', T.float64, True", "'cpu', None, True", "device='cpu'",
      "device='cpu', dtype=T.int64", "other=xi", "tensor=xi", "xi, copy=True", "xi, True", "xi, False, True", "'cuda'",
      "0", "1, dtype=T.float64", "None", "None, None", "None, T.float64", "dtype=None", "float", "int", "bool", "True",
      "np.float64", "np.dtype('float32')", "T.float64, non_blocking=True", "T.float32, blah=1",
      "T.float32, blah=1, foo=2.0", "blah=1, foo=2.0", "'cpu', 'cpu'", "[1]", "T.float64, T.float32",
      "dtype=T.float64, device='cpu'", "'cpu', dtype=T.float64", "T.float64, device='cpu'", "T.float64, None",
      "xi, None", "T.float64, 1", "dtype='float64'", "device=1.5", "T.float64, np.bool_(True)",
      "'cpu', dtype=T.float64, non_blocking=False, copy=False"]
DTYPES = [f"x.to({a})" for a in TO] + [f"(lambda r: r is x)(x.to({a}))" for a in TO if "xi" not in a]
_DTYPES_ARGS = ["T.float64", "'torch.DoubleTensor'", "'torch.IntTensor'", "'torch.cuda.FloatTensor'", "",
                "T.DoubleTensor", "T.FloatTensor", "T.LongTensor", "'torch.float64'", "'float'", "dtype=T.float64",
                "T.int64, non_blocking=True", "T.float64, True", "'torch.BoolTensor'", "'torch.HalfTensor'",
                "np.float64", "float", "None", "'DoubleTensor'", "T.float32", "'torch.FloatTensor'", "xi",
                "dtype='torch.IntTensor'", "T.float64, blah=1"]
DTYPES += [f"{t}.type({a})" for t in ("x", "xi") for a in _DTYPES_ARGS]
DTYPES += ["(lambda r: r is x)(x.type(T.float32))", "(lambda r: r is x)(x.type('torch.FloatTensor'))", "b.type()",
           "x.half().type()"]
for m in ("double", "half", "int", "long", "bool", "byte", "char", "short", "float"):
    DTYPES += [f"x.{m}()", f"b.{m}()", f"(lambda r: r is x)(x.{m}())", f"x.{m}(None)",
               f"x.{m}(memory_format=None)" if m != "float" else "x.float(memory_format=None).dtype"]
DTYPES += ["rg.double().grad_fn.name()", "rg.half().grad_fn.name()", "rg.long().requires_grad",
           "rg.to(T.float64).grad_fn.name()", "rg.to(T.float32) is rg", "rg.to(T.int64).requires_grad",
           "rg.to(T.float32, copy=True).grad_fn.name()", "rg.type(T.float64).grad_fn.name()",
           "rg.type('torch.IntTensor').requires_grad", "x.type_as(xi)", "x.type_as(b)", "x.type_as(3)",
           "x.t().to(T.float64).stride()", "x.t().to(T.float32, copy=True).stride()", "x.t().double().stride()",
           "x.float().data_ptr() == x.data_ptr()", "x.to(T.float32, copy=True).data_ptr() == x.data_ptr()",
           "T.set_default_dtype(T.int32)"]
TENSOR = ["T.tensor([1, 2], dtype='float32')", "T.tensor([1, 2], dtype=float)", "T.tensor([1, 2], dtype=int)",
          "T.tensor([1, 2], dtype=bool)", "T.tensor([1, 2], dtype=np.float64)",
          "T.tensor([1, 2], dtype=np.dtype('int32'))", "T.tensor([1, 2], dtype='torch.float32')",
          "T.tensor([1, 2], dtype=None)", "T.tensor([1.5, 2.7], dtype=T.int64)", "T.tensor([-1], dtype=T.uint8)",
          "T.tensor([300], dtype=T.uint8)", "T.tensor(x)", "T.tensor(x, dtype=T.int32)", "T.tensor([x[0, 0], x[0, 1]])",
          "T.tensor([s, s])", "T.tensor([])", "T.tensor([[]])", "T.tensor(())", "T.tensor([[1, 2], [3]])",
          "T.tensor([[1, 2], [3, 4, 5]])", "T.tensor([[1, 2], 3])", "T.tensor([1, [2, 3]])",
          "T.tensor([[[1], [2]], [[1], [2, 3]]])", "T.tensor('abc')", "T.tensor(['a'])", "T.tensor([[1], ['a']])",
          "T.tensor([1, 'a'])", "T.tensor(None)", "T.tensor([None])", "T.tensor([1, None])", "T.tensor(object())",
          "T.tensor({1: 2})", "T.tensor({1, 2})", "T.tensor(3)", "T.tensor(3.0)", "T.tensor(True)",
          "T.tensor(np.float32(2))", "T.tensor(np.float64(2))", "T.tensor(np.int16(2))", "T.tensor(np.bool_(True))",
          "T.tensor(np.array([1.5]))", "T.tensor([np.float32(1), 2])", "T.tensor([True, 2])", "T.tensor([1, 2.5])",
          "T.tensor([True, 2.5])", "T.tensor(range(3))", "T.tensor((1, 2))", "T.tensor([1, 2], requires_grad=True)",
          "T.tensor([1., 2.], requires_grad=True)", "T.tensor(1e40)", "T.tensor([1e40], dtype=T.float32)",
          "T.tensor(2**63)", "T.tensor(-2**63 - 1)", "T.tensor([2**63])", "T.tensor([[1], [2]], dtype=T.float64)",
          "T.tensor(x.numpy())", "T.as_tensor([1, 2], dtype=T.float32)", "T.as_tensor(x) is x",
          "T.as_tensor(x, dtype=T.float64)", "T.as_tensor(np.arange(3))", "T.as_tensor(3)",
          "T.as_tensor([1], dtype='float32')", "T.asarray([1, 2])", "T.asarray(x, dtype=T.int64)", "T.asarray(x) is x",
          "T.asarray(x, copy=True) is x", "T.asarray(x, copy=True)", "T.asarray([1., 2.], requires_grad=True)",
          "T.from_numpy(np.arange(3.))", "T.from_numpy([1])", "T.tensor([x, x])", "T.tensor((x,))",
          "T.tensor([T.tensor([1.]), T.tensor([2.])])", "T.tensor([[s, s]])", "T.tensor([T.tensor(1, dtype=T.int32)])",
          "T.tensor([T.tensor(1.5, dtype=T.float64)])", "T.tensor([T.tensor(1, dtype=T.int32), 2])",
          "T.tensor([si, 1.5])", "T.tensor([np.int16(2)])", "T.tensor([np.float64(2), 1])",
          "T.tensor([[np.float32(1)], [2]])"]

# --- indexing -----------------------------------------------------------------------------------------
INDICES = ["0", "-1", "..., 0", "None", "[0, 1]", "(0, 1)", "T.tensor(0)", "T.tensor(1)", "b", "np.array([0, 1])",
           "1:100", "::-1", "::0", "2", "-3", "0, 5", "..., 3", "5:", "-100:", ":, None, 1", "None, ..., None",
           "..., ...", "0, 0, 0", "[0, 1], [1, 2]", "[[0], [1]], [1, 2]", "T.tensor([[0, 1]])",
           "T.tensor([True, True])", "T.tensor([[True, False, True], [False, False, True]])", "x > 2", "T.tensor(True)",
           "True", "False", "[True, False]", "[True, False, True]", "1.5", "'a'", "'ab'", "1:, 'a'", "T.tensor(1.0)",
           "T.tensor([1.0])", "[0.0]", "[0.5]", "[0, 1.0]", "slice(None)", "np.int64(1)", "np.array(1)",
           "np.array([True, False])", "np.array([0.5])", "np.array([[0, 1], [1, 0]])", "[]",
           "T.tensor([], dtype=T.long)", "(0, [0, 2])", "[0, [0, 2]]", "[[0, 1], [0, 2]]", "[(0, 1)]", "[[0, 1]]",
           "range(2)", "(..., [0, 2])", "(slice(None), [0, 2])", "[2]", "[-3]", "[0, 2], [0, 5]", "T.tensor([2])",
           "T.tensor([0, 1], dtype=T.int32)", "T.tensor([0, 1], dtype=T.uint8)", "T.tensor([0, 1], dtype=T.int8)",
           "T.tensor([0, 1], dtype=T.int16)", "si", "1, si", "[si, 0]", "(T.tensor([0, 1]), T.tensor([1, 2]))",
           "0:1, [0, 2]", "[0, 1], :, None", "None, [0, 1]", "1:0", "1.0:2", "0:T.tensor(2)", "si:", "np.int32(0):2",
           ":, ::2", "::2, ::-2", "T.tensor([[0]]), T.tensor([1, 2])", "..., None, 1", "[True, False], 0", "b, 1:",
           "b, [0, 2]", "x.bool()", "{0}", "..., T.tensor([True, False, True])", "T.ones(3, dtype=T.bool)", "True, 0",
           "0.0", "(0.0,)"]
INDEXING = [f"{t}[{i}]" for t in ("x", "x3") for i in INDICES]
INDEXING += ["s[0]", "s[None]", "s[...]", "s[()]", "s[True]", "s[False]", "s[:]", "s[0:1]", "s[T.tensor(True)]",
             "s[[0]]", "s[..., None]", "s[None, 0]", "s[..., 0]", "s[True, True]",
             "v[T.tensor([[True, False, True, False]])]", "x[0][1]", "x[0, 1].item()", "x3[0, :, [1, 2]]",
             "x3[:, 0, [1, 2]]", "x3[[0, 1], :, [1, 2]]", "x3[[0], :, [1, 2]]", "x3[:, [0, 1], [1, 2]]",
             "x3[0, [0, 1]][:, None]", "x3[..., [0, 1], 0]", "x3[None, [0, 1], 0]", "x3[[0, 1], None, [0, 1]]",
             "x3[[0, 1], :, 0]", "x3[0, [0, 1], 1:]", "x3[[0, 1], 0, [1, 2]]",
             "x3[0, :, T.tensor([True, False, True, False])]", "x3[[True, False], :, [1, 2]]", "x3[None, 0, :, [1, 2]]",
             "x3[..., 0, ...]", "x3[0, ..., ...]", "x[..., None, ...]", "x[x > 100]", "x[T.zeros(2, 3, dtype=T.bool)]",
             "x[T.zeros(2, dtype=T.bool)]", "rg[0].grad_fn.name()", "rg[[0]].grad_fn.name()",
             "rg[:, 1:].grad_fn.name()", "rg[None].grad_fn.name()", "rg[...].grad_fn.name()", "rg[0, 1].grad_fn.name()",
             "rg[..., 0].grad_fn.name()", "rg[:, None, 1].grad_fn.name()", "rg[b].grad_fn.name()",
             "rg[0, [0, 1]].grad_fn.name()", "x[0]._base is x", "x[[0]]._base is x", "x[0].data_ptr() == x.data_ptr()",
             "x[1:].storage_offset()", "x[:, 1].stride()", "x[::2, ::2].stride()",
             "(lambda r: r.sum().backward() or rg.grad)(T.ones(2, 3, 4, requires_grad=True)[0, :, [1, 2]])",
             "y = T.ones(2, 3, 4, requires_grad=True); y[0, :, [1, 1]].sum().backward(); y.grad"]
# (index, value) pairs for ``y[index] = value``
VALUES = [
    ("0", "1"), ("0", "[7, 8, 9]"), ("0", "T.tensor([7, 8, 9])"), ("0", "T.tensor(5)"), ("0", "T.tensor([1, 2])"),
    (":", "T.tensor([1., 2., 3.])"), (":", "T.arange(6.).reshape(3, 2)"), ("b", "0"), ("b", "T.tensor([1., 2., 3.])"),
    ("b", "T.tensor(1.5)"), ("b", "T.tensor([1.5])"), ("x > 2", "-1"), ("x > 2", "T.tensor([1., 2., 3.])"),
    ("[0, 1], [1, 2]", "T.tensor([5., 6.])"), ("[0, 0], [1, 1]", "T.tensor([5., 6.])"),
    ("[0, 1], [1, 2]", "T.tensor([5.])"), ("..., 0", "9"), ("None", "1"), ("1:100", "2"), ("::-1", "1"), ("5", "1"),
    ("0, 5", "1"), ("[0, 5]", "1"), ("0", "'a'"), ("0", "None"), ("0", "1.5"), ("0", "True"), ("0", "1e39"),
    ("0", "1e30"), ("0", "np.array([1., 2., 3.])"), ("0", "np.float64(3.5)"), ("0", "np.int64(2)"),
    ("0", "np.float32(2)"), ("0", "np.bool_(True)"), ("0", "np.array(2.5)"), ("0", "(1, 2, 3)"), ("0", "[[1, 2, 3]]"),
    ("0", "[[1], [2]]"), ("T.tensor(0)", "3"), ("[0, 1]", "T.tensor([[1.], [2.]])"), ("[0]", "T.tensor(1.5)"),
    ("[0]", "T.tensor([[[5., 6., 7.]]])"), ("0, [0, 1]", "T.tensor([[5., 6.]])"), ("(0, 1)", "T.tensor(2.)"),
    ("1.5", "1"), ("x", "1"), ("[True, False]", "3"), ("0", "T.tensor([1, 2, 3], dtype=T.float64)"),
    ("0", "T.tensor([True, False, True])"), ("...", "T.tensor(7.)"), ("0", "rg[0]"), ("[[0, 1], [0, 1]]", "1"),
    ("0, ...", "[1, 2, 3]"), ("0", "T.tensor([[[1., 2., 3.]]])"), ("0", "T.tensor([[[1.], [2.]]])"),
    ("[0, 1], [1]", "T.tensor([5., 6., 7.])"), ("0, :, [1, 2]", "T.tensor([9., 8.])"), ("1:, 1:", "T.ones(1, 2, 1)"),
    ("1:, 1:", "T.ones(2, 2)"), ("1:, 1:", "T.ones(1, 1)"), ("b", "T.tensor([1, 2, 3], dtype=T.int32)"), ("::0", "1")]
SETITEM = [f"y = {t}.clone(); y[{i}] = {val}; y" for t in ("x", "xi", "b") for i, val in VALUES]
SETITEM += ["y = s.clone(); y[...] = 2; y", "y = s.clone(); y[()] = 2; y", "y = s.clone(); y[None] = 2; y",
            "y = s.clone(); y[0] = 2; y", "y = s.clone(); y[True] = 2; y", "y = s.clone(); y[:] = 2; y",
            "y = rg.clone(); y[[0]] = 2; y.grad_fn.name()", "y = rg.clone(); y[b] = 2; y.grad_fn.name()", "rg[0] = 1",
            "y = x.clone(); y[0] = rg[0]; y.requires_grad", "y = x.clone(); y[0] += 1; y",
            "y = x.clone(); y[:, 0] *= 2; y", "y = x.clone(); y[[0, 0]] += 1; y", "y = x.expand(2, 2, 3); y[0] = 1",
            "y = x.clone(); z = y[0]; z[1] = 7; y", "y = x.clone(); y[[0]][0, 0] = 7; y",
            "y = x.clone(); y.t()[0] = 7; y", "y = x.clone(); y[x > 2] = T.tensor(1.); y",
            "y = T.zeros(3); y[T.tensor([0, 0])] = T.tensor([1., 2.]); y", "y = x.clone(); y[0] = 1; y._version",
            "y = x3.clone(); y[0, :, [1, 2]] = T.tensor([[1., 2.]]); y",
            "y = x3.clone().requires_grad_(); z = y * 1; z[0, :, [1, 2]] = 0.; z.sum().backward(); y.grad",
            "y = rg.clone(); w = T.ones(2, requires_grad=True); y[[0, 1], [1, 2]] = w * 3; y.sum().backward(); w.grad"]

# --- keywords and positions of the joining, splitting and gathering ops --------------------------------
JOIN = ["T.cat([x, x])", "T.cat([x, x], 1)", "T.cat((x, x), 1)", "T.cat((x, x), dim=1)", "T.cat(tensors=[x, x], dim=1)",
        "T.cat([x, x], -1)", "T.cat([], 0)", "T.cat(())", "T.cat([x])", "T.cat([x, xi])",
        "T.cat([x, b.reshape(2, 1)], 1)", "T.cat([xi, b.reshape(2, 1)], 1)", "T.cat([s, s])", "T.cat((x, s))",
        "T.cat([T.zeros(0), s])", "T.cat([x, v])", "T.cat([x, x], 2)", "T.cat([x, x], 5)", "T.cat([x, x[:, :2]])",
        "T.cat([x, x.t()])", "T.cat(x)", "T.cat([x, 1])", "T.cat([x, None])", "T.cat([x, T.tensor([])])",
        "T.cat([T.tensor([]), x])", "T.cat([T.zeros(0), T.zeros(0)])", "T.cat([x, T.zeros(0, 3)])",
        "T.cat([x, T.zeros(2, 0)])", "T.cat([x, T.zeros(0)], 1)", "T.cat([x, x], dim=None)", "T.cat([x, x], 1.0)",
        "T.cat([x, x], axis=1)", "T.concat([x, x], 1)", "T.concatenate([x, x], axis=1)", "T.cat([x, x.double()])",
        "T.cat([xi, xi.int()])", "T.cat([b.reshape(1, 2), b.reshape(1, 2)])", "T.cat([x.half(), xi])",
        "T.cat([T.zeros(2, 0), T.zeros(3, 0)])", "T.cat([x, x], out=T.empty(4, 3))", "T.cat([x, x], out=T.empty(0))",
        "T.cat([x, x], out=T.empty(0, dtype=T.int64))", "T.cat([x], out=T.empty(0, dtype=T.float16))",
        "T.cat([xi], out=T.empty(0))", "T.cat([x, x], out=T.empty(0, dtype=T.bool))", "T.cat([rg, x]).grad_fn.name()",
        "T.stack([x, x])", "T.stack([x, x], 1)", "T.stack((x, x), dim=2)", "T.stack([x, x], 3)", "T.stack([x, x], -1)",
        "T.stack([x, x[:, :2]])", "T.stack([])", "T.stack(x)", "T.stack([x, xi])", "T.stack([s, s])", "T.stack([x])",
        "T.stack([x, x], axis=1)", "T.stack([x, 1])", "T.stack([1, 2])", "T.stack([x, 'a'])",
        "T.stack([x, x], out=T.empty(0))", "T.stack([x, x], out=T.empty(0, dtype=T.int64))", "T.hstack([v, v])",
        "T.vstack([v, v])", "T.hstack([])", "T.vstack([])", "T.dstack([])", "T.column_stack([])", "T.row_stack([])",
        "T.hstack(v)", "T.column_stack([v, v])", "T.dstack([v, v])"]
SPLIT = ["T.split(x, 1)", "T.split(x, [1, 1])", "T.split(x, [1, 2], dim=1)", "T.split(x, 2, 1)", "T.split(x, (1, 1))",
         "x.split(1)", "x.split([1, 1])", "x.split([1, 2], 1)", "x.split(5)", "x.split(0)", "x.split([1, 3], 1)",
         "x.split(-1)", "x.split([1, -1])", "x.split(1.5)", "x.split(split_size=1)", "x.split(dim=1, split_size=1)",
         "x.split(split_size_or_sections=1)", "T.split(x, split_size_or_sections=[1, 1])", "T.split(x, split_size=1)",
         "x.split([], 0)", "x.split([2])", "x.split(T.tensor(1))", "x.split_with_sizes([1, 1])",
         "x.split_with_sizes([1, 2], 1)", "x.split(si)", "x.split([si, 0])", "x.split([1, 1.0])",
         "x.split(T.tensor([1, 1]))", "x.chunk(3)", "x.chunk(5)", "x.chunk(2, 1)", "x.chunk(0)", "x.chunk(-1)",
         "x.chunk(2, dim=1)", "x.chunk(chunks=2)", "T.chunk(x, 3, 1)", "x.chunk(1.5)", "x.chunk(si)",
         "x.chunk(2, dim=5)", "T.zeros(0).chunk(2)", "T.zeros(0).chunk(3)", "T.zeros(5).chunk(3)",
         "T.zeros(6).chunk(4)", "T.zeros(0, 3).chunk(2, 1)", "T.zeros(0, 2).chunk(3)", "x.unbind()", "x.unbind(1)",
         "x.unbind(dim=-1)", "T.unbind(x, 1)", "x.unbind(2)", "s.unbind()", "T.tensor(1).unbind(0)",
         "T.zeros(0, 2).unbind()", "x.tensor_split(2)", "x.tensor_split([1], 1)", "x.tensor_split(indices=[1])",
         "x.tensor_split(sections=2)", "x.tensor_split(tensor_indices_or_sections=T.tensor([1]))",
         "x.tensor_split(T.tensor([1, 2]), 1)", "x.tensor_split(T.tensor(2), 1)", "x.tensor_split(0)",
         "x.tensor_split(2.5)", "x.tensor_split([1.5])", "x.tensor_split(T.tensor([1.]))",
         "x.tensor_split(T.tensor([[1]]))", "x.hsplit(3)", "x.vsplit(2)", "x.hsplit([1])"]
GATHER = ["x.gather(1, T.tensor([[0], [1]]))", "x.gather(1, T.tensor([0, 1]))", "x.gather(1, T.tensor([[0, 1, 2, 0]]))",
          "x.gather(1, T.tensor([[3]]))", "x.gather(1, T.tensor([[-1]]))", "x.gather(1, T.tensor([[0.]]))",
          "x.gather(1, T.tensor([[0]], dtype=T.int32))", "x.gather(1, T.tensor([[0]], dtype=T.int16))",
          "x.gather(dim=1, index=T.tensor([[0]]))", "T.gather(x, 1, T.tensor([[0]]))", "x.gather(1, [[0]])",
          "x.gather(2, T.tensor([[0]]))", "x.gather(0, T.tensor([[0, 1, 0, 1]]))", "x.gather(1, T.tensor([[[0]]]))",
          "v.gather(0, T.tensor([[0]]))", "s.gather(0, T.tensor([0]))",
          "x.index_select(0, T.tensor([0], dtype=T.int32))", "x.index_select(0, [0])",
          "x.index_select(0, T.tensor([0.]))", "x.scatter(1, T.tensor([[0], [1]]), 9.)",
          "x.scatter(1, T.tensor([[0], [1]]), T.ones(2, 1))", "x.scatter(1, T.tensor([0, 1]), 9.)",
          "x.scatter(1, T.tensor([[[0]]]), 9.)", "x.scatter(1, T.tensor([[3]]), 9.)",
          "x.scatter(1, T.tensor([[-1]]), 9.)", "x.scatter(1, T.tensor([[0]]), T.ones(1, 1, dtype=T.float64))",
          "x.scatter(1, T.tensor([[0]]), value=2.)", "x.scatter(1, T.tensor([[0]]), src=T.ones(1, 1))",
          "x.scatter(dim=1, index=T.tensor([[0]]), value=2.)", "x.scatter(1, T.tensor([[0]]), 2.0, reduce='add')",
          "x.scatter(1, T.tensor([[0]]), T.ones(1, 1), reduce='multiply')",
          "x.scatter(1, T.tensor([[0]]), T.ones(1, 1), reduce='bad')",
          "x.scatter(1, T.tensor([[0, 1, 2, 0]]), T.ones(1, 4))", "x.scatter(1, T.tensor([[0, 1, 2, 0]]), 2.)",
          "x.scatter(0, T.tensor([[0, 1, 0, 1]]), 2.)", "x.scatter(1, T.tensor([[0, 1]]), T.ones(1, 1))",
          "x.scatter(1, T.tensor([[0]], dtype=T.int32), 1.)", "x.scatter(1, T.tensor([[0.]]), 1.)",
          "x.scatter_add(1, T.tensor([[0, 0]]), T.ones(1, 2))", "x.scatter_add(1, T.tensor([[0, 0]]), T.ones(1, 1))",
          "x.scatter_add(1, T.tensor([[0]]), 1.)", "x.scatter_add(1, T.tensor([[0]]), T.ones(1, 1, dtype=T.float64))",
          "x.scatter_add(1, T.tensor([[-1]]), T.ones(1, 1))", "T.where(x > 2)", "T.where(x > 2, x, 0)",
          "T.where(x > 2, 1, 0)", "T.where(x > 2, 1., 0)", "T.where(x > 2, x, xi)", "T.where(x, 1, 0)", "T.where(b)",
          "T.where(s > 1)", "T.where(condition=x > 2)", "T.where(x > 2, input=x, other=0)", "T.where(x > 2, x)",
          "T.where(x > 2, other=x)", "T.where(x > 2, x, None)", "T.where(x > 2, True, False)",
          "T.where(x > 2, b.reshape(2, 1), 5)", "x.where(x > 2, 0)", "x.where(x > 2, other=0)", "x.where(x > 2)",
          "x.where(x > 2, None)", "T.where(xi)", "T.where([True])", "T.where(x > 2, x, v)"]
RANGES = ["T.arange(5)", "T.arange(1, 5)", "T.arange(1, 5, 2)", "T.arange(0, 1, 0.25)", "T.arange(5.)",
          "T.arange(1, 2.5)", "T.arange(0, 5, 1.5)", "T.arange(5, dtype=T.float64)", "T.arange(0.5, dtype=T.int64)",
          "T.arange(0, 1, 0.1).shape", "T.arange(1, 0, -0.25)", "T.arange(0, 10, -1)", "T.arange(0, 10, 0)",
          "T.arange(end=5)", "T.arange(start=1, end=5)", "T.arange(1, end=5, step=2)", "T.arange(T.tensor(3))",
          "T.arange(T.tensor(3.))", "T.arange(si, 5)", "T.arange(np.int64(3))", "T.arange(np.float32(2.5))",
          "T.arange(True)", "T.arange(3, dtype=T.bool)", "T.arange(-3)", "T.arange(float('inf'))",
          "T.arange(float('nan'))", "T.arange(1.5, float('nan'))", "T.arange('a')", "T.arange(None)", "T.arange()",
          "T.arange('a', 2)", "T.arange(0, 2, 'a')", "T.arange(0, 2, 1, 5)", "T.arange(1, None)",
          "T.arange(1, 5, 2, dtype=T.float16)", "T.arange(0.1, 0.5, 0.1)", "T.arange(0, 3, 1, dtype=T.int32)",
          "T.arange(10, 0, -3)", "T.arange(2**40, 2**40 + 2)", "T.arange(5, requires_grad=True)",
          "T.arange(5., requires_grad=True)", "T.arange(0, 5, out=T.empty(0))",
          "T.arange(0, 5, out=T.empty(0, dtype=T.int32))", "T.arange(0, 5, 0.5, dtype=T.int64)",
          "T.arange(0, 2.5, 1, dtype=T.int64)", "T.arange(-0.5, 2, dtype=T.int64)", "T.arange(3, dtype='int64')",
          "T.linspace(0, 1, 5)", "T.linspace(0, 1)", "T.linspace(0, 1, steps=3)", "T.linspace(0, 10, 5, dtype=T.int64)",
          "T.linspace(0, 1, 1)", "T.linspace(0, 1, 0)", "T.linspace(0, 1, -1)", "T.linspace(0, 1, 2.5)",
          "T.linspace(T.tensor(0.), T.tensor(1.), 3)", "T.linspace(0, 1, si)", "T.linspace(start=0, end=1, steps=2)",
          "T.linspace(0, 1, 3, dtype=T.float64)", "T.linspace(0, 1, 3, dtype='float64')", "T.logspace(0, 2, 3)",
          "T.logspace(0, 2)", "T.logspace(0, 2, 3, base=2)", "T.logspace(0, 2, 3, 2)",
          "T.logspace(0, 2, 3, dtype=T.int64)", "T.full((2,), True).dtype", "T.full((2,), 1).dtype",
          "T.full((2,), 1.).dtype", "T.full((2, 2), 1, dtype=T.bool)"]

# --- the Python protocols ------------------------------------------------------------------------------
# (float() of a non-leaf that requires grad is left out: PyTorch warns about that once per process,
# and tests/test_tensor.py checks the warning)
PROTOCOL = ["len(s)", "len(x)", "len(T.zeros(0, 3))", "iter(s)", "list(s)", "list(x)", "list(v)",
            "[t.shape for t in x3]", "bool(x)", "bool(T.zeros(0))", "bool(T.tensor([0.]))", "bool(s)",
            "bool(T.tensor([[1]]))", "int(x)", "float(x)", "int(T.tensor([2.7]))", "float(T.tensor([[2]]))", "int(s)",
            "float(si)", "complex(s)", "int(T.tensor(-2.7))", "int(T.tensor(float('nan')))",
            "int(T.tensor(float('inf')))", "float(T.zeros(0))", "int(b)", "complex(x)", "int(T.tensor(True))",
            "hash(x) == hash(x)", "hash(x) == id(x)", "{x: 1}[x]", "x in {x}", "2. in x", "7 in x",
            "T.tensor(2.) in x", "T.tensor([0., 1., 2.]) in x", "T.tensor([0., 1.]) in x", "'a' in x", "None in x",
            "[0., 1., 2.] in x", "3 in s", "True in b", "x.__contains__(2.)", "x == None", "x != None", "x == 'a'",
            "x != 'a'", "x == [0., 1., 2.]", "s == 3", "format(s, '.2f')", "format(s, '')", "format(x, '.2f')",
            "format(x, '')", "format(si, 'd')", "format(si, '05d')", "f'{s:.3f}'", "f'{s}'", "format(s, 'd')",
            "format(T.tensor([2.5]), '.1f')", "'%.2f' % s", "'%d' % si", "'%.2f' % x", "'{:.2f}'.format(s)", "round(s)",
            "round(x)", "round(s, 1)", "round(T.tensor(2.5))", "round(T.tensor(3.14159), 2)", "round(si)", "abs(x - 3)",
            "abs(xi - 3)", "abs(s)", "-b", "~b", "~xi", "~x", "+x", "+b", "+xi", "divmod(x, 2)", "divmod(xi, 2)",
            "divmod(s, 2)", "x.__array__()", "x.__array__(np.float64)", "np.asarray(x)",
            "np.asarray(x, dtype=np.int32)", "np.array(x)", "np.array(s)", "np.asarray(rg)", "np.float64(s)",
            "np.array([s, s])", "x.tolist()", "s.tolist()", "si.tolist()", "b.tolist()", "T.zeros(0).tolist()",
            "x.item()", "s.item()", "T.zeros(0).item()", "T.tensor([[5]]).item()", "b[0].item()",
            "T.tensor(2, dtype=T.int32).item()", "rg.numpy()", "rg.numpy(force=True).shape", "rg.tolist()",
            "copy.copy(x)", "copy.deepcopy(x)", "copy.deepcopy(rg).requires_grad", "copy.deepcopy(rg).grad",
            "copy.copy(rg).requires_grad", "copy.copy(rg) is rg", "copy.deepcopy(rg * 2)", "copy.copy(rg * 2).grad_fn",
            "copy.copy(rg * 2).requires_grad",
            "y = rg.detach().clone().requires_grad_(); y.grad = T.ones(2, 3); z = copy.deepcopy(y); z.grad",
            "y = x.clone(); z = copy.deepcopy(y); z[0, 0] = 9; y", "y = x.clone(); z = copy.copy(y); z[0, 0] = 9; y",
            "(lambda l: l[0] is l[1])(copy.deepcopy([x, x]))", "copy.deepcopy(x.t()).stride()",
            "copy.deepcopy(x.t()).is_contiguous()", "pickle.loads(pickle.dumps(x))",
            "pickle.loads(pickle.dumps(rg)).requires_grad", "pickle.loads(pickle.dumps(x.t())).stride()", "x.__len__()",
            "s.__len__()", "x.__index__()", "si.__index__()", "T.tensor([2]).__index__()", "T.tensor(2.).__index__()",
            "[0, 1, 2][si]", "[0, 1, 2][T.tensor([1])]", "[0, 1, 2][s]", "range(10)[si]", "operator.index(si)",
            "x.__int__()", "x.__float__()", "reversed(x)", "list(reversed(v))", "x.__reversed__()", "reversed(s)",
            "sorted(v)", "max(v)", "min(v)", "sum(v)", "sum(x)", "any(b)", "all(b)", "x.dim()", "x.ndimension()",
            "x.nelement()", "x.numel()", "T.numel(x)", "repr(s)", "repr(x)", "repr(b)", "repr(rg * 2)",
            "str(T.zeros(2, 0))"]

ALL = cases(VIEW, RESHAPE, EXPAND, REPEAT, PERMUTE, TILE, FLIP, NEW, FACTORY, SIZE_CLASS, REDUCE, NAMED, DTYPES, TENSOR,
            INDEXING, SETITEM, JOIN, SPLIT, GATHER, RANGES, PROTOCOL)


@pytest.mark.parametrize("code", ALL)
def test_call_form_matches_pytorch(code):
    check(code)


def test_the_harness_sees_differences():
    """The comparison itself can fail: a result, a dtype, a message and an exception type that
    differ are all told apart."""
    assert describe(torch.ones(2)) != describe(torch.ones(2, dtype=torch.float64))
    assert describe(torch.ones(2)) != describe(torch.zeros(2))
    assert outcome(torch, "T.zeros(2.0, 3)") != outcome(torch, "T.zeros((2.0,))")
    assert outcome(torch, "x[5]")[1] == "IndexError" and outcome(torch, "T.tensor(None)")[1] == "RuntimeError"
    assert describe(torch.ones(2).max(0)) != describe(torch.ones(2).min(0))


def test_view_as_other_dtype_shares_memory_like_pytorch():
    """``view(dtype)`` reinterprets the same bytes: writes show through in both directions."""
    for m in (torch, ember):
        a = m.zeros(2, 4)
        w = a.view(m.int16)
        w[0, 1] = 16256  # the high half of float32 1.0
        assert a[0, 0].item() == 1.0 and tuple(w.shape) == (2, 8)


def test_copy_copy_shares_memory_and_deepcopy_does_not():
    for m in (torch, ember):
        a = m.arange(3.)
        shallow, deep = copy.copy(a), copy.deepcopy(a)
        a[0] = 7
        assert shallow[0].item() == 7 and deep[0].item() == 0 and shallow is not a
