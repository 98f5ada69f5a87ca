"""Run unmodified PyTorch programs on ember: ``torch``, ``torchvision`` and ``torchmetrics``
imports resolve to ember's modules.

``install()`` puts an import hook first on ``sys.meta_path``. For ``torch`` and every
``torch.<sub>`` it hands out the ember module with the same path (``torch.nn.functional`` is
``ember.nn.functional``), wrapped in a thin proxy: a name ember has is returned as is; a name
it lacks raises ``MissingAPI`` — a ``NotImplementedError`` naming the PyTorch API and
pointing to the coverage table (it is also an ``AttributeError``, so ``hasattr`` probes
keep working). Submodules ember does not have import as proxies that raise on first use.
Nothing is written to disk and a real torch installation is untouched; ``uninstall()``
removes the hook and the aliases. In a notebook, ``%load_ext ember.compat`` installs it.
"""
import importlib
import importlib.abc
import importlib.util
import sys
import types

from ._missing import MissingAPI

ALIASES = {"torch": "ember", "torchvision": "ember.vision", "torchmetrics": "ember.metrics"}
_COVERAGE = "see docs/coverage.md and the coverage table in ember's README.md"


def ember_name(name):
    """The ember module that stands for PyTorch module ``name`` (or None)."""
    root, _, rest = name.partition(".")
    target = ALIASES.get(root)
    if target is None:
        return None
    return target + ("." + rest if rest else "")


class _Proxy(types.ModuleType):
    """The module user code sees as ``torch...``: ember's attributes, or a clear error."""

    def __init__(self, name, target):
        super().__init__(name)
        object.__setattr__(self, "_target", target)
        self.__dict__["__path__"] = []  # a package, so ``import torch.x`` reaches the finder

    def __getattr__(self, attr):
        target = self.__dict__["_target"]
        if target is not None:
            try:
                return getattr(target, attr)
            except AttributeError:
                pass
            sub = f"{target.__name__}.{attr}"
            if importlib.util.find_spec(sub) is not None:
                return importlib.import_module(f"{self.__name__}.{attr}")
        if attr.startswith("__") and attr.endswith("__"):
            raise AttributeError(attr)
        raise MissingAPI(f"{self.__name__}.{attr} is not implemented in ember ({_COVERAGE})")

    def __call__(self, *args, **kwargs):
        # ``from torch.x import name`` of a name ember lacks binds such a proxy (Python tries
        # a submodule once the attribute is missing); calling it must name the API
        raise MissingAPI(f"{self.__name__} is not implemented in ember ({_COVERAGE})")

    def __setattr__(self, attr, value):
        target = self.__dict__["_target"]
        if target is not None and not attr.startswith("__"):
            setattr(target, attr, value)
        object.__setattr__(self, attr, value)

    def __dir__(self):
        target = self.__dict__["_target"]
        return sorted(set(dir(target)) if target is not None else ())


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):
        if ember_name(fullname) is None:
            return None
        return importlib.util.spec_from_loader(fullname, self, is_package=True)

    def create_module(self, spec):
        real = ember_name(spec.name)
        try:
            target = importlib.import_module(real)
        except ImportError:
            target = None  # a torch submodule ember lacks: every use raises MissingAPI
        return _Proxy(spec.name, target)

    def exec_module(self, module):
        pass


_finder = _Finder()


def install():
    """Make ``import torch`` (and torchvision, torchmetrics) give ember, for this process."""
    if _finder not in sys.meta_path:
        for name in [n for n in sys.modules if ember_name(n) is not None]:
            if not isinstance(sys.modules[name], _Proxy):
                raise RuntimeError(f"{name} is already imported from a real installation; call "
                                   "ember.compat.install() before importing it")
        sys.meta_path.insert(0, _finder)


def load_ipython_extension(ipython):
    """``%load_ext ember.compat`` in IPython or Jupyter: install the hook for the notebook's
    kernel, so its cells' ``import torch`` give ember (restart the kernel to undo)."""
    install()


def uninstall():
    """Remove the hook and forget the aliased modules."""
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)
    for name in [n for n, m in sys.modules.items() if isinstance(m, _Proxy)]:
        del sys.modules[name]


def run_path(path, argv=()):
    """Run a Python file as ``__main__`` with ember standing in for torch."""
    import runpy
    import os
    install()
    old_argv, old_path = sys.argv, list(sys.path)
    sys.argv = [str(path), *argv]
    # as `python script.py` does: the script's folder comes first, so its neighbours import
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    try:
        runpy.run_path(str(path), run_name="__main__")
    finally:
        sys.argv = old_argv
        sys.path[:] = old_path
