"""Every tensor operation, one module per family (as in PyTorch's documentation).

Importing this package attaches each family's methods to ``Tensor``; ``FUNCTIONS`` maps the
names of the ``torch.*`` functions to their implementations, for ``ember/__init__.py``.
"""
from . import (creation, pointwise, rounding, reduction, comparison, sorting, shape, indexing, gather_scatter, masking,
               linalg, loss, conv, pooling, padding, norm, embedding, ctc, activation, more_math, aliases, views)
from . import spatial

_FAMILIES = (creation, pointwise, rounding, reduction, comparison, sorting, shape, indexing, gather_scatter, masking,
             linalg, loss, conv, pooling, padding, norm, embedding, ctc, activation, more_math, aliases, views, spatial)

FUNCTIONS = {}
for _m in _FAMILIES:
    for _name in _m.__all__:
        FUNCTIONS[_name] = getattr(_m, _name)
