"""PyTorch's checks of the Python arguments of an op, with PyTorch's messages.

PyTorch parses the arguments of every tensor function in C++ (``python_arg_parser``) before
the op runs, so a wrong argument type fails the same way whichever op it was given to. The
helpers here give ember's ops the same behaviour for the argument kinds that have their own
rules:

* a list of ints (a shape, a list of dims): it may be a tuple, a list or a ``torch.Size``; the
  first element must be an integer (not a bool, not a float), later elements may be anything
  an integer can be read from; when the list is the op's only positional argument the ints may
  also be passed one by one (``zeros(2, 3)`` as ``zeros((2, 3))``);
* a single int (``chunks``, ``k``): a Python or NumPy integer, or a one-element integer tensor;
* a ``dtype=``: a torch dtype or a Python scalar type, never a NumPy dtype or a string.

A call that fits none of an op's overloads gets PyTorch's "invalid combination of arguments"
error, which lists them (``invalid_combination``). The messages name the op, the argument, its
position (counted from 1 after ``self`` in the method form) and the C type of the object found
(``float``, ``numpy.float64``, ``torch.dtype``).
"""
import numbers
import operator

import numpy as np

from .._size import Size
from .._tensor import Tensor

_MISSING = object()


def tp_name(obj):
    """The type name PyTorch's argument errors print: the C name of the object's type
    (``numpy.float64``, ``torch.dtype``), which for builtins and Python classes is their name."""
    cls = type(obj)
    module = cls.__module__
    if module.startswith("numpy"):
        return f"{module}.{cls.__name__}"
    if module.startswith("ember"):
        # ember's counterparts of PyTorch's C types carry PyTorch's names
        return _EMBER_NAMES.get(cls.__name__, cls.__name__)
    return cls.__name__


_EMBER_NAMES = {"dtype": "torch.dtype", "Size": "torch.Size", "device": "torch.device", "Generator": "torch.Generator",
                "layout": "torch.layout"}


def is_int(v):
    """True for an object PyTorch accepts where one int is expected: a Python or NumPy integer
    (never a bool) or anything with ``__index__`` (a one-element integer tensor, a 0-d array)."""
    if v.__class__ is int:
        return True
    if isinstance(v, (bool, np.bool_)):
        return False
    if isinstance(v, (int, np.integer)):
        return True
    if isinstance(v, Tensor):
        return v._data.size == 1 and v._data.dtype.kind in "iu"
    try:
        operator.index(v)
    except TypeError:
        return False
    return True


def _unpack(fname, argname, seq):
    """The ints of an int list whose first element was already accepted; later elements may be
    bools (read as 0 and 1) but not floats, as in PyTorch."""
    out = []
    for i, v in enumerate(seq):
        if v.__class__ is int:
            out.append(v)
            continue
        if i and not (isinstance(v, (bool, np.bool_)) or is_int(v)):
            raise TypeError(f"{fname}(): argument '{argname}' failed to unpack the object at pos {i + 1} with error "
                            f"\"type must be tuple of ints,but got {tp_name(v)}\"")
        out.append(operator.index(v))
    return tuple(out)


def int_list(fname, argname, value, position=None):
    """A tuple of ints from the argument ``value`` of ``fname`` (``position``: where it was
    passed, None for a keyword)."""
    where = "" if position is None else f" (position {position})"
    if isinstance(value, (tuple, list)):
        if value and not is_int(value[0]):
            if position is None:
                raise TypeError(f"{fname}(): argument '{argname}' must be tuple of ints, not {tp_name(value)}")
            raise TypeError(f"{fname}(): argument '{argname}'{where} must be tuple of ints, but found element of type "
                            f"{tp_name(value[0])} at pos 0")
        return _unpack(fname, argname, value)
    raise TypeError(f"{fname}(): argument '{argname}'{where} must be tuple of ints, not {tp_name(value)}")


def one_int(fname, argname, value, position=None):
    """``value`` as an int, or PyTorch's TypeError for an argument declared ``int``."""
    if value.__class__ is int:
        return value
    if not is_int(value):
        where = "" if position is None else f" (position {position})"
        raise TypeError(f"{fname}(): argument '{argname}'{where} must be int, not {tp_name(value)}")
    return operator.index(value)


def dtype_arg(fname, d):
    """A ``dtype=`` argument: a torch dtype, or a Python scalar type (``float`` is float64);
    PyTorch refuses anything else, NumPy dtypes and strings included."""
    from .. import _dtype
    if d.__class__ is _dtype.dtype:
        return d
    if d is float or d is int or d is bool:
        return _dtype.to_dtype(d)
    raise TypeError(f"{fname}(): argument 'dtype' must be torch.dtype, not {tp_name(d)}")


def too_many_positional(fname, allowed, given):
    """PyTorch's TypeError for extra positional arguments ("takes 1 positional argument but 2
    were given")."""
    s = "" if allowed == 1 else "s"
    return TypeError(f"{fname}() takes {allowed} positional argument{s} but {given} "
                     f"{'was' if given == 1 else 'were'} given")


def size_args(fname, argname, args, kwargs=None, position=1, signatures=None):
    """The ints of an op's only positional argument, an int list that may also be passed as
    separate ints: ``f(2, 3)``, ``f((2, 3))``, ``f([2, 3])``, ``f(torch.Size(...))`` or
    ``f(name=(2, 3))``. ``kwargs``: the call's other keywords (only ``argname`` is allowed).
    ``signatures``: the op's overloads (as PyTorch prints them) when it has several, which
    turns a call that fits none into PyTorch's "invalid combination" error."""
    if not kwargs:  # the common calls, kept cheap: view(2, 3), zeros((2, 3))
        if len(args) == 1:
            a = args[0]
            if a.__class__ is tuple or a.__class__ is Size or a.__class__ is list:
                for s in a:
                    if s.__class__ is not int:
                        break
                else:
                    return tuple(a)
            elif a.__class__ is int:
                return args
        elif args:
            for s in args:
                if s.__class__ is not int:
                    break
            else:
                return args
    return _size_args(fname, argname, args, kwargs or {}, position, signatures)


def _size_args(fname, argname, args, kwargs, position, signatures):
    def no_match():
        return invalid_combination(fname, args, kwargs, signatures) if signatures else None

    kw = kwargs.get(argname, _MISSING)
    if not args and kw is _MISSING:
        raise no_match() or TypeError(f'{fname}() missing 1 required positional arguments: "{argname}"')
    extra = [k for k in kwargs if k != argname]
    if extra:
        raise no_match() or TypeError(f"{fname}() got an unexpected keyword argument '{extra[0]}'")
    if kw is not _MISSING:
        if args:
            raise no_match() or TypeError(f"{fname}() got multiple values for argument '{argname}'")
        if signatures and not (isinstance(kw, (tuple, list)) and (not kw or is_int(kw[0]))):
            raise no_match()
        return int_list(fname, argname, kw)
    first = args[0]
    if isinstance(first, (tuple, list)):
        if len(args) > 1:
            raise no_match() or too_many_positional(fname, 1, len(args))
        if signatures and first and not is_int(first[0]):
            raise no_match()
        return int_list(fname, argname, first, position)
    if is_int(first):  # the ints one by one
        return _unpack(fname, argname, args)
    if len(args) > 1:
        raise no_match() or too_many_positional(fname, 1, len(args))
    raise no_match() or TypeError(f"{fname}(): argument '{argname}' (position {position}) must be tuple of ints, not "
                                  f"{tp_name(first)}")


def _describe(v):
    """An argument as PyTorch describes it when no overload matched: its type, and for a
    tuple or list the types of its elements too (``tuple of (float, int)``)."""
    if isinstance(v, tuple) and not isinstance(v, Size):
        inner = ", ".join(tp_name(e) for e in v)
        return f"tuple of ({inner}{',' if len(v) == 1 else ''})"
    if isinstance(v, list):
        return f"list of [{', '.join(tp_name(e) for e in v)}]"
    return tp_name(v)


def invalid_combination(fname, args, kwargs, signatures):
    """PyTorch's TypeError for a call that matches none of an op's overloads. Each signature is
    listed; one that has as many parameters as there were arguments, none of them optional,
    also says which arguments had the wrong type (marked ``!type!``)."""
    # PyTorch lists the keywords last first, and after each one a comma when no positional
    # argument came before them
    got = ", ".join(tp_name(a) for a in args)
    for k, v in reversed(kwargs.items()):
        got += f", {k}={tp_name(v)}" if args else f"{k}={tp_name(v)}, "
    lines = [f"{fname}() received an invalid combination of arguments - got ({got}), but expected one of:"]
    for sig in signatures:
        lines.append(f" * ({sig})")
        params = sig.split(", ")
        if kwargs or "=" in sig or "*" in params or len(params) != len(args):
            continue
        marked = [_describe(a) if _fits(p.rsplit(" ", 1)[0], a) else f"!{_describe(a)}!" for p, a in zip(params, args)]
        lines.append(f"      didn't match because some of the arguments have invalid types: ({', '.join(marked)})")
    return TypeError("\n".join(lines) + "\n")


def _fits(type_name, v):
    """Whether ``v`` passes PyTorch's parser check for a parameter of this type (of a list,
    only the first element is checked: PyTorch reads the others when it uses them)."""
    from .. import _dtype
    if type_name == "Tensor":
        return isinstance(v, Tensor)
    if type_name == "Number":
        return isinstance(v, numbers.Number)
    if type_name == "int":
        return is_int(v)
    if type_name == "float":  # a Python or NumPy number (bools too) or a 0-d tensor
        return isinstance(v, (int, float, np.integer, np.floating, np.bool_)) or \
            isinstance(v, Tensor) and v._data.ndim == 0
    if type_name == "tuple of ints":
        return isinstance(v, (tuple, list)) and (not v or is_int(v[0]))
    if type_name == "torch.dtype":
        return isinstance(v, _dtype.dtype) or v is float or v is int or v is bool
    if type_name == "str":
        return isinstance(v, str)
    if type_name == "bool":
        return isinstance(v, bool)
    if type_name == "torch.Generator":
        from .._random import Generator
        return isinstance(v, Generator)
    if type_name in ("torch.layout", "torch.memory_format"):
        return type(v).__name__ == type_name[6:]  # (ember's constants carry PyTorch's class names)
    return True  # a device: checked when it is used


# --- a whole signature -------------------------------------------------------------------------
class Overload:
    """One signature as PyTorch's parser reads it: ``type name[ = default]`` parameters, those
    after ``*`` keyword-only."""

    def __init__(self, text):
        self.text = text
        self.params = []  # (type, name, optional, None allowed, keyword_only)
        keyword_only = False
        for p in text.split(", ") if text else ():
            if p == "*":
                keyword_only = True
                continue
            decl, _, default = p.partition(" = ")
            type_, name = decl.rsplit(" ", 1)
            # (every generator parameter of these ops is a nullable ``Generator?``)
            self.params.append((type_, name, bool(default), default == "None" or type_ == "torch.Generator",
                                keyword_only))
        self.min_args = sum(not p[2] for p in self.params)  # (keyword-only ones count too)
        self.max_args = len(self.params)
        self.max_pos = sum(not p[4] for p in self.params)
        # a lone leading int list may also be given as separate ints: rand(2, 3)
        self.varargs = self.max_pos == 1 and self.params[0][0] == "tuple of ints"

    def bind(self, fname, args, kwargs, explain):
        """The given arguments by parameter name, or None when the call does not fit this
        overload; with ``explain``, PyTorch's TypeError saying why instead."""
        def fail(message):
            if explain:
                raise TypeError(message)
            return None

        nargs = len(args)
        if nargs > self.max_pos and not self.varargs:
            return fail(self._extra_args(fname, nargs))
        bound, pos, remaining = {}, 0, len(kwargs)
        for i, (type_, name, optional, nullable, keyword_only) in enumerate(self.params):
            if pos < nargs:
                if keyword_only:  # more positional arguments than this overload takes
                    return fail(self._extra_args(fname, nargs))
                obj, is_kwd = args[pos], False
            else:
                obj, is_kwd = kwargs.get(name, _MISSING), True
            if obj is _MISSING and optional or obj is None and nullable:
                pass  # left out, or None where None is allowed: the default
            elif obj is _MISSING:
                missing = [f'"{p[1]}"' for p in self.params[i:] if not p[2]]
                # (PyTorch's message has "arguments" for one and "argument" for several)
                return fail(f"{fname}() missing {len(missing)} required positional argument"
                            f"{'s' if len(missing) == 1 else ''}: {', '.join(missing)}")
            elif _fits(type_, obj):
                bound[name] = obj
            elif self.varargs and pos == 0 and not is_kwd and is_int(obj):
                bound[name] = args  # the sizes one by one
                pos = nargs
                continue
            elif is_kwd:
                return fail(f"{fname}(): argument '{name}' must be {type_}, not {tp_name(obj)}")
            elif type_ == "tuple of ints" and isinstance(obj, (tuple, list)):
                return fail(f"{fname}(): argument '{name}' (position {pos + 1}) must be {type_}, but found element "
                            f"of type {tp_name(obj[0])} at pos 0")
            else:
                return fail(f"{fname}(): argument '{name}' (position {pos + 1}) must be {type_}, not {tp_name(obj)}")
            if not is_kwd:
                pos += 1
            elif obj is not _MISSING:
                remaining -= 1
        if remaining:
            names = [p[1] for p in self.params]
            for k in kwargs:
                if k not in names:
                    return fail(f"{fname}() got an unexpected keyword argument '{k}'")
                if names.index(k) < nargs:
                    return fail(f"{fname}() got multiple values for argument '{k}'")
        return bound

    def _extra_args(self, fname, nargs):
        if self.min_args != self.max_pos:
            return (f"{fname}() takes from {self.min_args} to {self.max_pos} positional arguments but {nargs} "
                    f"were given")
        s = "" if self.max_pos == 1 else "s"
        was = "was" if nargs == 1 else "were"
        return f"{fname}() takes {self.max_pos} positional argument{s} but {nargs} {was} given"


def parse_overloads(fname, overloads, args, kwargs):
    """Which of an op's ``Overload``s (its index) a call fits and its arguments by name, or
    PyTorch's TypeError: when no overload fits and exactly one could take that many arguments,
    that overload's own error; else "invalid combination of arguments"."""
    for k, overload in enumerate(overloads):
        bound = overload.bind(fname, args, kwargs, False)
        if bound is not None:
            return k, bound
    n = len(args) + len(kwargs)
    plausible = [o for o in overloads if o.min_args <= n <= o.max_args]
    if len(plausible) == 1:
        plausible[0].bind(fname, args, kwargs, True)  # raises its own error
    raise invalid_combination(fname, args, kwargs, [o.text for o in overloads])


def overloads(*texts):
    return tuple(Overload(t) for t in texts)


def plausible(signatures, n):
    """The signatures (as PyTorch prints them) that can take ``n`` arguments: PyTorch's
    candidates for naming the wrong argument when no overload matched."""
    return [s for s in signatures if _parsed(s).min_args <= n <= _parsed(s).max_args]


_PARSED = {}


def _parsed(signature):
    o = _PARSED.get(signature)
    if o is None:
        o = _PARSED[signature] = Overload(signature)
    return o


def tensor_args(*names):
    """Decorator: the arguments ``names`` of an op must be tensors. PyTorch's TypeError counts
    an argument's position from 1 in the function and from 0 after ``self`` in the method, so
    the op gets a method form (``_method``, which ``methods`` attaches) of its own."""
    def decorate(fn):
        params = fn.__code__.co_varnames[:fn.__code__.co_argcount]
        where = [(n, params.index(n)) for n in names]

        def check(args, kwargs, shift):
            for n, i in where:
                given = i < len(args) or n in kwargs  # (one not given fails in the call itself)
                v = args[i] if i < len(args) else kwargs.get(n)
                if given and not isinstance(v, Tensor):
                    raise TypeError(f"{fn.__name__}(): argument '{n}' (position {i + 1 - shift}) must be Tensor, "
                                    f"not {tp_name(v)}")

        def function(*args, **kwargs):
            check(args, kwargs, 0)
            return fn(*args, **kwargs)

        def method(*args, **kwargs):
            check(args, kwargs, 1)
            return fn(*args, **kwargs)
        for f in (function, method):
            f.__name__, f.__qualname__, f.__doc__ = fn.__name__, fn.__qualname__, fn.__doc__
        function._method = method
        return function
    return decorate
