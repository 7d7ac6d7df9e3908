# Two commands: `make run` and `make test`. Everything else is a convenience.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
STAMP := $(VENV)/.installed
export PATH := $(abspath $(VENV))/bin:$(PATH)
export DAGSTER_HOME ?= $(abspath .dagster_home)
export DBT_PROFILES_DIR := $(abspath dbt)
export DBT_PROJECT_DIR := $(abspath dbt)

.PHONY: setup run test ui dbt-parse bench clean

setup: $(STAMP)

# A .venv from the lock (uv from PyPI does the installing; nothing else is fetched).
$(STAMP): requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check 'uv>=0.9,<1'
	@$(UV) pip install -q --python $(PY) -r requirements.lock
	@$(UV) pip install -q --python $(PY) --no-deps -e .
	@touch $@

dbt-parse: $(STAMP)
	@mkdir -p $(DAGSTER_HOME) && cp -f dagster.yaml $(DAGSTER_HOME)/dagster.yaml
	@$(PY) -m pipelines.cli prepare

run: dbt-parse
	@$(PY) -m pipelines.cli run

# dbt build (models + data tests + unit tests) on the demo corpus, then the pytest suite (its summary last)
test: dbt-parse
	@$(PY) -m pipelines.cli dbt-build-check
	@$(PY) -m pytest -q -p no:cacheprovider

ui: dbt-parse
	@$(VENV)/bin/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

bench: dbt-parse
	@$(PY) -m bench.extraction

clean:
	rm -rf $(VENV) dbt/target dbt/logs .dagster_home
