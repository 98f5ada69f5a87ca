"""Sorting and selection: sort, argsort, topk, kthvalue, unique."""
from ._util import methods  # noqa: F401

__all__ = []
