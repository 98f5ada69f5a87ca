"""make_dot draws the same backward graph PyTorch records for the same code."""
import os
import re
import shutil

import pytest
import torch

import ember
from ember.utils.viz import make_dot

_NODE = re.compile(r'^\t(n\d+) \[label="((?:[^"\\]|\\.)*)" fillcolor=(\w+)\]$')
_EDGE = re.compile(r'^\t(n\d+) -> (n\d+)( \[style=dashed\])?$')


def parse_dot(source):
    """Nodes {id: (label, color)} and edges [(tail, head, dashed)]; fails on any other line."""
    lines = source.splitlines()
    assert lines[0] == "digraph {" and lines[-1] == "}"
    nodes, edges = {}, []
    for line in lines[3:-1]:
        m = _NODE.match(line)
        if m:
            label = re.sub(r"\\(.)", lambda e: "\n" if e[1] == "n" else e[1], m[2])
            nodes[m[1]] = (label, m[3])
            continue
        m = _EDGE.match(line)
        assert m, f"not a node or edge statement: {line!r}"
        assert m[1] in nodes and m[2] in nodes, "edge between undeclared nodes"
        edges.append((m[1], m[2], bool(m[3])))
    return nodes, edges


def dot_signature(source):
    """The graph read back from DOT, as a nested string from the output down to the leaves
    (inputs in edge order), and the number of distinct non-saved nodes."""
    nodes, edges = parse_dot(source)
    inputs = {}
    for tail, head, dashed in edges:
        if not dashed:
            inputs.setdefault(head, []).append(tail)

    def sig(n):
        label = nodes[n][0]
        kids = inputs.get(n, [])
        return label + ("(" + ",".join(sig(k) for k in kids) + ")" if kids else "")
    roots = [n for n, (_, color) in nodes.items() if color == "darkolivegreen1"]
    count = sum(1 for _, color in nodes.values() if color != "orange")
    return [sig(r) for r in roots], count


def torch_signature(outputs, params):
    """The same nested string built by walking real PyTorch's grad_fn.next_functions."""
    names = {id(v): k for k, v in params.items()}
    seen = set()

    def shape(s):
        return "(" + ", ".join(str(d) for d in s) + ")"

    def sig(fn):
        seen.add(fn)
        if hasattr(fn, "variable"):
            v = fn.variable
            return (names[id(v)] + "\n" if id(v) in names else "") + shape(v.shape)
        kids = [sig(c) for c, _ in fn.next_functions if c is not None]
        return fn.name() + ("(" + ",".join(kids) + ")" if kids else "")
    sigs = [(names[id(o)] + "\n" if id(o) in names else "") + shape(o.shape) + ("(" + sig(o.grad_fn) + ")" if o.grad_fn is not None else "") for o in outputs]
    return sigs, len(seen) + len(outputs)


def mlp(lib, input_requires_grad=False):
    lib.manual_seed(0)
    model = lib.nn.Sequential(lib.nn.Linear(4, 8), lib.nn.ReLU(), lib.nn.Linear(8, 3))
    x = lib.randn(5, 4, requires_grad=input_requires_grad)
    loss = lib.nn.functional.mse_loss(model(x), lib.zeros(5, 3))
    return model, loss


def test_mlp_graph_matches_pytorch():
    tmodel, tloss = mlp(torch)
    model, loss = mlp(ember)
    params = dict(model.named_parameters())
    src = make_dot(loss, params=params).source
    assert dot_signature(src) == torch_signature([tloss], dict(tmodel.named_parameters()))
    for name in ("AddmmBackward0", "ReluBackward0", "TBackward0", "MseLossBackward0"):
        assert name in src
    for name, p in params.items():
        assert f'"{name}\\n({", ".join(map(str, p.shape))})"' in src


def test_shared_node_drawn_once_with_both_edges():
    def run(lib):
        lib.manual_seed(0)
        w = lib.randn(3, 3, requires_grad=True)
        h = lib.randn(2, 3) @ w
        return w, (h * h.tanh()).sum() + h.sum()
    tw, ty = run(torch)
    w, y = run(ember)
    src = make_dot(y, params={"w": w}).source
    assert dot_signature(src) == torch_signature([ty], {"w": tw})
    nodes, edges = parse_dot(src)
    mm = [n for n, (label, _) in nodes.items() if label == "MmBackward0"]
    assert len(mm) == 1 and sum(1 for tail, _, _ in edges if tail == mm[0]) == 3


def test_several_outputs_and_leaf_output():
    def run(lib):
        lib.manual_seed(0)
        a = lib.randn(2, requires_grad=True)
        return a, [a * 2, a.exp(), a]
    ta, touts = run(torch)
    a, outs = run(ember)
    assert dot_signature(make_dot(outs, params={"a": a}).source) == torch_signature(touts, {"a": ta})


def test_show_saved_lists_saved_tensor_shapes():
    # the input requires grad too, so every node needs all it can save in both libraries
    tmodel, tloss = mlp(torch, input_requires_grad=True)
    model, loss = mlp(ember, input_requires_grad=True)
    nodes, edges = parse_dot(make_dot(loss, show_saved=True).source)
    saved = {}
    for tail, head, dashed in edges:
        if dashed:
            saved.setdefault(nodes[head][0], []).append(nodes[tail][0].split("\n")[1])

    def torch_saved(fn, out):
        shapes = [tuple(getattr(fn, a).shape) for a in dir(fn)
                  if a.startswith("_saved_") and isinstance(getattr(fn, a), torch.Tensor)]
        if shapes:
            out.setdefault(fn.name(), []).extend("(" + ", ".join(map(str, s)) + ")" for s in shapes)
        for c, _ in fn.next_functions:
            if c is not None:
                torch_saved(c, out)
        return out
    expected = torch_saved(tloss.grad_fn, {})
    assert {k: sorted(v) for k, v in saved.items()} == {k: sorted(v) for k, v in expected.items()}
    loss.backward()  # saved tensors are freed: nothing left to show
    nodes, edges = parse_dot(make_dot(loss, show_saved=True).source)
    assert not any(dashed for _, _, dashed in edges)


def test_save_and_render(tmp_path):
    _, loss = mlp(ember)
    dot = make_dot(loss)
    path = dot.save(str(tmp_path / "g.dot"))
    assert open(path).read() == dot.source
    if shutil.which("dot"):
        out = dot.render(str(tmp_path / "g"), format="svg")
        assert "<svg" in open(out).read()
    else:
        with pytest.raises(RuntimeError, match="Graphviz"):
            dot.render(str(tmp_path / "g"), format="png")


def test_render_runs_dot(tmp_path, monkeypatch):
    # A stand-in for Graphviz's `dot` that records its arguments and writes the "image".
    bindir = tmp_path / "bin"
    bindir.mkdir()
    fake = bindir / "dot"
    fake.write_text(f'#!/bin/sh\necho "$@" > {bindir}/args\nhead -1 "$2" > "$4"\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(bindir) + os.pathsep + os.environ["PATH"])
    _, loss = mlp(ember)
    out = make_dot(loss).render(str(tmp_path / "g"), format="svg", cleanup=True)
    assert out == str(tmp_path / "g.svg") and open(out).read() == "digraph {\n"
    assert (bindir / "args").read_text().split() == ["-Tsvg", str(tmp_path / "g"), "-o", out]
    assert not (tmp_path / "g").exists()  # cleanup removed the DOT source
    fake.write_text("#!/bin/sh\necho syntax error in line 1 >&2\nexit 1\n")
    with pytest.raises(RuntimeError, match="syntax error in line 1"):
        make_dot(loss).render(str(tmp_path / "h"), format="png")


def test_labels_are_escaped():
    a = ember.randn(2, requires_grad=True)
    nodes, _ = parse_dot(make_dot(a * 2, params={'we"ird\\name': a}).source)
    assert ('we"ird\\name\n(2)', "lightblue") in nodes.values()
