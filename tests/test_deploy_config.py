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


def test_the_celery_workers_ack_a_step_when_it_has_ended_and_take_the_broker_from_the_environment(monkeypatch):
    import runpy

    monkeypatch.setenv("NEWS_CELERY_BROKER", "redis://127.0.0.1:6399/0")
    monkeypatch.setenv("NEWS_CELERY_VISIBILITY_TIMEOUT", "42")
    conf = runpy.run_path(str(DEPLOY / "dagster_celery_config.py"))
    assert conf["broker_url"] == "redis://127.0.0.1:6399/0"
    # a worker killed mid-step leaves its task unacknowledged: another worker takes it after the timeout
    assert conf["task_acks_late"] is True and conf["worker_prefetch_multiplier"] == 1
    assert conf["broker_transport_options"]["visibility_timeout"] == 42


def test_the_workers_run_each_step_in_their_own_process(tmp_path):
    """The solo pool: killing a worker kills its step (no pool child finishing it behind the broker's back)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("deploy_local", DEPLOY / "local.py")
    local = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(local)
    command = local.service_command("celery_worker_1", {"state_root": str(tmp_path), "redis_port": 1})
    assert command[command.index("--pool") + 1] == "solo" and command[command.index("--concurrency") + 1] == "1"
    assert "celery_worker_1@%h" in command
