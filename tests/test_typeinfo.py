"""finfo, iinfo, can_cast, typename and the determinism switch against PyTorch."""
import pytest
import torch

import ember

FLOATS = ["float16", "float32", "float64"]
INTS = ["uint8", "int8", "int16", "int32", "int64"]


@pytest.mark.parametrize("name", FLOATS + [None])
def test_finfo(name):
    e = ember.finfo(getattr(ember, name)) if name else ember.finfo()
    t = torch.finfo(getattr(torch, name)) if name else torch.finfo()
    assert repr(e) == repr(t)
    for attr in ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype"):
        assert getattr(e, attr) == getattr(t, attr), attr


@pytest.mark.parametrize("name", INTS)
def test_iinfo(name):
    e, t = ember.iinfo(getattr(ember, name)), torch.iinfo(getattr(torch, name))
    assert repr(e) == repr(t) and (e.bits, e.max, e.min, e.dtype) == (t.bits, t.max, t.min, t.dtype)


def test_wrong_kinds_raise_pytorchs_type_errors():
    for m in (torch, ember):
        with pytest.raises(TypeError, match="torch.finfo\\(\\) requires a floating point input type"):
            m.finfo(m.int32)
        with pytest.raises(TypeError, match="torch.iinfo\\(\\) requires an integer input type"):
            m.iinfo(m.float32)


def test_can_cast_typename_and_determinism():
    names = ["bool"] + INTS + FLOATS
    for a in names:
        for b in names:
            assert ember.can_cast(getattr(ember, a), getattr(ember, b)) == torch.can_cast(getattr(torch, a),
                                                                                          getattr(torch, b)), (a, b)
    for make in (lambda m: m.ones(2), lambda m: m.ones(2, dtype=m.int64), lambda m: m.zeros(1, dtype=m.bool),
                 lambda m: 3, lambda m: "x"):
        assert ember.typename(make(ember)) == torch.typename(make(torch))
    ember.use_deterministic_algorithms(True)
    assert ember.are_deterministic_algorithms_enabled()
    ember.use_deterministic_algorithms(False)
    assert not ember.are_deterministic_algorithms_enabled()
