"""Paths and environment: the one module that reads the NEWS_* variables (when asked, never at import).

NEWS_SOURCES              the sources file (default: the bundled demo corpus, demo/sources.yaml)
NEWS_WAREHOUSE            the DuckDB file (default: warehouse/news.duckdb). Keep the file name `news.duckdb`: dbt's
                          manifest records the database name from the file stem. dbt reads it too (dbt/profiles.yml):
                          the dbt step hands it over with `dbt_warehouse_env`.
NEWS_DUCKDB_MEMORY_LIMIT  DuckDB's memory_limit per connection (default 1GB)
NEWS_WORKERS              processes for the parse/extract pool (default: os.cpu_count())
NEWS_PARALLEL_MIN         items below which a stage stays in process (default 400)
NEWS_PARSE_ITEM_SECONDS,
NEWS_EXTRACT_ITEM_SECONDS time budget per page / article (default 20 / 60; 0: no limit)
NEWS_EXECUTOR             how a run's steps execute: in_process (default), multiprocess, k8s, celery
NEWS_CELERY_BROKER,
NEWS_CELERY_BACKEND       with NEWS_EXECUTOR=celery: the broker and result backend URLs (deploy/local.py sets them
                          to its Redis on 127.0.0.1; defaults redis://127.0.0.1:6379/0 and /1)
NEWS_CELERY_VISIBILITY_TIMEOUT,
NEWS_CELERY_RESTORE_INTERVAL the Celery workers' Redis visibility timeout (default 3600 s: a step left unacknowledged
                          by a dead worker goes to another after it) and their sweep interval (default 10 s)
NEWS_BACKFILL_DAYS_PER_RUN a backfill of news days becomes runs of at most this many days each
                          (BackfillPolicy.multi_run; default unset: the whole range in one run)
NEWS_DBT_TARGET           the dbt target: local (default) or shared (the shared raw store: docs/scaling.md); with
                          shared, the raw stages also publish each run's rows to the shared store
NEWS_SHARED_CATALOG       the shared store's catalog: a PostgreSQL connection string (postgresql://user:pw@host:port/db)
NEWS_SHARED_DATA_PATH     the shared store's folder of committed Parquet files (every writer and the dbt builder see it)
NEWS_POOL_WAIT_S          how long a run waits for the warehouse writer's pool slots (default 600)
NEWS_STOP_GRACE_S         how long a stopped run has to end before it is marked failed (default 20)

Every function takes an optional `environ` mapping (tests pass their own); None is the process environment.
"""
from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
# ../shared beside the checkout: spec, seed pages, gold, score.py, the dev corpus (tests, `make eval`, benches;
# the pipeline itself never reads it)
SHARED_DIR = (PROJECT_DIR.parent / "shared").resolve()
DBT_PROJECT_DIR = PROJECT_DIR / "dbt"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"  # the curated dictionaries (dbt seeds) the extractors read too
DDL_DIR = PROJECT_DIR / "warehouse" / "ddl"
DEFAULT_SOURCES = PROJECT_DIR / "demo" / "sources.yaml"
DEFAULT_WAREHOUSE = PROJECT_DIR / "warehouse" / "news.duckdb"


@dataclass(frozen=True)
class Settings:
    sources_path: Path
    warehouse_path: Path

    @property
    def lock_path(self) -> Path:
        return self.warehouse_path.with_name(self.warehouse_path.name + ".lock")


def _resolve(value: str | None, default: Path) -> Path:
    return Path(value).expanduser().resolve() if value else default


def _env(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if environ is None else environ


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    env = _env(environ)
    return Settings(
        sources_path=_resolve(env.get("NEWS_SOURCES"), DEFAULT_SOURCES),
        warehouse_path=_resolve(env.get("NEWS_WAREHOUSE"), DEFAULT_WAREHOUSE),
    )


@lru_cache(maxsize=1)
def settings() -> Settings:
    return load_settings()


def dbt_executable() -> str:
    """The dbt installed beside this Python (the project's .venv), else the one on PATH."""
    beside = _bundled_dbt()
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


def _bundled_dbt() -> Path:
    return Path(sys.executable).with_name("dbt")


def dbt_is_bundled(executable: str | Path) -> bool:
    """Whether `executable` is the dbt installed beside this Python (so its dbt-core is the one this Python imports)."""
    return Path(executable) == _bundled_dbt()


# ---------------------------------------------------------------- the other NEWS_* variables

DEFAULT_MEMORY_LIMIT = "1GB"
DEFAULT_MIN_ITEMS = 400
ITEM_SECONDS = {"parse": 20.0, "extract": 60.0}  # time budget per item (pipelines/parallel.py)
DEFAULT_EXECUTOR = "in_process"
DEFAULT_POOL_WAIT_S = 600.0
DEFAULT_STOP_GRACE_S = 20.0


def duckdb_memory_limit(environ: Mapping[str, str] | None = None) -> str:
    return _env(environ).get("NEWS_DUCKDB_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT)


def worker_count(environ: Mapping[str, str] | None = None) -> int:
    value = _env(environ).get("NEWS_WORKERS")
    if value:
        return max(1, int(value))
    return max(1, os.cpu_count() or 1)


def min_items(environ: Mapping[str, str] | None = None) -> int:
    return int(_env(environ).get("NEWS_PARALLEL_MIN", DEFAULT_MIN_ITEMS))


def item_seconds(stage: str, environ: Mapping[str, str] | None = None) -> float | None:
    """The time budget per item of `stage` ('parse', 'extract'): NEWS_<STAGE>_ITEM_SECONDS, else ITEM_SECONDS;
    None (no limit) when set to 0."""
    raw = _env(environ).get(f"NEWS_{stage.upper()}_ITEM_SECONDS")
    value = float(raw) if raw else ITEM_SECONDS[stage]
    return value if value > 0 else None


def executor_name(environ: Mapping[str, str] | None = None) -> str:
    return _env(environ).get("NEWS_EXECUTOR", DEFAULT_EXECUTOR)


def backfill_days_per_run(environ: Mapping[str, str] | None = None) -> int | None:
    value = _env(environ).get("NEWS_BACKFILL_DAYS_PER_RUN")
    if not value:
        return None
    days = int(value)
    if days < 1:
        raise ValueError(f"NEWS_BACKFILL_DAYS_PER_RUN must be at least 1, not {value!r}")
    return days


@dataclass(frozen=True)
class CeleryWorkerSettings:
    """What the Celery workers of deploy/ read (deploy/dagster_celery_config.py): the broker and result backend
    (the run side reads the same two variables through the executor's config, pipelines/fanout.py), the Redis
    visibility timeout after which an unacknowledged step is handed to another worker, and how often a worker
    sweeps for such steps."""
    broker: str
    backend: str
    visibility_timeout_s: int
    restore_interval_s: int


def celery_worker_settings(environ: Mapping[str, str] | None = None) -> CeleryWorkerSettings:
    env = _env(environ)
    return CeleryWorkerSettings(
        broker=env.get("NEWS_CELERY_BROKER", "redis://127.0.0.1:6379/0"),
        backend=env.get("NEWS_CELERY_BACKEND", "redis://127.0.0.1:6379/1"),
        visibility_timeout_s=int(env.get("NEWS_CELERY_VISIBILITY_TIMEOUT", "3600")),
        restore_interval_s=int(env.get("NEWS_CELERY_RESTORE_INTERVAL", "10")))


def dbt_target(environ: Mapping[str, str] | None = None) -> str:
    return _env(environ).get("NEWS_DBT_TARGET", "local")


def dbt_saved_parse_folder(environ: Mapping[str, str] | None = None) -> Path:
    """Where dagster-dbt copies dbt's saved parse (partial_parse.msgpack) from before each invocation, and so where
    the dbt step puts the newest one back (pipelines/dbt_parse.py): DBT_TARGET_PATH (absolute, or relative to the
    dbt project), else the dbt project's target/."""
    folder = Path(_env(environ).get("DBT_TARGET_PATH") or "target")
    return folder if folder.is_absolute() else DBT_PROJECT_DIR / folder


@dataclass(frozen=True)
class SharedStore:
    """Where the shared raw store lives (pipelines/warehouse/shared.py)."""
    catalog: str      # a libpq connection string / postgresql:// URL of the catalog database
    data_path: Path   # the folder of the committed files

    @property
    def commits(self) -> Path:
        return self.data_path / "commits"


def shared_store(environ: Mapping[str, str] | None = None) -> SharedStore | None:
    """The shared raw store when NEWS_DBT_TARGET=shared (both NEWS_SHARED_CATALOG and NEWS_SHARED_DATA_PATH then
    required), else None: the single warehouse file is the whole warehouse."""
    env = _env(environ)
    if dbt_target(env) != "shared":
        return None
    catalog, data_path = env.get("NEWS_SHARED_CATALOG", ""), env.get("NEWS_SHARED_DATA_PATH", "")
    missing = [n for n, v in (("NEWS_SHARED_CATALOG", catalog), ("NEWS_SHARED_DATA_PATH", data_path)) if not v]
    if missing:
        raise RuntimeError(f"NEWS_DBT_TARGET=shared needs {' and '.join(missing)} (docs/scaling.md: the shared "
                           "warehouse): a PostgreSQL connection string for the catalog, a folder for the files")
    if not catalog.startswith(("postgresql://", "postgres://", "host=", "dbname=")):
        raise RuntimeError(f"NEWS_SHARED_CATALOG must be a PostgreSQL connection string (postgresql://... or "
                           f"'host=... dbname=...'), not {catalog.split(':', 1)[0]!r}...")
    return SharedStore(catalog=catalog, data_path=_resolve(data_path, Path(data_path)))


def pool_wait_s(environ: Mapping[str, str] | None = None) -> float:
    return float(_env(environ).get("NEWS_POOL_WAIT_S", DEFAULT_POOL_WAIT_S))


def stop_grace_s(environ: Mapping[str, str] | None = None) -> float:
    return float(_env(environ).get("NEWS_STOP_GRACE_S", DEFAULT_STOP_GRACE_S))


def dumb_terminal(environ: Mapping[str, str] | None = None) -> bool:
    """TERM=dumb: a terminal that draws no bars (Emacs shells, some CI consoles)."""
    return _env(environ).get("TERM") == "dumb"


@contextmanager
def dbt_warehouse_env(warehouse: Path | str, *, indirect_selection: str | None = None) -> Iterator[None]:
    """NEWS_WAREHOUSE = `warehouse` (and DBT_INDIRECT_SELECTION = `indirect_selection` when given) while dbt runs,
    then as they were. dbt reads the path from the environment (dbt/profiles.yml), and dagster-dbt's
    `DbtCliResource.cli` takes no environment of its own: it copies this process's one for the dbt subprocess. It
    also reads DBT_INDIRECT_SELECTION as the default it overrides (with `empty`) only when the step runs a subset of
    the checks, which a command-line `--indirect-selection` would not let it do. So this is the one place the process
    environment is written, for the length of a dbt invocation only."""
    values = {"NEWS_WAREHOUSE": str(warehouse)}
    if indirect_selection is not None:
        values["DBT_INDIRECT_SELECTION"] = indirect_selection
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
