"""The seeds' example programs (examples/*.py, plain PyTorch code) run unchanged on ember
through ``python -m ember run`` and print what they print on PyTorch.

Each example runs twice, at the same time (2 cores): once under ``ember run`` and once on
real torch + torchvision (torchvision imported through ``oracles`` first, then the example
run with runpy). The text must be identical once numbers are taken out, and the numbers
must agree to a tolerance stated per example."""
import os
import re
import subprocess
import sys

import numpy as np

import twin_runs
from twin_runs import _ENV, assert_same_output

TESTS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(TESTS)
EXAMPLES = os.path.join(ROOT, "examples")


def run_both(name, tmp_path, *args):
    """(ember's stdout, PyTorch's stdout) of examples/<name> run with ``args``."""
    return twin_runs.run_both(os.path.join(EXAMPLES, name), tmp_path, *args)


def last(pattern, text):
    return float(re.findall(pattern, text)[-1])


def test_quickstart(tmp_path):
    e, t = run_both("quickstart.py", tmp_path, "--epochs", 2, "--limit", 512, "--log-every", 4)
    # 16 SGD steps of a 784-512-512-10 MLP in float32: the matmuls sum in a different order
    # (NumPy's BLAS vs PyTorch's), ~1e-7 per op; measured equal to the 6 printed decimals,
    # rtol 1e-4 is margin
    assert_same_output(e, t, rtol=1e-4)
    assert "<All keys matched successfully>" in e
    assert last(r"Accuracy: ([\d.]+)%", e) > 50  # it learned something (chance is 10 %)
    # each framework reads the model.pth the other wrote, and finds the same trained weights
    import ember
    import torch
    by_ember = torch.load(tmp_path / "ember" / "model.pth", weights_only=True)
    by_torch = ember.load(tmp_path / "torch" / "model.pth", weights_only=True)
    assert list(by_ember) == list(by_torch) == ["linear_relu_stack.0.weight", "linear_relu_stack.0.bias",
                                                "linear_relu_stack.2.weight", "linear_relu_stack.2.bias",
                                                "linear_relu_stack.4.weight", "linear_relu_stack.4.bias"]
    for k in by_ember:
        assert by_ember[k].dtype == torch.float32 and by_torch[k].dtype == ember.float32
        np.testing.assert_allclose(by_ember[k].numpy(), by_torch[k].numpy(), rtol=0, atol=1e-6)


def test_quickstart_fallback_data_is_embers_digits(tmp_path):
    """On PyTorch the digits come from ``examples/digits_data.py``'s ``digits_fallback``; for
    the two runs to be comparable those must be ember's ``Digits`` images bit for bit."""
    code = ("import runpy, ember.compat, numpy as np\n"
            "ember.compat.install()\n"
            "ns = runpy.run_path({path!r})\n"
            "for train in (True, False):\n"
            "    mine, embers = ns['digits_fallback'](train), ns['digits'](train)\n"
            "    assert len(mine) == len(embers) == (1500 if train else 297)\n"
            "    x = mine.tensors[0].numpy()\n"
            "    y = np.stack([embers[i][0].numpy() for i in range(len(embers))])\n"
            "    assert np.array_equal(x, y), np.abs(x - y).max()\n"
            "    assert mine.tensors[1].tolist() == embers.targets.tolist()\n"
            "print('same')\n").format(path=os.path.join(EXAMPLES, "digits_data.py"))
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=_ENV)
    assert r.returncode == 0 and "same" in r.stdout, r.stderr


def test_cnn_digits(tmp_path):
    e, t = run_both("cnn_digits.py", tmp_path, "--epochs", 2, "--limit", 384, "--lr", 0.003)
    # batch norm and SGD momentum amplify the float32 rounding differences (conv sums in a
    # different order) over the 24 steps: measured up to 2.2e-4 relative; rtol 1e-3 is margin.
    # (At the default lr 0.01 the early steps are unstable enough to grow them to ~1e-2.)
    assert_same_output(e, t, rtol=1e-3)
    assert "<All keys matched successfully>" in e
    assert last(r"test accuracy ([\d.]+)%", e) > 70
    assert last(r"restored at epoch 2: test accuracy ([\d.]+)%", e) == last(r"test accuracy ([\d.]+)%", e)
    # the checkpoint dict ember wrote (weights, batch-norm buffers, SGD momentum) loads in PyTorch
    import torch
    ckpt = torch.load(tmp_path / "ember" / "cnn_digits.pt", weights_only=True)
    mine = torch.load(tmp_path / "torch" / "cnn_digits.pt", weights_only=True)
    assert ckpt["epoch"] == 2 and ckpt.keys() == mine.keys()
    assert ckpt["model_state_dict"]["bn1.num_batches_tracked"].item() == 2 * 384 // 32
    for k, v in mine["model_state_dict"].items():
        torch.testing.assert_close(ckpt["model_state_dict"][k], v, rtol=1e-3, atol=1e-4)
    momentum = [s["momentum_buffer"] for s in ckpt["optimizer_state_dict"]["state"].values()]
    assert len(momentum) == 8 and all(isinstance(b, torch.Tensor) for b in momentum)
    assert ckpt["optimizer_state_dict"]["param_groups"] == mine["optimizer_state_dict"]["param_groups"]


def test_csv_dataset(tmp_path):
    e, t = run_both("csv_dataset.py", tmp_path, "--epochs", 3, "--limit", 200)
    # the CSV and its statistics are NumPy/pandas on both sides (identical); 3 epochs of a
    # small sigmoid MLP in float32 differ only by rounding, printed to 5 decimals
    assert_same_output(e, t, rtol=1e-4, atol=2e-5)
    mse = [float(v) for v in re.findall(r"train MSE ([\d.]+)", e)]
    assert mse[-1] < mse[0]


def test_char_lstm(tmp_path):
    e, t = run_both("char_lstm.py", tmp_path, "--steps", 30, "--log-every", 10, "--hidden", 48,
                    "--chunk-len", 20, "--predict-len", 80)
    # 30 Adam steps through a 2-layer LSTM unrolled 20 times in float32: losses agree to the 4
    # printed decimals (measured), rtol 1e-4 is margin. The generated text must be the same
    # characters: the sampler only changes its pick when a uniform draw falls within rounding
    # of a step of the CDF
    assert_same_output(e, t, rtol=1e-4)
    losses = [float(v) for v in re.findall(r"loss ([\d.]+)", e)]
    assert losses[-1] < losses[0]
    sample = e.split("--- sample ---\n")[1]
    assert sample.startswith("The ") and len(sample.rstrip("\n")) == 4 + 80


def test_autoencoder(tmp_path):
    e, t = run_both("autoencoder.py", tmp_path, "--epochs", 2, "--limit", 384)
    # 24 Adam steps of conv / transposed conv in float32; measured equal to the 6 printed
    # decimals; rtol 1e-4 is margin. The ASCII picture is compared as text: a pixel changes
    # shade only if it sits within rounding of a shade boundary
    assert_same_output(e, t, rtol=1e-4)
    mse = [float(v) for v in re.findall(r"test MSE ([\d.]+)", e)]
    assert mse[-1] < 0.02  # a blank canvas scores 0.20, the average test digit 0.047


def test_resnet18_checkpoint(tmp_path):
    e, t = run_both("resnet18_checkpoint.py", tmp_path, "--image-size", 32, "--limit", 16)
    # same seed, same kaiming-normal weights up to float32 rounding of the normal draws; 18
    # layers of convolutions and batch norm (train mode in the fine-tuning steps, statistics
    # over a small batch) keep that to ~4e-6 relative (measured). Logits are printed rounded to
    # 4 decimals, so a value on a rounding edge may differ by 1e-4: atol covers it
    assert_same_output(e, t, rtol=1e-4, atol=1.5e-4)
    assert "fresh model differs: True" in e
    assert "<All keys matched successfully>" in e
    assert "loaded model computes the same logits: True" in e
    assert "frozen conv1 unchanged: True" in e
