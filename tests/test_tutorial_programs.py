"""Programs in the style of PyTorch's beginner tutorials and examples (tests/programs/*.py,
plain PyTorch code) run unchanged on ember through ``python -m ember run`` and print what
they print on PyTorch.

Each program runs twice at the same time (two cores, one BLAS thread each): under
``ember run`` and on real torch (+ torchvision, imported through ``oracles``). The text must
be identical once numbers are blanked out, and the numbers must agree to a tolerance stated,
with the measured difference, per program."""
import gzip
import os
import re

import numpy as np

import twin_runs
from twin_runs import assert_same_output

TESTS = os.path.dirname(os.path.abspath(__file__))
PROGRAMS = os.path.join(TESTS, "programs")

def run_both(name, tmp_path, *args, setup=None):
    """(ember's stdout, PyTorch's stdout) of tests/programs/<name> run with ``args``."""
    return twin_runs.run_both(os.path.join(PROGRAMS, name), tmp_path, *args, setup=setup)


def values(pattern, text):
    return [float(v) for v in re.findall(pattern, text)]


def test_autograd_tutorial(tmp_path):
    e, t = run_both("autograd_tutorial.py", tmp_path)
    # no training: single float32 ops printed to 4-6 decimals; measured identical text.
    # sin/cos/exp in NumPy's libm and PyTorch's vectorised kernels may differ by an ulp:
    # rtol 1e-5 is margin, atol 1e-4 covers a 4-decimal value that sits on a rounding edge
    assert_same_output(e, t, rtol=1e-5, atol=1e-4)
    for claim in ("b.grad matches the formula: True", "w.grad rows all equal b.grad: True",
                  "under no_grad: False", "detached: False grad_fn: None",
                  "raises RuntimeError: True", "df requires grad: True is_leaf: False",
                  "matches by hand: True", "inference_mode: False", "no_grad as a decorator: False",
                  "doubled it into a.grad = tensor([ 8., 12.])", "allow_unused: (tensor(5.), None)"):
        assert claim in e, claim
    assert "BinaryCrossEntropyWithLogitsBackward0\n  AddBackward0\n    SqueezeBackward4\n      MmBackward0" in e
    assert "g' = 13.5000, g'' (in s.grad) = 27.0000" in e  # 4 s^3 and 12 s^2 at s = 1.5


def test_build_model(tmp_path):
    e, t = run_both("build_model.py", tmp_path)
    # forward passes only, printed to 4 decimals: the same uniform draws make the same weights
    # and images, the matmuls differ by summation order (~1e-7); measured identical text.
    # atol covers a 4-decimal value that sits on a rounding edge
    assert_same_output(e, t, rtol=1e-5, atol=1e-4)
    assert "669706 parameters, 669706 trainable" in e
    assert "negatives left after ReLU: 0" in e


def test_optimization(tmp_path):
    e, t = run_both("optimization.py", tmp_path)
    # 24 SGD steps of a 784-512-512-10 MLP in float32; measured up to 4.4e-7 relative
    # (the 6th decimal of a loss); rtol 1e-5 is margin
    assert_same_output(e, t, rtol=1e-5)
    acc = values(r"Accuracy: ([\d.]+)%", e)
    assert len(acc) == 3 and acc[-1] > 30  # chance is 10 %
    assert "gradients cleared after the last step: True" in e


def test_save_load(tmp_path):
    e, t = run_both("save_load.py", tmp_path)
    # 7 SGD-momentum steps through conv, batch norm, dropout (same masks) in float32;
    # measured up to 1.1e-6 relative (the 6th decimal of a loss; PyTorch's own value moves
    # by as much with its thread count); rtol 1e-5 is margin
    assert_same_output(e, t, rtol=1e-5)
    for claim in ("fresh model gives other outputs", "loaded model gives the same outputs",
                  "resumed run matches the continued one", "momentum buffer restored",
                  "whole-model load gives the same outputs"):
        assert f"{claim}: True" in e, claim
    assert "<All keys matched successfully>" in e
    # each framework reads the files the other wrote
    import ember
    import torch
    by_ember = torch.load(tmp_path / "ember" / "checkpoint.pt", weights_only=True)
    by_torch = ember.load(tmp_path / "torch" / "checkpoint.pt", weights_only=True)
    assert by_ember["epoch"] == by_torch["epoch"] == 4
    assert list(by_ember["model_state_dict"]) == list(by_torch["model_state_dict"])
    for k, v in by_ember["model_state_dict"].items():
        np.testing.assert_allclose(v.numpy(), by_torch["model_state_dict"][k].numpy(), rtol=1e-5, atol=1e-6)
    assert by_ember["optimizer_state_dict"]["param_groups"] == by_torch["optimizer_state_dict"]["param_groups"]
    weights = torch.load(tmp_path / "ember" / "model_weights.pth", weights_only=True)
    assert weights["bn.num_batches_tracked"].item() == 4 and weights["bn.num_batches_tracked"].dtype == torch.int64


def test_nn_tutorial(tmp_path):
    e, t = run_both("nn_tutorial.py", tmp_path)
    # eight short float32 trainings (logistic regression at lr 0.5, three CNNs with momentum);
    # measured up to 1.5e-6 relative (a CNN validation loss printed to 6 decimals), up to
    # 3e-6 with other thread counts; rtol 1e-4 is margin. atol: a tensor printed with 4
    # decimals can differ by one unit when it sits on a rounding edge
    assert_same_output(e, t, rtol=1e-4, atol=1e-4)
    val_acc = values(r"val_acc ([\d.]+)", e)
    assert len(val_acc) == 8 and val_acc[1] > 0.9  # the logistic model separates the bars


def _fake_mnist(folder, n_train=128, n_test=64):
    """<folder>/data/MNIST/raw/ in the IDX format, gzipped and unpacked as torchvision leaves
    them after a download: images are a bright bar (its position is the label) in speckle."""
    rng = np.random.default_rng(0)
    raw = folder / "data" / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        labels = rng.integers(0, 10, n).astype(np.uint8)
        images = (rng.random((n, 28, 28)) > 0.9) * rng.integers(0, 256, (n, 28, 28))
        for img, label in zip(images, labels):
            pos = 5 * (label % 5) + 2
            if label < 5:
                img[pos - 1:pos + 2, 4:24] = 255
            else:
                img[4:24, pos - 1:pos + 2] = 255
        for stem, array in ((f"{prefix}-images-idx3-ubyte", images), (f"{prefix}-labels-idx1-ubyte", labels)):
            # magic: two zero bytes, type 8 (unsigned byte), the number of dimensions
            data = bytes([0, 0, 8, array.ndim]) + b"".join(int(s).to_bytes(4, "big") for s in array.shape)
            data += array.astype(np.uint8).tobytes()
            (raw / stem).write_bytes(data)
            with gzip.open(raw / (stem + ".gz"), "wb") as f:
                f.write(data)


def test_mnist_example(tmp_path):
    e, t = run_both("mnist_example.py", tmp_path, "--data", "data", "--batch-size", 32, "--test-batch-size", 64,
                    "--epochs", 1, "--log-interval", 1, "--save-model", setup=_fake_mnist)
    # 4 Adadelta steps (lr 1.0) of the example's CNN in float32, dropout masks and shuffle
    # identical; measured identical text (the losses' 6th decimals agree); rtol 1e-5 allows
    # for the float32 summation-order differences seen in the other programs (~1e-6)
    assert_same_output(e, t, rtol=1e-5)
    assert "Number of datapoints: 128" in e and "Split: Train" in e
    assert len(values(r"Loss: ([\d.]+)", e)) == 4
    assert "lr after epoch 1: 0.700000" in e
    assert "Accuracy: " in e and "/64 (" in e
    import torch
    saved = torch.load(tmp_path / "ember" / "mnist_cnn.pt", weights_only=True)
    mine = torch.load(tmp_path / "torch" / "mnist_cnn.pt", weights_only=True)
    assert list(saved) == list(mine) == ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
                                         "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
    for k, v in mine.items():
        assert saved[k].dtype == torch.float32 and saved[k].shape == v.shape
        torch.testing.assert_close(saved[k], v, rtol=1e-4, atol=1e-5)
