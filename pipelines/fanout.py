"""The Celery executor of the fan-out (NEWS_EXECUTOR=celery; deploy/: Redis and two Celery workers).

dagster-celery's executor, configured from the environment, plus one thing: the run worker (the process that
hands the steps out to the workers and waits for them) records itself on the run (`news/*` tags,
pipelines/runs.py), as the in-process steps do when they run in it, so that run monitoring can tell a run whose
run worker died from one that is waiting on the Celery workers.
"""
from __future__ import annotations

import dagster as dg
from dagster_celery.executor import CELERY_CONFIG, CeleryExecutor
from dagster._core.execution.retries import RetryMode

from .runs import process_tags


class RunWorkerTaggingCeleryExecutor(CeleryExecutor):
    def execute(self, plan_context, execution_plan):
        plan_context.instance.add_run_tags(plan_context.run_id, process_tags())
        return super().execute(plan_context, execution_plan)


@dg.executor(name="celery", config_schema=CELERY_CONFIG, requirements=dg.multiple_process_executor_requirements())
def news_celery_executor(init_context) -> RunWorkerTaggingCeleryExecutor:
    config = init_context.executor_config
    return RunWorkerTaggingCeleryExecutor(
        broker=config.get("broker"), backend=config.get("backend"), config_source=config.get("config_source"),
        include=config.get("include"), retries=RetryMode.from_config(config["retries"]))


def celery_executor_config() -> dict:
    """The run side of the Celery app: broker and result backend read from the environment when a run starts
    (the workers read the same variables: deploy/dagster_celery_config.py). A step's task is acknowledged
    only when it has finished (acks_late), so a worker killed mid-step leaves it on the broker for another
    worker (after the broker's visibility timeout, see deploy/dagster_celery_config.py)."""
    return {
        "broker": {"env": "NEWS_CELERY_BROKER"},
        "backend": {"env": "NEWS_CELERY_BACKEND"},
        "config_source": {"task_acks_late": True, "task_reject_on_worker_lost": True,
                          "worker_prefetch_multiplier": 1},
    }


celery_executor = news_celery_executor.configured(celery_executor_config(), name="celery")
