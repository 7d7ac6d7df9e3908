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

.PHONY: setup test-deps run test test-fast eval ui docs export report dbt-parse bench bench-scale bench-report clean \
	deploy-local deploy-status deploy-stop test-deploy bench-fanout

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

# The Debian packages some tests use: headless Chromium + Korean fonts (report, analyst and UI pictures), PostgreSQL
# and Redis (the deployment tests). Installed with apt-get when missing and we are root (no test installs anything);
# otherwise the tests that need them skip and say so.
SYSTEM_PACKAGES := chromium fonts-nanum postgresql redis-server
test-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then \
	    echo "test-deps: not installed (the tests that need them skip): "$$missing; exit 0; fi; \
	echo "test-deps: installing Debian packages "$$missing; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt-get install -y -q $$missing >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q $$missing >/dev/null; }

# dbt build (models + data tests + unit tests) on the demo corpus, then the pytest suite (its summary last)
test: dbt-parse test-deps
	@$(PY) -m pipelines.cli dbt-build-check
	@$(PY) -m pytest -q -p no:cacheprovider

# the quick loop while editing (about a minute): every test but the end-to-end ones (marker e2e: whole Dagster job,
# dbt, subprocess runs, process pools, the dev eval); `make test` still runs everything
test-fast: dbt-parse
	@$(PY) -m pytest -q -p no:cacheprovider -m "not e2e"

# extraction quality: every dev set of ../shared/corpus/dev served over HTTP on 127.0.0.1, the nightly job into a
# temporary warehouse, the score per set and pooled (EVAL_ARGS="--split tune --verbose", "--sets gov,wire", ...)
eval: dbt-parse
	@$(PY) -m evaluation.dev $(EVAL_ARGS)

# `dg dev` (dagster-dg-cli; `dagster dev` is superseded) on the workspace file, started from $(DAGSTER_HOME): the
# instance config make copied there is the one used, and no dagster.yaml in the working folder is left unused
ui: dbt-parse
	@cd "$(DAGSTER_HOME)" && $(abspath $(VENV))/bin/dg dev -w $(abspath workspace.yaml) -h 127.0.0.1 -p 3000

# Dagster as it runs in production, on 127.0.0.1 (deploy/, README "When one machine is not enough"): PostgreSQL
# (Debian's server; apt-get installs `postgresql` when its binaries are missing and we are root), Redis (Debian's
# `redis-server`, installed the same way) with two Celery workers that execute every run's steps, a gRPC code
# server, dagster-webserver and dagster-daemon as separate processes, state and logs in deploy/.state
# (DEPLOY_STATE=...; ports: DEPLOY_WEB_PORT / DEPLOY_CODE_SERVER_PORT / DEPLOY_PG_PORT / DEPLOY_REDIS_PORT, else
# free ones). NEWS_BACKFILL_DAYS_PER_RUN=n splits a backfill into runs of n news days.
# A second deploy-local reports what already runs; deploy-stop ends them by their recorded pids, then pg_ctl stop.
deploy-local: dbt-parse
	@$(PY) deploy/local.py start

deploy-status: $(STAMP)
	@$(PY) deploy/local.py status

deploy-stop: $(STAMP)
	@$(PY) deploy/local.py stop

# the deployment tests alone (also part of `make test`; marker e2e): start, a nightly run through the webserver and
# the daemon, the run read back from PostgreSQL, stop; then the fan-out: a backfill split into runs on the two
# Celery workers, one worker SIGKILLed mid-step, the marts compared with an in-process run
test-deploy: dbt-parse test-deps
	@$(PY) -m pytest -q -p no:cacheprovider tests/test_deploy_config.py tests/test_deploy_local.py \
		tests/test_deploy_celery.py

# 1 vs 2 Celery workers: a backfill of the scale corpus over the deployment (BENCH_FANOUT_PAGES=2000,
# BENCH_FANOUT_DAYS=14, BENCH_FANOUT_PER_RUN=2; docs/scaling.md "Fan-out on Celery")
bench-fanout: dbt-parse
	@$(PY) -m bench.fanout

# the marts as Parquet + CSV (UTF-8 BOM, for Excel) in export/ (after make run)
export: $(STAMP)
	@$(PY) -m pipelines.cli export --out export

# a self-contained static HTML report in report/index.html (opens from disk; after make run)
report: $(STAMP)
	@$(PY) -m pipelines.cli report --out report/index.html

# dbt docs (every marts column described, lineage graph) served on 127.0.0.1:8080
docs: dbt-parse
	@cd dbt && NEWS_WAREHOUSE=$${NEWS_WAREHOUSE:-$(abspath warehouse/news.duckdb)} $(abspath $(VENV))/bin/dbt docs generate -q
	@cd dbt && $(abspath $(VENV))/bin/dbt docs serve --host 127.0.0.1 --port 8080 --no-browser

bench: dbt-parse
	@$(PY) -m bench.extraction

# the nightly job end to end over 1k/10k/100k synthetic pages served on 127.0.0.1 (BENCH_SIZES=...; docs/performance.md)
bench-scale: dbt-parse
	@$(PY) -m bench.scale

# the static report over a synthetic warehouse of 10,000 articles: HTML size, Chromium load and draw times
bench-report: $(STAMP)
	@$(PY) -m bench.report_scale

clean:
	rm -rf $(VENV) dbt/target dbt/logs .dagster_home
