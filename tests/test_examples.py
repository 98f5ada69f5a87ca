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
