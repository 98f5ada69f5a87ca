"""ember imports and trains where torch cannot be imported."""
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import sys

    class BlockTorch:
        def find_spec(self, name, path=None, target=None):
            if name == "torch" or name.startswith("torch."):
                raise ImportError("torch is blocked in this test")

    sys.meta_path.insert(0, BlockTorch())
    try:
        import torch  # noqa: F401
        raise SystemExit("torch should not be importable here")
    except ImportError:
        pass

    import ember
    assert not any(m == "torch" or m.startswith("torch.") for m in sys.modules), "ember imported torch"

    # a small model trained by hand: a line fitted to y = 3x - 1
    x = ember.linspace(-1, 1, 64).reshape(64, 1)
    y = 3 * x - 1
    w = ember.zeros(1, 1, requires_grad=True)
    b = ember.zeros(1, requires_grad=True)
    first = None
    for step in range(200):
        loss = ((x @ w + b - y) ** 2).mean()
        first = loss.item() if first is None else first
        loss.backward()
        with ember.no_grad():
            w -= 0.1 * w.grad
            b -= 0.1 * b.grad
        w.grad = None
        b.grad = None
    assert loss.item() < 1e-3 * first, (first, loss.item())
    assert abs(w.item() - 3) < 1e-2 and abs(b.item() + 1) < 1e-2, (w.item(), b.item())
    print("trained", w.item(), b.item())
""")


def test_ember_imports_and_trains_without_torch():
    r = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "trained" in r.stdout


def test_package_source_never_imports_torch():
    import pathlib
    import re
    root = pathlib.Path(__file__).resolve().parents[1] / "ember"
    offenders = [str(p) for p in root.rglob("*.py")
                 if re.search(r"^\s*(import torch|from torch)", p.read_text(), re.M)]
    assert offenders == []
