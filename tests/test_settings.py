"""pipelines/settings.py is the one reader of the NEWS_* variables, and writes the environment only while dbt runs."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from pipelines import settings
from pipelines.settings import PROJECT_DIR


def test_no_other_module_reads_or_writes_the_environment():
    readers = []
    for path in sorted((PROJECT_DIR / "pipelines").rglob("*.py")):
        if path.name == "settings.py":
            continue
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            # dict(os.environ) hands the environment to a subprocess (cli._dbt_env); DAGSTER_HOME is Dagster's own
            if re.search(r"os\.environ|getenv", code) and "dict(os.environ)" not in code and "DAGSTER_HOME" not in code:
                readers.append(f"{path.relative_to(PROJECT_DIR)}:{no}: {line.strip()}")
    assert readers == []


def test_each_variable_and_its_default():
    assert settings.duckdb_memory_limit({}) == "1GB"
    assert settings.duckdb_memory_limit({"NEWS_DUCKDB_MEMORY_LIMIT": "300MB"}) == "300MB"
    assert settings.worker_count({"NEWS_WORKERS": "0"}) == 1
    assert settings.min_items({}) == 400
    assert settings.item_seconds("extract", {"NEWS_EXTRACT_ITEM_SECONDS": "1.5"}) == 1.5
    assert settings.executor_name({}) == "in_process"
    assert settings.executor_name({"NEWS_EXECUTOR": "multiprocess"}) == "multiprocess"
    assert settings.dbt_target({}) == "local"
    assert settings.dbt_target({"NEWS_DBT_TARGET": "shared"}) == "shared"
    assert settings.pool_wait_s({"NEWS_POOL_WAIT_S": "5"}) == 5.0
    assert settings.stop_grace_s({}) == 20.0
    loaded = settings.load_settings({"NEWS_WAREHOUSE": "rel/news.duckdb"})
    assert loaded.warehouse_path == Path("rel/news.duckdb").resolve()
    assert loaded.sources_path == settings.DEFAULT_SOURCES


@pytest.mark.parametrize("before", [None, "/elsewhere/news.duckdb"])
def test_dbt_sees_the_runs_warehouse_only_while_it_runs(monkeypatch, tmp_path, before):
    if before is None:
        monkeypatch.delenv("NEWS_WAREHOUSE", raising=False)
    else:
        monkeypatch.setenv("NEWS_WAREHOUSE", before)
    with settings.dbt_warehouse_env(tmp_path / "news.duckdb"):
        assert os.environ["NEWS_WAREHOUSE"] == str(tmp_path / "news.duckdb")
    assert os.environ.get("NEWS_WAREHOUSE") == before
    with pytest.raises(RuntimeError), settings.dbt_warehouse_env(tmp_path / "news.duckdb"):
        raise RuntimeError("dbt failed")
    assert os.environ.get("NEWS_WAREHOUSE") == before


@pytest.mark.parametrize("before", [None, "eager"])
def test_dbt_sees_the_builds_indirect_selection_only_while_it_runs(monkeypatch, tmp_path, before):
    if before is None:
        monkeypatch.delenv("DBT_INDIRECT_SELECTION", raising=False)
    else:
        monkeypatch.setenv("DBT_INDIRECT_SELECTION", before)
    with settings.dbt_warehouse_env(tmp_path / "news.duckdb", indirect_selection="cautious"):
        assert os.environ["DBT_INDIRECT_SELECTION"] == "cautious"
        with settings.dbt_warehouse_env(tmp_path / "news.duckdb"):  # none given: left as it is
            assert os.environ["DBT_INDIRECT_SELECTION"] == "cautious"
    assert os.environ.get("DBT_INDIRECT_SELECTION") == before
    with pytest.raises(RuntimeError), settings.dbt_warehouse_env(tmp_path / "x.duckdb", indirect_selection="cautious"):
        raise RuntimeError("dbt failed")
    assert os.environ.get("DBT_INDIRECT_SELECTION") == before
