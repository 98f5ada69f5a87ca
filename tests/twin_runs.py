"""Run a plain-PyTorch program twice, at the same time, and compare what it prints: once on
ember (``python -m ember run``) and once on real torch (+ torchvision, imported through
``oracles``). Each run gets its own working directory and one BLAS thread (two cores)."""
import os
import re
import subprocess
import sys

import numpy as np

TESTS = os.path.dirname(os.path.abspath(__file__))
_ON_TORCH = ("import sys, runpy\n"
             "sys.path.insert(0, {tests!r})\n"
             "import oracles; oracles.torchvision()\n"
             "sys.argv = {argv!r}\n"
             "sys.path.insert(0, {folder!r})\n"  # the program's folder first, as `python program.py` has it
             "runpy.run_path(sys.argv[0], run_name='__main__')\n")
_ENV = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
NUMBER = re.compile(r"-?\d+\.?\d*(?:e[-+]?\d+)?")


def run_both(path, tmp_path, *args, setup=None):
    """(ember's stdout, PyTorch's stdout) of the program at ``path`` run with ``args``, in
    ``tmp_path/ember`` and ``tmp_path/torch``; ``setup(folder)`` prepares each folder first."""
    argv = [path, *map(str, args)]
    dirs = tmp_path / "ember", tmp_path / "torch"
    for d in dirs:
        d.mkdir()
        if setup is not None:
            setup(d)
    on_torch = _ON_TORCH.format(tests=TESTS, argv=argv, folder=os.path.dirname(path))
    procs = [subprocess.Popen([sys.executable, "-m", "ember", "run", *argv], cwd=dirs[0], env=_ENV,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
             subprocess.Popen([sys.executable, "-c", on_torch], cwd=dirs[1], env=_ENV,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)]
    outs = [p.communicate(timeout=300) for p in procs]
    for who, p, (out, err) in zip(("ember", "torch"), procs, outs):
        assert p.returncode == 0, f"{os.path.basename(path)} failed on {who}:\n{out}\n{err}"
    return outs[0][0], outs[1][0]


def numbers(text):
    return np.array([float(v) for v in NUMBER.findall(text)])


def assert_same_output(e, t, rtol, atol=0.0):
    """Same words, same layout; numbers equal to ``rtol``/``atol``."""
    assert NUMBER.sub("#", e) == NUMBER.sub("#", t), f"ember:\n{e}\ntorch:\n{t}"
    np.testing.assert_allclose(numbers(e), numbers(t), rtol=rtol, atol=atol, err_msg=f"ember:\n{e}\ntorch:\n{t}")
