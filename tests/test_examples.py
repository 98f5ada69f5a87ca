"""The examples run, and print what the same program prints on PyTorch."""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_linear_regression_demo_matches_pytorch(tmp_path):
    src = open(os.path.join(ROOT, "examples", "linear_regression.py")).read()
    torch_src = tmp_path / "linreg_torch.py"
    torch_src.write_text(src.replace("import ember as torch", "import torch"))
    args = ["--epochs", "60"]
    e = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "linear_regression.py"), *args],
                       capture_output=True, text=True, timeout=300)
    t = subprocess.run([sys.executable, str(torch_src), *args], capture_output=True, text=True, timeout=300)
    assert e.returncode == 0, e.stderr
    assert t.returncode == 0, t.stderr
    # same data (PyTorch's random stream), same updates: the same losses and line to 3 decimals
    round3 = lambda s: re.sub(r"(\d+\.\d{3})\d*", r"\1", s)  # noqa: E731
    assert round3(e.stdout) == round3(t.stdout)
    slope = float(re.search(r"y = ([-\d.]+) x", e.stdout).group(1))
    assert abs(slope - 2) < 0.1  # the seed's small learning rate: the slope is nearly there after 60 epochs


def _same_on_pytorch(name, tmp_path, args=()):
    src = open(os.path.join(ROOT, "examples", name)).read()
    torch_src = tmp_path / ("torch_" + name)
    torch_src.write_text(src.replace("import ember as torch", "import torch").replace("from ember import nn",
                                                                                        "from torch import nn"))
    e = subprocess.run([sys.executable, os.path.join(ROOT, "examples", name), *args], capture_output=True,
                       text=True, timeout=300)
    t = subprocess.run([sys.executable, str(torch_src), *args], capture_output=True, text=True, timeout=300)
    assert e.returncode == 0, e.stderr
    assert t.returncode == 0, t.stderr
    return e.stdout, t.stdout


def test_module_basics_prints_what_pytorch_prints(tmp_path):
    e, t = _same_on_pytorch("module_basics.py", tmp_path)
    assert e == t
    assert "tensor([15])" in e


def test_custom_function_example_matches_pytorch(tmp_path):
    e, t = _same_on_pytorch("custom_function.py", tmp_path)
    numbers = lambda s: [float(v) for v in re.findall(r"-?\d+\.?\d*(?:e[-+]?\d+)?", s)]  # noqa: E731
    import numpy as np
    # the fitted a and c are ~1e-9 (zero up to float32 noise); everything else agrees to 1e-3
    np.testing.assert_allclose(numbers(e), numbers(t), rtol=1e-3, atol=1e-6)
