"""``ember run``: unmodified PyTorch programs give the same output as on PyTorch."""
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(__file__)


def run(args, cwd):
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def normalise(text):
    """Loss values are compared to 4 decimals (float32 sums may differ in the last digit)."""
    import re
    return re.sub(r"(\d+\.\d{4})\d+", r"\1", text)


def test_quickstart_runs_unchanged_and_prints_what_pytorch_prints(tmp_path):
    script = os.path.join(HERE, "programs", "quickstart_small.py")
    t = run([script], tmp_path)
    e = run(["-m", "ember", "run", script], tmp_path)
    # both end at the same deliberate mistake: an API neither has
    assert "AttributeError" in t.stderr and "frobnicate" in t.stderr
    # MissingAPI is ember's NotImplementedError (and AttributeError) for APIs it lacks
    assert "MissingAPI: torch.frobnicate is not implemented in ember" in e.stderr
    assert normalise(e.stdout) == normalise(t.stdout)


def test_hook_maps_submodules_and_keeps_hasattr_working():
    code = ("import ember.compat as c; c.install()\n"
            "import torch, torch.nn.functional as F, torchvision.transforms as T, torchmetrics\n"
            "import ember\n"
            "assert torch.Tensor is ember.Tensor and F.relu is ember.nn.functional.relu\n"
            "assert T.ToTensor is ember.vision.transforms.ToTensor\n"
            "assert torchmetrics.Accuracy is ember.metrics.Accuracy\n"
            "assert not hasattr(torch, 'definitely_missing')\n"
            "import torch.distributed as dist\n"
            "try:\n    dist.init_process_group\nexcept NotImplementedError as e:\n    print('missing:', e)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "torch.distributed.init_process_group is not implemented in ember" in r.stdout


def test_run_reports_missing_script():
    r = run(["-m", "ember", "run", "no_such_file.py"], HERE)
    assert r.returncode == 2 and "no such file" in r.stderr


def test_run_puts_the_scripts_folder_first_on_the_path(tmp_path):
    """As ``python script.py`` does: a program imports the modules beside it."""
    folder = tmp_path / "prog"
    folder.mkdir()
    (folder / "helper.py").write_text("import torch\nVALUE = torch.ones(2).sum().item()\n")
    (folder / "main.py").write_text("import helper\nprint('helper says', helper.VALUE)\n")
    for args in ([str(folder / "main.py")], ["-m", "ember", "run", str(folder / "main.py")]):
        r = run(args, tmp_path)
        assert r.returncode == 0, r.stderr
        assert r.stdout == "helper says 2.0\n"


def test_names_ember_lacks_fail_when_used_not_when_imported():
    """``from torch.x import name`` of a missing name binds a stand-in; using it names the API."""
    code = ("import ember.compat as c; c.install()\n"
            "from torch.nn import Frobnicate\n"
            "from torch.autograd.graph import saved_tensors_hooks\n"
            "for f in (lambda: Frobnicate(3), lambda: saved_tensors_hooks(None, None)):\n"
            "    try:\n        f()\n    except NotImplementedError as e:\n        print(e)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "torch.nn.Frobnicate is not implemented in ember" in r.stdout
    assert "torch.autograd.graph.saved_tensors_hooks is not implemented in ember" in r.stdout


def test_notebook_extension_installs_the_hook():
    """``%load_ext ember.compat`` calls ``load_ipython_extension`` with the shell."""
    code = ("import ember.compat as c\n"
            "c.load_ipython_extension(object())\n"
            "import torch, ember\n"
            "print(torch.Tensor is ember.Tensor)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout == "True\n", r.stderr
