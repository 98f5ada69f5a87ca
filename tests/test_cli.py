"""``ember train`` / ``ember predict``: outputs, files, exit codes, resume, and PyTorch reading
the saved model. Runs are small (a few epochs, tiny tables made here) so the file stays fast."""
import contextlib
import io
import json
import os
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import torch

import ember
from ember.__main__ import main
from ember.cli.data import split_ids
from ember.cli.models import build_model

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _table(path, n=160, seed=0):
    """Three numeric columns (one with gaps), a text column, a numeric and a class target."""
    r = np.random.RandomState(seed)
    a, b, c = r.randn(n), r.randn(n), r.rand(n) * 10
    df = pd.DataFrame({"a": a, "b": b, "c": c, "city": r.choice(["x", "y"], n)})
    df["price"] = 3 * a - 2 * b + 0.5 * c + 0.1 * r.randn(n)
    df["label"] = np.where(a + b > 0, "hi", "lo")
    df.loc[::10, "a"] = np.nan
    df.to_csv(path, index=False)
    return df


def _run(capsys, *argv):
    rc = main(list(map(str, argv)))
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture(scope="module")
def digits_run(tmp_path_factory):
    """The no-argument Quickstart run, shortened to four epochs."""
    out = tmp_path_factory.mktemp("quickstart") / "run"
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["train", "--epochs", "4", "--out", str(out)]) == 0
    return out, buf.getvalue()


def test_quickstart_prints_the_tutorial_lines_and_writes_the_run(digits_run):
    out, stdout = digits_run
    assert stdout.startswith("Epoch 1\n-------------------------------\nloss: ")
    assert "\nEpoch 4\n" in stdout
    assert re.search(r"^loss: \d+\.\d{6}  \[   64/ 1235\]$", stdout, re.M)  # 1500 less the validation share
    assert re.search(r"^Test Error: \n Accuracy: \d+\.\d%, Avg loss: \d+\.\d{6} \n\n", stdout, re.M)
    assert "\nDone!\n" in stdout
    for name in ("model.pt", "last.pt", "best.pt", "loss.png", "accuracy.png", "confusion_matrix.png",
                 "metrics.json", "config.json"):
        assert (out / name).stat().st_size > 0, name
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["epochs"] == 4 and len(metrics["history"]["val_accuracy"]) == 4
    assert metrics["test"]["accuracy"] > 0.6  # the best of 4 epochs on the 297 test digits (chance: 10%)
    assert np.array(metrics["confusion_matrix"]).sum() == 297  # the digits' test split
    # the Quickstart's network: Linear(784, 512), ReLU, Linear(512, 512), ReLU, Linear(512, 10)
    shapes = [tuple(v.shape) for v in ember.load(out / "model.pt")["state_dict"].values()]
    assert shapes == [(512, 784), (512,), (512, 512), (512,), (10, 512), (10,)]


def test_pytorch_loads_the_model_and_predicts_the_same(digits_run):
    out, _ = digits_run
    saved = torch.load(out / "model.pt", weights_only=True)
    net = build_model(saved["spec"], torch.nn)
    net.load_state_dict(saved["state_dict"])
    net.eval()
    x = np.random.RandomState(0).rand(16, 1, 28, 28).astype(np.float32)
    mine = build_model(saved["spec"], ember.nn)
    mine.load_state_dict(ember.load(out / "model.pt")["state_dict"])
    mine.eval()
    with torch.no_grad():
        expected = net(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(mine(ember.from_numpy(x)).detach().numpy(), expected, rtol=1e-5, atol=1e-5)


def test_predict_on_images_of_a_folder(digits_run, tmp_path, capsys):
    from PIL import Image
    out, _ = digits_run
    digits = ember.vision.datasets.Digits(train=False)
    folder = tmp_path / "new"
    folder.mkdir()
    for i in range(5):
        digits[i][0].save(folder / f"{i}.png")
    rc, stdout, _ = _run(capsys, "predict", out, folder)
    assert rc == 0
    rows = stdout.strip().splitlines()
    assert rows[0] == "path,prediction" and len(rows) == 6
    # the same images through the model by hand (ToTensor's scaling)
    net = build_model(ember.load(out / "model.pt")["spec"], ember.nn)
    net.load_state_dict(ember.load(out / "model.pt")["state_dict"])
    net.eval()
    x = np.stack([np.asarray(Image.open(folder / f"{i}.png"), dtype=np.float32) / 255 for i in range(5)])[:, None]
    expected = [digits.classes[k] for k in net(ember.from_numpy(x)).argmax(1).tolist()]
    assert [r.rsplit(",", 1)[1] for r in rows[1:]] == expected


def test_resume_gives_the_same_parameters_as_one_run(tmp_path, capsys):
    _table(tmp_path / "t.csv")
    common = ["train", "--data", tmp_path / "t.csv", "--target", "price", "--columns", "a,b,c", "--hidden", "16,8",
              "--batch-norm", "--dropout", "0.3", "--optimizer", "adam", "--lr", "0.01", "--scheduler", "step",
              "--l1", "1e-4", "--l2", "1e-4", "--batch-size", "16", "--quiet"]
    assert _run(capsys, *common, "--epochs", 4, "--out", tmp_path / "once")[0] == 0
    assert _run(capsys, *common, "--epochs", 2, "--out", tmp_path / "twice")[0] == 0
    rc, _, err = _run(capsys, "train", "--resume", "--epochs", 4, "--lr", 0.5, "--out", tmp_path / "twice")
    _one_line_error(rc, err, "--resume", "lr")  # a resumed run cannot silently become another one
    assert _run(capsys, *common, "--resume", "--epochs", 4, "--out", tmp_path / "twice")[0] == 0
    once, twice = (ember.load(tmp_path / d / "last.pt") for d in ("once", "twice"))
    assert twice["progress"]["epoch"] == 4
    assert once["progress"]["history"] == twice["progress"]["history"]
    for k, v in once["model"].items():
        assert np.array_equal(v.numpy(), twice["model"][k].numpy()), k


def test_table_regression_report_cache_and_predict(tmp_path, capsys):
    df = _table(tmp_path / "t.csv")
    args = ["train", "--data", tmp_path / "t.csv", "--target", "price", "--columns", "a,b,c", "--hidden", "16",
            "--optimizer", "adam", "--lr", "0.05", "--epochs", 15, "--log", "epochs", "--out", tmp_path / "runs" / "r"]
    rc, stdout, _ = _run(capsys, *args)
    assert rc == 0
    assert re.search(r"^a +16 \(10\.0%\) +\+0\.\d{3}$", stdout, re.M)  # missing values and correlation
    assert re.search(r"^epoch 15/15  train loss [\d.]+  validation loss [\d.]+  validation rmse [\d.]+$", stdout, re.M)
    assert len(list((tmp_path / "runs" / ".cache").glob("t-*.json"))) == 1
    rc, again, _ = _run(capsys, *args)
    assert rc == 0 and "from the cache" in again
    metrics = json.loads((tmp_path / "runs" / "r" / "metrics.json").read_text())
    assert metrics["test"]["rmse"] < df["price"].std() / 2  # it learnt something
    # new rows: columns in another order, an extra column, a missing value (filled by the training mean)
    new = df[["c", "label", "b", "a"]].iloc[:20]
    new.to_csv(tmp_path / "new.csv", index=False)
    rc, _, _ = _run(capsys, "predict", tmp_path / "runs" / "r", tmp_path / "new.csv", "--output", tmp_path / "p.csv")
    assert rc == 0
    preds = pd.read_csv(tmp_path / "p.csv")
    assert list(preds.columns) == ["c", "label", "b", "a", "prediction"] and preds["prediction"].notna().all()
    rc, stdout, _ = _run(capsys, "predict", tmp_path / "runs" / "r", tmp_path / "t.csv")
    same = pd.read_csv(io.StringIO(stdout))["prediction"].iloc[:20]
    np.testing.assert_allclose(preds["prediction"], same)
    assert np.sqrt(np.mean((preds["prediction"] - df["price"].iloc[:20]) ** 2)) < df["price"].std() / 2


def test_table_classification_with_a_config_file_that_flags_override(tmp_path, capsys):
    df = _table(tmp_path / "t.csv")
    (tmp_path / "c.yaml").write_text(f"data: {tmp_path / 't.csv'}\ntarget: label\ncolumns: [a, b, c]\n"
                                     f"hidden: [8]\nepochs: 1\nfill: median\nscale: minmax\nlr: 0.5\n")
    rc, _, _ = _run(capsys, "train", "--config", tmp_path / "c.yaml", "--epochs", 2, "--out", tmp_path / "run",
                    "--quiet")
    assert rc == 0
    config = json.loads((tmp_path / "run" / "config.json").read_text())
    assert config["hidden"] == [8] and config["epochs"] == 2 and config["fill"] == "median"
    spec = ember.load(tmp_path / "run" / "model.pt")["spec"]
    assert spec["task"] == "classify" and spec["classes"] == ["hi", "lo"]
    # fill values and scaling statistics come from the training rows only
    train = df[split_ids(len(df), [0.7, 0.15, 0.15], 0) == 0]
    assert spec["table"]["fill_values"][0] == pytest.approx(train["a"].median())
    assert spec["table"]["shift"][1] == pytest.approx(train["b"].min())
    assert spec["table"]["scale"][1] == pytest.approx(train["b"].max() - train["b"].min())
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert np.array(metrics["confusion_matrix"]).sum() == 24  # 15% of 160 rows
    rc, stdout, _ = _run(capsys, "predict", tmp_path / "run", tmp_path / "t.csv")
    assert set(pd.read_csv(io.StringIO(stdout))["prediction"]) <= {"hi", "lo"}


@pytest.mark.parametrize("model, optimizer", [("cnn", "rmsprop"), ("lstm", "adamw")])
def test_cnn_and_lstm_on_a_table(tmp_path, capsys, model, optimizer):
    _table(tmp_path / "t.csv", n=60)
    rc, _, err = _run(capsys, "train", "--data", tmp_path / "t.csv", "--target", "label", "--columns", "a,b,c",
                      "--model", model, "--hidden", "4,4", "--batch-norm", "--epochs", 2, "--out", tmp_path / "r",
                      "--optimizer", optimizer, "--scheduler", "cosine", "--quiet")
    assert rc == 0, err
    saved = torch.load(tmp_path / "r" / "model.pt", weights_only=True)
    net = build_model(saved["spec"], torch.nn)
    net.load_state_dict(saved["state_dict"])  # PyTorch's modules have the same parameter names and shapes


def test_fill_drop_leaves_incomplete_rows_without_prediction(tmp_path, capsys):
    df = _table(tmp_path / "t.csv", n=80)
    rc, _, _ = _run(capsys, "train", "--data", tmp_path / "t.csv", "--target", "label", "--columns", "a,b",
                    "--fill", "drop", "--hidden", "4", "--epochs", 1, "--out", tmp_path / "r", "--quiet")
    assert rc == 0
    rc, stdout, err = _run(capsys, "predict", tmp_path / "r", tmp_path / "t.csv")
    assert rc == 0 and "8 rows have missing values" in err
    preds = pd.read_csv(io.StringIO(stdout))["prediction"]
    assert preds.isna().tolist() == df["a"].isna().tolist()


def test_image_folder_with_a_cnn(tmp_path, capsys):
    from PIL import Image
    r = np.random.RandomState(0)
    for cls, level in (("dark", 40), ("light", 210)):
        (tmp_path / "imgs" / cls).mkdir(parents=True)
        for i in range(12):
            pixels = np.clip(level + 20 * r.randn(8, 8, 3), 0, 255).astype(np.uint8)
            Image.fromarray(pixels).save(tmp_path / "imgs" / cls / f"{i}.png")
    rc, _, err = _run(capsys, "train", "--data", tmp_path / "imgs", "--model", "cnn", "--hidden", "4",
                      "--split", "0.5,0.25,0.25", "--epochs", 3, "--optimizer", "adam", "--lr", "0.05",
                      "--out", tmp_path / "r", "--quiet")
    assert rc == 0, err
    assert ember.load(tmp_path / "r" / "model.pt")["spec"]["image"] == {"mode": "RGB", "size": [8, 8]}
    rc, _, _ = _run(capsys, "predict", tmp_path / "r", tmp_path / "imgs" / "light" / "0.png", "--output",
                    tmp_path / "p.csv")
    assert rc == 0 and len(pd.read_csv(tmp_path / "p.csv")) == 1


def test_early_stopping_from_a_json_config(tmp_path, capsys):
    _table(tmp_path / "t.csv", n=60)
    (tmp_path / "c.json").write_text(json.dumps({"target": "price", "columns": "a,b", "hidden": 4, "lr": 0,
                                                 "patience": 1, "batch-size": 16, "scheduler": "plateau"}))
    rc, stdout, _ = _run(capsys, "train", "--config", tmp_path / "c.json", "--data", tmp_path / "t.csv",
                         "--epochs", 5, "--out", tmp_path / "r")
    assert rc == 0 and "early stopping" in stdout  # lr 0: epoch 2 is no better than epoch 1
    assert json.loads((tmp_path / "r" / "metrics.json").read_text())["epochs"] == 2


def test_the_command_line_reports_an_error_in_one_line(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "ember", "train", "--data", str(tmp_path / "none.csv")],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120,
                          env={**os.environ, "PYTHONPATH": ROOT})
    _one_line_error(proc.returncode, proc.stderr, "no such file")


def _one_line_error(rc, err, *words):
    assert rc == 2
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for w in words:
        assert w in err, err


def test_bad_input_is_one_line_and_exit_status_2(tmp_path, capsys):
    _table(tmp_path / "t.csv", n=40)
    rc, _, err = _run(capsys, "train", "--data", tmp_path / "missing.csv", "--target", "y")
    _one_line_error(rc, err, "no such file", "missing.csv")
    rc, _, err = _run(capsys, "train", "--data", tmp_path / "t.csv", "--target", "nope", "--out", tmp_path / "r")
    _one_line_error(rc, err, "'nope'", "columns: a, b, c, city, price, label")
    rc, _, err = _run(capsys, "train", "--data", tmp_path / "t.csv", "--target", "price", "--out", tmp_path / "r")
    _one_line_error(rc, err, "'city'", "--columns")
    rc, _, err = _run(capsys, "predict", tmp_path / "nothing", tmp_path / "t.csv")
    _one_line_error(rc, err, "no trained model")
    (tmp_path / "bad.yaml").write_text("epochs: [1\n")
    _one_line_error(*_run(capsys, "train", "--config", tmp_path / "bad.yaml")[::2], "cannot parse")
    assert not (tmp_path / "r").exists()  # nothing written for a run that could not start


def test_nan_loss_stops_with_status_2_and_keeps_the_checkpoints(tmp_path, capsys):
    _table(tmp_path / "t.csv", n=60)
    args = ["train", "--data", tmp_path / "t.csv", "--target", "price", "--columns", "a,b,c", "--hidden", "8",
            "--out", tmp_path / "r", "--quiet"]
    assert _run(capsys, *args, "--epochs", 1)[0] == 0
    before = {n: (tmp_path / "r" / n).read_bytes() for n in ("last.pt", "best.pt", "model.pt")}
    # a huge step after the first batch: the second batch's loss is not finite
    rc, _, err = _run(capsys, *args, "--epochs", 3, "--lr", "1e30", "--batch-size", 8)
    _one_line_error(rc, err, "the loss is", "--lr")
    assert {n: (tmp_path / "r" / n).read_bytes() for n in before} == before


@pytest.mark.parametrize("ext", [".parquet", ".feather", ".h5"])
def test_tables_in_other_formats_train_and_cache_as_feather(tmp_path, capsys, ext):
    df = _table(tmp_path / "t.csv").drop(columns=["city", "label"])
    path = tmp_path / ("t" + ext)
    {".parquet": df.to_parquet, ".feather": df.to_feather,
     ".h5": lambda p: df.to_hdf(p, key="table")}[ext](path)
    rc, stdout, _ = _run(capsys, "train", "--data", path, "--target", "price", "--epochs", 2, "--log", "epochs",
                         "--out", tmp_path / "runs" / "r")
    assert rc == 0 and re.search(r"^epoch 2/2 ", stdout, re.M)
    cached = list((tmp_path / "runs" / ".cache").glob("t-*.feather"))  # pyarrow is installed: Feather
    assert len(cached) == 1 and len(pd.read_feather(cached[0])) == len(df)
