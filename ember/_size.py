"""``torch.Size``: the tuple that ``Tensor.shape`` and ``Tensor.size()`` return."""
import math
import operator

import numpy as np


class Size(tuple):
    """A tuple of ints that prints as ``torch.Size([2, 3])``."""

    __slots__ = ()

    def __new__(cls, sizes=()):
        # PyTorch accepts any iterable of ints; a one-element integer tensor counts as its
        # int (NumPy integers are kept as they are, as PyTorch keeps them)
        items = tuple(sizes)
        for i, s in enumerate(items):
            if s.__class__ is int or isinstance(s, (int, np.integer)):
                continue
            if hasattr(s, "_data") and getattr(s._data, "size", 0) == 1 and s._data.dtype.kind in "iub":
                items = items[:i] + (operator.index(s),) + items[i + 1:]
                continue
            raise TypeError(f"torch.Size() takes an iterable of 'int' (item {i} is '{type(s).__name__}')")
        return tuple.__new__(cls, items)

    def __repr__(self):
        return f"torch.Size({list(self)})"

    __str__ = __repr__

    def numel(self):
        """The number of elements a tensor of this shape holds."""
        return math.prod(self)

    def __getitem__(self, i):
        r = tuple.__getitem__(self, i)
        return tuple.__new__(Size, r) if isinstance(i, slice) else r

    def __add__(self, other):
        # like tuple + tuple: only a tuple (a Size included) may be appended
        if not isinstance(other, tuple):
            raise TypeError(f"can only concatenate tuple (not {type(other).__name__}) to torch.Size")
        return tuple.__new__(Size, tuple.__add__(self, other))

    def __radd__(self, other):
        # (3,) + Size([2]) is a Size in PyTorch too
        if not isinstance(other, tuple):
            return NotImplemented
        return tuple.__new__(Size, tuple.__add__(other, self))

    def __mul__(self, n):
        r = tuple.__mul__(self, n)
        return r if r is NotImplemented else tuple.__new__(Size, r)

    __rmul__ = __mul__

    def __reduce__(self):
        return (Size, (tuple(self),))


def expands_to(shape, target):
    """True when an array of ``shape`` broadcasts to exactly ``target`` (each of its dims,
    aligned from the right, is 1 or target's): what ``np.broadcast_shapes(shape, target) ==
    target`` says, at a fraction of its cost on the hot paths that ask it."""
    if len(shape) > len(target):
        return False
    for s, t in zip(reversed(shape), reversed(target)):
        if s != t and s != 1:
            return False
    return True

