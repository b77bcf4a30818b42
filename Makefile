# newslint — set-up, demo and tests. Everything runs inside .venv, created on first use.
# Re-running a target is fast when nothing changed (stamp files track the installs).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
RUN_STAMP := $(VENV)/.stamp-runtime
DEV_STAMP := $(VENV)/.stamp-dev
PIP    := $(PY) -m pip --disable-pip-version-check -q

.PHONY: setup setup-dev demo test stress lint typecheck bench docs clean

setup: $(RUN_STAMP)

setup-dev: $(DEV_STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)

# runtime.lock: the engine and CLI; server.lock: `newslint serve`; corpus.lock: `newslint corpus`.
RUN_LOCKS := requirements/runtime.lock requirements/server.lock requirements/corpus.lock
DEV_LOCKS := requirements/dev.lock requirements/dev-extra.lock

$(RUN_STAMP): pyproject.toml $(RUN_LOCKS) | $(PY)
	$(PIP) install $(addprefix -r ,$(RUN_LOCKS))
	$(PIP) install --no-deps -e .
	@touch $@

$(DEV_STAMP): $(RUN_STAMP) $(DEV_LOCKS)
	$(PIP) install $(addprefix -r ,$(DEV_LOCKS))
	@touch $@

demo: $(RUN_STAMP)
	$(BIN)/newslint check --preview examples/eastern-front-dispatch.txt

test: $(DEV_STAMP)
	$(PY) -m pytest -q

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

# Long property/fuzz run of tests/safety (thousands of hypothesis examples per property).
stress: $(DEV_STAMP)
	HYPOTHESIS_PROFILE=stress $(PY) -m pytest -q tests/safety --hypothesis-show-statistics

bench: $(RUN_STAMP)
	$(PY) benchmarks/bench_speed.py

docs: $(RUN_STAMP)
	$(PY) scripts/gen_rule_docs.py
	$(PY) -m newslint.server.openapi docs/openapi.json

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
