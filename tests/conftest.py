"""Session setup: dbt's manifest must exist before the dbt assets import (dbt parse when stale)."""
from __future__ import annotations


def pytest_sessionstart(session) -> None:  # noqa: ARG001 - pytest hook signature
    from pipelines.cli import prepare

    prepare()
