"""Grad modes: ``no_grad``, ``enable_grad``, ``set_grad_enabled``, ``inference_mode``.

Whether operations record a graph is one global flag read by ``Function.apply`` on every op,
so it is a plain list cell (the cheapest mutable global to read). Each mode works as a
context manager and as a decorator, like PyTorch's.
"""
import functools
import inspect

_state = [True]  # _state[0]: is grad mode enabled


def is_grad_enabled():
    """True when operations on tensors that require grad record a graph."""
    return _state[0]


def is_inference_mode_enabled():
    return _inference[0]


_inference = [False]


class _Mode:
    """Base for context managers that set grad mode and restore it on exit."""

    _enable = True

    def __enter__(self):
        self._prev = _state[0]
        _state[0] = self._enable
        return None

    def __exit__(self, *exc):
        _state[0] = self._prev
        return False

    def __call__(self, fn):
        if inspect.isclass(fn):
            raise TypeError(f"{type(self).__name__} cannot decorate a class")
        mode = self

        if inspect.isgeneratorfunction(fn):
            @functools.wraps(fn)
            def gen_wrapper(*args, **kwargs):
                gen = fn(*args, **kwargs)
                with mode.clone():
                    value = next(gen)
                while True:
                    try:
                        sent = yield value
                    except GeneratorExit:
                        gen.close()
                        raise
                    with mode.clone():
                        value = gen.send(sent)
            return gen_wrapper

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with mode.clone():
                return fn(*args, **kwargs)
        return wrapper

    def clone(self):
        return self.__class__()


class _FixedMode(_Mode):
    """A mode with no argument; ``@mode`` without parentheses works too, as in PyTorch."""

    def __new__(cls, orig_func=None):
        if orig_func is not None and callable(orig_func):
            return cls()(orig_func)
        return super().__new__(cls)

    def __init__(self, orig_func=None):
        pass


class no_grad(_FixedMode):
    """Context manager and decorator: operations inside record no graph."""

    _enable = False


class enable_grad(_FixedMode):
    """Context manager and decorator: operations inside record a graph again."""

    _enable = True


class set_grad_enabled(_Mode):
    """``set_grad_enabled(mode)``: sets grad mode immediately, and restores it when used as
    a context manager that exits."""

    def __init__(self, mode):
        if not isinstance(mode, bool):
            raise TypeError(f"set_grad_enabled(): argument 'mode' must be bool, not {type(mode).__name__}")
        self._prev = _state[0]
        self._enable = mode
        _state[0] = mode

    def __enter__(self):
        return None

    def clone(self):
        return set_grad_enabled(self._enable)


class inference_mode(_Mode):
    """Like ``no_grad`` for ember (there are no inference tensors to track separately)."""

    def __new__(cls, mode=True):
        if callable(mode) and not isinstance(mode, bool):
            return cls()(mode)
        return super().__new__(cls)

    def __init__(self, mode=True):
        self.mode = mode
        self._enable = not mode

    def __enter__(self):
        self._prev_inf = _inference[0]
        _inference[0] = self.mode
        return super().__enter__()

    def __exit__(self, *exc):
        _inference[0] = self._prev_inf
        return super().__exit__(*exc)

    def clone(self):
        return inference_mode(self.mode)
