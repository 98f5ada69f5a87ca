"""Write docs/reference.md: every ember op, its forward formula, its derivative and why.

Run ``python docs/gen_reference.py`` (``--check`` only compares). The reference is generated
from the code, so it can't drift from it: each ``Function`` subclass in ``ember/_ops``
documents its own derivative, in a docstring of the form

    <forward formula>.   <derivative>. <why it holds, more detail...>

(three spaces, or a blank line, separate the forward formula from the backward rule). This
script splits each docstring into those three parts; an op whose docstring (or whose parent
class's docstring) states no derivative is shown as such and listed by ``missing_derivatives``.
"""
import ast
import functools
import inspect
import pathlib
import re
import sys

from ember._ops import _FAMILIES
import ember.linalg
from ember.linalg import _functions as _linalg_functions

sys.path.insert(0, str(pathlib.Path(__file__).parent))  # docs/_generated.py, when run by path
from _generated import write_or_check  # noqa: E402

# (section title, the module whose Functions it documents, the PyTorch functions they serve)
SECTIONS = [(m.__name__.rsplit(".", 1)[1], m, [f"torch.{n}" for n in m.__all__]) for m in _FAMILIES] + [
    ("torch.linalg", _linalg_functions, [f"torch.linalg.{n}" for n in ember.linalg.__all__ if n != "LinAlgError"])]
_TITLE = {module.__name__: title for title, module, _ in SECTIONS}


def _key(title):
    """The anchor prefix of a section: its title, as an HTML id."""
    return title.replace(".", "-")
from ember.autograd import Function

OUT = pathlib.Path(__file__).with_name("reference.md")

# Words that show a sentence talks about the backward rule: "d out/d a", "dy/dx", "dL/dW",
# "gradient", "adjoint", "derivative".
_FORMULA = r"\bd\s*\w*\s*/\s*d|\bd/d|\bd[A-Za-z]\s*="
_BACKWARD = re.compile(_FORMULA + r"|\b[Gg]rad|[Aa]djoint|[Dd]erivative")
# A sentence ends at a full stop followed by white space (but not after "e.g." or "i.e.").
_SENTENCE_END = re.compile(r"(?<!e\.g\.)(?<!i\.e\.)(?<=\.)\s+")


def op_functions(module):
    """The Function subclasses defined in ``module``, in source order."""
    found = [obj for obj in vars(module).values()
             if inspect.isclass(obj) and issubclass(obj, Function) and obj.__module__ == module.__name__]
    lines = _class_lines(module)
    # classes built by a factory (the unary math ops) have no ``class`` statement: they come last
    return sorted(found, key=lambda cls: lines.get(cls.__name__, 10 ** 6))


@functools.lru_cache(maxsize=None)
def _class_lines(module):
    """{class name: line of its ``class`` statement} for one module, from one parse of its source
    (``inspect.getsourcelines`` would parse the file again for every class)."""
    tree = ast.parse(pathlib.Path(module.__file__).read_text())
    lines = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            lines.setdefault(node.name, node.lineno)
    return lines


def _own_doc(cls):
    """The docstring written on ``cls`` itself (None when it only inherits one)."""
    doc = cls.__dict__.get("__doc__")
    return inspect.cleandoc(doc) if doc else None


def _documenting_parent(cls):
    """The nearest base class below ``Function`` that has a docstring of its own."""
    for base in cls.__mro__[1:]:
        if base is Function or not issubclass(base, Function):
            break
        if _own_doc(base):
            return base
    return None


def split_doc(doc):
    """Split an op docstring into (forward, derivative, why); the parts may be empty.

    forward: what the op computes; derivative: the first sentence of the backward rule;
    why: the rest of the backward rule (the reasoning and the special cases).
    """
    paragraphs = [p.strip() for p in doc.strip().split("\n\n") if p.strip()]
    if not paragraphs:
        return "", "", ""
    first, rest = paragraphs[0], paragraphs[1:]
    gap = re.search(r"(?<=\S) {3,}(?=\S)", first)
    if gap and not _BACKWARD.search(first[:gap.start()]):
        forward, backward = first[:gap.start()], [first[gap.end():]] + rest
    else:
        sentences = _SENTENCE_END.split(first)
        at = next((i for i, s in enumerate(sentences) if _BACKWARD.search(s)), None)
        if at is None:
            forward, backward = first, rest
        elif at > 0:
            forward, backward = " ".join(sentences[:at]), [" ".join(sentences[at:])] + rest
        else:
            # The forward rule and the derivative share one sentence ("y = floor x: a step
            # function, so dy/dx = 0"): cut at the last clause break before the derivative.
            # A sentence that starts with the derivative is what the op computes: it is a
            # gradient op ("dL/dx of average pooling: ..."), whose own backward rule follows.
            s = sentences[0]
            start = (re.search(_FORMULA, s) or _BACKWARD.search(s)).start()
            cut = max((m.end() for m in re.finditer(r"[:;,]\s", s[:start])), default=0)
            if cut:
                forward, backward = s[:cut].rstrip(" \n:;,"), [" ".join([s[cut:]] + sentences[1:])] + rest
            else:
                forward, backward = s, [" ".join(sentences[1:])] + rest
    backward = [b for b in backward if b.strip()]
    if not backward:
        return forward.strip(), "", ""
    head = _SENTENCE_END.split(backward[0], maxsplit=1)
    derivative = re.sub(r"^so\s+", "", head[0])
    if re.match(r"[a-z]{2,}\s", derivative) and not re.match(_FORMULA, derivative):
        derivative = derivative[0].upper() + derivative[1:]     # "the gradient ..." after a cut
    why = [head[1]] if len(head) > 1 else []
    why += backward[1:]
    return forward.strip(), derivative.strip(), "\n\n".join(w.strip() for w in why)


def states_derivative(doc):
    return bool(doc) and bool(_BACKWARD.search(" ".join(split_doc(doc)[1:])))


def explanation(cls):
    """(doc, source): the docstring that states ``cls``'s derivative and the class it is on.

    A class's own docstring wins when it states a derivative; otherwise the nearest parent's
    (``Kthvalue`` is a ``Selection``, whose docstring says where selected values' gradient
    goes). (None, None) when no docstring in the chain states one.
    """
    for c in [cls] + [b for b in cls.__mro__[1:] if issubclass(b, Function) and b is not Function]:
        doc = _own_doc(c)
        if doc and states_derivative(doc):
            return doc, c
    return None, None


def missing_derivatives():
    """Names of the op classes for which no docstring in the class chain states a derivative."""
    return [cls.__name__ for _, module, _ in SECTIONS for cls in op_functions(module)
            if explanation(cls)[0] is None]


def md(text):
    """Docstring text (reStructuredText-ish) to Markdown."""
    text = re.sub(r"``(.+?)``", r"`\1`", text)
    # "<b, conv(a, W)>" would be read as an HTML tag: escape "<" outside code spans.
    text = "`".join(part if i % 2 else re.sub(r"<(?=[A-Za-z/!?])", "&lt;", part) for i, part in enumerate(text.split("`")))
    out, in_list = [], False
    for line in text.split("\n"):
        bullet = re.match(r"\s*\* ", line)
        if bullet and not in_list and out and out[-1].strip():
            out.append("")            # Markdown needs a blank line before a list
        if bullet:
            in_list = True
            line = line.lstrip()
        elif in_list and line.strip() and not line.startswith(" "):
            out.append("")            # and after it, before a following paragraph
            in_list = False
        elif in_list and line.strip():
            line = "  " + line.strip()
        elif not line.strip():
            in_list = False
        out.append(line)
    return "\n".join(out)


def _anchor(cls):
    return f"{_key(_TITLE[cls.__module__])}-{cls.__name__}"


def render_op(cls):
    lines = [f"### `{cls.__name__}` → `{cls._node_cls._name}` {{#{_anchor(cls)}}}", ""]
    own = _own_doc(cls)
    doc, source = explanation(cls)
    if own is None:
        parent = _documenting_parent(cls)
        lines += [f"A subclass of [`{parent.__name__}`](#{_anchor(parent)}) with no docstring of its own: "
                  f"its forward and backward rules are documented there.", ""]
        return lines
    forward, derivative, why = split_doc(own)
    family = _TITLE[cls.__module__]
    # "see the module docstring": on this page that is the family's introduction
    derivative, why = (re.sub(r"\bthe module docstring\b", f"the introduction to [{family}](#{_key(family)})", t)
                       for t in (derivative, why))
    if source is not None and source is not cls:
        _, derivative, why = split_doc(doc)
        why = (why + "\n\n" if why else "") + f"(The backward rule of [`{source.__name__}`](#{_anchor(source)}), " \
                                              f"which `{cls.__name__}` subclasses.)"
    if forward:
        lines += ["**Forward.** " + md(forward), ""]
    lines += ["**Derivative.** " + (md(derivative) if source is not None else
                                    "*not stated in the docstring.*"), ""]
    if why:
        lines += ["**Why and details.** " + md(why), ""]
    return lines


def render():
    lines = ["# Op reference", "",
             "Generated by `docs/gen_reference.py` from the docstrings in `ember/_ops` and `ember/linalg`: do not edit by",
             "hand. Each op is an `autograd.Function` (forward and backward side by side in one class); its",
             "heading shows the class and, after the arrow, the backward node it records, named as",
             "PyTorch names it (what `tensor.grad_fn` prints). For each op: **Forward** is what it",
             "computes, **Derivative** the backward rule its `backward` implements, and **Why and details** the",
             "reasoning and special cases. Broadcasting never appears in a backward rule: the engine",
             "sums every gradient back to its input's shape (see [How autograd works](autograd.md)).",
             ""]
    for title, module, functions in SECTIONS:
        path = module.__name__.replace(".", "/") + ".py"
        lines += [f"## {title} {{#{_key(title)}}}", "", f"Code: `{path}`.", "", md(inspect.getdoc(module) or ""), ""]
        if functions:
            lines += ["Functions: " + ", ".join(f"`{n}`" for n in functions), ""]
        for cls in op_functions(module):
            lines += render_op(cls)
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv):
    status = write_or_check(OUT, render(), argv, "gen_reference.py")
    missing = missing_derivatives()
    if missing and "--check" not in argv:
        print("ops whose docstrings state no derivative:", ", ".join(missing))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
