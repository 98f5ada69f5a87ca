"""Every op documents its derivative, and the generated reference renders."""
import importlib.util
import inspect
import pathlib

import pytest

from ember._ops import _FAMILIES
from ember.autograd import Function

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _ops():
    for module in _FAMILIES:
        for obj in vars(module).values():
            if inspect.isclass(obj) and issubclass(obj, Function) and obj.__module__ == module.__name__:
                yield obj


@pytest.mark.parametrize("cls", list(_ops()), ids=lambda c: c.__name__)
def test_every_op_states_its_derivative(cls):
    doc = inspect.getdoc(cls)
    # a subclass that only renames the node may inherit its parent's statement
    assert doc and len(doc) > 20, f"{cls.__name__} has no docstring stating its derivative"


def test_reference_renders_every_op():
    spec = importlib.util.spec_from_file_location("gen_reference", ROOT / "docs" / "gen_reference.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    text = mod.render()
    for cls in _ops():
        assert f"`{cls.__name__}`" in text
