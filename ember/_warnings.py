"""PyTorch computes inf and NaN silently (1e300 in float32, 0 * inf, exp(100) in float16);
NumPy warns about them ("overflow encountered in multiply"). ember silences exactly those
warnings, and only where its own code calls NumPy: a warnings filter costs nothing until a
warning fires, and the user's own NumPy code keeps its warnings.

The filter is installed when ember is imported. Code that imports ember inside
``warnings.catch_warnings()`` (pytest's collection does) loses it when that block ends;
calling ``silence_float_warnings()`` again restores it."""
import warnings

FLOAT_WARNING = r"(overflow|invalid value|divide by zero|underflow) encountered"


def silence_float_warnings():
    warnings.filterwarnings("ignore", FLOAT_WARNING, RuntimeWarning, r"ember\.")
