"""Edges of nn.Module and the containers, each run with torch and with ember and compared:
returned values, printed reprs, and for bad input the exception type and message."""
import copy
import pickle
import warnings
from collections import OrderedDict

import pytest
import torch

import ember


def outcome(fn, m):
    """``fn(m)``'s result, or its exception's type name and message."""
    try:
        return "ok", fn(m)
    except Exception as e:  # noqa: BLE001 - the exception is what is compared
        return type(e).__name__, str(e)


def same(fn):
    """Run ``fn`` with torch and with ember; the outcomes must match."""
    expected, got = outcome(fn, torch), outcome(fn, ember)
    assert got == expected
    return got


def net(m):
    class Net(m.nn.Module):
        def __init__(self):
            super().__init__()
            self.l = m.nn.Linear(2, 3)
            self.register_buffer("b", m.zeros(2))
            self.register_buffer("nb", m.zeros(2), persistent=False)
            self.bn = m.nn.BatchNorm1d(3)
            self.seq = m.nn.Sequential(m.nn.Linear(3, 1), m.nn.ReLU())

        def forward(self, x):
            return self.seq(self.bn(self.l(x)))
    return Net()


def names(mod):
    return [(k, type(v).__name__) for k, v in mod._modules.items()]


# --- load_state_dict --------------------------------------------------------------------------
def test_key_of_an_entry_registered_as_none_is_unexpected():
    def buffer_none(m):
        n = net(m)
        n.b = None
        return repr(n.load_state_dict(net(m).state_dict(), strict=False))

    def param_none_strict(m):
        n = net(m)
        n.l.bias = None
        n.load_state_dict(net(m).state_dict())
    assert "unexpected_keys=['b']" in same(buffer_none)[1]
    assert same(param_none_strict)[0] == "RuntimeError"


def test_bare_key_naming_a_child_module_is_unexpected():
    def fn(m):
        sd = net(m).state_dict()
        sd["l"] = m.zeros(1)
        sd["nb"] = m.zeros(2)
        r = net(m).load_state_dict(sd, strict=False)
        return r.missing_keys, r.unexpected_keys
    assert same(fn) == ("ok", ([], ["l", "nb"]))


def test_scalar_loads_from_one_element_vector():
    def fn(m):
        mod = m.nn.Module()
        mod.p = m.nn.Parameter(m.tensor(1.0))
        r = mod.load_state_dict({"p": m.tensor([5.0])})
        return repr(r), mod.p.tolist(), tuple(mod.p.shape)
    assert same(fn)[1][1] == 5.0


def test_size_mismatches_are_all_listed_after_missing_and_unexpected():
    def fn(m):
        sd = net(m).state_dict()
        sd["l.bias"] = m.zeros(5)
        sd["seq.0.weight"] = m.zeros(2, 2)
        del sd["b"]
        sd["q"] = m.zeros(1)
        net(m).load_state_dict(sd)
    assert same(fn)[0] == "RuntimeError"


def test_load_from_state_dict_has_pytorchs_signature_and_sees_its_own_keys():
    def fn(m):
        seen = []

        class A(m.nn.Module):
            def __init__(self):
                super().__init__()
                self.p = m.nn.Parameter(m.zeros(1))
                self.c = m.nn.Linear(1, 1)

            def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                                      unexpected_keys, error_msgs):
                seen.append((prefix, dict(local_metadata), strict, sorted(state_dict)))
                super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys,
                                              unexpected_keys, error_msgs)
        outer = m.nn.Sequential(A(), m.nn.Sequential(A()))
        sd = outer.state_dict()
        sd._metadata["0"]["version"] = 7
        outer.load_state_dict(sd)
        outer.load_state_dict(dict(sd))
        outer.load_state_dict(sd, assign=True)
        return seen
    seen = same(fn)[1]
    assert seen[0] == ("0.", {"version": 7}, True, ["0.c.bias", "0.c.weight", "0.p"])
    assert seen[-2][1] == {"version": 7, "assign_to_params_buffers": True}


def test_assign_keeps_the_models_requires_grad():
    def fn(m):
        lin = m.nn.Linear(2, 2)
        lin.bias.requires_grad_(False)
        p, w = m.nn.Parameter(m.ones(2)), m.ones(2, 2, dtype=m.float64)
        lin.load_state_dict({"weight": w, "bias": p}, assign=True)
        return (lin.bias is p, p.requires_grad, type(lin.weight).__name__, lin.weight.dtype is m.float64,
                lin.weight.requires_grad)
    same(fn)


def test_load_state_dict_hooks():
    def pre(m):
        seen = []
        n = net(m)
        n.l._register_load_state_dict_pre_hook(lambda *a: seen.append(("h", a[1], len(a))))
        n.l._register_load_state_dict_pre_hook(lambda mod, *a: seen.append((type(mod).__name__, a[1], len(a))),
                                               with_module=True)
        n.register_load_state_dict_pre_hook(lambda mod, *a: seen.append((type(mod).__name__, a[1], len(a))))
        n.load_state_dict(net(m).state_dict())
        return seen

    def post(m):
        seen = []

        def hook(mod, keys):
            seen.append((type(mod).__name__, list(keys.missing_keys), list(keys.unexpected_keys)))
            keys.unexpected_keys.clear()
        n = net(m)
        n.register_load_state_dict_post_hook(hook)
        n.l.register_load_state_dict_post_hook(hook)
        sd = net(m).state_dict()
        sd["zz"] = m.zeros(1)
        return repr(n.load_state_dict(sd)), seen

    def post_returns(m):
        n = net(m)
        n.register_load_state_dict_post_hook(lambda mod, keys: 1)
        n.load_state_dict(net(m).state_dict())
    assert len(same(pre)[1]) == 3
    assert same(post)[1][0] == "<All keys matched successfully>"
    assert same(post_returns)[0] == "AssertionError"


# --- state_dict ---------------------------------------------------------------------------------
def test_state_dict_hooks():
    def post(m):
        seen = []
        n = net(m)

        def hook(mod, sd, prefix, meta):
            seen.append((type(mod).__name__, prefix, dict(meta), len(sd)))
        n.l.register_state_dict_post_hook(hook)
        n.register_state_dict_post_hook(hook)
        n.state_dict(prefix="a.")
        return seen

    def post_returns(m):
        n = net(m)
        n.register_state_dict_post_hook(lambda *a: {})
        n.state_dict()

    def old_hook_replaces(m):
        n = net(m)
        n._register_state_dict_hook(lambda *a: {"x": 1})
        return n.state_dict()

    def pre(m):
        seen = []
        n = net(m)
        n.l.register_state_dict_pre_hook(lambda mod, prefix, kv: seen.append((type(mod).__name__, prefix, kv)))
        n.state_dict(keep_vars=True)
        return seen
    for fn in (post, post_returns, old_hook_replaces, pre):
        same(fn)


def test_state_dict_positional_args_warn():
    def fn(m):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            keys = list(net(m).state_dict(None, "p."))
        return keys, [(x.category.__name__, str(x.message)) for x in w]
    assert same(fn)[1][1][0][0] == "FutureWarning"


def test_extra_state():
    def roundtrip(m):
        class A(m.nn.Module):
            def __init__(self):
                super().__init__()
                self.p = m.nn.Parameter(m.zeros(1))
                self.s = 3

            def get_extra_state(self):
                return {"s": self.s}

            def set_extra_state(self, state):
                self.s = state["s"]
        sd = A().state_dict()
        sd["_extra_state"] = {"s": 9}
        b = A()
        r = b.load_state_dict(sd)
        return list(A().state_dict()), b.s, repr(r), repr(A().load_state_dict({"p": m.zeros(1)}, strict=False))

    def unexpected(m):
        m.nn.Linear(1, 1).load_state_dict({"weight": m.zeros(1, 1), "bias": m.zeros(1), "_extra_state": 1})
    same(roundtrip)
    assert same(unexpected)[0] == "RuntimeError"
    assert same(lambda m: m.nn.Linear(1, 1).get_extra_state())[0] == "RuntimeError"
    assert same(lambda m: m.nn.Linear(1, 1).set_extra_state(1))[0] == "RuntimeError"


def test_module_pickled_without_newer_hook_stores_still_works():
    def fn(m):
        lin = m.nn.Linear(1, 1)
        del lin.__dict__["_state_dict_pre_hooks"], lin.__dict__["_load_state_dict_post_hooks"]
        lin2 = pickle.loads(pickle.dumps(lin))
        return list(lin2.state_dict()), repr(lin2.load_state_dict(lin2.state_dict()))
    same(fn)


# --- attributes, tree walks, conversions --------------------------------------------------------
def test_delattr_before_init_and_dir():
    def fn(m):
        class A(m.nn.Module):
            def __init__(self):
                del self.x
        A()
    assert same(fn)[0] == "AttributeError"
    for cls in ("Linear", "Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict"):
        def public(m):
            obj = m.nn.Linear(1, 1) if cls == "Linear" else getattr(m.nn, cls)()
            return sorted(k for k in dir(obj) if not k.startswith("_"))
        same(public)


def test_stores_are_plain_dicts():
    same(lambda m: [type(v).__name__ for v in (m.nn.Linear(1, 1)._parameters, m.nn.Linear(1, 1)._modules)])
    same(lambda m: type(m.nn.ModuleDict({"a": m.nn.ReLU()}).keys()).__name__)


def test_set_submodule():
    def ok(m):
        n = net(m)
        n.set_submodule("seq.0", m.nn.Tanh())
        n.set_submodule("seq.zz", m.nn.Tanh())
        return repr(n.seq)
    same(ok)
    for target, module, strict in [("seq.zz", "Tanh", True), ("", "Tanh", False), ("seq.0", 3, False),
                                   ("l.weight", "Tanh", False), ("zz.a", "Tanh", False)]:
        def bad(m):
            n = net(m)
            n.set_submodule(target, getattr(m.nn, module)() if isinstance(module, str) else module, strict=strict)
        assert same(bad)[0] in ("AttributeError", "ValueError")


def test_modules_remove_duplicate_and_memo():
    def fn(m):
        lin = m.nn.Linear(1, 1)
        s = m.nn.Sequential(lin, m.nn.ReLU(), lin)
        return (len(list(s.modules(remove_duplicate=False))),
                [n for n, _ in s.named_modules(memo={lin}, remove_duplicate=False)])
    assert same(fn)[1][0] == 4


def test_device_methods_bfloat16_to_empty_compile():
    same(lambda m: repr(m.nn.ReLU().cuda()))
    same(lambda m: repr(m.nn.ReLU().bfloat16()))
    for meth in ("xpu", "mtia", "ipu"):
        same(lambda m: repr(getattr(m.nn.Linear(1, 1), meth)()))
        same(lambda m: repr(getattr(m.nn.ReLU(), meth)()))

    def to_empty(m):
        lin = m.nn.Linear(2, 3)
        w = lin.weight
        return lin.to_empty(device="cpu") is lin, lin.weight is w, tuple(lin.weight.shape), str(lin.weight.dtype)
    same(to_empty)

    def compile_in_place(m):
        lin = m.nn.Linear(1, 1)
        return lin.compile(), repr(lin), tuple(lin(m.ones(1)).shape)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same(compile_in_place)
    same(lambda m: m.nn.Module.dump_patches)


# --- containers ---------------------------------------------------------------------------------
def seq(m):
    return m.nn.Sequential(m.nn.Linear(1, 2), m.nn.ReLU(), m.nn.Linear(2, 3), m.nn.Tanh())


def test_sequential_iadd_is_in_place_and_add_error_names_torch_class():
    def iadd(m):
        s = seq(m)
        t = s
        s += seq(m)
        return s is t, names(s)
    same(iadd)

    def bad(m):
        s = seq(m)
        s += [m.nn.ReLU()]
    assert same(bad)[0] == "ValueError"
    assert "torch.nn.modules.container.ModuleList" in same(lambda m: seq(m) + m.nn.ModuleList())[1]


@pytest.mark.parametrize("factor", [2, 0, -1, 1.5])
def test_sequential_multiplication(factor):
    def mul(m):
        s = seq(m)
        r = s * factor
        return names(r), r[0] is s[0], r[4] is s[0]

    def rmul(m):
        return names(factor * seq(m))

    def imul(m):
        s = seq(m)
        t = s
        s *= factor
        return s is t, names(s)
    for fn in (mul, rmul, imul):
        same(fn)


def test_sequential_and_modulelist_insert_follow_pytorch():
    def seq_named(m):
        s = m.nn.Sequential(OrderedDict([("a", m.nn.ReLU()), ("b", m.nn.Tanh())]))
        s.insert(1, m.nn.Sigmoid())
    assert same(seq_named)[0] == "KeyError"
    for index in (1, -1, 10, -10, 4):
        def ml(m):
            s = m.nn.ModuleList([m.nn.Linear(1, 2), m.nn.ReLU(), m.nn.Linear(2, 3), m.nn.Tanh()])
            s.insert(index, m.nn.Sigmoid())
            return names(s)
        same(ml)


def test_modulelist_extend_and_add():
    def extend_dict(m):
        m.nn.ModuleList().extend(m.nn.ModuleDict({"a": m.nn.ReLU()}))
    assert same(extend_dict) == ("TypeError", "str is not a Module subclass")

    def add(m):
        a = m.nn.ModuleList([m.nn.ReLU()])
        return names(a + [m.nn.Tanh()]), names(a + m.nn.Sequential(m.nn.Tanh()))
    same(add)


def param_dict(m):
    return m.nn.ParameterDict({"b": m.nn.Parameter(m.ones(3)), "a": m.zeros(2, 2)})


def test_parameter_dict_dict_methods():
    def fn(m):
        p = param_dict(m)
        out = [list(reversed(p)), p.get("zz"), p.get("zz", 1), type(p.get("a")).__name__]
        out.append(type(p.setdefault("c", m.ones(1))).__name__)
        c = p.copy()
        out += [type(c).__name__, list(c), c["a"] is p["a"]]
        out += [type(p.pop("b")).__name__, list(p), p.popitem()[0], list(p)]
        q = param_dict(m)
        q.clear()
        out += [list(q), [n for n, _ in q.named_parameters()]]
        f = param_dict(m).fromkeys(["x", "y"], m.ones(1))
        out += [list(f), repr(f)]
        r = param_dict(m) | m.nn.ParameterDict({"z": m.ones(1)})
        s = param_dict(m)
        t = s
        s |= m.nn.ParameterDict({"z": m.ones(1)})
        return out + [list(r), s is t, list(s)]
    same(fn)


def test_parameter_dict_non_string_keys():
    same(lambda m: param_dict(m)[0])

    def setitem(m):
        p = param_dict(m)
        try:
            p[0] = m.ones(1)
        except TypeError as e:
            return str(e), list(p.keys())  # the key stays recorded, as in PyTorch
    same(setitem)


def test_parameter_list_slice_keeps_subclass():
    def fn(m):
        class MyList(m.nn.ParameterList):
            pass
        p = MyList([m.ones(1), m.ones(2), m.ones(3)])
        return type(p[::2]).__name__, repr(p[1:])
    same(fn)


def test_buffer_of_non_tensor():
    assert same(lambda m: m.nn.Buffer([1]))[0] == "AttributeError"


def test_deepcopy_of_module_with_hooks_keeps_dict_stores():
    def fn(m):
        lin = m.nn.Linear(2, 1)
        lin.register_state_dict_pre_hook(lambda *a: None)
        lin2 = copy.deepcopy(lin)
        return len(lin2._state_dict_pre_hooks), type(lin2._parameters).__name__, list(lin2.state_dict())
    same(fn)


def test_batch_norm_checkpoints_without_num_batches_tracked():
    """A state dict older than BatchNorm's version 2 has no num_batches_tracked: PyTorch keeps
    the layer's count instead of reporting a missing key; with version 2 metadata it is missing."""
    def run(m):
        bn = m.nn.BatchNorm2d(3)
        plain = {k: v for k, v in bn.state_dict().items() if k != "num_batches_tracked"}
        versioned = OrderedDict(plain)
        versioned._metadata = {"": {"version": 2}}
        model = m.nn.Sequential(m.nn.Conv2d(1, 3, 1), m.nn.BatchNorm2d(3))
        nested = {k: v for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}
        return (repr(bn.load_state_dict(plain)), bn.num_batches_tracked.item(),
                repr(bn.load_state_dict(versioned, strict=False)), repr(model.load_state_dict(nested)))
    assert same(run)[1][2].startswith("_IncompatibleKeys(missing_keys=['num_batches_tracked']")
