"""Indexing: ``t[...]`` reads and writes, gather/scatter, masks and ``where``."""
from ._util import methods  # noqa: F401

__all__ = []
