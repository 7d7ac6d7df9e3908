"""The bundled demo corpus (12 fictional articles in 10 layouts, written for this project and never used to
write rules) run through the whole job from its html_dir sources file, scored with ../shared/eval/score.py
against demo/gold.json. A floor under generalisation: the numbers are quoted in docs/extraction-rules.md."""
from __future__ import annotations

import dagster as dg
import pytest

from pipelines.definitions import build_definitions
from pipelines.settings import DEFAULT_SOURCES, Settings
from pipelines.partitions import newest_news_day
from tests.support.paths import DEMO_DIR
from tests.test_pipeline_e2e import score

pytestmark = pytest.mark.e2e

FLOORS = {"budgets": 0.90, "events": 0.75, "partnerships": 0.60}


@pytest.fixture(scope="module")
def demo_warehouse(tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("demo") / "news.duckdb"
    defs = build_definitions(Settings(sources_path=DEFAULT_SOURCES, warehouse_path=warehouse))
    result = defs.resolve_job_def("nightly_refresh").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), raise_on_error=False, partition_key=newest_news_day())
    assert result.success
    return warehouse


def test_demo_articles_are_extracted_whole(demo_warehouse, tmp_path):
    checks = score(demo_warehouse, DEMO_DIR / "gold.json", tmp_path)["checks"]
    for check in ("found", "title", "published_at", "body"):
        ok, n = checks[check]
        assert ok == n == 12, (check, checks[check])


@pytest.mark.parametrize("fact", sorted(FLOORS))
def test_demo_facts_stay_above_their_floor(demo_warehouse, tmp_path, fact):
    facts = score(demo_warehouse, DEMO_DIR / "gold.json", tmp_path)["facts"]
    assert facts[fact]["f1"] >= FLOORS[fact], facts[fact]
