"""Trace a model into a TensorBoard ``GraphDef`` (what ``SummaryWriter.add_graph`` writes).

PyTorch traces a model with TorchScript; ember has no compiler, but it has one place every
op passes through: ``Function.apply``. While the model runs once, ``apply`` is wrapped to
note each op's inputs and outputs, and forward hooks on every submodule keep track of the
module that is running. Each op becomes a node named ``<module scope>/<op>.<n>``, e.g.
``Sequential/Linear[0]/addmm.3``; TensorBoard folds the scopes into boxes, one per module,
as it does for PyTorch's graphs. An edge goes from the op that produced a tensor to each op
that used it; parameters, the model's inputs and its outputs are nodes of their own.
"""
from ..._tensor import Tensor
from ...autograd.function import Function
from ...autograd.profiler import _op_name
from ._proto import proto


def _as_tuple(x):
    if x is None:
        return ()
    if isinstance(x, Tensor):
        return (x,)
    if isinstance(x, dict):
        return tuple(x.values())
    return tuple(x)


def _module_scopes(model):
    """``{id(module): "Sequential/Linear[0]"}``: class names, with attribute names in brackets."""
    scopes = {}

    def walk(module, scope):
        scopes[id(module)] = scope
        for name, child in module.named_children():
            walk(child, f"{scope}/{type(child).__name__}[{name}]")
    walk(model, type(model).__name__)
    return scopes


class _Tracer:
    """Collects nodes while the model runs; ``graph_def()`` turns them into the proto."""

    def __init__(self, scopes):
        self.scopes = scopes
        self.scope_stack = []
        self.nodes = []      # (name, op, input names, output shapes)
        self.producer = {}   # id(tensor) -> the node input name that refers to it
        self.alive = []      # the traced tensors, so that no id is reused while tracing
        self.depth = 0       # ops called inside another op's forward are part of that op

    def source(self, name, op, t):
        self.nodes.append((name, op, [], [tuple(t.shape)]))
        self.producer[id(t)] = name
        self.alive.append(t)

    def input_name(self, t):
        """The node that produced ``t``; a tensor made outside any op becomes a constant."""
        name = self.producer.get(id(t))
        if name is None:
            scope = self.scope_stack[-1] if self.scope_stack else "constant"
            name = f"{scope}/constant.{len(self.nodes)}"
            self.source(name, "prim::Constant", t)
        return name

    def record(self, cls, args, out):
        inputs = [self.input_name(a) for a in args if isinstance(a, Tensor)]
        outs = [o for o in _as_tuple(out) if isinstance(o, Tensor)]
        op = _op_name(cls)
        scope = self.scope_stack[-1] if self.scope_stack else ""
        name = f"{scope}/{op.split('::')[-1]}.{len(self.nodes)}".lstrip("/")
        self.nodes.append((name, op, inputs, [tuple(o.shape) for o in outs]))
        for i, o in enumerate(outs):
            self.producer[id(o)] = name if i == 0 else f"{name}:{i}"
            self.alive.append(o)

    def graph_def(self):
        pb = proto()
        nodes = []
        for name, op, inputs, shapes in self.nodes:
            dims = [pb.TensorShapeProto(dim=[pb.TensorShapeProto.Dim(size=d) for d in s]) for s in shapes]
            attr = {"_output_shapes": pb.AttrValue(list=pb.AttrValue.ListValue(shape=dims))}
            nodes.append(pb.NodeDef(name=name, op=op, input=inputs, device="/device:CPU:0", attr=attr))
        return pb.GraphDef(node=nodes, versions=pb.VersionDef(producer=22))


def trace_graph(model, input_to_model=None, verbose=False):
    """Run ``model(*input_to_model)`` once and return its graph as a ``GraphDef`` proto."""
    inputs = _as_tuple(input_to_model)
    scopes = _module_scopes(model)
    tracer = _Tracer(scopes)
    for i, x in enumerate(inputs):
        tracer.source(f"input/input.{i}", "IO Node", x)
    owners = dict(model.named_modules())
    for name, p in model.named_parameters():
        owner, _, leaf = name.rpartition(".")
        tracer.source(f"{scopes[id(owners[owner])]}/{leaf}", "Parameter", p)

    def enter(module, args):
        tracer.scope_stack.append(scopes[id(module)])

    def leave(module, args, output):
        tracer.scope_stack.pop()

    apply = Function.__dict__["apply"]
    run = apply.__func__

    def traced_apply(cls, *args, **kwargs):
        tracer.depth += 1
        try:
            out = run(cls, *args, **kwargs)
        finally:
            tracer.depth -= 1
        if tracer.depth == 0:
            tracer.record(cls, args, out)
        return out

    handles = []
    for module in owners.values():
        handles.append(module.register_forward_pre_hook(enter))
        handles.append(module.register_forward_hook(leave))
    Function.apply = classmethod(traced_apply)
    try:
        outputs = model(*inputs)
    finally:
        Function.apply = apply
        for h in handles:
            h.remove()
    for i, out in enumerate(_as_tuple(outputs)):
        if isinstance(out, Tensor):
            tracer.nodes.append((f"output/output.{i}", "IO Node", [tracer.input_name(out)], [tuple(out.shape)]))
    if verbose:
        for name, op, ins, shapes in tracer.nodes:
            print(f"{name} = {op}({', '.join(ins)})  # {shapes}")
    return tracer.graph_def()
