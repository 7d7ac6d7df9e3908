"""The scale path's switches: the run executor (NEWS_EXECUTOR) and the shared dbt target (NEWS_DBT_TARGET)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.partitions import newest_news_day
from pipelines.fanout import celery_executor_config
from pipelines.schedules import executor_from_env
from pipelines.settings import DBT_PROJECT_DIR, PROJECT_DIR, dbt_executable

VENV_BIN = Path(sys.executable).parent


@pytest.mark.parametrize("value,name", [(None, "in_process"), ("in_process", "in_process"),
                                        ("multiprocess", "multiprocess")])
def test_the_executor_switch_picks_dagsters_executor(value, name):
    env = {} if value is None else {"NEWS_EXECUTOR": value}
    assert executor_from_env(env).name == name


def test_k8s_without_its_package_says_what_to_install():
    try:
        import dagster_k8s  # noqa: F401
    except ImportError:
        with pytest.raises(RuntimeError, match="dagster-k8s"):
            executor_from_env({"NEWS_EXECUTOR": "k8s"})
    else:  # installed on purpose: then it must be that package's executor
        assert executor_from_env({"NEWS_EXECUTOR": "k8s"}).name == "k8s"


def test_celery_is_dagster_celerys_executor_with_the_broker_from_the_environment():
    executor = executor_from_env({"NEWS_EXECUTOR": "celery"})
    assert executor.name == "celery"
    config = celery_executor_config()
    assert config["broker"] == {"env": "NEWS_CELERY_BROKER"} and config["backend"] == {"env": "NEWS_CELERY_BACKEND"}
    # a step's task is acknowledged when it has finished: a worker killed mid-step leaves it to another worker
    assert config["config_source"]["task_acks_late"] is True


def test_an_unknown_executor_is_refused_naming_the_choices():
    with pytest.raises(RuntimeError, match="in_process, multiprocess, k8s, celery"):
        executor_from_env({"NEWS_EXECUTOR": "threads"})


@pytest.mark.e2e
def test_the_shared_catalog_target_parses(tmp_path):
    """`dbt parse --target shared`: the project compiles against the shared-store profile (building from the
    shared store is tests/test_shared_warehouse.py)."""
    env = dict(os.environ, NEWS_DBT_TARGET="shared", NEWS_SHARED_DATA_PATH=str(tmp_path / "lake"),
               DBT_PROFILES_DIR=str(DBT_PROJECT_DIR))
    proc = subprocess.run([dbt_executable(), "parse", "--target", "shared", "--target-path", str(tmp_path / "target"),
                           "--project-dir", str(DBT_PROJECT_DIR)], env=env, cwd=DBT_PROJECT_DIR,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text(encoding="utf-8"))
    marts = {n["name"] for n in manifest["nodes"].values() if n["resource_type"] == "model"
             and n["fqn"][1] == "marts"}
    assert {"fct_budgets", "fct_events", "fct_partnerships", "dim_articles", "dim_organizations",
            "fct_fetches"} <= marts
    assert {n["database"] for n in manifest["nodes"].values() if n["resource_type"] == "model"} == {"news"}


@pytest.mark.e2e
def test_the_nightly_job_runs_with_one_process_per_step(tmp_path):
    """NEWS_EXECUTOR=multiprocess through Dagster's own CLI: every step in its own process, the writer pool
    keeping warehouse writes one at a time, and the marts the same as the in-process run's."""
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(PROJECT_DIR / "dagster.yaml", home / "dagster.yaml")
    warehouse = tmp_path / "news.duckdb"
    env = dict(os.environ, DAGSTER_HOME=str(home), NEWS_EXECUTOR="multiprocess", NEWS_WAREHOUSE=str(warehouse),
               NEWS_SOURCES=str(PROJECT_DIR / "demo" / "sources.yaml"), PATH=f"{VENV_BIN}:{os.environ['PATH']}")
    proc = subprocess.run([str(VENV_BIN / "dagster"), "job", "execute", "-m", "pipelines.definitions",
                           "-j", "nightly_refresh", "--tags", json.dumps({"dagster/partition": newest_news_day()})],
                          env=env, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=600)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-4000:]
    assert "Launching subprocess for" in log, "steps did not run in their own processes"
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        counts = {t: con.execute(f"select count(*) from marts.{t}").fetchone()[0]
                  for t in ("dim_articles", "fct_budgets", "fct_events", "fct_partnerships")}
    finally:
        con.close()
    assert counts == {"dim_articles": 12, "fct_budgets": 38, "fct_events": 26, "fct_partnerships": 25}
