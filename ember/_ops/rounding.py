"""Rounding division and remainders: ``div(rounding_mode=)``, floor_divide, remainder, fmod."""
from ._util import methods  # noqa: F401

__all__ = []
