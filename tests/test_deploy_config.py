"""deploy/: the production instance differs from the development one only where it must (storage, workspace)."""
from __future__ import annotations

import yaml

from tests.support.paths import REPO

DEPLOY = REPO / "deploy"


def load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_the_run_queue_launcher_and_monitoring_are_the_development_instances():
    dev, prod = load(REPO / "dagster.yaml"), load(DEPLOY / "dagster.yaml")
    for key in ("concurrency", "run_launcher", "run_monitoring"):
        assert prod[key] == dev[key], key


def test_runs_events_and_schedules_live_in_postgres_with_credentials_from_the_environment():
    storage = load(DEPLOY / "dagster.yaml")["storage"]
    assert list(storage) == ["postgres"]  # one database for the run, event log and schedule storages
    db = storage["postgres"]["postgres_db"]
    for field in ("hostname", "port", "db_name", "username", "password"):
        assert set(db[field]) == {"env"}, field  # never a literal value in the file
    assert db["scheme"] == "postgresql+psycopg2"


def test_the_workspace_is_a_code_server_on_loopback():
    (entry,) = load(DEPLOY / "workspace.yaml")["load_from"]
    server = entry["grpc_server"]
    assert server["host"] == "127.0.0.1" and server["location_name"] == "kr_smartcity_news"
    assert server["port"] == {"env": "DAGSTER_CODE_SERVER_PORT"}
