"""The worker's import path is Dagster-free: a spawned parse/extract worker (and anything that only runs the
stages) never pays for importing Dagster (about 2.6 s of start-up per process)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pipelines import parallel
from tests.support.paths import REPO

# what pipelines.parallel workers unpickle and run (stages._parse_chunk / _extract_chunk) and what those import
WORKER_MODULES = [
    "pipelines.parallel", "pipelines.stages", "pipelines.days", "pipelines.basics", "pipelines.settings",
    "pipelines.warehouse", "pipelines.sources.config", "pipelines.fetch", "pipelines.fetch.discover",
    "pipelines.fetch.crawler", "pipelines.parse", "pipelines.parse.dates", "pipelines.extract",
]


def test_a_fresh_interpreter_imports_the_stages_without_dagster():
    script = ("import importlib, json, sys\n"
              f"for name in {WORKER_MODULES!r}: importlib.import_module(name)\n"
              "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0].startswith('dagster'))))\n")
    proc = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == []


@pytest.mark.e2e
def test_a_spawned_pool_worker_runs_without_dagster():
    from tests.support.worker_probe import dagster_modules_after_worker_imports

    with parallel.Pool(1) as pool:
        (loaded,) = list(pool.map_chunks(dagster_modules_after_worker_imports, WORKER_MODULES,
                                         chunk=len(WORKER_MODULES)))
    assert loaded == []
