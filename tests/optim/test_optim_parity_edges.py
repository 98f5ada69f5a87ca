"""Edge cases of ``optim`` and ``optim.lr_scheduler`` against PyTorch: constructor flags and
their errors, tensor learning rates, named parameters, hooks, state_dict round trips,
LBFGS state, and scheduler corner cases. Each test runs the same code with ``m = torch``
and ``m = ember`` and compares what comes out (values, reprs, exception types and messages,
warnings)."""
import copy
import os
import warnings

import numpy as np
import pytest
import torch

import ember

MODULES = (torch, ember)
OPTIMIZERS = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam", "ASGD", "Rprop"]


def params(m, shapes=((2, 3), (3,)), seed=0):
    rng = np.random.default_rng(seed)
    return [m.nn.Parameter(m.from_numpy(rng.standard_normal(s).astype(np.float32))) for s in shapes]


def outcome(fn):
    """What ``fn()`` did: ('ok', value) or ('exc', type name, message), plus its warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = ("ok", fn())
        except Exception as e:  # noqa: BLE001 - the exception is what is compared
            result = ("exc", type(e).__name__, str(e))
    return result, [(w.category.__name__, str(w.message)) for w in caught]


def same(fn):
    """Run ``fn(m)`` for both modules and require identical outcomes."""
    out = {m: outcome(lambda: fn(m)) for m in MODULES}
    assert out[ember] == out[torch]
    return out[torch]


def train(m, name, kwargs, steps=3, make_params=params):
    ps = make_params(m)
    opt = getattr(m.optim, name)(ps, **kwargs)
    for i in range(steps):
        opt.zero_grad()
        a, b = ps
        ((a * a).sum() + (b * b * (i + 1)).sum()).backward()
        opt.step()
    return ps, opt


def arrays(ps):
    return [p.detach().numpy().copy() for p in ps]


def state_summary(opt):
    """The optimizer's state_dict with tensors as (dtype, rounded values)."""
    def conv(v):
        if isinstance(v, (torch.Tensor, ember.Tensor)):
            return (str(v.dtype), np.round(v.detach().numpy().astype(np.float64), 5).tolist())
        if isinstance(v, list):
            return [conv(x) for x in v]
        return v
    sd = opt.state_dict()
    return {k: {n: conv(v) for n, v in s.items()} for k, s in sd["state"].items()}, repr(sd["param_groups"])


# --- repr, named parameters, parameter checks ----------------------------------------------

@pytest.mark.parametrize("name", OPTIMIZERS + ["LBFGS"])
def test_repr_separates_parameter_groups_with_a_blank_line(name):
    def build(m):
        ps = params(m)
        groups = [{"params": ps}] if name == "LBFGS" else [{"params": ps[:1], "lr": 0.5}, {"params": ps[1:]}]
        return repr(getattr(m.optim, name)(groups, lr=0.1))
    same(build)


def test_repr_after_add_param_group():
    def build(m):
        ps = params(m)
        opt = m.optim.SGD(ps[:1], lr=0.1)
        opt.add_param_group({"params": ps[1], "momentum": 0.5})
        return repr(opt)
    assert "\n\nParameter Group 1" in same(build)[0][1]


@pytest.mark.parametrize("name", ["SGD", "Adam", "LBFGS"])
def test_named_parameters(name):
    def build(m):
        m.manual_seed(0)
        model = m.nn.Linear(3, 2)
        opt = getattr(m.optim, name)(model.named_parameters())
        kinds = [type(p).__name__ for p in opt.param_groups[0]["params"]]
        return repr(opt), repr(opt.state_dict()["param_groups"]), kinds
    same(build)


def test_named_parameters_errors():
    def one(m):
        return m.nn.Parameter(m.ones(1))
    same(lambda m: m.optim.SGD([("a", one(m)), one(m)]))
    same(lambda m: m.optim.SGD([one(m)]).add_param_group({"params": [("a", one(m))]}))
    same(lambda m: m.optim.SGD([("a", one(m))]).add_param_group({"params": [one(m)]}))


def test_named_parameters_load_state_dict_keeps_names():
    def build(m):
        m.manual_seed(0)
        model = m.nn.Linear(3, 2)
        opt = m.optim.SGD(model.named_parameters(), lr=0.1)
        sd = opt.state_dict()
        del sd["param_groups"][0]["param_names"]
        opt.load_state_dict(sd)
        return opt.param_groups[0]["param_names"]
    same(build)


def test_non_leaf_parameters():
    same(lambda m: m.optim.SGD([params(m)[0] * 2]))  # rejected
    same(lambda m: repr(m.optim.SGD([params(m)[0] * 2], differentiable=True)))  # differentiable accepts them

    def retained(m):
        x = params(m)[0] * 2
        x.retain_grad()
        return repr(m.optim.SGD([x]))
    same(retained)


def test_add_param_group_type_error_names_the_tensor_class():
    same(lambda m: m.optim.SGD(params(m)).add_param_group(m.ones(2)))


# --- tensor hyperparameters ----------------------------------------------------------------

@pytest.mark.parametrize("name", OPTIMIZERS + ["LBFGS"])
def test_tensor_lr_must_have_one_element(name):
    same(lambda m: getattr(m.optim, name)(params(m), lr=m.tensor([0.1, 0.2])))


@pytest.mark.parametrize("name", OPTIMIZERS)
@pytest.mark.parametrize("lr", ["0d", "1d"])
def test_steps_with_a_tensor_lr_match_pytorch(name, lr):
    out = {}
    for m in MODULES:
        value = m.tensor(0.0123) if lr == "0d" else m.tensor([0.0123])
        extra = {} if name == "Rprop" else dict(weight_decay=0.1)
        ps, opt = train(m, name, dict(lr=value, **extra), steps=5)
        out[m] = arrays(ps), repr(opt)
    for a, b in zip(out[ember][0], out[torch][0]):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    assert out[ember][1] == out[torch][1]


def test_lbfgs_with_a_tensor_lr():
    out = {}
    for m in MODULES:
        w = m.nn.Parameter(m.tensor([1.0, -2.0, 0.5], dtype=m.float64))
        opt = m.optim.LBFGS([w], lr=m.tensor(0.5, dtype=m.float64), max_iter=5)

        def closure():
            opt.zero_grad()
            loss = ((w - 1) ** 2).sum() + (w ** 4).sum()
            loss.backward()
            return loss
        opt.step(closure)
        out[m] = w.detach().numpy().copy()
    np.testing.assert_allclose(out[ember], out[torch], rtol=1e-10)


def test_adam_tensor_lr_and_betas_checks():
    same(lambda m: m.optim.Adam(params(m), lr=m.tensor(0.1), foreach=True))
    same(lambda m: m.optim.Adam(params(m), betas=(m.tensor(0.9), m.tensor(0.99)), foreach=True))
    same(lambda m: m.optim.Adam(params(m), betas=(m.tensor([0.9, 0.8]), m.tensor(0.99))))
    same(lambda m: m.optim.Adam(params(m), betas=(0.9, m.tensor(0.99))))
    same(lambda m: repr(m.optim.Adam(params(m), betas=(m.tensor([0.9]), m.tensor([0.99])))))


def test_adam_with_tensor_betas_steps_like_pytorch():
    out = {}
    for m in MODULES:
        ps, opt = train(m, "Adam", dict(lr=0.01, betas=(m.tensor(0.9), m.tensor(0.99))), steps=4)
        out[m] = arrays(ps), repr(opt)
    for a, b in zip(out[ember][0], out[torch][0]):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    assert out[ember][1] == out[torch][1]


# --- fused / foreach / capturable / differentiable -----------------------------------------

@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "Adagrad"])
def test_fused_flag_conflicts(name):
    same(lambda m: getattr(m.optim, name)(params(m), fused=True, foreach=True))
    same(lambda m: getattr(m.optim, name)(params(m), fused=True, differentiable=True))
    same(lambda m: getattr(m.optim, name)(params(m), fused=True, differentiable=True, foreach=True))


def _flag_cases():
    """Every optimizer with every flag combination its PyTorch signature takes."""
    import inspect
    combos = [dict(capturable=True), dict(capturable=True, foreach=True), dict(differentiable=True),
              dict(differentiable=True, foreach=True), dict(differentiable=True, capturable=True),
              dict(fused=True, capturable=True)]
    return [pytest.param(name, flags, id=f"{name}-{'-'.join(flags)}") for name in OPTIMIZERS for flags in combos
            if all(k in inspect.signature(getattr(torch.optim, name)).parameters for k in flags)]


@pytest.mark.parametrize("name, flags", _flag_cases())
def test_step_errors_for_flags_a_cpu_step_cannot_honour(name, flags):
    def run(m):
        ps = params(m)
        opt = getattr(m.optim, name)(ps, **flags)
        for p in ps:
            p.grad = m.ones_like(p)
        try:
            opt.step()
            err = None
        except Exception as e:  # noqa: BLE001
            err = (type(e).__name__, str(e))
        return err
    result = same(run)
    if "fused" not in flags:
        assert result[0][1] is not None  # PyTorch refuses these on CPU


@pytest.mark.parametrize("name", ["Adam", "NAdam", "ASGD", "RMSprop"])
def test_capturable_error_leaves_initialised_state(name):
    def run(m):
        ps = params(m)
        opt = getattr(m.optim, name)(ps, capturable=True)
        for p in ps:
            p.grad = m.ones_like(p)
        with pytest.raises(AssertionError):
            opt.step()
        return state_summary(opt), [a.tolist() for a in arrays(ps)]
    same(run)


# --- scalar state dtype ----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["Adam", "NAdam", "ASGD", "Adagrad", "RAdam", "Rprop", "Adamax", "Adadelta"])
def test_scalar_state_follows_the_default_dtype(name):
    def run(m):
        m.set_default_dtype(m.float64)
        try:
            p = m.nn.Parameter(m.ones(2))
            opt = getattr(m.optim, name)([p])
            (p * p).sum().backward()
            opt.step()
            return {k: str(v.dtype) for k, v in opt.state[p].items()}
        finally:
            m.set_default_dtype(m.float32)
    same(run)


@pytest.mark.parametrize("name", ["Adam", "Adagrad"])
def test_fused_step_counter_is_float32(name):
    def run(m):
        m.set_default_dtype(m.float64)
        try:
            p = m.nn.Parameter(m.ones(2))
            opt = getattr(m.optim, name)([p], fused=True)
            (p * p).sum().backward()
            opt.step()
            return str(opt.state[p]["step"].dtype)
        finally:
            m.set_default_dtype(m.float32)
    same(run)


# --- state_dict / load_state_dict ----------------------------------------------------------

def test_state_dict_index_of_a_duplicate_parameter():
    def run(m):
        p = m.nn.Parameter(m.ones(2))
        return m.optim.Adam([p, p]).state_dict()["param_groups"][0]["params"]
    same(run)


def test_load_state_dict_uses_the_given_tensors():
    def run(m):
        ps, opt = train(m, "Adam", dict(lr=0.1))
        sd = opt.state_dict()
        ps2 = params(m)
        opt2 = m.optim.Adam(ps2, lr=0.1)
        opt2.load_state_dict(sd)
        s = opt2.state[ps2[0]]
        return (s["exp_avg"] is sd["state"][0]["exp_avg"], s["step"] is sd["state"][0]["step"],
                sd["state"][0]["exp_avg"] is opt.state[ps[0]]["exp_avg"])
    same(run)


def test_load_state_dict_casts_to_the_parameter_dtype():
    def run(m):
        p64 = m.nn.Parameter(m.ones(2, dtype=m.float64))
        opt = m.optim.Adam([p64])
        (p64 * p64).sum().backward()
        m.set_default_dtype(m.float64)
        try:
            opt.step()  # a float64 step counter
        finally:
            m.set_default_dtype(m.float32)
        sd = opt.state_dict()
        out = []
        for fused in (None, True):  # the saved group's flags decide: fused/capturable steps load as float32
            sd["param_groups"][0]["fused"] = fused
            p32 = m.nn.Parameter(m.ones(2))
            opt2 = m.optim.Adam([p32])
            opt2.load_state_dict(sd)
            out.append({k: str(v.dtype) for k, v in opt2.state[p32].items()})
        return out
    same(run)


@pytest.mark.parametrize("name,scalar_state", [("Adam", ["step"]), ("NAdam", ["step", "mu_product"]),
                                               ("ASGD", ["step", "eta", "mu"]), ("RMSprop", ["step"]),
                                               ("Adagrad", ["step"]), ("SGD", [])])
def test_loading_an_old_state_dict(name, scalar_state):
    """Checkpoints of older PyTorch versions: group options missing, scalar state as numbers."""
    def run(m):
        ps, opt = train(m, name, dict(lr=0.01, momentum=0.9) if name in ("SGD", "RMSprop") else dict(lr=0.01))
        sd = opt.state_dict()
        for group in sd["param_groups"]:
            for key in ("foreach", "maximize", "differentiable", "capturable", "fused", "decoupled_weight_decay",
                        "amsgrad", "nesterov", "centered", "momentum"):
                group.pop(key, None)
        for s in sd["state"].values():
            for key in scalar_state:
                s[key] = float(s[key])
        ps2 = params(m)
        opt2 = getattr(m.optim, name)(ps2, lr=0.01)
        opt2.load_state_dict(sd)
        opt2.zero_grad()
        (ps2[0] * ps2[0]).sum().backward()
        opt2.step()
        return state_summary(opt2), np.round(arrays(ps2)[0], 5).tolist()
    same(run)


def test_adamw_loaded_state_stays_decoupled():
    def run(m):
        opt = m.optim.AdamW(params(m))
        sd = opt.state_dict()
        sd["param_groups"][0]["decoupled_weight_decay"] = False
        opt.load_state_dict(sd)
        return opt.param_groups[0]["decoupled_weight_decay"]
    same(run)


def test_deepcopy_of_an_optimizer():
    def run(m):
        ps, opt = train(m, "Adam", dict(lr=0.1))
        twin = copy.deepcopy(opt)
        return repr(twin), sorted(twin.__dict__), state_summary(twin)
    same(run)


# --- hooks and zero_grad -------------------------------------------------------------------

def test_step_hooks_see_the_optimizer_in_args_and_can_replace_them():
    def run(m):
        ps = params(m)
        opt = m.optim.SGD(ps, lr=0.1)
        log = []
        opt.register_step_pre_hook(lambda o, args, kwargs: log.append(("pre", len(args), args[0] is o, sorted(kwargs))))
        opt.register_step_post_hook(lambda o, args, kwargs: log.append(("post", len(args), sorted(kwargs))))
        opt.register_step_pre_hook(lambda o, args, kwargs: (args, {"closure": lambda: 42.0}))
        loss = opt.step()
        return log, loss
    same(run)


def test_step_pre_hook_with_a_bad_return_value():
    def run(m):
        opt = m.optim.SGD(params(m), lr=0.1)
        opt.register_step_pre_hook(lambda o, args, kwargs: 5)
        try:
            opt.step()
        except RuntimeError as e:
            return str(e).split(" must return")[1]
    same(run)


def test_global_step_hooks_also_run_for_lbfgs():
    def run(m):
        import importlib
        mod = importlib.import_module(m.__name__ + ".optim.optimizer")
        log = []
        handles = [mod.register_optimizer_step_pre_hook(lambda o, a, k: log.append(("pre", type(o).__name__))),
                   mod.register_optimizer_step_post_hook(lambda o, a, k: log.append(("post", type(o).__name__)))]
        own = []
        try:
            m.optim.Adam(params(m)).step()
            w = m.nn.Parameter(m.ones(2))
            opt = m.optim.LBFGS([w], max_iter=1)
            opt.register_step_post_hook(lambda o, a, k: own.append(len(a)))

            def closure():
                opt.zero_grad()
                loss = (w * w).sum()
                loss.backward()
                return loss
            opt.step(closure)
        finally:
            for h in handles:
                h.remove()
        return log, own
    same(run)


def test_state_dict_and_load_state_dict_hooks():
    def run(m):
        opt = m.optim.SGD(params(m), lr=0.1, momentum=0.9)
        log = []
        opt.register_state_dict_pre_hook(lambda o: log.append("pre"))
        opt.register_state_dict_post_hook(lambda o, sd: (log.append("post"), {**sd, "extra": 1})[1])
        opt.register_state_dict_post_hook(lambda o, sd: log.append(("first", sorted(sd))), prepend=True)
        opt.register_load_state_dict_pre_hook(lambda o, sd: log.append(("load-pre", sorted(sd))))
        opt.register_load_state_dict_post_hook(lambda o: log.append("load-post"))
        sd = opt.state_dict()
        opt.load_state_dict(sd)
        return log, sorted(sd)
    same(run)


def test_zero_grad_without_none_stops_the_grad_requiring_grad():
    def run(m):
        p = m.nn.Parameter(m.ones(2))
        p.grad = m.ones(2, requires_grad=True)
        m.optim.SGD([p]).zero_grad(set_to_none=False)
        return p.grad.requires_grad, repr(p.grad)
    same(run)


# --- LBFGS state -----------------------------------------------------------------------------

def _lbfgs(m, line_search=None):
    rng = np.random.default_rng(0)
    w = m.nn.Parameter(m.from_numpy(rng.standard_normal(3).astype(np.float32)))
    opt = m.optim.LBFGS([w], lr=0.5, max_iter=4, history_size=2, line_search_fn=line_search)

    def closure():
        opt.zero_grad()
        loss = ((w - 1) ** 2).sum() + (w ** 4).sum()
        loss.backward()
        return loss
    return w, opt, closure


@pytest.mark.parametrize("line_search", [None, "strong_wolfe"])
def test_lbfgs_state_holds_tensors(line_search):
    def run(m):
        w, opt, closure = _lbfgs(m, line_search)
        opt.step(closure)
        state = opt.state_dict()["state"][0]

        def kind(v):
            if isinstance(v, list):
                return [kind(x) for x in v]
            if isinstance(v, (torch.Tensor, ember.Tensor)):
                return ("Tensor", str(v.dtype), tuple(v.shape))
            return type(v).__name__
        return {k: kind(v) for k, v in state.items()}
    same(run)


def test_lbfgs_state_continues_across_pytorch_and_ember(tmp_path):
    """LBFGS's state saved by PyTorch continues in ember, and back."""
    wt, ot, ct = _lbfgs(torch)
    we, oe, ce = _lbfgs(ember)
    ot.step(ct)
    torch.save(ot.state_dict(), os.path.join(tmp_path, "t.pt"))
    we.data.copy_(ember.from_numpy(wt.detach().numpy().copy()))
    oe.load_state_dict(ember.load(os.path.join(tmp_path, "t.pt")))
    oe.step(ce)
    ot.step(ct)
    np.testing.assert_allclose(we.detach().numpy(), wt.detach().numpy(), rtol=1e-5, atol=1e-6)
    ember.save(oe.state_dict(), os.path.join(tmp_path, "e.pt"))
    ot2 = torch.optim.LBFGS([wt], lr=0.5, max_iter=4, history_size=2)
    ot2.load_state_dict(torch.load(os.path.join(tmp_path, "e.pt")))
    assert isinstance(ot2.state[wt]["d"], torch.Tensor)
    ot2.step(ct)


# --- lr_scheduler ----------------------------------------------------------------------------

S = {m: m.optim.lr_scheduler for m in MODULES}


def sgd(m, lr=0.1, groups=1, **kwargs):
    ps = params(m)
    if groups == 1:
        return m.optim.SGD(ps, lr=lr, **kwargs)
    return m.optim.SGD([{"params": ps[:1]}, {"params": ps[1:], "lr": lr / 2}], lr=lr, **kwargs)


def test_multiplicative_lr_needs_callables():
    same(lambda m: S[m].MultiplicativeLR(sgd(m), 0.9))
    same(lambda m: isinstance(S[m].MultiplicativeLR(sgd(m), lambda e: 0.9), S[m].LambdaLR))


def test_cosine_warm_restarts_eta_min_check():
    same(lambda m: S[m].CosineAnnealingWarmRestarts(sgd(m), 2, eta_min="x"))
    same(lambda m: S[m].CosineAnnealingWarmRestarts(sgd(m), 2, eta_min=m.tensor(0.1)))


def test_cosine_warm_restarts_does_not_count_steps():
    def run(m):
        opt = sgd(m)
        sched = S[m].CosineAnnealingWarmRestarts(opt, 3, 2)
        for _ in range(5):
            opt.step()
            sched.step()
        return sched.state_dict()["_step_count"], sched.get_last_lr()
    same(run)


def test_cyclic_lr_state_dict_with_a_custom_scale_fn():
    class Halving:
        def __init__(self):
            self.base = 0.5

        def __call__(self, x):
            return self.base ** x

    def run(m, fn):
        opt = sgd(m)
        sched = S[m].CyclicLR(opt, 0.01, 0.1, step_size_up=2, scale_fn=fn, scale_mode="iterations")
        opt.step()
        sched.step()
        sd = sched.state_dict()
        saved = sd["_scale_fn_custom"]
        sched2 = S[m].CyclicLR(sgd(m), 0.01, 0.1, step_size_up=2, scale_fn=fn)
        sched2.load_state_dict(sd)
        return saved, sorted(sd), sched2.scale_mode
    same(lambda m: run(m, lambda x: 0.5 ** x))
    same(lambda m: run(m, Halving()))


def test_sequential_lr_undoes_nested_schedulers():
    def run(m, inner):
        opt = sgd(m)
        first = inner(m, opt)
        seq = S[m].SequentialLR(opt, [first, S[m].StepLR(opt, 2)], [4])
        out = [seq.get_last_lr()]
        for _ in range(8):
            opt.step()
            seq.step()
            out.append(seq.get_last_lr())
        return out
    same(lambda m: run(m, lambda m, o: S[m].SequentialLR(o, [S[m].ConstantLR(o, 0.5, 2), S[m].ExponentialLR(o, 0.9)],
                                                           [2])))

    # a ChainedScheduler inside: PyTorch fails once the milestone reaches it (it has no get_lr)
    def chained_inside(m):
        opt = sgd(m)
        seq = S[m].SequentialLR(opt, [S[m].ConstantLR(opt, 0.5, 2),
                                      S[m].ChainedScheduler([S[m].ExponentialLR(opt, 0.9), S[m].StepLR(opt, 2)])], [3])
        for _ in range(4):
            opt.step()
            seq.step()
    same(chained_inside)


def test_chained_scheduler_is_not_a_sequential_lr():
    same(lambda m: isinstance(S[m].ChainedScheduler([S[m].ExponentialLR(sgd(m), 0.9)]), S[m].SequentialLR))


def test_plateau_epoch_argument_warns():
    def run(m):
        sched = S[m].ReduceLROnPlateau(sgd(m))
        sched.step(1.0, 5)
        return sched.last_epoch
    result = same(run)
    assert result[1] and "epoch parameter" in result[1][0][1]


@pytest.mark.parametrize("min_lr", [0.001, [0.001]])
def test_plateau_after_a_param_group_is_added(min_lr):
    def run(m):
        ps = params(m)
        opt = m.optim.SGD(ps[:1], lr=0.1)
        sched = S[m].ReduceLROnPlateau(opt, patience=0, min_lr=min_lr)
        sched.step(1.0)
        opt.add_param_group({"params": ps[1:]})
        sched.step(2.0)
        sched.step(3.0)
        return [g["lr"] for g in opt.param_groups], sched.min_lrs
    same(run)


def test_plateau_load_state_dict_restores_the_comparison():
    def run(m):
        sched = S[m].ReduceLROnPlateau(sgd(m), mode="max", threshold_mode="abs", patience=0)
        sched.step(1.0)
        sd = sched.state_dict()
        sched2 = S[m].ReduceLROnPlateau(sgd(m))
        sched2.load_state_dict(sd)
        result = sched2.mode_worse, sched2._is_better(2.0, 1.0), sorted(sched2.state_dict())
        sd["mode"] = "sideways"
        with pytest.raises(ValueError, match="mode sideways is unknown!"):
            sched2.load_state_dict(sd)  # loading checks the mode again
        return result
    same(run)


@pytest.mark.parametrize("name,args", [("StepLR", (2,)), ("ExponentialLR", (0.5,)), ("LambdaLR", (lambda e: 0.5 ** e,)),
                                       ("CosineAnnealingLR", (4,)), ("CyclicLR", (0.01, 0.1)),
                                       ("OneCycleLR", (1.0, 10)), ("CosineAnnealingWarmRestarts", (2,))])
def test_schedulers_keep_a_tensor_lr_a_tensor(name, args):
    def run(m):
        opt = sgd(m, lr=m.tensor(0.1))
        lr_tensor = opt.param_groups[0]["lr"]
        sched = getattr(S[m], name)(opt, *args)
        out = [repr(sched.get_last_lr()), repr(sched.base_lrs)]
        for _ in range(4):
            opt.step()
            sched.step()
            out.append((repr(sched.get_last_lr()), repr(opt.param_groups[0]["lr"])))
        return out, opt.param_groups[0]["lr"] is lr_tensor, sched.get_last_lr()[0] is lr_tensor
    same(run)


def test_plateau_keeps_a_tensor_lr_a_tensor():
    def run(m):
        opt = sgd(m, lr=m.tensor(0.1))
        sched = S[m].ReduceLROnPlateau(opt, patience=0)
        for _ in range(3):
            sched.step(1.0)
        return repr(sched.get_last_lr()), repr(opt.param_groups[0]["lr"])
    same(run)


def test_warning_when_optimizer_step_was_replaced():
    def run(m):
        opt = sgd(m)
        sched = S[m].StepLR(opt, 2)
        opt.step = lambda *args: None
        opt.step()
        sched.step()
    result = same(run)
    assert result[1] and "overridden" in result[1][0][1]


def _warning_files(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return [os.path.basename(w.filename) for w in caught]


def test_warnings_point_where_pytorch_points():
    def step_with_epoch(m):
        opt = sgd(m)
        sched = S[m].StepLR(opt, 2)
        opt.step()
        sched.step(3)

    def get_lr(m):
        S[m].StepLR(sgd(m), 2).get_lr()
    for fn in (step_with_epoch, get_lr):
        files = {m: _warning_files(lambda: fn(m)) for m in MODULES}
        assert files[ember] == files[torch]
    assert _warning_files(lambda: step_with_epoch(ember)) == [os.path.basename(__file__)]


@pytest.mark.parametrize("name,args", [("StepLR", (2,)), ("LambdaLR", (lambda e: 0.5,)),
                                       ("MultiplicativeLR", (lambda e: 0.5,)), ("CosineAnnealingLR", (4,)),
                                       ("CyclicLR", (0.01, 0.1)), ("OneCycleLR", (1.0, 10)),
                                       ("CosineAnnealingWarmRestarts", (2,))])
def test_schedulers_after_a_param_group_is_added(name, args):
    def run(m):
        ps = params(m)
        opt = m.optim.SGD(ps[:1], lr=0.1, momentum=0.9)
        sched = getattr(S[m], name)(opt, *args)
        opt.add_param_group({"params": ps[1:], "lr": 0.5})
        out = []
        for _ in range(3):
            opt.step()
            sched.step()
            out.append(sched.get_last_lr())
        return out
    same(run)


def test_scheduler_state_dict_round_trips():
    def run(m, name, args):
        opt = sgd(m, groups=2)
        sched = getattr(S[m], name)(opt, *args)
        for _ in range(3):
            opt.step()
            sched.step()
        sd = sched.state_dict()
        opt2 = sgd(m, groups=2)
        sched2 = getattr(S[m], name)(opt2, *args)
        sched2.load_state_dict(sd)
        out = []
        for _ in range(3):
            opt2.step()
            sched2.step()
            out.append(sched2.get_last_lr())
        return out, sorted(sd)
    for name, args in [("StepLR", (2,)), ("LambdaLR", (lambda e: 0.5 ** e,)), ("CyclicLR", (0.01, 0.1, 2)),
                       ("OneCycleLR", (1.0, 10)), ("CosineAnnealingWarmRestarts", (2, 2))]:
        same(lambda m: run(m, name, args))


# --- Adafactor -------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [{}, dict(lr=0.5), dict(weight_decay=0.1, maximize=True),
                                    dict(eps=(1e-3, 1e-2), d=2.0, beta2_decay=-0.5), "tensor lr"])
def test_adafactor_matches_pytorch(kwargs):
    out = {}
    for m in MODULES:
        kw = dict(lr=m.tensor(0.3)) if kwargs == "tensor lr" else kwargs
        ps = params(m, shapes=((2, 3), (3,), (2, 2, 3), ()))  # matrices factor their second moment
        opt = m.optim.Adafactor(ps, **kw)
        for i in range(6):
            opt.zero_grad()
            sum((p * p).sum() * (i + 1) + p.sum() for p in ps).backward()
            opt.step()
        out[m] = arrays(ps), opt
    for a, b in zip(out[ember][0], out[torch][0]):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    oe, ot = out[ember][1], out[torch][1]
    assert repr(oe) == repr(ot)
    se, st = oe.state_dict(), ot.state_dict()
    assert repr(se["param_groups"]) == repr(st["param_groups"])
    for k, s in st["state"].items():
        assert list(se["state"][k]) == list(s)
        for name, v in s.items():
            e = se["state"][k][name]
            assert (str(e.dtype), tuple(e.shape)) == (str(v.dtype), tuple(v.shape))
            np.testing.assert_allclose(e.numpy(), v.numpy(), rtol=1e-5)


@pytest.mark.parametrize("bad", [dict(lr=-1.0), dict(beta2_decay=0.5), dict(eps=(-1.0, 1e-3)), dict(eps=(None, -1.0)),
                                 dict(d=0.5), dict(weight_decay=-1.0), "tensor lr"])
def test_adafactor_argument_errors(bad):
    same(lambda m: m.optim.Adafactor(params(m), **(dict(lr=m.tensor([1.0, 2.0])) if bad == "tensor lr" else bad)))
