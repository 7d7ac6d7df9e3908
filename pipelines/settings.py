"""Paths and environment, read once when asked (never at import of every module).

NEWS_SOURCES   the sources file (default: the bundled demo corpus, demo/sources.yaml)
NEWS_WAREHOUSE the DuckDB file (default: warehouse/news.duckdb). Keep the file name `news.duckdb`: dbt's
               manifest records the database name from the file stem.
"""
from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = PROJECT_DIR / "dbt"
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


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    return Settings(
        sources_path=_resolve(env.get("NEWS_SOURCES"), DEFAULT_SOURCES),
        warehouse_path=_resolve(env.get("NEWS_WAREHOUSE"), DEFAULT_WAREHOUSE),
    )


@lru_cache(maxsize=1)
def settings() -> Settings:
    return load_settings()


def dbt_executable() -> str:
    """The dbt installed beside this Python (the project's .venv), else the one on PATH."""
    beside = Path(sys.executable).with_name("dbt")
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")
