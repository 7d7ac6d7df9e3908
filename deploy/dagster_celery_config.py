"""The Celery workers' configuration (deploy/local.py starts them as `celery -A dagster_celery.app worker` with
deploy/ on PYTHONPATH; dagster-celery's app reads this module, `dagster_celery_config`, when it exists).

The run side (the Celery executor inside each run worker) gets the same broker and backend from
pipelines/schedules.py's celery_executor_config; both read NEWS_CELERY_BROKER / NEWS_CELERY_BACKEND, which
deploy/local.py sets to its Redis on 127.0.0.1.

Surviving a worker killed mid-step (SIGKILL, OOM, a machine lost):
- task_acks_late: a step's task is acknowledged only once the step has finished, so a worker that dies while
  running it leaves the message unacknowledged on the broker;
- the Redis transport hands an unacknowledged message to another worker once it is older than the visibility
  timeout (NEWS_CELERY_VISIBILITY_TIMEOUT, default 3600 s as Celery's own); every worker sweeps for such
  messages every NEWS_CELERY_RESTORE_INTERVAL seconds (default 10);
- the workers use the `solo` pool (deploy/local.py): the step runs in the worker process itself, so killing the
  worker kills the step with it (no orphaned child finishing it behind the broker's back);
- the step re-runs from its start on the other worker; the raw stages are idempotent and a write interrupted
  halfway was rolled back (one transaction), so the result is the same.
The visibility timeout must be longer than the longest step: a task still running when it expires would be
delivered a second time. The run worker holds the step's `duckdb_writer` pool slot throughout, so no other
warehouse step starts meanwhile.
"""
from pipelines.settings import celery_worker_settings

_settings = celery_worker_settings()  # pipelines/settings.py reads the environment
broker_url = _settings.broker
result_backend = _settings.backend

task_acks_late = True
task_reject_on_worker_lost = True
worker_prefetch_multiplier = 1  # a worker reserves no task beyond the one it runs
task_default_queue = "dagster"
task_default_priority = 5
broker_connection_retry_on_startup = True
worker_hijack_root_logger = False

broker_transport_options = {
    "visibility_timeout": _settings.visibility_timeout_s,
    "unacked_restore_interval": _settings.restore_interval_s,
    "unacked_restore_throttle": 1,
    "max_retries": 3,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
result_backend_transport_options = {"visibility_timeout": broker_transport_options["visibility_timeout"]}
