# newslint — set-up, demo and tests. Everything runs inside .venv, created on first use.
# Re-running a target is fast when nothing changed (stamp files track the installs).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
RUN_STAMP := $(VENV)/.stamp-runtime
DEV_STAMP := $(VENV)/.stamp-dev
PIP    := $(PY) -m pip --disable-pip-version-check -q

.PHONY: setup setup-dev demo test lint typecheck bench docs clean

setup: $(RUN_STAMP)

setup-dev: $(DEV_STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml requirements/runtime.lock | $(PY)
	$(PIP) install -r requirements/runtime.lock
	$(PIP) install --no-deps -e .
	@touch $@

$(DEV_STAMP): $(RUN_STAMP) requirements/dev.lock
	$(PIP) install -r requirements/dev.lock
	@touch $@

demo: $(RUN_STAMP)
	$(BIN)/newslint check examples/eastern-front-dispatch.txt

test: $(DEV_STAMP)
	$(PY) -m pytest -q

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

bench: $(RUN_STAMP)
	$(PY) benchmarks/bench_speed.py

docs: $(RUN_STAMP)
	$(PY) scripts/gen_rule_docs.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
