# Two entry points (see README): `make run` and `make test`. Both create .venv on first use.
# the interpreter: see tools/make_venv.sh (a PGO/LTO distribution build first); `make PYTHON=...` forces one
PYTHON ?=
export PYTHON
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench clean

$(STAMP): pyproject.toml
	sh tools/make_venv.sh $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/sim run

# the checks first (ruff: pyflakes, bugbear, import order, pyupgrade; mypy on the typed core), then the
# suite (import-linter's layer and cycle contracts run in tests/test_architecture.py)
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m pytest benchmarks --benchmark-enable --benchmark-only

clean:
	rm -rf $(VENV) build *.egg-info
