"""The profiler times every op and backward node, nests regions, and costs nothing when off."""
import json
import re
import time

import pytest
import torch

import ember
from ember.autograd import profiler
from ember.autograd.function import Function, BackwardCFunction
from ember.autograd import engine

COLUMNS = ["Name", "Self CPU %", "Self CPU", "CPU total %", "CPU total", "CPU time avg", "# of Calls"]


def train_step(lib):
    lib.manual_seed(0)
    model = lib.nn.Sequential(lib.nn.Linear(4, 8), lib.nn.ReLU(), lib.nn.Linear(8, 3))
    x = lib.randn(5, 4)
    return lambda: lib.nn.functional.mse_loss(model(x), lib.zeros(5, 3)).backward()


def counts(prof):
    return {e.key: e.count for e in prof.key_averages()}


def test_mlp_ops_and_counts_match_pytorch():
    step, tstep = train_step(ember), train_step(torch)
    with profiler.profile() as prof:
        step()
    with torch.autograd.profiler.profile() as tprof:
        tstep()
    got, want = counts(prof), counts(tprof)
    # forward ops, backward nodes, and leaves (PyTorch spells the leaf node with a namespace)
    want["AccumulateGrad"] = want.pop("torch::autograd::AccumulateGrad")
    for name in ("aten::addmm", "aten::relu", "aten::mse_loss", "MseLossBackward0", "AddmmBackward0",
                 "ReluBackward0", "TBackward0", "AccumulateGrad"):
        assert got[name] == want[name], name
    assert got["aten::addmm"] == 2 and got["AddmmBackward0"] == 2 and got["AccumulateGrad"] == 4


def test_backward_formula_ops_are_children_of_their_node():
    a = ember.randn(3, 4, requires_grad=True)
    b = ember.randn(4, 2, requires_grad=True)
    with profiler.profile() as prof:
        (a @ b).sum().backward()
    events = prof.events()
    mm_node = next(e for e in events if e.name == "MmBackward0")
    kids = [c.name for c in mm_node.cpu_children]
    assert kids.count("aten::mm") == 2  # dA = G B^T and dB = A^T G
    assert all(c.cpu_parent is mm_node for c in mm_node.cpu_children)
    assert mm_node.self_cpu_time_total == pytest.approx(
        mm_node.cpu_time_total - sum(c.cpu_time_total for c in mm_node.cpu_children))


def test_nested_record_function_includes_children():
    x = ember.ones(3, requires_grad=True)
    with profiler.profile() as prof:
        with profiler.record_function("outer"):
            time.sleep(0.01)
            with profiler.record_function("inner"):
                time.sleep(0.02)
                y = (x * 2).sum()
            y.backward()
    ev = {}
    for e in prof.events():
        ev.setdefault(e.name, e)  # the first of each name: the forward mul, not backward's
    outer, inner = ev["outer"], ev["inner"]
    assert inner.cpu_parent is outer and ev["aten::mul"].cpu_parent is inner
    assert inner.cpu_time_total >= 20000 and outer.cpu_time_total >= 30000  # microseconds
    assert outer.cpu_time_total >= inner.cpu_time_total + ev["SumBackward0"].cpu_time_total
    assert 10000 <= outer.self_cpu_time_total < outer.cpu_time_total - 20000
    avg = {e.key: e for e in prof.key_averages()}
    assert avg["outer"].is_user_annotation and not avg["aten::mul"].is_user_annotation


def test_table_layout_matches_pytorch():
    step, tstep = train_step(ember), train_step(torch)
    with profiler.profile() as prof:
        step()
    with torch.autograd.profiler.profile() as tprof:
        tstep()
    text = prof.key_averages().table(sort_by="cpu_time_total", row_limit=5)
    ttext = tprof.key_averages().table(sort_by="cpu_time_total", row_limit=5)
    lines, tlines = text.splitlines(), ttext.splitlines()
    header = [c for c in re.split(r"\s{2,}", lines[1]) if c]
    assert header == COLUMNS == [c for c in re.split(r"\s{2,}", tlines[1]) if c]
    for line in (lines[0], lines[2], lines[-2]):
        assert [len(d) for d in line.split()][1:] == [12] * 6
    assert lines[0] == lines[2] and re.fullmatch(r"Self CPU time total: [\d.]+(us|ms|s)", lines[-1])
    rows = lines[3:-2]
    assert len(rows) == 5
    totals = [float(re.split(r"\s{2,}", r.strip())[4][:-2]) * {"us": 1, "ms": 1e3}[r.split()[-3][-2:]]
              for r in rows]
    assert totals == sorted(totals, reverse=True)
    assert all(r.split()[-1].isdigit() for r in rows)


def test_percentages_and_totals():
    with profiler.profile() as prof:
        with profiler.record_function("all"):
            (ember.ones(4, requires_grad=True) * 3).sum().backward()
    avgs = prof.key_averages()
    total = avgs.self_cpu_time_total
    assert total == pytest.approx(next(a for a in avgs if a.key == "all").cpu_time_total)
    row = next(r for r in avgs.table().splitlines() if r.strip().startswith("all "))
    assert "100.00%" in row
    assert avgs.total_average().count == len(prof.events())


def test_hooks_are_removed_afterwards_even_on_error():
    originals = (Function.__dict__["apply"], BackwardCFunction._run_backward, engine._accumulate)
    with pytest.raises(ValueError):
        with profiler.profile():
            assert Function.__dict__["apply"] is not originals[0]
            raise ValueError
    assert (Function.__dict__["apply"], BackwardCFunction._run_backward, engine._accumulate) == originals
    with profiler.profile() as prof:
        ember.ones(2, requires_grad=True).exp()
    assert [e.name for e in prof.events()] == ["aten::exp"]
    assert Function.__dict__["apply"] is originals[0]


def test_user_function_and_decorator_and_shapes():
    class Square(ember.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return 2 * x * g

    @profiler.record_function("model")
    def model(x):
        return Square.apply(x).sum()

    x = ember.ones(2, 3, requires_grad=True)
    model(x)  # outside a profile: nothing recorded, nothing breaks
    with profiler.profile(record_shapes=True) as prof:
        model(x).backward()
    c = counts(prof)
    assert c["model"] == 1 and c["Square"] == 1 and c["SquareBackward"] == 1
    by_shape = {(a.key, a.input_shapes) for a in prof.key_averages(group_by_input_shape=True)}
    assert ("Square", "[[2, 3]]") in by_shape
    assert "Input Shapes" in prof.key_averages(group_by_input_shape=True).table()


def test_profiles_do_not_nest_and_disabled_records_nothing():
    with profiler.profile():
        with pytest.raises(RuntimeError, match="already enabled"):
            with profiler.profile():
                pass
    with profiler.profile(enabled=False) as prof:
        ember.ones(2, requires_grad=True).exp()
    assert len(prof.events()) == 0


def test_chrome_trace(tmp_path):
    with profiler.profile() as prof:
        with profiler.record_function("step"):
            (ember.ones(3, requires_grad=True) * 2).sum().backward()
    path = tmp_path / "trace.json"
    prof.export_chrome_trace(str(path))
    trace = json.loads(path.read_text())["traceEvents"]
    assert {e["ph"] for e in trace} == {"X"}
    names = [e["name"] for e in trace]
    assert names[0] == "step" and "aten::mul" in names and "MulBackward0" in names
    step = trace[0]
    assert step["cat"] == "user_annotation"
    for e in trace[1:]:  # every op lies inside the region, on the time axis
        assert step["ts"] <= e["ts"] and e["ts"] + e["dur"] <= step["ts"] + step["dur"] + 1e-3


def test_torch_profiler_namespace():
    from ember.profiler import profile, ProfilerActivity, record_function
    seen = []
    prof = profile(activities=[ProfilerActivity.CPU], on_trace_ready=seen.append)
    prof.start()
    with record_function("r"):
        ember.ones(2, requires_grad=True).exp()
    prof.step()
    prof.stop()
    assert seen == [prof] and counts(prof) == {"r": 1, "aten::exp": 1}
    with pytest.raises(NotImplementedError, match="schedule"):
        profile(schedule=lambda step: None)
    with pytest.raises(NotImplementedError, match="profile_memory"):
        profile(profile_memory=True)
