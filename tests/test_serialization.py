"""save/load in PyTorch's file format, both directions; refusal of malicious or damaged
files; atomic saving."""
import io
import os
import pickle
import zipfile
from collections import OrderedDict

import numpy as np
import pytest
import torch

import ember

DTYPES = ["float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool"]


def sample(m):
    base = m.arange(12.0).reshape(3, 4)
    return {
        "w": base, "t": base.t(), "i": m.tensor([1, 2, 3]), "n": 3, "f": 2.5, "s": "text", "none": None,
        "tuple": (1, (2.0, "x")), "list": [m.ones(2), m.zeros(())], "dt": m.float64, "size": m.Size([2, 3]),
        "bytes": b"xy", "od": OrderedDict(a=1, b=m.tensor([True, False])), "empty": m.zeros(0, 3),
        "p": m.nn.Parameter(m.ones(2)), "set": {1, 2},
        **{f"d_{d}": m.arange(5).to(getattr(m, d)) for d in DTYPES},
    }


def assert_equivalent(a, b):
    """``a`` (from one framework) and ``b`` (from the other) hold the same data."""
    if hasattr(b, "numpy") and hasattr(b, "dtype"):
        assert str(a.dtype) == str(b.dtype) and tuple(a.shape) == tuple(b.shape)
        assert a.requires_grad == b.requires_grad
        assert type(a).__name__ == type(b).__name__
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
    elif isinstance(b, dict):
        assert type(a) is type(b) and list(a) == list(b)
        for k in b:
            assert_equivalent(a[k], b[k])
    elif isinstance(b, (list, tuple)) and not type(b).__name__ == "Size":
        assert type(a) is type(b) and len(a) == len(b)
        for x, y in zip(a, b):
            assert_equivalent(x, y)
    else:
        assert repr(a) == repr(b)


def test_ember_file_loads_in_pytorch(tmp_path):
    path = tmp_path / "e.pth"
    ember.save(sample(ember), path)
    loaded = torch.load(path)
    assert_equivalent(loaded, sample(torch))
    # views share one storage, as they did when saved
    assert loaded["t"].untyped_storage().data_ptr() == loaded["w"].untyped_storage().data_ptr()


def test_pytorch_file_loads_in_ember(tmp_path):
    path = tmp_path / "t.pth"
    torch.save(sample(torch), path)
    loaded = ember.load(path)
    assert_equivalent(loaded, sample(ember))
    loaded["w"][0, 0] = 100.0
    assert loaded["t"][0, 0].item() == 100.0  # still one memory block


def test_file_objects_and_round_trip():
    buf = io.BytesIO()
    ember.save(sample(ember), buf)
    buf.seek(0)
    assert_equivalent(ember.load(buf), sample(ember))
    buf.seek(0)
    assert zipfile.ZipFile(buf).namelist()[0] == "archive/data.pkl"


def test_model_and_optimizer_checkpoint_both_ways(tmp_path):
    tm = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    to = torch.optim.SGD(tm.parameters(), lr=0.1, momentum=0.9)
    tm(torch.ones(1, 3)).sum().backward()
    to.step()
    torch.save({"model_state_dict": tm.state_dict(), "optimizer_state_dict": to.state_dict(), "epoch": 3},
               tmp_path / "ckpt.pth")
    ck = ember.load(tmp_path / "ckpt.pth")
    em = ember.nn.Sequential(ember.nn.Linear(3, 4), ember.nn.ReLU(), ember.nn.Linear(4, 2))
    eo = ember.optim.SGD(em.parameters(), lr=0.1, momentum=0.9)
    assert repr(em.load_state_dict(ck["model_state_dict"])) == "<All keys matched successfully>"
    eo.load_state_dict(ck["optimizer_state_dict"])
    np.testing.assert_allclose(em(ember.ones(1, 3)).detach().numpy(), tm(torch.ones(1, 3)).detach().numpy(),
                               rtol=1e-6)
    ember.save({"model_state_dict": em.state_dict(), "optimizer_state_dict": eo.state_dict()}, tmp_path / "e.pth")
    back = torch.load(tmp_path / "e.pth")
    tm2 = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    tm2.load_state_dict(back["model_state_dict"])
    to2 = torch.optim.SGD(tm2.parameters(), lr=0.1, momentum=0.9)
    to2.load_state_dict(back["optimizer_state_dict"])
    assert to2.state_dict()["param_groups"] == to.state_dict()["param_groups"]
    for k, v in to.state_dict()["state"].items():
        torch.testing.assert_close(to2.state_dict()["state"][k]["momentum_buffer"], v["momentum_buffer"])


def _zip_with_pickle(path, payload):
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("archive/data.pkl", payload)
        zf.writestr("archive/version", "3\n")


class _Evil:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_malicious_checkpoint_is_refused_and_runs_nothing(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pth"
    _zip_with_pickle(path, pickle.dumps({"x": _Evil(marker)}, protocol=2))
    with pytest.raises(pickle.UnpicklingError, match="posix.system|os.system|system"):
        ember.load(path)
    assert not marker.exists()
    # the same refusal for an arbitrary class
    _zip_with_pickle(path, pickle.dumps(OrderedDict(a=zipfile.ZipInfo("x")), protocol=2))
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
        ember.load(path)


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "no_pickle", "bad_pickle", "short_storage"])
def test_damaged_checkpoint_gives_clear_error(tmp_path, damage):
    good = tmp_path / "good.pth"
    ember.save({"w": ember.arange(100.0)}, good)
    blob = good.read_bytes()
    bad = tmp_path / "bad.pth"
    if damage == "truncate":
        bad.write_bytes(blob[: len(blob) // 2])
    elif damage == "garbage":
        bad.write_bytes(b"this is not a checkpoint")
    elif damage == "empty":
        bad.write_bytes(b"")
    elif damage == "no_pickle":
        with zipfile.ZipFile(bad, "w") as zf:
            zf.writestr("archive/version", "3\n")
    elif damage == "bad_pickle":
        _zip_with_pickle(bad, b"\x80\x02}q\x00(X\x01")
    elif damage == "short_storage":
        with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
            for name in src.namelist():
                data = src.read(name)
                dst.writestr(name, data[:10] if name.endswith("data/0") else data)
    with pytest.raises(RuntimeError):
        ember.load(bad)
    with pytest.raises(Exception):  # PyTorch refuses it too
        torch.load(bad)


def test_save_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "ckpt.pth"
    ember.save({"w": ember.ones(3)}, path)
    before = path.read_bytes()
    import ember.serialization as ser
    real = ser._write_record

    def crash(zf, name, data):
        if "data/0" in name:
            raise KeyboardInterrupt("simulated crash")
        return real(zf, name, data)
    monkeypatch.setattr(ser, "_write_record", crash)
    with pytest.raises(KeyboardInterrupt):
        ember.save({"w": ember.zeros(3)}, path)
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["ckpt.pth"]
    monkeypatch.undo()
    assert ember.load(path)["w"].tolist() == [1.0, 1.0, 1.0]


def _legacy_sample(m):
    base = m.arange(12.0).reshape(3, 4)
    return {"w": base, "col": base[:, 1], "t": base.t(), "i": m.tensor([1, -2, 3]), "b": m.tensor([True, False]),
            "h": m.ones(2, dtype=m.float16), "p": m.nn.Parameter(m.ones(2)), "n": 3, "s": "x", "e": m.zeros(0)}


def _assert_same_sample(a, b):
    assert a.keys() == b.keys()
    for k in a:
        if hasattr(a[k], "numpy"):
            assert str(a[k].dtype) == str(b[k].dtype) and tuple(a[k].shape) == tuple(b[k].shape)
            np.testing.assert_array_equal(a[k].detach().numpy(), b[k].detach().numpy())
        else:
            assert a[k] == b[k]


def test_legacy_format_from_pytorch(tmp_path):
    path = tmp_path / "legacy.pth"
    saved = _legacy_sample(torch)
    torch.save(saved, path, _use_new_zipfile_serialization=False)
    loaded = ember.load(path)
    _assert_same_sample(loaded, saved)
    assert isinstance(loaded["p"], ember.nn.Parameter) and loaded["p"].requires_grad
    loaded["w"][0, 1] = 100.0  # views still share their storage, as they did when saved
    assert loaded["col"][0].item() == 100.0 and loaded["t"][1, 0].item() == 100.0


def test_legacy_format_to_pytorch(tmp_path):
    path = tmp_path / "legacy.pth"
    saved = _legacy_sample(ember)
    ember.save(saved, path, _use_new_zipfile_serialization=False)
    loaded = torch.load(path)
    _assert_same_sample(saved, loaded)
    loaded["w"][0, 1] = 100.0
    assert loaded["col"][0].item() == 100.0
    _assert_same_sample(ember.load(path), torch.load(path))


def test_damaged_legacy_files_are_refused(tmp_path):
    import pickle
    path = tmp_path / "legacy.pth"
    torch.save({"w": torch.arange(8.0)}, path, _use_new_zipfile_serialization=False)
    blob = path.read_bytes()
    for cut in (len(blob) - 4, len(blob) - 40, 10, 1):
        path.write_bytes(blob[:cut])
        with pytest.raises(RuntimeError, match="invalid checkpoint"):
            ember.load(path)
    rng = np.random.default_rng(1)
    for trial in range(400):  # byte flips: load, or fail with one of the two clear errors
        data = bytearray(blob)
        for pos in rng.integers(0, len(data), size=rng.integers(1, 4)):
            data[pos] = rng.integers(0, 256)
        path.write_bytes(bytes(data))
        try:
            ember.load(path)
        except (RuntimeError, pickle.UnpicklingError, NotImplementedError):
            pass
    path.write_bytes(pickle.dumps(12345))
    with pytest.raises(RuntimeError, match="magic number"):
        ember.load(path)


def test_malicious_legacy_file_is_refused(tmp_path):
    import pickle

    class Evil:
        def __reduce__(self):
            return (os.system, ("echo owned > " + str(tmp_path / "owned"),))
    path = tmp_path / "evil.pth"
    with open(path, "wb") as f:
        for header in (0x1950A86A20F9469CFC6C, 1001, {"little_endian": True}):
            pickle.dump(header, f, protocol=2)
        pickle.dump({"w": Evil()}, f, protocol=2)
    with pytest.raises(pickle.UnpicklingError, match="posix.system|os.system"):
        ember.load(path)
    assert not (tmp_path / "owned").exists()


def test_cuda_errors(tmp_path):
    ember.save({"w": ember.ones(2)}, tmp_path / "ok.pth")
    with pytest.raises(AssertionError):
        ember.load(tmp_path / "ok.pth", map_location="cuda")
    assert ember.load(tmp_path / "ok.pth", map_location="cpu")["w"].tolist() == [1.0, 1.0]


def test_fuzzed_checkpoints_fail_cleanly(tmp_path):
    """Byte flips and truncations of a real checkpoint either load or raise RuntimeError /
    pickle.UnpicklingError — never another exception, a hang or a crash."""
    good = tmp_path / "good.pth"
    ember.save({"w": ember.arange(64.0).reshape(8, 8), "b": ember.ones(8), "n": 3}, good)
    blob = good.read_bytes()
    rng = np.random.default_rng(0)
    bad = tmp_path / "bad.pth"
    outcomes = set()
    for trial in range(150):
        data = bytearray(blob)
        if trial % 3 == 0:
            data = data[: rng.integers(0, len(data))]
        else:
            for pos in rng.integers(0, len(data), size=rng.integers(1, 8)):
                data[pos] = rng.integers(0, 256)
        bad.write_bytes(bytes(data))
        try:
            ember.load(bad)
            outcomes.add("loaded")
        except (RuntimeError, pickle.UnpicklingError):
            outcomes.add("refused")
    assert "refused" in outcomes


def test_safetensors_interchange_with_the_safetensors_package(tmp_path):
    import safetensors.numpy as st
    tensors = {"w": ember.arange(12.0).reshape(3, 4), "i": ember.tensor([1, 2, 3]), "h": ember.ones(2).half(),
               "b": ember.tensor([True, False])}
    ember.save_safetensors(tensors, tmp_path / "e.safetensors", metadata={"epoch": 3})
    read = st.load_file(str(tmp_path / "e.safetensors"))
    for k, v in tensors.items():
        np.testing.assert_array_equal(read[k], v.numpy())
        assert read[k].dtype == v.numpy().dtype
    st.save_file({k: v.numpy() for k, v in tensors.items()}, str(tmp_path / "n.safetensors"))
    back = ember.load_safetensors(tmp_path / "n.safetensors")
    for k, v in tensors.items():
        assert str(back[k].dtype) == str(v.dtype)
        np.testing.assert_array_equal(back[k].numpy(), v.numpy())
    (tmp_path / "bad.safetensors").write_bytes(b"\x05\x00\x00\x00\x00\x00\x00\x00{bad}")
    with pytest.raises(RuntimeError):
        ember.load_safetensors(tmp_path / "bad.safetensors")


@pytest.mark.parametrize("legacy", [False, True])
def test_weights_only_false_loads_a_whole_pytorch_model(tmp_path, legacy):
    import pickle
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2))
    path = tmp_path / "model.pth"
    torch.save(model, path, _use_new_zipfile_serialization=not legacy)
    with pytest.raises(pickle.UnpicklingError, match="weights_only=False"):
        ember.load(path)  # the safe default refuses classes, as PyTorch's does
    loaded = ember.load(path, weights_only=False)
    assert isinstance(loaded, ember.nn.Sequential) and isinstance(loaded[0], ember.nn.Linear)
    assert repr(loaded) == repr(model)
    x = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)
    np.testing.assert_allclose(loaded(ember.from_numpy(x)).detach().numpy(),
                               model(torch.from_numpy(x)).detach().numpy(), rtol=1e-6)
    out = loaded(ember.from_numpy(x)).sum()
    out.backward()  # the parameters came back as trainable Parameters
    assert loaded[0].weight.grad is not None and loaded[0].weight.grad.shape == (4, 3)


def test_weights_only_false_round_trips_an_ember_model(tmp_path):
    model = ember.nn.Sequential(ember.nn.Linear(2, 3), ember.nn.ReLU())
    ember.save({"model": model, "epoch": 3}, tmp_path / "m.pth")
    back = ember.load(tmp_path / "m.pth", weights_only=False)
    assert back["epoch"] == 3 and repr(back["model"]) == repr(model)
    np.testing.assert_array_equal(back["model"][0].weight.detach().numpy(), model[0].weight.detach().numpy())


def test_weights_only_false_names_what_cannot_be_imported(tmp_path):
    import pickle
    path = tmp_path / "m.pth"
    torch.save({"opt": torch.optim.SGD}, path)  # a class ember has
    assert ember.load(path, weights_only=False)["opt"] is ember.optim.SGD
    with open(path, "wb") as f:  # a legacy file naming a module that does not exist
        for header in (0x1950A86A20F9469CFC6C, 1001, {"little_endian": True}):
            pickle.dump(header, f, protocol=2)
        f.write(b"\x80\x02cno_such_module\nThing\nq\x00.")
        pickle.dump([], f, protocol=2)
    with pytest.raises(pickle.UnpicklingError, match="no_such_module.Thing"):
        ember.load(path, weights_only=False)


@pytest.mark.parametrize("legacy", [False, True])
def test_bfloat16_checkpoints_load_as_float32(tmp_path, legacy):
    torch.manual_seed(0)
    w = torch.randn(3, 5).to(torch.bfloat16)
    path = tmp_path / "bf16.pth"
    torch.save({"w": w, "col": w[:, 2], "b": torch.ones(2)}, path, _use_new_zipfile_serialization=not legacy)
    loaded = ember.load(path)
    assert loaded["w"].dtype == ember.float32 and tuple(loaded["col"].shape) == (3,)
    np.testing.assert_array_equal(loaded["w"].numpy(), w.float().numpy())  # widening is exact
    np.testing.assert_array_equal(loaded["col"].numpy(), w[:, 2].float().numpy())
    assert loaded["b"].tolist() == [1.0, 1.0]
