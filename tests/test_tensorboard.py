"""SummaryWriter writes real event files: read them back, and compare with what PyTorch's
own ``torch.utils.tensorboard.SummaryWriter`` writes for the same calls."""
import glob
import io
import os
import re
import socket
import struct
import subprocess
import sys

import numpy as np
import pytest
import torch
from PIL import Image
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from torch.utils.tensorboard import SummaryWriter as TorchWriter

import ember
from ember.utils.tensorboard import SummaryWriter

LOAD_ALL = {"scalars": 0, "images": 0, "histograms": 0, "tensors": 0, "compressedHistograms": 0}


def both(tmp_path, calls):
    """Run ``calls(writer, lib)`` with ember's and PyTorch's writers in two log dirs."""
    dirs = {}
    for name, lib, writer_cls in (("ember", ember, SummaryWriter), ("torch", torch, TorchWriter)):
        dirs[name] = str(tmp_path / name)
        with writer_cls(dirs[name]) as w:
            calls(w, lib)
    return dirs


def load(log_dir):
    acc = EventAccumulator(log_dir, size_guidance=LOAD_ALL)
    acc.Reload()
    return acc


# --- an independent reader of the record format -----------------------------------------------
def _crc32c_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_TABLE = _crc32c_table()


def masked_crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc = _TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    crc ^= 0xFFFFFFFF
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def read_records(path):
    """The payloads of a TFRecord file, checking both CRCs of every record."""
    out = []
    with open(path, "rb") as f:
        data = f.read()
    pos = 0
    while pos < len(data):
        header = data[pos:pos + 8]
        (length,) = struct.unpack("<Q", header)
        (len_crc,) = struct.unpack("<I", data[pos + 8:pos + 12])
        assert len_crc == masked_crc32c(header)
        payload = data[pos + 12:pos + 12 + length]
        (data_crc,) = struct.unpack("<I", data[pos + 12 + length:pos + 16 + length])
        assert data_crc == masked_crc32c(payload)
        out.append(payload)
        pos += 16 + length
    return out


def test_crc32c_known_value():
    assert masked_crc32c(b"123456789") == ((((0xE3069283 >> 15) | (0xE3069283 << 17)) + 0xA282EAD8) & 0xFFFFFFFF)


def test_scalars_records_and_values(tmp_path):
    with SummaryWriter(str(tmp_path)) as w:
        for step in range(5):
            w.add_scalar("loss/train", ember.tensor(1.0 / (step + 1)), step)
            w.add_scalar("lr", 0.1 * step, global_step=step, walltime=1000.0 + step)
    files = glob.glob(str(tmp_path / "events.out.tfevents.*"))
    assert len(files) == 1
    from tensorboard.compat.proto.event_pb2 import Event
    events = []
    for payload in read_records(files[0]):
        e = Event()
        e.ParseFromString(payload)
        events.append(e)
    assert events[0].file_version == "brain.Event:2"
    lr = [(e.step, e.wall_time, e.summary.value[0].simple_value) for e in events[1:]
          if e.summary.value[0].tag == "lr"]
    assert lr == [(s, 1000.0 + s, pytest.approx(0.1 * s)) for s in range(5)]
    acc = load(str(tmp_path))
    assert sorted(acc.Tags()["scalars"]) == ["loss/train", "lr"]
    got = [(e.step, e.value) for e in acc.Scalars("loss/train")]
    assert got == [(s, pytest.approx(1.0 / (s + 1))) for s in range(5)]


def test_scalars_match_pytorch(tmp_path):
    def calls(w, lib):
        for step in range(4):
            w.add_scalar("a", lib.tensor(step * 0.5), step)
            w.add_scalar("b", float(step) ** 2, step, new_style=True)
            w.add_scalar("c", step / 3, step, new_style=True, double_precision=True)
        w.add_scalars("run", {"x": 1.0, "y": lib.tensor(2.0)}, 7)
    dirs = both(tmp_path, calls)
    mine, ref = load(dirs["ember"]), load(dirs["torch"])
    assert [(e.step, e.value) for e in mine.Scalars("a")] == [(e.step, e.value) for e in ref.Scalars("a")]
    for tag in ("b", "c"):
        m, r = mine.Tensors(tag), ref.Tensors(tag)
        assert [(e.step, e.tensor_proto.SerializeToString()) for e in m] == \
            [(e.step, e.tensor_proto.SerializeToString()) for e in r]
        assert mine.SummaryMetadata(tag).plugin_data.plugin_name == "scalars"
    def runs(d):
        return sorted(f for f in os.listdir(d) if not f.startswith("events"))
    assert runs(dirs["ember"]) == runs(dirs["torch"]) == ["run_x", "run_y"]
    for sub in ("run_x", "run_y"):
        m, r = load(os.path.join(dirs["ember"], sub)), load(os.path.join(dirs["torch"], sub))
        assert [(e.step, e.value) for e in m.Scalars("run")] == [(e.step, e.value) for e in r.Scalars("run")]


def decode(image_event):
    return np.asarray(Image.open(io.BytesIO(image_event.encoded_image_string)))


def test_images_match_pytorch(tmp_path):
    rng = np.random.default_rng(0)
    chw = rng.random((3, 6, 5)).astype(np.float32)
    hwc = (rng.random((4, 7, 3)) * 255).astype(np.uint8)
    grey = rng.random((5, 5)).astype(np.float32)
    batch = rng.random((4, 3, 6, 6)).astype(np.float32)

    def calls(w, lib):
        w.add_image("chw", lib.from_numpy(chw), 0)
        w.add_image("hwc", lib.from_numpy(hwc), 1, dataformats="HWC")
        w.add_image("grey", lib.from_numpy(grey), 2, dataformats="HW")
        w.add_images("batch", lib.from_numpy(batch), 3)
    dirs = both(tmp_path, calls)
    mine, ref = load(dirs["ember"]), load(dirs["torch"])
    assert sorted(mine.Tags()["images"]) == sorted(ref.Tags()["images"]) == ["batch", "chw", "grey", "hwc"]
    for tag in ("chw", "hwc", "grey", "batch"):
        (m,), (r,) = mine.Images(tag), ref.Images(tag)
        assert (m.step, m.width, m.height) == (r.step, r.width, r.height)
        np.testing.assert_array_equal(decode(m), decode(r))
    assert decode(mine.Images("hwc")[0]).tolist() == hwc.tolist()  # uint8 HWC is stored as is
    assert decode(mine.Images("chw")[0]).shape == (6, 5, 3)


def test_histograms_match_pytorch(tmp_path):
    values = np.random.default_rng(1).standard_normal(1000).astype(np.float32)

    def calls(w, lib):
        for step in range(3):
            w.add_histogram("weights", lib.from_numpy(values * (step + 1)), step)
        w.add_histogram("auto", lib.from_numpy(values), 0, bins="auto")
    dirs = both(tmp_path, calls)
    mine, ref = load(dirs["ember"]), load(dirs["torch"])
    for tag in ("weights", "auto"):
        m, r = mine.Histograms(tag), ref.Histograms(tag)
        assert [e.step for e in m] == [e.step for e in r]
        for a, b in zip(m, r):
            assert a.histogram_value == b.histogram_value
    first = mine.Histograms("weights")[0].histogram_value
    assert first.num == 1000 and first.min == pytest.approx(values.min()) and sum(first.bucket) == 1000


def test_text_and_hparams_match_pytorch(tmp_path):
    def calls(w, lib):
        w.add_text("notes", "**hello** world", 5)
        w.add_hparams({"lr": 0.01, "opt": "adam", "layers": lib.tensor([3])},
                      {"hparam/acc": 0.75}, hparam_domain_discrete={"opt": ["adam", "sgd"]},
                      run_name="trial")
    dirs = both(tmp_path, calls)
    mine, ref = load(dirs["ember"]), load(dirs["torch"])
    (m,), (r,) = mine.Tensors("notes/text_summary"), ref.Tensors("notes/text_summary")
    assert m.step == r.step == 5 and m.tensor_proto.string_val == r.tensor_proto.string_val == [b"**hello** world"]
    mine, ref = load(os.path.join(dirs["ember"], "trial")), load(os.path.join(dirs["torch"], "trial"))
    from tensorboard.plugins.hparams.plugin_data_pb2 import HParamsPluginData
    m_content, r_content = mine.PluginTagToContent("hparams"), ref.PluginTagToContent("hparams")
    assert sorted(m_content) == sorted(r_content)
    for tag in m_content:
        a, b = HParamsPluginData(), HParamsPluginData()
        a.ParseFromString(m_content[tag])
        b.ParseFromString(r_content[tag])
        assert a == b, f"{tag}:\n{a}\n!=\n{b}"
    exp = HParamsPluginData()
    exp.ParseFromString(m_content["_hparams_/experiment"])
    opt = next(h for h in exp.experiment.hparam_infos if h.name == "opt")
    assert [v.string_value for v in opt.domain_discrete.values] == ["adam", "sgd"]
    assert [e.value for e in mine.Scalars("hparam/acc")] == [0.75]


def test_hparams_bool_is_a_bool(tmp_path):
    # PyTorch files a bool as the number 1.0 (its isinstance(v, int) test comes first);
    # ember keeps it a bool, which TensorBoard shows as true/false.
    from tensorboard.plugins.hparams.plugin_data_pb2 import HParamsPluginData
    from tensorboard.plugins.hparams.api_pb2 import DataType
    with SummaryWriter(str(tmp_path)) as w:
        w.add_hparams({"bn": True}, {"m": 1.0}, run_name="r")
    content = load(str(tmp_path / "r")).PluginTagToContent("hparams")
    start, exp = HParamsPluginData(), HParamsPluginData()
    start.ParseFromString(content["_hparams_/session_start_info"])
    exp.ParseFromString(content["_hparams_/experiment"])
    assert start.session_start_info.hparams["bn"].bool_value is True
    assert exp.experiment.hparam_infos[0].type == DataType.DATA_TYPE_BOOL


def test_add_graph(tmp_path):
    from ember.autograd.function import Function
    apply_before = Function.__dict__["apply"]
    ember.manual_seed(0)
    model = ember.nn.Sequential(ember.nn.Linear(4, 8), ember.nn.ReLU(), ember.nn.Linear(8, 3))
    with SummaryWriter(str(tmp_path)) as w:
        w.add_graph(model, ember.randn(5, 4))
    graph = load(str(tmp_path)).Graph()
    nodes = {n.name: n for n in graph.node}
    ops = [n.op for n in graph.node]
    assert ops.count("aten::addmm") == 2 and ops.count("aten::relu") == 1
    assert {"Sequential/Linear[0]/weight", "Sequential/Linear[2]/bias", "input/input.0",
            "output/output.0"} <= set(nodes)
    first = next(n for n in graph.node if n.op == "aten::addmm")
    assert first.name.startswith("Sequential/Linear[0]/")
    assert list(first.input)[:2] == ["Sequential/Linear[0]/bias", "input/input.0"]
    relu = next(n for n in graph.node if n.op == "aten::relu")
    assert relu.name.startswith("Sequential/ReLU[1]/") and list(relu.input) == [first.name]
    out = nodes["output/output.0"]
    assert nodes[out.input[0]].op == "aten::addmm"
    assert [d.size for d in out.attr["_output_shapes"].list.shape[0].dim] == [5, 3]
    # tracing left no wrapper behind
    assert Function.__dict__["apply"] is apply_before


def test_default_log_dir_and_flush(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    w = SummaryWriter(comment="_lr0.1", purge_step=3, filename_suffix=".x")
    try:
        assert re.fullmatch(r"runs/[A-Z][a-z]{2}\d{2}_\d{2}-\d{2}-\d{2}_" + re.escape(socket.gethostname()) + "_lr0.1",
                            w.get_logdir())
        w.add_scalar("a", 1.0, 3)
        w.flush()  # visible before close
        (path,) = glob.glob(os.path.join(w.get_logdir(), "events.out.tfevents.*.x"))
        assert [e.value for e in load(w.get_logdir()).Scalars("a")] == [1.0]
    finally:
        w.close()
    from tensorboard.compat.proto.event_pb2 import Event
    marker, purge = Event(), Event()
    marker.ParseFromString(read_records(path)[1])
    purge.ParseFromString(read_records(path)[2])
    assert (marker.step, marker.file_version) == (3, "brain.Event:2")
    assert purge.session_log.status == purge.session_log.START and purge.step == 3


def test_scalar_errors(tmp_path):
    with SummaryWriter(str(tmp_path)) as w:
        with pytest.raises(ValueError, match="0D"):
            w.add_scalar("a", ember.ones(3), 0)


def test_module_imports_without_tensorboard():
    code = ("import sys; sys.modules['tensorboard'] = None\n"
            "from ember.utils.tensorboard import SummaryWriter\n"
            "try:\n    SummaryWriter('unused')\nexcept ImportError as e:\n    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "pip install tensorboard" in out


def test_figure_matches_pytorch(tmp_path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    def calls(w, lib):
        fig = plt.figure(figsize=(2, 1), dpi=50)
        plt.plot([0, 1], [1, 0])
        w.add_figure("fig", fig, 2)
    dirs = both(tmp_path, calls)
    mine, ref = load(dirs["ember"]), load(dirs["torch"])
    (m,), (r,) = mine.Images("fig"), ref.Images("fig")
    assert (m.step, m.width, m.height) == (r.step, r.width, r.height) == (2, 100, 50)
    np.testing.assert_array_equal(decode(m), decode(r))
