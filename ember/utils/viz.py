"""Draw the backward graph of a tensor as a Graphviz diagram (the ``torchviz`` API).

::

    y = model(x).sum()
    dot = make_dot(y, params=dict(model.named_parameters()))
    print(dot.source)               # Graphviz DOT text
    dot.render("mlp", format="svg") # needs Graphviz's ``dot`` program

The picture is the graph ``backward()`` walks: each ``grad_fn`` node (``AddmmBackward0``,
``ReluBackward0``...) is a grey box, an arrow goes from a node to the node that consumes
its result, the leaves (``AccumulateGrad``, the parameters) are blue boxes labelled with
their name and shape, and the output tensors are green boxes. With ``show_saved=True`` the
tensors each node saved for its backward are drawn in orange, which shows where the
memory of a training step goes.

Nothing here is special to drawing: it only reads ``grad_fn.name()``,
``grad_fn.next_functions`` and ``AccumulateGrad.variable``, the same public attributes
PyTorch's graph has.
"""
import collections
import itertools
import os
import shutil
import subprocess

from .._tensor import Tensor

__all__ = ["make_dot", "Digraph"]

_GRAPH_ATTRS = 'graph [size="12,12"]'
_NODE_ATTRS = ('node [align=left fontname=monospace fontsize=10 height=0.2 ranksep=0.1 '
               'shape=box style=filled]')
_COLORS = {"output": "darkolivegreen1", "param": "lightblue", "saved": "orange", "op": "lightgrey"}


def _quote(text):
    """A DOT double-quoted string: backslashes and quotes escaped, newlines as ``\\n``."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _shape(shape):
    """``(3, 4)`` the way torchviz prints sizes; ``()`` for a 0-d tensor."""
    return "(" + ", ".join(str(s) for s in shape) + ")"


class Digraph:
    """A directed graph in Graphviz's DOT language (a small stand-in for ``graphviz.Digraph``).

    ``.source`` is the DOT text; ``.save(path)`` writes it; ``.render(path, format=...)``
    runs Graphviz's ``dot`` program to turn it into an image.
    """

    def __init__(self):
        self._nodes = []   # (id, label, color)
        self._edges = []   # (tail id, head id, style)

    def node(self, node_id, label, color):
        self._nodes.append((node_id, label, color))

    def edge(self, tail, head, style=None):
        self._edges.append((tail, head, style))

    @property
    def source(self):
        lines = ["digraph {", "\t" + _GRAPH_ATTRS, "\t" + _NODE_ATTRS]
        for node_id, label, color in self._nodes:
            lines.append(f"\t{node_id} [label={_quote(label)} fillcolor={color}]")
        for tail, head, style in self._edges:
            attrs = f" [style={style}]" if style else ""
            lines.append(f"\t{tail} -> {head}{attrs}")
        lines.append("}")
        return "\n".join(lines) + "\n"

    def __str__(self):
        return self.source

    def save(self, filename):
        """Write the DOT source to ``filename``; returns the path."""
        with open(filename, "w") as f:
            f.write(self.source)
        return filename

    def render(self, filename="graph", format="svg", cleanup=False):
        """Save the source to ``filename`` and run ``dot`` to write ``filename.<format>``.

        Returns the path of the image. Raises ``RuntimeError`` when Graphviz's ``dot``
        program is not installed (it is a system package, not a Python one).
        """
        exe = shutil.which("dot")
        if exe is None:
            raise RuntimeError("Rendering needs the Graphviz 'dot' executable, which was not found on PATH. "
                               "Install Graphviz (https://graphviz.org/download/, e.g. `apt install graphviz` "
                               "or `brew install graphviz`), or use .source / .save() to get the DOT text.")
        self.save(filename)
        out = f"{filename}.{format}"
        done = subprocess.run([exe, f"-T{format}", filename, "-o", out], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"Graphviz 'dot' failed ({done.returncode}): {done.stderr.strip()}")
        if cleanup:
            os.remove(filename)
        return out

    def _repr_svg_(self):
        """Jupyter shows the graph inline when Graphviz is installed."""
        if shutil.which("dot") is None:
            return None
        done = subprocess.run(["dot", "-Tsvg"], input=self.source, capture_output=True, text=True)
        return done.stdout if done.returncode == 0 else None


def _saved_tensors(fn):
    """Shapes of the tensors ``fn`` keeps for its backward (empty once they are freed)."""
    saved = getattr(fn, "_saved", None)
    if not saved:  # None (nothing recorded), False (freed by backward) or ()
        return []
    shapes = []
    for entry in saved:
        if entry is None:
            continue
        t = entry[0]
        shapes.append(t._data.shape)  # a Tensor, or a _SavedOutput keeping its array
    return shapes


def make_dot(var, params=None, show_attrs=False, show_saved=False, max_attr_chars=50):
    """The backward graph of ``var`` (a tensor or a sequence of tensors) as a ``Digraph``.

    ``params`` maps names to tensors (``dict(model.named_parameters())``): leaves found
    there are labelled with their name. ``show_saved`` adds each node's saved tensors.
    ``show_attrs`` and ``max_attr_chars`` are accepted for torchviz compatibility; ember's
    nodes expose no attributes beyond their saved tensors, so they add nothing.
    """
    names = {id(v): k for k, v in (params or {}).items()}
    outputs = tuple(var) if isinstance(var, (tuple, list)) else (var,)
    dot = Digraph()
    ids = {}       # id(node) -> DOT id; also keeps each node drawn once
    counter = itertools.count()

    def new_id():
        return f"n{next(counter)}"

    def draw(fn):
        """The DOT id of node ``fn``, drawing it (and queueing its inputs) on first sight."""
        key = id(fn)
        if key in ids:
            return ids[key]
        ids[key] = node_id = new_id()
        pending.append(fn)
        variable = getattr(fn, "variable", None)
        if isinstance(variable, Tensor):  # a leaf's AccumulateGrad: draw the tensor itself
            name = names.get(id(variable), "")
            dot.node(node_id, (name + "\n" if name else "") + _shape(variable.shape), _COLORS["param"])
            return node_id
        dot.node(node_id, fn.name(), _COLORS["op"])
        if show_saved:
            for i, shape in enumerate(_saved_tensors(fn)):
                saved_id = new_id()
                dot.node(saved_id, f"saved {i}\n{_shape(shape)}", _COLORS["saved"])
                dot.edge(saved_id, node_id, "dashed")
        return node_id

    # Breadth-first with an explicit queue: a graph thousands of nodes deep (an unrolled
    # RNN) must not hit Python's recursion limit.
    pending = collections.deque()
    for t in outputs:
        out_id = new_id()
        name = names.get(id(t), "")
        dot.node(out_id, (name + "\n" if name else "") + _shape(t.shape), _COLORS["output"])
        if t.grad_fn is not None:
            dot.edge(draw(t.grad_fn), out_id)
    while pending:
        fn = pending.popleft()
        for child, _ in fn.next_functions:
            if child is not None:
                dot.edge(draw(child), ids[id(fn)])
    return dot
