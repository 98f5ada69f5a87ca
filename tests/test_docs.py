"""The documentation: every op documents its derivative, the generated pages are up to date,
the site builds with no warning, and the code on the tutorial pages runs on ember."""
import importlib.util
import inspect
import pathlib
import re
import subprocess
import sys

import pytest
import yaml

from ember._ops import _FAMILIES
from ember.autograd import Function

ROOT = pathlib.Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
# Pages whose ```python blocks are run, in order, in one fresh interpreter per page.
RUNNABLE_PAGES = ["index.md", "tensors.md", "inspecting.md"]
# Ops whose docstrings do not state a derivative yet (reported to their owners). The list may
# only shrink: a new op must state its derivative.
KNOWN_WITHOUT_DERIVATIVE = set()  # every op states its derivative


def _load(name):
    spec = importlib.util.spec_from_file_location(name, DOCS / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _ops():
    from ember.linalg import _functions
    for module in (*_FAMILIES, _functions):
        for obj in vars(module).values():
            if inspect.isclass(obj) and issubclass(obj, Function) and obj.__module__ == module.__name__:
                yield obj


@pytest.mark.parametrize("cls", list(_ops()), ids=lambda c: c.__name__)
def test_every_op_states_its_derivative(cls):
    doc = inspect.getdoc(cls)
    # a subclass that only renames the node may inherit its parent's statement
    assert doc and len(doc) > 20, f"{cls.__name__} has no docstring stating its derivative"


def test_reference_renders_every_op():
    text = _load("gen_reference").render()
    for cls in _ops():
        assert f"`{cls.__name__}`" in text


def test_reference_splits_forward_and_derivative():
    gen = _load("gen_reference")
    assert gen.split_doc("out = a * b.   d out/d a = b,   d out/d b = a (the product rule).") == \
        ("out = a * b.", "d out/d a = b,   d out/d b = a (the product rule).", "")
    forward, derivative, why = gen.split_doc("y = floor x: a step function, so dy/dx = 0 wherever it exists.")
    assert (forward, derivative) == ("y = floor x: a step function", "dy/dx = 0 wherever it exists.")
    forward, derivative, why = gen.split_doc("s = softmax(x).\n\nd s_i/d x_j = s_i (delta_ij - s_j). So grad = J g.")
    assert (forward, derivative, why) == ("s = softmax(x).", "d s_i/d x_j = s_i (delta_ij - s_j).", "So grad = J g.")
    text = gen.render()
    mul = text.split("### `Mul`")[1].split("###")[0]
    assert "**Forward.** out = a * b." in mul and "**Derivative.** d out/d a = b" in mul


def test_ops_state_their_derivative_in_the_reference():
    missing = set(_load("gen_reference").missing_derivatives())
    assert missing <= KNOWN_WITHOUT_DERIVATIVE, (
        f"these ops' docstrings state no derivative: {sorted(missing - KNOWN_WITHOUT_DERIVATIVE)}")


def test_reference_is_up_to_date():
    gen = _load("gen_reference")
    assert (DOCS / "reference.md").read_text() == gen.render(), \
        "docs/reference.md is out of date: run python docs/gen_reference.py"


def test_coverage_is_up_to_date():
    # in its own interpreter: the checks seed the generator and start DataLoader workers
    r = subprocess.run([sys.executable, str(DOCS / "gen_coverage.py"), "--check"], cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]


def test_coverage_checks_can_fail():
    gen = _load("gen_coverage")
    assert gen.run_check("x = torch.ones(2) + 1", "/nonexistent") is None
    assert gen.run_check("torch.no_such_function()", "/nonexistent") in ("AttributeError", "MissingAPI")
    assert gen.run_check("assert torch.ones(1).item() == 2", "/nonexistent") == "AssertionError"


def test_coverage_lists_every_status():
    text = (DOCS / "coverage.md").read_text()
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| API")]
    statuses = [row.split(" | ")[1] for row in rows if not row.startswith("| ---")]
    assert len(statuses) > 50
    assert set(statuses) <= {"supported", "partial", "missing"}
    assert {"supported", "partial", "missing"} <= set(statuses)


def _nav_pages(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for item in node:
            yield from _nav_pages(item)
    elif isinstance(node, dict):
        for value in node.values():
            yield from _nav_pages(value)


def _config():
    # mkdocs.yml has no custom tags, so the safe loader reads it
    return yaml.safe_load((ROOT / "mkdocs.yml").read_text())


def test_every_nav_page_exists():
    pages = list(_nav_pages(_config()["nav"]))
    assert "index.md" in pages and "reference.md" in pages and "coverage.md" in pages
    missing = [p for p in pages if not (DOCS / p).is_file()]
    assert not missing, f"mkdocs.yml lists pages that do not exist: {missing}"


def test_every_page_is_in_the_nav():
    pages = set(_nav_pages(_config()["nav"]))
    orphans = sorted(p.name for p in DOCS.glob("*.md") if p.name not in pages)
    assert not orphans, f"docs pages missing from the nav in mkdocs.yml: {orphans}"


def test_site_builds_strictly(tmp_path):
    r = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-d", str(tmp_path / "site")],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    output = r.stdout + r.stderr
    assert r.returncode == 0, output
    assert "WARNING" not in output, output
    assert (tmp_path / "site" / "index.html").is_file()
    assert (tmp_path / "site" / "reference" / "index.html").is_file()


def _python_blocks(page):
    return re.findall(r"^```python\n(.*?)^```", (DOCS / page).read_text(), re.M | re.S)


@pytest.mark.parametrize("page", RUNNABLE_PAGES)
def test_page_code_runs_on_ember(page, tmp_path):
    blocks = _python_blocks(page)
    assert blocks, f"{page} has no python code blocks"
    # One interpreter per page, the blocks run in order in one namespace (a reader's session),
    # in an empty folder; a block that raises fails the test with its traceback.
    script = "\n".join([
        "import sys",
        "ns = {'__name__': '__main__'}",
        *[f"exec(compile({b!r}, '{page} block {i + 1}', 'exec'), ns)" for i, b in enumerate(blocks)],
        "assert 'torch' not in sys.modules, 'the page imported real PyTorch'",
    ])
    r = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
