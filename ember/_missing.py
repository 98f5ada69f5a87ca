"""Names PyTorch has and ember does not: a clear ``NotImplementedError`` instead of an
``AttributeError`` deep inside ember."""


class MissingAPI(NotImplementedError, AttributeError):
    """A PyTorch API that ember does not implement (also an AttributeError, so ``hasattr``
    and ``getattr(..., default)`` keep working)."""


def module_getattr(torch_name):
    """A module-level ``__getattr__`` raising ``MissingAPI`` for ``torch_name.<attr>``."""
    def __getattr__(attr):
        if attr.startswith("__") and attr.endswith("__"):
            raise AttributeError(attr)
        raise MissingAPI(f"{torch_name}.{attr} is not implemented in ember (see docs/coverage.md and the coverage "
                         "table in ember's README.md)")
    return __getattr__
