# The two commands of the README. Each creates what it needs in .venv on first use.
PY := .venv/bin/python
VENV_STAMP := .venv/.installed-0.5

.PHONY: demo test bench docs clean

$(VENV_STAMP): pyproject.toml
	python3 -m venv .venv
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(VENV_STAMP)

demo: $(VENV_STAMP)
	$(PY) -m ember train --out runs/demo

test: $(VENV_STAMP)
	$(PY) -m pytest -n 2 tests

bench: $(VENV_STAMP)
	$(PY) -m benchmarks.run
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(PY) -m benchmarks.training

docs: $(VENV_STAMP)
	$(PY) -m mkdocs build --strict -d site

clean:
	rm -rf .venv .pytest_cache
