"""The worker's import path is light: a spawned parse/extract worker (and anything that only runs the stages)
never pays for importing Dagster (about 2.6 s of start-up per process), nor httpx and pydantic (the fetch side,
about 1.5 s): `pipelines.fetch` imports its network side on first use, `pipelines.stages` imports it inside the
discover and fetch stages."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pipelines import parallel
from tests.support.paths import REPO

# the stages' world, fetch side included: none of it imports Dagster
STAGE_MODULES = [
    "pipelines.parallel", "pipelines.stages", "pipelines.days", "pipelines.basics", "pipelines.settings",
    "pipelines.warehouse", "pipelines.sources.config", "pipelines.fetch", "pipelines.fetch.discovery",
    "pipelines.fetch.crawler", "pipelines.parse", "pipelines.parse.dates", "pipelines.extract",
]


def test_a_fresh_interpreter_imports_the_stages_without_dagster():
    script = ("import importlib, json, sys\n"
              f"for name in {STAGE_MODULES!r}: importlib.import_module(name)\n"
              "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0].startswith('dagster'))))\n")
    proc = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == []


@pytest.mark.e2e
def test_a_spawned_pool_worker_runs_without_dagster():
    from tests.support.worker_probe import dagster_modules_after_worker_imports

    with parallel.Pool(1) as pool:
        (loaded,) = list(pool.map_chunks(dagster_modules_after_worker_imports, STAGE_MODULES,
                                         chunk=len(STAGE_MODULES)))
    assert loaded == []


def _fresh_interpreter_loads(statement: str) -> list[str]:
    script = (f"{statement}\n"
              "import json\n"
              "from tests.support.worker_probe import loaded\n"
              "print(json.dumps(loaded()))\n")
    proc = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_what_a_worker_imports_pulls_neither_dagster_nor_httpx_nor_pydantic():
    # what a spawned worker imports before its first chunk: the pool's module and the stages its chunks run
    assert _fresh_interpreter_loads("import pipelines.stages, pipelines.parallel") == []
    # the probe itself is honest: the fetch side does load them
    assert _fresh_interpreter_loads("from pipelines.fetch import fetch_all") == ["httpx", "pydantic", "pydantic_core"]
    assert "dagster" in _fresh_interpreter_loads("import dagster")


@pytest.mark.e2e
def test_a_spawned_worker_parses_and_extracts_without_dagster_httpx_or_pydantic():
    from tests.support.worker_probe import heavy_modules_after_parsing_and_extracting

    body = "가나시와 다라전자는 지난 3일 스마트시티 업무협약을 체결하고 국비 1억 원을 확보했다고 밝혔다. " * 3
    with parallel.Pool(1) as pool:
        (report,) = list(pool.map_chunks(heavy_modules_after_parsing_and_extracting, [body, body], chunk=2))
    assert report == [("at start", []), ("after the work", [])]


def test_the_fetch_packages_lazy_functions_are_functions_whatever_was_imported_first():
    """`pipelines.fetch.discover` / `fetch_all` are loaded on first use. No submodule of the package may share
    their names: importing it would set the package attribute to the module, and `from pipelines.fetch import
    discover` would then give the module ("'module' object is not callable" in the discover stage of a process
    that had fetched first)."""
    script = ("import importlib, json\n"
              "from pipelines.fetch import fetch_all\n"
              "import pipelines.fetch.session, pipelines.fetch.discovery, pipelines.fetch.robots\n"
              "from pipelines.fetch import discover, RobotsCache\n"
              "print(json.dumps([callable(fetch_all), callable(discover), isinstance(RobotsCache, type)]))\n")
    proc = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == [True, True, True]
    from pipelines import fetch

    submodules = {p.stem for p in (REPO / "pipelines" / "fetch").glob("*.py")}
    assert not submodules & set(fetch._ON_FIRST_USE)
